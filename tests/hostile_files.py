"""Small files that declare or unpack to far more than they weigh, as an attacker uploads them."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence

from openpyxl import Workbook


def blank_row_workbook(header: Sequence[str], blank_rows: str, declared_rows: int | None = None) -> bytes:
    """A real workbook whose first sheet holds ``header`` and then ``blank_rows`` (raw sheet XML),
    with the dimension ``A1:E{declared_rows}`` or none at all."""
    book = Workbook()
    book.active.append(list(header))
    made = io.BytesIO()
    book.save(made)
    source = zipfile.ZipFile(io.BytesIO(made.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                dimension = f'<dimension ref="A1:E{declared_rows}"/>' if declared_rows else ""
                text = re.sub(r'<dimension ref="[^"]*" ?/>', dimension, data.decode())
                data = text.replace("</sheetData>", blank_rows + "</sheetData>").encode()
            target.writestr(item, data)
    return out.getvalue()


def bombs(header: Sequence[str]) -> dict[str, bytes]:
    """The ways a few kilobytes become a million rows: a million blank rows (no dimension), one
    row numbered 1048576, a dimension declaring a million rows, a sheet unpacking to 100 MB."""
    return {
        "a million blank rows": blank_row_workbook(header, "<row/>" * 1_000_000),
        "row 1048576": blank_row_workbook(header, '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'),
        "declared 1048576 rows": blank_row_workbook(header, "<row/>" * 10, declared_rows=1_048_576),
        "unpacks to 100 MB": blank_row_workbook(header, "<row/>" * 17_000_000),
    }

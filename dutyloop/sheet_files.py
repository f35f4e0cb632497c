"""Reading an uploaded spreadsheet or text file without letting its size decide our costs.

A file of a few kilobytes can declare a million rows: an .xlsx is a zip of XML, and one
``<row r="1048576"/>`` makes openpyxl hand back a million empty rows; a zip member can unpack to
gigabytes. So every import reads through here: the zip's declared unpacked size is checked before
anything is parsed, the sheet's declared dimension is checked before its rows are read, and rows
(blank ones too) are counted while they are read, stopping at the limit. Each caller turns
``SheetRefused`` into its own refusal (a form's page, a schedule file's problem list).
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

MAX_UNPACKED_BYTES = 16 * 1024 * 1024
"""What an uploaded workbook may unpack to: a 500-row task list unpacks to about 100 KB."""


class SheetRefused(ValueError):
    """The file is refused before (or while) it is read: ``unreadable`` (not a workbook, with the
    reader's ``detail``) or ``too_large`` (the message names the limit)."""

    def __init__(self, code: str, zh: str, en: str, detail: str = "") -> None:
        super().__init__(en)
        self.code = code
        self.zh = zh
        self.en = en
        self.detail = detail


def _too_many_rows(max_rows: int) -> SheetRefused:
    return SheetRefused("too_large", f"行数超过上限 {max_rows} 行（空行也计入）", f"more than the limit of {max_rows} rows (blank rows count too)")


def _unreadable(error: Exception) -> SheetRefused:
    detail = str(error) or type(error).__name__
    return SheetRefused("unreadable", "不是有效的 .xlsx 文件", "not a valid .xlsx file", detail)


def xlsx_rows(source: bytes | Path | IO[bytes], max_rows: int, max_columns: int) -> list[tuple[Any, ...]]:
    """The first sheet's rows in order (row 1 first), each cut to ``max_columns`` cells, blank rows
    kept so that numbers stay the sheet's own; refused beyond ``max_rows`` rows."""
    from openpyxl import load_workbook

    data = source.read_bytes() if isinstance(source, Path) else source if isinstance(source, bytes) else source.read()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_size(archive, max_rows, max_rows * max_columns)
    except SheetRefused:
        raise
    except (zipfile.BadZipFile, ElementTree.ParseError, ValueError, OSError) as error:
        raise _unreadable(error) from None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise _unreadable(error) from None
    try:
        if not book.worksheets:
            return []
        rows: list[tuple[Any, ...]] = []
        for values in book.worksheets[0].iter_rows(min_row=1, max_row=max_rows + 1, max_col=max_columns, values_only=True):
            if len(rows) == max_rows:
                raise _too_many_rows(max_rows)
            rows.append(tuple(values))
        return rows
    finally:
        book.close()


def _check_size(archive: zipfile.ZipFile, max_rows: int, max_cells: int) -> None:
    """Refuse a workbook by what it declares, before openpyxl reads it: openpyxl reads a whole
    sheet at opening when the sheet has no dimension, and pads every gap between row numbers with
    empty rows. So every sheet is scanned here first, stopping at the first count over the limit:
    its declared dimension, its rows (and their numbers) and its cells."""
    unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        limit = MAX_UNPACKED_BYTES // (1024 * 1024)
        raise SheetRefused("too_large", f"解压后超过上限 {limit} MB", f"unpacks to more than the limit of {limit} MB")
    for name in archive.namelist():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        rows = cells = 0
        with archive.open(name) as part:
            for _event, element in ElementTree.iterparse(part, events=("start",)):
                tag = element.tag.rpartition("}")[2]
                if tag == "dimension":
                    declared = _last_row(element.get("ref", ""))
                    if declared > max_rows:
                        raise SheetRefused("too_large", f"表格声明有 {declared} 行，超过上限 {max_rows} 行",
                                           f"the sheet declares {declared} rows, more than the limit of {max_rows}")
                elif tag == "row":
                    rows += 1
                    number = element.get("r", "")
                    if rows > max_rows or (number.isdigit() and int(number) > max_rows):
                        raise _too_many_rows(max_rows)
                elif tag == "c":
                    cells += 1
                    if cells > max_cells:
                        raise SheetRefused("too_large", f"单元格超过上限 {max_cells} 个", f"more than the limit of {max_cells} cells")


def _last_row(reference: str) -> int:
    """The last row of a range such as ``A1:E1048576`` (0 when it names none)."""
    digits = "".join(ch for ch in reference.rpartition(":")[2] if ch.isdigit())
    return int(digits) if digits else 0


def text_lines(text: str, max_rows: int) -> Iterator[str]:
    """The lines of a text or CSV upload, refused beyond ``max_rows`` (blank lines count too)."""
    for number, line in enumerate(io.StringIO(text), start=1):
        if number > max_rows:
            raise _too_many_rows(max_rows)
        yield line

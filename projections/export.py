"""台账 files: the rows a query answered, written as an Excel workbook or a CSV file to be filed.

Pure functions, no database and no command line: rows are dictionaries, columns are
``(key, zh header, en header)`` triples (the same spec the CLI tables use), and a ``Sheet`` is
one titled table. The workbook has a bold, frozen header row with a filter, columns as wide as
their content (a Chinese character counts double) and sheet titles in the user's language. CSV
is UTF-8 with a byte-order mark, which is what makes Excel open Chinese text correctly, and
holds only the first sheet.

Text that a spreadsheet would run as a formula stays text: in the workbook the cell is typed as a
string with the quote-prefix style, which keeps it text even after someone edits the cell in
Excel; in CSV a value starting with ``= + - @`` (or a tab or carriage return) gets a leading
apostrophe, as OWASP recommends against CSV injection.

In the workbook a day is a date cell (yyyy-mm-dd) and a recorded time a date-time cell, so that
Excel sorts and filters them as dates; CSV keeps their ISO text. Ids appear in the 8-digit form
users see everywhere. A workbook's sheets open with title rows: what the sheet is, for which
organisation, as of when, exported by whom — and the signed head of the hash chain at export.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID


Column = tuple[str, str, str]
"""(row key, zh-CN header, en header)"""

FORMATS = ("xlsx", "csv")
MAX_WIDTH = 60
_WIDTH_SAMPLE = 2000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
_ID = re.compile(r"[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?")
SHORT_ID = 8
DAY_FORMAT = "yyyy-mm-dd"
MOMENT_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class Sheet:
    title_zh: str
    title_en: str
    columns: Sequence[Column]
    rows: Sequence[Mapping[str, Any]] = field(default_factory=list)

    def title(self, locale: str) -> str:
        """A valid Excel sheet name: at most 31 characters, none of ``[]:*?/\\``."""
        text = self.title_en if _english(locale) else self.title_zh
        return text.translate(_SHEET_TITLE_FORBIDDEN)[:31] or "Sheet"


def format_for(path: Path, requested: str | None = None) -> str:
    """The format asked for, or the one the file name ends in."""
    if requested:
        if requested not in FORMATS:
            raise ValueError(f"unknown export format {requested!r}: use xlsx or csv")
        return requested
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise ValueError(f"cannot tell the format from {path.name!r}: name the file .xlsx or .csv, or give --format")


def headers(columns: Sequence[Column], locale: str) -> list[str]:
    return [en if _english(locale) else zh for _, zh, en in columns]


def cell(value: Any, locale: str = "zh-CN") -> str | int | float | None:
    """One value as a spreadsheet keeps it: numbers stay numbers, everything else becomes text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ("yes" if value else "no") if _english(locale) else ("是" if value else "否")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, UUID):
        return value.hex[:SHORT_ID]
    if isinstance(value, str) and _ID.fullmatch(value):
        return value[:SHORT_ID]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return (", " if _english(locale) else "、").join(str(cell(v, locale)) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    return str(value)


def table(sheet: Sheet, locale: str) -> list[list[str | int | float | None]]:
    """The sheet's rows as lists of cells, in column order (without the header)."""
    return [[cell(row.get(key), locale) for key, _, _ in sheet.columns] for row in sheet.rows]


@dataclass(frozen=True)
class Heading:
    """The lines above a workbook's tables: what, for whom, as of when, by whom, and the chain head."""

    title: str
    lines: Sequence[str] = ()


def write(path: Path, sheets: Sequence[Sheet], fmt: str, locale: str = "zh-CN", title: str = "",
          heading: Heading | None = None) -> int:
    """Write the sheets (CSV: the first one only); returns the number of data rows of the first."""
    if not sheets:
        raise ValueError("nothing to export")
    if fmt == "xlsx":
        write_xlsx(path, sheets, locale, title, heading)
    elif fmt == "csv":
        write_csv(path, sheets[0], locale)
    else:
        raise ValueError(f"unknown export format {fmt!r}: use xlsx or csv")
    return len(sheets[0].rows)


def write_csv(path: Path, sheet: Sheet, locale: str = "zh-CN") -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers(sheet.columns, locale))
        for values in table(sheet, locale):
            writer.writerow(["" if v is None else _csv_safe(v) for v in values])


def write_xlsx(
    path: Path, sheets: Sequence[Sheet], locale: str = "zh-CN", title: str = "", heading: Heading | None = None
) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    if title:
        book.properties.title = title
    book.properties.creator = "DutyLoop 党建责任闭环"
    bold = Font(bold=True)
    centred = Alignment(horizontal="center", vertical="center")
    used: set[str] = set()
    for sheet in sheets:
        names = headers(sheet.columns, locale)
        values = table(sheet, locale)
        page = book.create_sheet(_unique(sheet.title(locale), used))
        above = 0 if heading is None else 1 + len(heading.lines)
        page.freeze_panes = f"A{above + 2}"
        for index, width in enumerate(_widths(names, values), start=1):
            page.column_dimensions[get_column_letter(index)].width = width
        for row in above_rows(page, heading, sheet, locale, bold):
            page.append(row)
        header_cells = []
        for name in names:
            header = WriteOnlyCell(page, value=name)
            header.font = bold
            header.alignment = centred
            header_cells.append(header)
        page.append(header_cells)
        for row in values:
            page.append([_xlsx_cell(page, v) for v in row])
        if names:
            page.auto_filter.ref = f"A{above + 1}:{get_column_letter(len(names))}{above + len(values) + 1}"
    book.save(path)


def above_rows(page: Any, heading: Heading | None, sheet: Sheet, locale: str, bold: Any) -> list[list[Any]]:
    """The title row (the heading's title and the sheet's name, bold) and the heading's lines."""
    from openpyxl.cell import WriteOnlyCell

    if heading is None:
        return []
    title = WriteOnlyCell(page, value=f"{heading.title} — {sheet.title(locale)}")
    title.font = bold
    return [[title], *([_xlsx_cell(page, line)] for line in heading.lines)]


def _xlsx_cell(page: Any, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if _DAY.fullmatch(text):
        typed = WriteOnlyCell(page, value=date.fromisoformat(text))
        typed.number_format = DAY_FORMAT
        return typed
    if _MOMENT.fullmatch(text):
        typed = WriteOnlyCell(page, value=datetime.fromisoformat(text))
        typed.number_format = MOMENT_FORMAT
        return typed
    if not text.startswith(_FORMULA_START):
        return text
    typed = WriteOnlyCell(page, value=text)
    typed.data_type = "s"  # text, never a formula
    typed.quotePrefix = True  # and still text once edited in Excel
    return typed


def _csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _widths(names: list[str], values: list[list[Any]]) -> list[float]:
    widths = [_display_width(n) for n in names]
    for row in values[:_WIDTH_SAMPLE]:
        for index, value in enumerate(row):
            if value is not None:
                widths[index] = max(widths[index], _display_width(str(value)))
    return [min(w + 2, MAX_WIDTH) for w in widths]


def _display_width(text: str) -> int:
    longest = max(text.split("\n"), key=len) if text else ""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in longest)


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def _english(locale: str) -> bool:
    return locale.lower().startswith("en")

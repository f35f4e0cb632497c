"""A year's official holiday schedule as an admin writes it down, read and checked line by line
(what loading it would change is shown by dutyloop/calendar_status.py).

The State Council publishes next year's schedule (国务院办公厅关于××年部分节假日安排的通知) each
autumn; the chinese-calendar package only knows the years it was released with. So the admin types
the notice into a small file and loads it with ``dutyloop calendar load YEAR FILE --source 文号``.
The file is the *whole* year's schedule (it replaces what is known for that year, it is not a patch),
which keeps a correction as simple as editing the file and loading it again.

File formats (chosen by the file name's ending)
------------------------------------------------

Plain text (any other ending, e.g. ``2027.txt``), UTF-8, one date per line::

    # 2099 年部分节假日安排（示例，虚构）
    2099-01-01 holiday 元旦
    2099-01-02 休 元旦
    2099-01-04 workday 元旦调休上班

    YYYY-MM-DD KIND [NAME]

``KIND`` is one of ``holiday`` / ``休`` / ``假`` / ``节假日`` / ``放假`` for a day off, or ``workday`` /
``班`` / ``调休`` / ``上班`` / ``补班`` for a weekend day made a working day (English kinds in any case).
The name is optional free text. Everything after ``#`` is a comment; blank lines are ignored. Dates
may also be written ``YYYY/M/D`` (what spreadsheets export).

CSV (``.csv``), UTF-8 (with or without a BOM): a header row ``date,kind,name`` (or ``日期,类型,名称``),
then one row per date with the same meanings; ``name`` may be empty or the column left out.

Excel (``.xlsx``): the first sheet, laid out like the CSV (header in row 1). Date cells may be real
Excel dates or text.

Only holidays that fall on weekdays matter for counting, but list the whole holiday period as the
notice does (weekend days included): that is what people read back with ``dutyloop calendar show``.

Every line with a problem is reported with the file name and line (or sheet row) number — a date
that is not a date, an unknown kind, a date outside the year being loaded, a date listed both as a
holiday and a working day, a "workday" that is not a Saturday or Sunday, a date listed twice — and
then nothing is loaded: a schedule is loaded whole or not at all.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from domain.calendar import HolidaySchedule
from dutyloop.sheet_files import SheetRefused, text_lines, xlsx_rows

HOLIDAY = "holiday"
WORKDAY = "workday"

KINDS: dict[str, str] = {
    "holiday": HOLIDAY, "休": HOLIDAY, "假": HOLIDAY, "节假日": HOLIDAY, "放假": HOLIDAY,
    "workday": WORKDAY, "班": WORKDAY, "调休": WORKDAY, "上班": WORKDAY, "补班": WORKDAY,
}
"""What people write in the kind column, mapped to the two kinds the calendar knows."""

HEADERS = (("date", "kind", "name"), ("日期", "类型", "名称"))

_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
WEEKDAYS = (("周一", "Mon"), ("周二", "Tue"), ("周三", "Wed"), ("周四", "Thu"), ("周五", "Fri"), ("周六", "Sat"), ("周日", "Sun"))

PROBLEMS: dict[str, tuple[str, str]] = {
    "bad_date": ("日期无效：“{value}”（应为 YYYY-MM-DD）", "not a date: “{value}” (expected YYYY-MM-DD)"),
    "missing_kind": (
        "缺少类型：每行应为“日期 类型 [名称]”",
        "no kind: each line is “DATE KIND [NAME]”",
    ),
    "unknown_kind": (
        "未知类型“{value}”：放假用 holiday/休/假/节假日，调休上班用 workday/班/调休/上班",
        "unknown kind “{value}”: use holiday/休/假/节假日 for a day off, workday/班/调休/上班 for a working weekend day",
    ),
    "wrong_year": ("{day} 不属于正在导入的 {year} 年", "{day} is not in {year}, the year being loaded"),
    "conflict": (
        "{day} 既列为节假日又列为调休上班日（另见第 {other} 行）",
        "{day} is listed both as a holiday and as a working day (see also line {other})",
    ),
    "not_weekend": (
        "{day} 是{weekday}，不是周末：只有周六、周日才能列为调休上班日",
        "{day} is a {weekday}, not a weekend day: only a Saturday or Sunday can be made a working day",
    ),
    "duplicate": ("{day} 重复列出（已在第 {other} 行）", "{day} is listed twice (first on line {other})"),
    "bad_header": (
        "表头应为 date,kind,name（或 日期,类型,名称），实际为“{value}”",
        "the header must be date,kind,name (or 日期,类型,名称), not “{value}”",
    ),
    "extra_columns": ("多余的内容：“{value}”", "unexpected extra content: “{value}”"),
    "not_utf8": ("不是 UTF-8 文本，请另存为 UTF-8", "not UTF-8 text; save it as UTF-8"),
    "unreadable": ("无法读取：{value}", "cannot be read: {value}"),
    "empty": ("文件中没有任何日期", "the file lists no dates"),
    "too_large": ("{zh}", "{en}"),
}
MAX_ROWS = 1000
"""A year has at most 366 dates; a file of more lines (blank ones count) is refused unread."""
MAX_COLUMNS = 16
"""Cells read of each sheet row: enough to see content beyond the three columns and name it."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one line; ``line`` 0 means the file as a whole."""

    file: str
    line: int
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self, locale: str = "zh-CN") -> str:
        zh, en = PROBLEMS[self.code]
        english = is_english(locale)
        text = (en if english else zh).format(**self.params)
        if self.line <= 0:
            return f"{self.file}: {text}" if english else f"{self.file}：{text}"
        if english:
            where = "row" if self.file.lower().endswith(".xlsx") else "line"
            return f"{self.file}, {where} {self.line}: {text}"
        return f"{self.file} 第 {self.line} 行：{text}"


class ScheduleFileError(ValueError):
    """The file cannot be loaded as it is; every problem found is listed so one edit fixes all."""

    def __init__(self, file: str, problems: Sequence[Problem]) -> None:
        self.file = file
        self.problems = list(problems)
        super().__init__(self.message())

    def message(self, locale: str = "zh-CN") -> str:
        if is_english(locale):
            head = f"{self.file} has {len(self.problems)} problem(s); nothing was loaded:"
        else:
            head = f"{self.file} 有 {len(self.problems)} 处错误，未导入任何数据："
        return "\n".join([head, *("  " + p.message(locale) for p in self.problems)])


@dataclass(frozen=True)
class Entry:
    line: int
    day: date
    kind: str
    name: str


# -- reading files ---------------------------------------------------------------------------------


def read_schedule(path: Path, year: int) -> HolidaySchedule:
    """The schedule in ``path`` for ``year``, whatever its format; raises ScheduleFileError."""
    label = path.name
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _build(label, year, _xlsx_rows(path, label))
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ScheduleFileError(label, [Problem(label, 0, "unreadable", {"value": error.strerror or str(error)})]) from None
    text = decode(data, label)
    if suffix == ".csv":
        return parse_csv(text, year, label)
    return parse_text(text, year, label)


def read_schedule_data(data: bytes, filename: str, year: int) -> HolidaySchedule:
    """The same as ``read_schedule`` for a file's content sent through the web (its name decides
    the format, as on disk)."""
    label = Path(filename).name or "schedule.txt"
    suffix = Path(label).suffix.lower()
    if suffix == ".xlsx":
        return _build(label, year, _xlsx_rows(io.BytesIO(data), label))
    text = decode(data, label)
    if suffix == ".csv":
        return parse_csv(text, year, label)
    return parse_text(text, year, label)


def decode(data: bytes, label: str) -> str:
    """UTF-8 (a BOM from Excel or Notepad allowed); a wrong encoding is named with its line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ScheduleFileError(label, [Problem(label, line, "not_utf8")]) from None


def parse_text(text: str, year: int, label: str = "<text>") -> HolidaySchedule:
    """The one-date-per-line format: ``YYYY-MM-DD KIND [NAME]``."""
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, raw in enumerate(text_lines(text, MAX_ROWS), start=1):
            content = raw.split("#", 1)[0].strip()
            if content:
                rows.append((number, content.split(None, 2)))
    except SheetRefused as error:
        raise _refused(label, error) from None
    return _build(label, year, rows)


def _refused(label: str, error: SheetRefused) -> ScheduleFileError:
    params = {"value": error.detail} if error.code == "unreadable" else {"zh": error.zh, "en": error.en}
    return ScheduleFileError(label, [Problem(label, 0, error.code, params)])


def parse_csv(text: str, year: int, label: str = "<csv>") -> HolidaySchedule:
    """CSV with a ``date,kind,name`` header; ``#`` rows and blank rows are skipped."""
    reader = csv.reader(text_lines(text, MAX_ROWS))
    rows: list[tuple[int, list[Any]]] = []
    header_seen = False
    problems: list[Problem] = []
    start = 1
    try:
        for cells in reader:
            number, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells) or cells[0].strip().startswith("#"):
                continue
            if not header_seen:
                header_seen = True
                if not _is_header(cells):
                    problems.append(Problem(label, number, "bad_header", {"value": ",".join(cells)}))
                continue
            rows.append((number, cells))
    except SheetRefused as error:
        raise _refused(label, error) from None
    if problems:
        raise ScheduleFileError(label, problems)
    return _build(label, year, rows)


def _xlsx_rows(path: Path | IO[bytes], label: str) -> list[tuple[int, list[Any]]]:
    try:
        sheet = xlsx_rows(path, MAX_ROWS, max_columns=MAX_COLUMNS)
    except SheetRefused as error:
        raise _refused(label, error) from None
    rows: list[tuple[int, list[Any]]] = []
    header_seen = False
    for number, values in enumerate(sheet, start=1):
        cells = list(values)
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        if isinstance(cells[0], str) and cells[0].strip().startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            if not _is_header(cells):
                text = ",".join("" if c is None else str(c) for c in cells)
                raise ScheduleFileError(label, [Problem(label, number, "bad_header", {"value": text})])
            continue
        rows.append((number, cells))
    return rows


def _is_header(cells: Sequence[Any]) -> bool:
    names = tuple(str(c).strip().lower() for c in cells if c is not None and str(c).strip())
    return any(names in (h[:2], h) for h in HEADERS)


# -- checking entries ------------------------------------------------------------------------------


def _build(label: str, year: int, rows: Iterable[tuple[int, Sequence[Any]]]) -> HolidaySchedule:
    """Check every row against the rules and the others; the schedule only if all are right."""
    problems: list[Problem] = []
    entries: list[Entry] = []
    for number, cells in rows:
        entry = _entry(label, year, number, cells, problems)
        if entry is not None:
            entries.append(entry)
    seen: dict[date, Entry] = {}
    for entry in entries:
        first = seen.get(entry.day)
        if first is None:
            seen[entry.day] = entry
        elif first.kind == entry.kind:
            problems.append(Problem(label, entry.line, "duplicate", {"day": entry.day.isoformat(), "other": first.line}))
        else:
            problems.append(Problem(label, entry.line, "conflict", {"day": entry.day.isoformat(), "other": first.line}))
    if not problems and not entries:
        problems.append(Problem(label, 0, "empty"))
    if problems:
        raise ScheduleFileError(label, sorted(problems, key=lambda p: p.line))
    holidays = {e.day for e in entries if e.kind == HOLIDAY}
    workdays = {e.day for e in entries if e.kind == WORKDAY}
    return HolidaySchedule(
        year=year, holidays=frozenset(holidays), working_weekends=frozenset(workdays),
        names={e.day: e.name for e in entries if e.name},
    )


def _entry(label: str, year: int, number: int, cells: Sequence[Any], problems: list[Problem]) -> Entry | None:
    values = list(cells)
    while values and (values[-1] is None or str(values[-1]).strip() == ""):
        values.pop()
    if len(values) > 3:
        extra = " ".join(str(v) for v in values[3:] if v is not None)
        problems.append(Problem(label, number, "extra_columns", {"value": extra}))
        return None
    day = parse_day(values[0] if values else None)
    if day is None:
        problems.append(Problem(label, number, "bad_date", {"value": "" if not values or values[0] is None else str(values[0]).strip()}))
        return None
    if len(values) < 2 or values[1] is None or not str(values[1]).strip():
        problems.append(Problem(label, number, "missing_kind"))
        return None
    kind = KINDS.get(str(values[1]).strip().lower())
    if kind is None:
        problems.append(Problem(label, number, "unknown_kind", {"value": str(values[1]).strip()}))
        return None
    if day.year != year:
        problems.append(Problem(label, number, "wrong_year", {"day": day.isoformat(), "year": year}))
        return None
    if kind == WORKDAY and day.weekday() < 5:
        problems.append(Problem(label, number, "not_weekend", {"day": day.isoformat(), "weekday": WEEKDAYS[day.weekday()][0]}))
        return None
    name = "" if len(values) < 3 or values[2] is None else str(values[2]).strip()
    return Entry(number, day, kind, name)


def parse_day(value: Any) -> date | None:
    """A date cell or text; ``None`` when it is not a real calendar date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None:
        return None
    match = _DATE.match(str(value).strip())
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def is_english(locale: str) -> bool:
    return locale.lower().startswith("en")

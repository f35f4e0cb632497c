"""The schedule file formats, every kind of bad line (with its line number), the diff helpers and
the November warning."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from calendar_support import MADE_UP_2027
from hostile_files import bombs
from domain.calendar import HolidaySchedule, WorkingCalendar
from dutyloop.calendar_files import ScheduleFileError, parse_csv, parse_text, read_schedule, read_schedule_data
from dutyloop.calendar_status import diff_jsonable, diff_lines, diff_summary, has_changes, missing_next_year_warning

EXPECTED_HOLIDAYS = frozenset({date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3), date(2027, 1, 4)})


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, year: int = 2027) -> list[tuple[int, str]]:
    with pytest.raises(ScheduleFileError) as raised:
        read_schedule(path, year)
    assert all(p.file == path.name for p in raised.value.problems)
    return [(p.line, p.code) for p in raised.value.problems]


# -- the three formats -------------------------------------------------------------------------------


def test_text_format_with_english_and_chinese_kinds(tmp_path: Path) -> None:
    schedule = read_schedule(write(tmp_path, "2027.txt", MADE_UP_2027), 2027)
    assert schedule.year == 2027
    assert schedule.holidays == EXPECTED_HOLIDAYS
    assert schedule.working_weekends == frozenset({date(2027, 1, 9)})
    assert schedule.names[date(2027, 1, 1)] == "元旦（虚构）"


@pytest.mark.parametrize("kind", ["holiday", "HOLIDAY", "休", "假", "节假日", "放假"])
def test_every_holiday_word(kind: str) -> None:
    assert parse_text(f"2027-01-04 {kind}", 2027).holidays == {date(2027, 1, 4)}


@pytest.mark.parametrize("kind", ["workday", "Workday", "班", "调休", "上班", "补班"])
def test_every_workday_word(kind: str) -> None:
    assert parse_text(f"2027-01-09 {kind}", 2027).working_weekends == {date(2027, 1, 9)}


def test_comments_blank_lines_names_with_spaces_slashes_and_a_bom(tmp_path: Path) -> None:
    text = "\ufeff# header comment\n\n  2027/1/4\t休\tNew Year  extra day   # trailing comment\n\n2027-01-09 班\n"
    schedule = read_schedule(write(tmp_path, "plain.txt", text), 2027)
    assert schedule.holidays == {date(2027, 1, 4)}
    assert schedule.names[date(2027, 1, 4)] == "New Year  extra day"
    assert schedule.working_weekends == {date(2027, 1, 9)}


def test_csv_format(tmp_path: Path) -> None:
    text = "date,kind,name\n# comment row\n2027-01-01,holiday,元旦\n2027-01-04,休,\n\n2027-01-09,调休,\"虚构, 调休\"\n"
    schedule = read_schedule(write(tmp_path, "2027.csv", text), 2027)
    assert schedule.holidays == {date(2027, 1, 1), date(2027, 1, 4)}
    assert schedule.working_weekends == {date(2027, 1, 9)}
    assert schedule.names[date(2027, 1, 9)] == "虚构, 调休"


def test_csv_with_chinese_header_and_no_name_column() -> None:
    schedule = parse_csv("日期,类型\n2027-01-04,节假日\n", 2027)
    assert schedule.holidays == {date(2027, 1, 4)}


def test_xlsx_format_with_date_cells_and_text_cells(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["date", "kind", "name"])
    sheet.append([date(2027, 1, 1), "holiday", "元旦"])
    sheet.append(["2027-01-04", "休", None])
    sheet.append([None, None, None])
    sheet.append([date(2027, 1, 9), "班", "调休"])
    path = tmp_path / "2027.xlsx"
    book.save(path)
    schedule = read_schedule(path, 2027)
    assert schedule.holidays == {date(2027, 1, 1), date(2027, 1, 4)}
    assert schedule.working_weekends == {date(2027, 1, 9)}


# -- every problem, with its line ----------------------------------------------------------------------


def test_bad_date(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.txt", "2027-01-01 holiday\n2027-02-30 holiday\nJan-4 休\n")
    assert problems(path) == [(2, "bad_date"), (3, "bad_date")]


def test_unknown_kind(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "kind.txt", "# c\n2027-01-04 festival\n")) == [(2, "unknown_kind")]


def test_missing_kind(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "kind.txt", "2027-01-04\n")) == [(1, "missing_kind")]


def test_date_not_in_the_year_being_loaded(tmp_path: Path) -> None:
    path = write(tmp_path, "year.txt", "2027-01-01 holiday\n2026-12-31 holiday\n")
    assert problems(path) == [(2, "wrong_year")]


def test_both_holiday_and_workday(tmp_path: Path) -> None:
    path = write(tmp_path, "both.txt", "2027-01-09 holiday\n2027-01-04 休\n2027-01-09 workday\n")
    assert problems(path) == [(3, "conflict")]


def test_workday_that_is_not_a_weekend_day(tmp_path: Path) -> None:
    path = write(tmp_path, "weekday.txt", "2027-01-09 班\n2027-01-06 班\n")
    assert problems(path) == [(2, "not_weekend")]


def test_duplicate(tmp_path: Path) -> None:
    path = write(tmp_path, "dup.txt", "2027-01-04 休\n2027-01-01 holiday\n2027-01-04 holiday\n")
    assert problems(path) == [(3, "duplicate")]


def test_every_problem_is_reported_at_once_and_nothing_is_returned(tmp_path: Path) -> None:
    text = "2027-13-01 holiday\n2027-01-04 festival\n2026-01-01 holiday\n2027-01-06 班\n2027-01-09 休\n2027-01-09 班\n2027-01-09 休\n"
    path = write(tmp_path, "all.txt", text)
    assert problems(path) == [
        (1, "bad_date"), (2, "unknown_kind"), (3, "wrong_year"), (4, "not_weekend"), (6, "conflict"), (7, "duplicate"),
    ]


def test_messages_name_the_file_the_line_and_the_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "notice.txt", "2027-01-04 休\n2027-01-06 班\n")
    with pytest.raises(ScheduleFileError) as raised:
        read_schedule(path, 2027)
    zh = raised.value.message()
    en = raised.value.message("en")
    assert "notice.txt 第 2 行" in zh and "2027-01-06" in zh and "周三" in zh and "未导入" in zh
    assert "notice.txt, line 2" in en and "not a weekend day" in en and "nothing was loaded" in en


def test_csv_problems_carry_the_file_line(tmp_path: Path) -> None:
    text = "date,kind,name\n2027-01-04,休,\n\n2027-01-07,班,\n2027-01-04,假,重复\n"
    assert problems(write(tmp_path, "s.csv", text)) == [(4, "not_weekend"), (5, "duplicate")]


def test_csv_without_a_header(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "s.csv", "2027-01-04,休,\n")) == [(1, "bad_header")]


def test_xlsx_problems_carry_the_sheet_row(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    for row in (["date", "kind", "name"], ["2027-01-04", "休", ""], ["2027-01-05", "上班", ""], ["bad", "休", ""]):
        sheet.append(row)
    path = tmp_path / "s.xlsx"
    book.save(path)
    assert problems(path) == [(3, "not_weekend"), (4, "bad_date")]
    with pytest.raises(ScheduleFileError) as raised:
        read_schedule(path, 2027)
    assert "s.xlsx, row 3" in raised.value.message("en")


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("2027-01-01 holiday\n2027-01-04 休\n".encode("gbk"))
    assert problems(path) == [(2, "not_utf8")]


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "empty.txt", "# nothing yet\n\n")) == [(0, "empty")]


def test_not_a_workbook(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "fake.xlsx", "not a workbook")) == [(0, "unreadable")]


@pytest.mark.parametrize("name, content", list(bombs(["date", "kind", "name"]).items()))
def test_a_workbook_declaring_or_unpacking_to_too_much_is_refused_unread(name: str, content: bytes) -> None:
    with pytest.raises(ScheduleFileError) as raised:
        read_schedule_data(content, "2027.xlsx", 2027)
    assert [(p.line, p.code) for p in raised.value.problems] == [(0, "too_large")]
    assert "上限" in raised.value.message("zh-CN") and "limit" in raised.value.message("en")


@pytest.mark.parametrize("name", ["2027.txt", "2027.csv"])
def test_blank_lines_count_toward_the_limit(name: str) -> None:
    header = "date,kind,name\n" if name.endswith(".csv") else ""
    content = (header + "\n" * 500_000 + "2027-01-01,holiday,元旦\n").encode()
    with pytest.raises(ScheduleFileError) as raised:
        read_schedule_data(content, name, 2027)
    assert [(p.line, p.code) for p in raised.value.problems] == [(0, "too_large")]
    assert "空行也计入" in raised.value.message("zh-CN")


# -- the diff ---------------------------------------------------------------------------------------


def test_diff_against_a_known_schedule() -> None:
    old = HolidaySchedule(2027, frozenset({date(2027, 1, 1), date(2027, 1, 4)}), frozenset({date(2027, 1, 9)}))
    new = HolidaySchedule(2027, frozenset({date(2027, 1, 1), date(2027, 1, 5)}), frozenset({date(2027, 1, 10)}))
    diff = new.differences(old)
    assert has_changes(diff)
    assert diff_jsonable(diff) == {
        "holidays_added": ["2027-01-05"], "holidays_removed": ["2027-01-04"],
        "working_weekends_added": ["2027-01-10"], "working_weekends_removed": ["2027-01-09"],
    }
    lines = diff_lines(diff, names={date(2027, 1, 5): "补充假日"})
    assert "  + 2027-01-05 周二  补充假日" in lines and "  - 2027-01-04 周一" in lines
    assert "  + 2027-01-10 周日" in lines and "  - 2027-01-09 周六" in lines
    assert diff_summary(diff) == "新增节假日 1 天，取消节假日 1 天，新增调休上班日 1 天，取消调休上班日 1 天"
    assert "holidays added 1" in diff_summary(diff, "en")
    assert not has_changes(new.differences(new))
    assert diff_lines(new.differences(new)) == ["没有变化。"]


# -- the November warning ------------------------------------------------------------------------------

BUILTIN = WorkingCalendar.builtin()
WITH_2027 = BUILTIN.with_schedule(HolidaySchedule(2027, EXPECTED_HOLIDAYS, frozenset()))


@pytest.mark.parametrize("today", [date(2026, 11, 1), date(2026, 11, 24), date(2026, 12, 31)])
def test_warns_from_the_first_of_november_while_next_year_is_missing(today: date) -> None:
    warning = missing_next_year_warning(today, BUILTIN)
    assert warning is not None and "2027" in warning and "dutyloop calendar load 2027" in warning
    english = missing_next_year_warning(today, BUILTIN, "en")
    assert english is not None and "2027" in english


def test_no_warning_before_november() -> None:
    assert missing_next_year_warning(date(2026, 10, 31), BUILTIN) is None


def test_no_warning_once_next_year_is_loaded() -> None:
    assert missing_next_year_warning(date(2026, 11, 24), WITH_2027) is None


def test_a_missing_current_year_always_warns() -> None:
    warning = missing_next_year_warning(date(2027, 3, 1), BUILTIN)
    assert warning is not None and "2027" in warning

"""Which official holiday schedules are known, where each came from, and what a load would change:
what ``dutyloop calendar status/load`` prints and the administrators' calendar page shows, from
one place so the two never disagree; and the yearly reminder that next year's schedule is due.

Built-in years come from the chinese-calendar package; loaded years are ``HolidayScheduleLoaded``
events (as the views saw them), each overriding the year's schedule as a whole.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from sqlalchemy import Connection, select

from domain.calendar import HolidaySchedule, WorkingCalendar, builtin_schedules
from dutyloop.calendar_files import WEEKDAYS, is_english
from projections.tables import calendar_loads, people


@lru_cache(maxsize=1)
def builtin() -> dict[int, HolidaySchedule]:
    return builtin_schedules()


@lru_cache(maxsize=1)
def builtin_names() -> dict[date, tuple[str, str]]:
    """Holiday names from the package in both languages (the schedules keep only English)."""
    from chinese_calendar import constants

    chinese = {str(h.value): str(getattr(h, "chinese", h.value)) for h in constants.Holiday}
    names: dict[date, tuple[str, str]] = {}
    for day, holiday in constants.holidays.items():
        english = str(getattr(holiday, "value", holiday))
        names[day] = (chinese.get(english, english), english)
    return names


def package_version() -> str:
    try:
        return version("chinese-calendar")
    except PackageNotFoundError:  # pragma: no cover - installed with the project
        return "?"


def loads(conn: Connection) -> list[dict[str, Any]]:
    """Every load these views have seen, oldest first, with the loader's name when a person."""
    query = (
        select(calendar_loads, people.c.name.label("actor_name"), people.c.staff_no.label("actor_staff_no"))
        .outerjoin(people, people.c.person_id == calendar_loads.c.actor)
        .order_by(calendar_loads.c.notification_id)
    )
    return [dict(r) for r in conn.execute(query).mappings()]


def who(row: dict[str, Any]) -> str:
    if row.get("actor_name"):
        return f"{row['actor_name']}（{row['actor_staff_no']}）"
    return str(row["actor"])


def schedule_of(row: dict[str, Any]) -> HolidaySchedule:
    return HolidaySchedule(
        row["year"],
        frozenset(date.fromisoformat(d) for d in json.loads(row["holidays"])),
        frozenset(date.fromisoformat(d) for d in json.loads(row["working_weekends"])),
    )


def year_ranges(years: list[int]) -> str:
    """2004–2026, 2028: consecutive years folded, so two decades of built-in data fit on a line."""
    spans: list[list[int]] = []
    for year in sorted(set(years)):
        if spans and spans[-1][1] == year - 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


@dataclass(frozen=True)
class CalendarStatus:
    today: date
    known_years: list[int]
    builtin_years: list[int]
    loaded_years: list[int]
    history: list[dict[str, Any]]
    """Each load: year, source, actor, actor_name, recorded_at (UTC), changes (one line), diff."""
    warning: str | None
    """From 1 November while next year is missing (always while this year is)."""


def calendar_status(conn: Connection, known: WorkingCalendar, today: date, locale: str) -> CalendarStatus:
    rows = loads(conn)
    running: dict[int, HolidaySchedule | None] = dict(builtin().items())
    history = []
    for row in rows:
        schedule = schedule_of(row)
        diff = schedule.differences(running.get(row["year"]))
        running[row["year"]] = schedule
        history.append({
            "year": row["year"], "source": row["source"], "actor": row["actor"], "actor_name": who(row),
            "recorded_at": row["recorded_at"], "changes": diff_summary(diff, locale), "diff": diff_jsonable(diff),
        })
    return CalendarStatus(
        today=today, known_years=list(known.years), builtin_years=sorted(builtin()),
        loaded_years=sorted({r["year"] for r in rows}), history=history,
        warning=missing_next_year_warning(today, known, locale),
    )


@dataclass(frozen=True)
class Preview:
    """What loading a schedule would change against the calendar known now."""

    year: int
    replaces: str | None
    """None: the year is unknown; "builtin": the package's data; "loaded": an earlier load."""
    earlier: list[dict[str, Any]]
    diff: dict[str, list[date]]

    @property
    def changed(self) -> bool:
        return has_changes(self.diff)

    @property
    def needs_load(self) -> bool:
        """A known year loaded again unchanged records nothing."""
        return self.replaces is None or self.changed


def preview(conn: Connection, known: WorkingCalendar, schedule: HolidaySchedule) -> Preview:
    current = known.schedule(schedule.year)
    earlier = [r for r in loads(conn) if r["year"] == schedule.year]
    replaces = None if current is None else ("loaded" if earlier else "builtin")
    return Preview(schedule.year, replaces, earlier, schedule.differences(current))


def fingerprint(schedule: HolidaySchedule | None) -> str:
    """A short digest of a year's schedule as known: a preview carries it, so a load confirmed
    after someone else changed that year is refused instead of silently replacing their change."""
    if schedule is None:
        return "none"
    days = [f"h{d.isoformat()}" for d in sorted(schedule.holidays)] + [f"w{d.isoformat()}" for d in sorted(schedule.working_weekends)]
    return hashlib.sha256(",".join(days).encode()).hexdigest()[:16]


# -- what a load would change ----------------------------------------------------------------------

DIFF_KEYS: tuple[tuple[str, str, str, str], ...] = (
    ("holidays_added", "+", "新增节假日", "holidays added"),
    ("holidays_removed", "-", "取消节假日", "holidays removed"),
    ("working_weekends_added", "+", "新增调休上班日", "working weekends added"),
    ("working_weekends_removed", "-", "取消调休上班日", "working weekends removed"),
)


def schedule_diff(new: HolidaySchedule, known: HolidaySchedule | None) -> dict[str, list[date]]:
    """What loading ``new`` changes against the schedule known now for its year (None: unknown)."""
    return new.differences(known)


def has_changes(diff: Mapping[str, Sequence[date]]) -> bool:
    return any(diff.get(key) for key, *_ in DIFF_KEYS)


def weekday(day: date, locale: str = "zh-CN") -> str:
    zh, en = WEEKDAYS[day.weekday()]
    return en if is_english(locale) else zh


def diff_lines(
    diff: Mapping[str, Sequence[date]], locale: str = "zh-CN", names: Mapping[date, str] | None = None
) -> list[str]:
    """The diff for people: one line per changed day, marked + or -, grouped by what changed."""
    english = is_english(locale)
    names = names or {}
    lines: list[str] = []
    for key, sign, zh, en in DIFF_KEYS:
        days = diff.get(key) or []
        if not days:
            continue
        lines.append(f"{en if english else zh} ({len(days)}):" if english else f"{zh}（{len(days)} 天）：")
        for day in days:
            name = names.get(day, "")
            lines.append(f"  {sign} {day.isoformat()} {weekday(day, locale)}" + (f"  {name}" if name else ""))
    if not lines:
        lines.append("No change." if english else "没有变化。")
    return lines


def diff_summary(diff: Mapping[str, Sequence[date]], locale: str = "zh-CN") -> str:
    """One line: how many days of each kind change."""
    english = is_english(locale)
    parts = [
        f"{en} {len(diff.get(key) or [])}" if english else f"{zh} {len(diff.get(key) or [])} 天"
        for key, _, zh, en in DIFF_KEYS
    ]
    return ", ".join(parts) if english else "，".join(parts)


def diff_jsonable(diff: Mapping[str, Sequence[date]]) -> dict[str, list[str]]:
    return {key: [d.isoformat() for d in diff.get(key) or []] for key, *_ in DIFF_KEYS}


# -- the yearly reminder ---------------------------------------------------------------------------

WARN_FROM_MONTH = 11
"""Next year's schedule is usually published in October–November; from 1 November its absence is
worth a warning, because deadlines issued in late November already reach into January."""


def missing_next_year_warning(today: date, calendar: WorkingCalendar, locale: str = "zh-CN") -> str | None:
    """A warning when deadlines are about to need a year nobody has loaded, else ``None``.

    From 1 November next year's schedule is due (deadlines issued now reach into January); a
    missing current year is always worth saying, since working-day deadlines cannot be issued at
    all then."""
    english = is_english(locale)
    if not calendar.knows(today.year):
        year = today.year
        if english:
            return (
                f"No official holiday schedule for {year}, the current year: working-day deadlines cannot be computed. "
                f"An admin loads it with: dutyloop calendar load {year} FILE --source NOTICE"
            )
        return (
            f"缺少本年（{year} 年）的节假日安排，按工作日计算的时限无法下达。"
            f"请管理员导入：dutyloop calendar load {year} 文件 --source 通知文号"
        )
    if today.month < WARN_FROM_MONTH or calendar.knows(today.year + 1):
        return None
    year = today.year + 1
    if english:
        return (
            f"The {year} holiday schedule has not been loaded: deadlines in working days that reach into {year} will be "
            f"refused. Once the State Council publishes it, an admin loads it with: "
            f"dutyloop calendar load {year} FILE --source NOTICE (see docs/calendar.md)"
        )
    return (
        f"尚未导入 {year} 年的节假日安排：跨入 {year} 年的工作日时限将无法计算。"
        f"国务院办公厅公布后，请管理员导入：dutyloop calendar load {year} 文件 --source 通知文号（见 docs/calendar.md）"
    )

"""Which official holiday schedules are known, where each came from, and what a load would change:
what ``dutyloop calendar status/load`` prints and the administrators' calendar page shows, from
one place so the two never disagree.

Built-in years come from the chinese-calendar package; loaded years are ``HolidayScheduleLoaded``
events (as the views saw them), each overriding the year's schedule as a whole.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from sqlalchemy import Connection, select

from domain.calendar import HolidaySchedule, WorkingCalendar, builtin_schedules
from dutyloop.calendar_files import diff_jsonable, diff_summary, has_changes, missing_next_year_warning
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

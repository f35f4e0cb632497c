"""The scheduler's work, as checks that each compute what is due *as of one day* and record only
what is missing. A tick repeated, late or run by hand therefore costs nothing extra: the same
day gives the same reminders, and those exist already."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from domain.application import DutyLoop
from projections.runner import ProjectionRunner
from scheduler.bulletin import check_bulletin
from scheduler.deadlines import check_deadlines
from scheduler.meetings import check_meetings
from scheduler.reminders import SCHEDULED, Entry

Check = Callable[[DutyLoop, ProjectionRunner, date, Entry], "list[UUID] | UUID | None"]

CHECKS: dict[str, Check] = {
    "deadlines": check_deadlines,
    "meetings": check_meetings,
    "bulletin": check_bulletin,
}
"""In the order a day's work is done (and caught up after downtime)."""


@dataclass
class TickReport:
    """What one run of one or more checks recorded."""

    day: date
    recorded: dict[str, list[UUID]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(ids) for ids in self.recorded.values())


def run_check(name: str, app: DutyLoop, views: ProjectionRunner, day: date, report: TickReport, entry: Entry = SCHEDULED) -> None:
    result = CHECKS[name](app, views, day, entry)
    ids = result if isinstance(result, list) else [result] if result is not None else []
    report.recorded.setdefault(name, []).extend(ids)


def run_all(app: DutyLoop, views: ProjectionRunner, day: date, entry: Entry = SCHEDULED) -> TickReport:
    """Every check, in order, as of ``day``, recorded as ``entry`` says; the views are caught up
    afterwards so what was recorded shows at once."""
    report = TickReport(day)
    for name in CHECKS:
        run_check(name, app, views, day, report, entry)
    views.catch_up()
    return report

"""Reading the views as they stood at the end of a past day (for audits): a private copy built
from the log up to that moment; the live views are untouched."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from domain.errors import DomainError
from dutyloop.web.deps import Viewer
from dutyloop.web.forms import parse_day
from dutyloop.wiring import System


def audit_day(viewer: Viewer, text: str, today: date) -> date | None:
    """The past day asked for, or None for today; only administrators audit the past."""
    if not text:
        return None
    if not viewer.is_admin:
        raise viewer.refuse("view_page", "reason_admin_only")
    day = parse_day(text, "as_of")
    if day > today:
        raise DomainError("date_in_future", field="as_of", value=day, today=today)
    return day


@contextmanager
def views_as_of(system: System, day: date) -> Iterator[Connection]:
    end_of_day = datetime.combine(day, time(23, 59, 59, 999999), tzinfo=ZoneInfo(system.settings.timezone))
    engine = system.views.as_of(end_of_day)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()

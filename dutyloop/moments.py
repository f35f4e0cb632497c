"""A recorded moment as a person reads it: in the organisation's time zone, to the minute."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def local_minutes(recorded: datetime | str | None, timezone: str) -> str:
    """Stored moments are UTC text with microseconds; people see "2026-06-30 17:05" local time."""
    if not recorded:
        return ""
    moment = datetime.fromisoformat(recorded.replace("Z", "+00:00")) if isinstance(recorded, str) else recorded
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")

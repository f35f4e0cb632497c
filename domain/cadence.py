"""例会 on a cadence: 党建工作小组例会 and 党组织书记例会 every quarter, 党务工作者例会 every two
months. A period is a calendar quarter (January–March, …) or a pair of months (January–February,
…); a meeting of the kind held on any day of the period counts for it.

A reminder that a meeting is due has no meeting to point at (none may be planned yet), so it
points at the organisation's *slot* for that kind: an id derived from organisation and kind,
which a reader turns back into the kind with ``slot_kind``.
"""

from __future__ import annotations

import calendar as month_calendar
from datetime import date
from uuid import UUID, uuid5

from domain.ids import NAMESPACE
from domain.vocabulary import MeetingKind

MEETING_CADENCE_MONTHS: dict[MeetingKind, int] = {
    MeetingKind.WORK_GROUP: 3,
    MeetingKind.SECRETARIES: 3,
    MeetingKind.PARTY_WORKERS: 2,
}
MEETING_NOTICE_WORKING_DAYS = 10
"""How many working days before a period's last working day the reminder starts to be due."""


def period(kind: MeetingKind, day: date) -> tuple[date, date]:
    """First and last day of the period of ``kind`` that contains ``day``."""
    months = MEETING_CADENCE_MONTHS[kind]
    first_month = (day.month - 1) // months * months + 1
    last_month = first_month + months - 1
    return date(day.year, first_month, 1), date(day.year, last_month, month_calendar.monthrange(day.year, last_month)[1])


def slot_id(org_id: UUID, kind: MeetingKind) -> UUID:
    return uuid5(NAMESPACE, f"meeting-slot:{org_id.hex}:{kind.value}")


def slot_kind(target_id: UUID, org_id: UUID) -> MeetingKind | None:
    """Which cadenced meeting a ``meeting_due`` reminder is about."""
    for kind in MEETING_CADENCE_MONTHS:
        if slot_id(org_id, kind) == target_id:
            return kind
    return None

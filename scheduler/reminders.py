"""A reminder the scheduler has decided is due, and recording it once.

Each check works out, as of one day, the reminders that should exist; those the reminders view
already holds are passed over without touching the event store, and the rest are recorded as
``ReminderRecorded`` by ``system:scheduler``, many to a write. The event's identity comes from its key (target,
level and step, deadline, recipient), so a reminder recorded meanwhile by another process is
refused by the event store and is not recorded twice either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import Connection, select

from domain.application import DutyLoop
from projections.tables import reminders

SCHEDULER = "system:scheduler"
BATCH = 500
"""Reminders per write: one transaction each would cost a first scan of 100k open tasks minutes."""
Key = tuple[str, str, int, str, str]
"""target_id, level, step, deadline (ISO), recipient_id — what makes a reminder the same one."""
KEYS_PER_QUERY = 500
"""Ids per look-up of recorded reminders (well under SQLite's limit on bound parameters)."""


@dataclass(frozen=True)
class Entry:
    """Who records what a check finds, and as of which business day: the scheduler, today; or an
    administrator back-entering (补录) reminders that were given on an earlier day."""

    actor: str | UUID = SCHEDULER
    on: date | None = None


SCHEDULED = Entry()


@dataclass(frozen=True, order=True)
class Due:
    deadline: date
    target_kind: str
    target_id: str
    level: str
    step: int
    recipient_id: str
    org_id: str
    overdue_working_days: int = 0

    @property
    def key(self) -> Key:
        return (self.target_id, self.level, self.step, self.deadline.isoformat(), self.recipient_id)


def recorded_keys(conn: Connection, target_ids: Iterable[str]) -> set[Key]:
    """Keys of the reminders already recorded about these tasks or rectifications (those a check
    found due): asked by id, a few hundred at a time, so a check costs what is due, not what is
    open or what was ever recorded."""
    ids = sorted(set(target_ids))
    found: set[Key] = set()
    for start in range(0, len(ids), KEYS_PER_QUERY):
        rows = conn.execute(
            select(reminders.c.target_id, reminders.c.level, reminders.c.step, reminders.c.deadline, reminders.c.recipient_id)
            .where(reminders.c.target_id.in_(ids[start : start + KEYS_PER_QUERY]))
        )
        found.update((r.target_id, r.level, r.step, r.deadline, r.recipient_id) for r in rows)
    return found


def _order(item: Due) -> tuple[date, str, str, int, str, str]:
    return (item.deadline, item.target_kind, item.target_id, item.step, item.level, item.recipient_id)


def record(app: DutyLoop, due: Iterable[Due], known: set[Key], entry: Entry = SCHEDULED) -> list[UUID]:
    """Record, in order and in writes of ``BATCH`` reminders, each one not yet known; returns
    the ids of those recorded now."""
    fresh = []
    # Sort only what is not yet known: on a daily scan that is nearly nothing of thousands due.
    # The owner's reminder (step 0) before an escalation recorded the same day.
    for item in sorted((item for item in due if item.key not in known), key=_order):
        if item.key not in known:
            known.add(item.key)
            fresh.append(item)
    recorded: list[UUID] = []
    for start in range(0, len(fresh), BATCH):
        recorded += app.record_reminders(entry.actor, [
            {"target_kind": item.target_kind, "target_id": UUID(item.target_id), "level": item.level,
             "deadline": item.deadline, "recipient_id": UUID(item.recipient_id), "org_id": UUID(item.org_id),
             "overdue_working_days": item.overdue_working_days, "step": item.step}
            for item in fresh[start:start + BATCH]
        ], on=entry.on)
    return recorded

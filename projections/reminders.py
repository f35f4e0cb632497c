"""Reminders recorded, so nobody is reminded twice about the same thing at the same level."""

from __future__ import annotations

from typing import Any

from projections.batch import Batch
from projections.tables import reminders
from projections.view import View, day, hx


class RemindersView(View):
    name = "reminders"
    cost = 1
    tables = (reminders,)

    def on_ReminderRecorded(self, batch: Batch, nid: int, e: Any) -> None:
        batch.put(reminders, {
            "reminder_id": hx(e.originator_id), "target_kind": e.target_kind, "target_id": hx(e.target_id),
            "level": e.level, "step": e.step, "deadline": day(e.deadline), "recipient_id": hx(e.recipient_id),
            "org_id": hx(e.org_id), "recorded_on": day(e.on),
        })

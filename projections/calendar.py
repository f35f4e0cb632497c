"""Holiday schedules as they were loaded, in order (the calendar known at any moment), and the
warning thresholds in force."""

from __future__ import annotations

from typing import Any

from domain.warning_policy import bounded
from projections.batch import Batch
from projections.tables import calendar_loads, warning_policy
from projections.view import View, day, hx, moment, to_json


class CalendarView(View):
    name = "calendar"
    cost = 1
    tables = (calendar_loads, warning_policy)

    def on_HolidayScheduleLoaded(self, batch: Batch, nid: int, e: Any) -> None:
        batch.put(calendar_loads, {
            "notification_id": nid, "year": e.year,
            "holidays": to_json([day(d) for d in e.holidays]),
            "working_weekends": to_json([day(d) for d in e.working_weekends]),
            "names": to_json(e.names),
            "source": e.source, "actor": hx(e.actor), "recorded_at": moment(e.timestamp),
        })

    def on_WarningThresholdsSet(self, batch: Batch, nid: int, e: Any) -> None:
        due_soon, serious, grace = bounded(e.due_soon, e.serious, e.escalation_grace)
        batch.put(warning_policy, {
            "policy": "current", "due_soon": due_soon, "serious": serious,
            "escalation_grace": to_json(grace), "set_by": hx(e.actor), "recorded_at": moment(e.timestamp),
        })

    on_WarningThresholdsChanged = on_WarningThresholdsSet

"""Holiday schedules as they were loaded, in order (the calendar known at any moment), and the
warning thresholds in force."""

from __future__ import annotations

import json
from typing import Any

from projections.batch import Batch
from projections.tables import calendar_loads, warning_policy
from projections.view import View, day, hx, moment


class CalendarView(View):
    name = "calendar"
    tables = (calendar_loads, warning_policy)

    def on_HolidayScheduleLoaded(self, batch: Batch, nid: int, e: Any) -> None:
        batch.put(calendar_loads, {
            "notification_id": nid, "year": e.year,
            "holidays": json.dumps([day(d) for d in e.holidays]),
            "working_weekends": json.dumps([day(d) for d in e.working_weekends]),
            "names": json.dumps(e.names, ensure_ascii=False),
            "source": e.source, "actor": hx(e.actor), "recorded_at": moment(e.timestamp),
        })

    def on_WarningThresholdsSet(self, batch: Batch, nid: int, e: Any) -> None:
        batch.put(warning_policy, {
            "policy": "current", "due_soon": e.due_soon, "serious": e.serious,
            "escalation_grace": json.dumps(e.escalation_grace), "set_by": hx(e.actor), "recorded_at": moment(e.timestamp),
        })

    on_WarningThresholdsChanged = on_WarningThresholdsSet

"""Recording reminders in bulk: one write for many, none twice, none at all if one is invalid."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from scheduler_support import build_org, issue, reminder_rows

from domain.clock import ManualClock
from domain.errors import DomainError, NotPermitted
from dutyloop.wiring import System


def fields(task: Any, org: Any, level: str, **extra: Any) -> dict[str, Any]:
    return {"target_kind": "task", "target_id": task, "level": level, "deadline": date(2025, 5, 20),
            "recipient_id": org.worker, "org_id": org.branch, **extra}


def test_bulk_records_each_new_reminder_once(system: System, clock: ManualClock) -> None:
    app = system.app
    org = build_org(app)
    clock.set_day(date(2025, 5, 6))
    (task,) = issue(app, clock, org, date(2025, 5, 20))
    first = app.record_reminder("system:scheduler", **fields(task, org, "due_soon"))
    assert first is not None
    recorded = app.record_reminders("system:scheduler", [fields(task, org, "due_soon"), fields(task, org, "due_today")])
    assert len(recorded) == 1 and first not in recorded
    assert app.record_reminders("system:scheduler", [fields(task, org, "due_today")]) == []
    assert [r[1] for r in reminder_rows(system, task)] == ["due_soon", "due_today"]


def test_bulk_refuses_all_when_one_is_invalid_or_the_actor_may_not(system: System, clock: ManualClock) -> None:
    app = system.app
    org = build_org(app)
    clock.set_day(date(2025, 5, 6))
    (task,) = issue(app, clock, org, date(2025, 5, 20))
    with pytest.raises(DomainError) as refused:
        app.record_reminders("system:scheduler", [fields(task, org, "due_soon"), fields(task, org, "soonish")])
    assert "soonish" in refused.value.message("en")
    with pytest.raises(DomainError):
        app.record_reminders("system:scheduler", [fields(task, org, "overdue", step=-1)])
    with pytest.raises(NotPermitted):
        app.record_reminders(org.worker, [fields(task, org, "overdue")])
    assert reminder_rows(system, task) == []

"""An event the notifier cannot turn into a message (recorded by an older version, straight
through the library: a reminder of a level no template knows) is passed by and reported; every
later message still goes out (both databases)."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from eventsourcing.application import Application
from notify_support import build_org, issue_task
from sqlalchemy import func, select

from domain.clock import ManualClock
from domain.reminder import Reminder
from dutyloop.wiring import System
from notifications.config import NotifyConfig
from notifications.outbox import OUTBOX
from notifications.service import Notifier
from notifications.tables import messages


def test_the_notifier_passes_an_event_it_cannot_render_by_and_goes_on(system: System, clock: ManualClock) -> None:
    org = build_org(system.app)
    clock.set_day(date(2025, 5, 6))
    notifier = Notifier(system, NotifyConfig())
    first = issue_task(system.app, clock, org, date(2025, 5, 20))
    unknown_level = Reminder(
        id=uuid4(), target_kind="task", target_id=first, level="不存在的级别", step=0, deadline=date(2025, 5, 1),
        recipient_id=org.worker, org_id=org.branch, overdue_working_days=2, **system.app.context("system:scheduler").stamp(),
    )
    Application.save(system.app, unknown_level)
    poisoned = system.views.head()
    issue_task(system.app, clock, org, date(2025, 5, 21), title="开展主题党日活动")

    notifier.run_once()

    with system.engine.connect() as conn:
        subjects = conn.execute(select(messages.c.subject).where(messages.c.recipient_id == org.worker.hex)).scalars().all()
        assert conn.execute(select(func.count()).select_from(messages).where(messages.c.event_type == "ReminderRecorded")).scalar() == 0
    assert len(subjects) == 2 and any("开展主题党日活动" in s for s in subjects)
    (failure,) = [f for f in system.views.failures() if f["name"] == OUTBOX]
    assert failure["skipped"] and failure["failed_event"] == poisoned and failure["failed_event_type"] == "ReminderRecorded"
    assert notifier.outbox.positions()[OUTBOX] == system.views.head()

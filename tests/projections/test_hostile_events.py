"""Events an old version recorded that the domain now refuses — text with NUL, a number no
column holds — replayed from a log written by the eventsourcing library itself: no view is
wedged. A NUL is stored as U+FFFD; an event a view still cannot apply holds that view alone,
reported in the status, while every other view, the commands and a rebuild go on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from uuid import uuid4

import pytest
from eventsourcing.application import Application
from sqlalchemy import select

from domain.clock import ManualClock, today
from domain.errors import DomainError
from domain.organisation import Organisation
from domain.reminder import Reminder
from domain.vocabulary import MeetingKind, OrgKind
from dutyloop.rebuild import Rebuild
from dutyloop.wiring import System
from projections import chain_queries, deadline_queries, directory_queries
from projections.tables import meetings, organisations
from views_support import Cli, build_world

pytestmark = pytest.mark.usefixtures("backend")


def _recorded_by_the_library(system: System, *aggregates: object) -> None:
    """Saved as an old version would have: by the library, without the domain's text check."""
    Application.save(system.app, *aggregates)


def _nul_world(system: System, clock: ManualClock) -> tuple[object, str, str]:
    world = build_world(system.app, clock, branches=2)
    app = system.app
    ctx = app.context(world.admin)
    org = Organisation(id=uuid4(), name="坏\x00支部", kind=OrgKind.BRANCH.value,
                       parent_id=world.committee, **ctx.stamp())
    meeting_id = app.plan_meeting(world.dept, MeetingKind.SECRETARIES, world.committee, "例会", today(clock))
    meeting = app.meeting(meeting_id)
    meeting.record_minutes(today(clock), [world.admin], ["决定\x00一"], "纪要\x00", app.context(world.dept))
    _recorded_by_the_library(system, org, meeting)
    return world, org.id.hex, meeting_id.hex


def test_a_nul_recorded_by_an_old_version_is_stored_in_every_view_as_a_replacement_character(
    system: System, clock: ManualClock
) -> None:
    world, org_id, meeting_id = _nul_world(system, clock)

    system.catch_up()

    with system.engine.connect() as conn:
        assert conn.execute(select(organisations.c.name).where(organisations.c.org_id == org_id)).scalar() == "坏\ufffd支部"
        assert directory_queries.organisation_list(conn)
        trail = chain_queries.trail_rows(conn, entity_id=meeting_id)
    assert any("纪要\ufffd" == row["details"].get("summary") for row in trail)
    assert all(s.lag == 0 and s.failed_event is None for s in system.views.status())

    count, _ = Rebuild(system, workers=2).run()

    assert count == system.views.head()
    assert all(s.lag == 0 and s.failed_event is None for s in system.views.status())
    with system.engine.connect() as conn:
        assert conn.execute(select(organisations.c.name).where(organisations.c.org_id == org_id)).scalar() == "坏\ufffd支部"
        assert conn.execute(select(meetings.c.title).where(meetings.c.meeting_id == meeting_id)).scalar() == "例会"


def test_the_domain_refuses_the_same_text_today(system: System, clock: ManualClock) -> None:
    world = build_world(system.app, clock, branches=1)
    head = system.views.head()

    with pytest.raises(DomainError) as refused:
        system.app.register_organisation(world.admin, "坏\x00支部", OrgKind.BRANCH, world.committee)

    assert refused.value.code == "text_forbidden_character"
    assert "名称" in refused.value.message() and "U+0000" in refused.value.message("en")
    assert system.views.head() == head


def test_an_event_one_view_cannot_store_holds_that_view_alone_and_is_reported(
    system: System, clock: ManualClock, cli_for: Callable[[System], Cli]
) -> None:
    world = build_world(system.app, clock, branches=2)
    app = system.app
    system.catch_up()
    absurd = Reminder(
        id=uuid4(),
        target_kind="task", target_id=world.branches[0], level="overdue", step=None, deadline=today(clock) - timedelta(days=3),
        recipient_id=world.secretaries[world.branches[0]], org_id=world.branches[0], overdue_working_days=3,
        **app.context("system:scheduler").stamp(),
    )
    _recorded_by_the_library(system, absurd)
    poisoned = system.views.head()

    system.catch_up()
    app.rename_organisation(world.admin, world.branches[1], "改名后的支部")
    system.catch_up()

    status = {s.name: s for s in system.views.status()}
    failed = [s for s in status.values() if s.failed_event is not None]
    assert [s.name for s in failed] == ["reminders"]
    assert failed[0].failed_event == poisoned and failed[0].failed_event_type == "ReminderRecorded"
    assert failed[0].position == poisoned - 1 and failed[0].failure
    assert all(s.lag == 0 for s in status.values() if s.name != "reminders")
    with system.engine.connect() as conn:
        assert conn.execute(select(organisations.c.name).where(organisations.c.org_id == world.branches[1].hex)).scalar() == "改名后的支部"
        assert deadline_queries.reminder_list(conn) == []

    cli = cli_for(system)
    shown = cli("status")
    assert shown.exit_code == 0 and f"视图 reminders 停在第 {poisoned} 号事件（ReminderRecorded）之前" in shown.output
    rebuilt = cli("--as", "A001", "rebuild")
    assert rebuilt.exit_code == 0 and "已重建 all" in rebuilt.output and "视图 reminders 停在" in rebuilt.output

    count, _ = Rebuild(system, workers=1).run()

    assert count == system.views.head()
    after = {s.name: s for s in system.views.status()}
    assert after["reminders"].failed_event == poisoned
    assert all(s.lag == 0 for s in after.values() if s.name != "reminders")

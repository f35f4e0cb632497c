"""A log holding an event a view cannot apply (written by an older version, straight through
the eventsourcing library): the API keeps answering, a command whose event is recorded reports
success, and the status names the view that stopped and the event it stopped before."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from uuid import uuid4

import pytest
from eventsourcing.application import Application

from fastapi.testclient import TestClient

from api_world import PASSWORD, TODAY, ApiWorld, build_api_world
from domain.reminder import Reminder
from dutyloop.settings import Settings
from web_support import Browserless


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiWorld]:
    built = build_api_world(Settings(data_dir=tmp_path_factory.mktemp("api-poisoned")))
    yield built
    built.client.close()
    built.system.close()


def test_one_poisoned_event_stops_one_view_and_nothing_else(world: ApiWorld) -> None:
    task = world.task()
    poisoned = Reminder(
        id=uuid4(), target_kind="task", target_id=task, level="overdue", step=None, deadline=TODAY - timedelta(days=2),
        recipient_id=world.people["secretary"], org_id=world.branch_a, overdue_working_days=2,
        **world.app.context("system:scheduler").stamp(),
    )
    Application.save(world.app, poisoned)
    position = world.head()

    signed = world.post("secretary", f"/api/v1/tasks/{task}/sign", {})
    shown = world.get("secretary", f"/api/v1/tasks/{task}")
    status = world.get("admin", "/api/v1/status")

    assert signed.status_code == 200, signed.text
    assert shown.status_code == 200 and shown.json()["status"] == "signed"
    views = {v["name"]: v for v in status.json()["views"]}
    assert views["reminders"]["failed_event"] == position and views["reminders"]["failed_event_type"] == "ReminderRecorded"
    assert "NOT NULL" in views["reminders"]["failure"]
    assert all(v["lag"] == 0 and v["failed_event"] is None for name, v in views.items() if name != "reminders")
    admin = Browserless(TestClient(world.client.app))
    assert admin.login("A0001", PASSWORD).status_code == 200
    audit = admin.get("/audit")
    assert audit.status_code == 200
    assert f"视图 reminders 停在第 {position} 号事件之前（ReminderRecorded）" in audit.text and "dutyloop rebuild reminders" in audit.text

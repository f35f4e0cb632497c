"""The personal calendar feed: made on its page and shown once, it lists the person's deadlines
and their organisations' meetings as all-day events that parse back with the icalendar library;
an extended deadline moves its event (same UID, higher SEQUENCE) instead of adding one; a revoked
or replaced address answers 404."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from api_world import DEADLINE, PASSWORD, TODAY, ApiWorld, build_api_world
from domain.commands.task_lists import TaskSpec
from domain.task import Deadline
from domain.vocabulary import MeetingKind
from dutyloop.settings import Settings

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
FEED_URL = re.compile(r'id="feed-url" readonly value="([^"]+)"')


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiWorld]:
    built = build_api_world(Settings(data_dir=tmp_path_factory.mktemp("ics")))
    yield built
    built.client.close()
    built.system.close()


class Person:
    def __init__(self, world: ApiWorld, role: str) -> None:
        self.client = TestClient(world.client.app)
        token = CSRF.search(self.client.get("/login").text)
        assert token
        staff_no = world.app.person(world.people[role]).staff_no
        answer = self.client.post("/login", data={"staff_no": staff_no, "password": PASSWORD, "next": "/", "csrf_token": token.group(1)})
        assert answer.status_code == 200

    def post(self, path: str) -> Any:
        token = CSRF.search(self.client.get("/calendar/feed").text)
        assert token
        return self.client.post(path, data={"csrf_token": token.group(1)})

    def new_feed(self) -> str:
        page = self.post("/calendar/feed/new")
        assert page.status_code == 200
        found = FEED_URL.search(page.text)
        assert found, page.text[-2000:]
        assert not FEED_URL.search(self.client.get("/calendar/feed").text), "the address is shown only once"
        return found.group(1)


def events(client: TestClient, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar["X-WR-TIMEZONE"] == "Asia/Shanghai"
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_lists_my_deadlines_and_meetings_and_follows_changes(world: ApiWorld) -> None:
    app, people = world.app, world.people
    mine = world.task("signed")
    accepted = world.task("reported_done")
    app.accept_task(people["dept"], accepted)
    meeting = world.held_meeting(org=world.branch_a, by="secretary")
    (followed,) = app.issue_task_list(people["secretary"], meeting, [
        TaskSpec(title="党费收缴核对", org_id=world.branch_a, owner_id=people["worker"], deadline=Deadline(on=date(2026, 7, 20)))])
    app.follow_task(people["secretary"], followed)
    rect = world.rectification()
    elsewhere = app.plan_meeting(people["other_secretary"], MeetingKind.OTHER, world.branch_b, "财务部支委会", TODAY)
    world.system.catch_up()

    secretary = Person(world, "secretary")
    url = secretary.new_feed()
    assert url.startswith("http://testserver/calendar/ics/dlc_") and url.endswith(".ics")
    anonymous = TestClient(world.client.app)
    found = events(anonymous, url)
    assert f"task-{mine.hex}@dutyloop" in found
    assert f"task-{followed.hex}@dutyloop" in found
    assert f"rectification-{rect.hex}@dutyloop" in found
    assert f"meeting-{meeting.hex}@dutyloop" in found
    assert f"task-{accepted.hex}@dutyloop" not in found, "finished work leaves the calendar"
    assert f"meeting-{elsewhere.hex}@dutyloop" not in found, "another branch's meeting is not mine"
    task_event = found[f"task-{mine.hex}@dutyloop"]
    assert task_event.decoded("DTSTART") == DEADLINE and task_event.decoded("DTEND") == date(2026, 8, 1)
    assert not hasattr(task_event.decoded("DTSTART"), "hour"), "deadlines are all-day events"
    assert "任务到期" in str(task_event["SUMMARY"])
    assert task_event.walk("VALARM"), "a reminder the day before"
    assert found[f"task-{followed.hex}@dutyloop"].decoded("DTSTART") == date(2026, 7, 20)
    assert "我关注" in str(found[f"task-{followed.hex}@dutyloop"]["DESCRIPTION"])
    sequence = int(task_event["SEQUENCE"])

    app.request_extension(people["secretary"], mine, date(2026, 8, 14), "材料多")
    app.approve_extension(people["dept"], mine)
    again = events(anonymous, url)
    assert set(again) == set(found), "the same events, updated in place"
    moved = again[f"task-{mine.hex}@dutyloop"]
    assert moved.decoded("DTSTART") == date(2026, 8, 14) and int(moved["SEQUENCE"]) > sequence

    english = events(anonymous, url + "?lang=en")
    assert str(english[f"task-{mine.hex}@dutyloop"]["SUMMARY"]).startswith("[Task due]")

    replacement = secretary.new_feed()
    assert anonymous.get(url).status_code == 404, "a replaced address stops working"
    assert events(anonymous, replacement)
    assert secretary.post("/calendar/feed/revoke").status_code == 200
    assert anonymous.get(replacement).status_code == 404
    assert anonymous.get("/calendar/ics/dlc_not-a-token.ics").status_code == 404
    assert anonymous.get("/calendar/ics/dlp_looks-like-an-api-token.ics").status_code == 404


def test_the_feed_of_who_raised_a_finding_lists_the_rectification_they_verify(world: ApiWorld) -> None:
    rect = world.rectification()
    found = events(TestClient(world.client.app), Person(world, "discipline").new_feed())
    event = found[f"rectification-{rect.hex}@dutyloop"]
    assert "待我验收" in str(event["DESCRIPTION"])
    assert not event.walk("VALARM"), "the reminder the day before is the owner's"


def test_an_api_token_is_not_a_feed_and_a_feed_is_not_an_api_token(world: ApiWorld) -> None:
    assert TestClient(world.client.app).get(f"/calendar/ics/{world.tokens['dept']}.ics").status_code == 404
    url = Person(world, "dept").new_feed()
    feed_secret = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert world.client.get("/api/v1/me", headers={"Authorization": f"Bearer {feed_secret}"}).status_code == 401


def test_the_feed_page_needs_a_login(world: ApiWorld) -> None:
    response = TestClient(world.client.app).get("/calendar/feed", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")

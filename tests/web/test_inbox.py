"""The inbox on the web: the notifier's messages for the logged-in person, with the unread count
on every page; opening one marks it read and leads to what it is about."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from web_support import Browserless, World
from domain.commands.task_lists import TaskSpec
from domain.task import Deadline
from domain.vocabulary import MeetingKind
from dutyloop.cli.notify import notifier_for


def test_a_new_task_reaches_the_secretarys_inbox(world: World, login_as: Callable[[str], Browserless]) -> None:
    notifier = notifier_for(world.system)
    app, people = world.system.app, world.demo.people
    branch = world.demo.branches[3]
    secretary = people.secretaries[branch]
    meeting = app.plan_meeting(people.party_dept[0], MeetingKind.SECRETARIES, world.demo.committee_id, "书记例会", world.today)
    app.record_minutes(people.party_dept[0], meeting, world.today, [secretary], ["部署三季度工作"])
    [task] = app.issue_task_list(people.party_dept[0], meeting, [
        TaskSpec("报送三季度工作计划", branch, secretary, Deadline(on=date(2026, 7, 15))),
    ])
    notifier.run_once()

    person = login_as(world.staff_no(secretary))
    home = person.get("/").text
    unread = int(re.search(r'id="unread-count">(\d+)<', home).group(1))
    assert unread >= 1
    assert "报送三季度工作计划" in home
    page = person.get("/inbox?unread=1").text
    message_id = re.search(r'action="/inbox/([0-9a-f]+)/read"', page).group(1)
    opened = person.post(f"/inbox/{message_id}/read", page="/inbox")
    assert opened.url.path == f"/tasks/{task.hex}"
    after = person.get("/").text
    left = re.search(r'id="unread-count">(\d+)<', after)
    assert (int(left.group(1)) if left else 0) == unread - 1
    missing = person.post("/inbox/ffff0000/read", page="/inbox")
    assert missing.status_code == 422


def test_the_audit_shows_a_delivery_that_failed(world: World, login_as: Callable[[str], Browserless]) -> None:
    import socket
    from datetime import datetime, timezone

    from notifications.routing import set_route

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    notifier = notifier_for(world.system)
    app, people = world.system.app, world.demo.people
    branch = world.demo.branches[4]
    secretary = people.secretaries[branch]
    set_route(world.system.engine, "person", secretary.hex, "wecom", f"http://127.0.0.1:{closed}/wecom/robot", "",
              people.admin.hex, datetime.now(timezone.utc))
    meeting = app.plan_meeting(people.party_dept[0], MeetingKind.SECRETARIES, world.demo.committee_id, "书记例会（二）", world.today)
    app.record_minutes(people.party_dept[0], meeting, world.today, [secretary], ["部署党费核对"])
    app.issue_task_list(people.party_dept[0], meeting, [TaskSpec("党费收缴再核对", branch, secretary, Deadline(on=date(2026, 7, 20)))])
    notifier.run_once()

    audit = login_as(world.staff_no(people.admin)).get("/audit").text
    failing = audit.split('id="deliveries"')[1]
    assert "企业微信" in failing and "发送失败" in failing
    assert "党费收缴再核对" in failing

"""From a reminder in WeCom to the task done, on a phone: the notifier posts the reminder to a
WeCom robot (a capturing webhook on loopback); its markdown carries the task's address; a
secretary who is not signed in opens it at 390 px, signs in, lands on the task with the action
first, signs for it and reports it done with a photo from the camera input."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from domain.commands.task_lists import TaskSpec
from domain.task import Deadline
from domain.vocabulary import MeetingKind
from dutyloop.cli.notify import notify_config
from notifications.routing import set_route
from notifications.service import Notifier
from scheduler.ticks import run_all
from browser_support import signed_in
from web_support import PASSWORD, World

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


@pytest.fixture
def robot() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A WeCom group robot on loopback that keeps every body posted to it."""
    received: list[dict[str, Any]] = []

    class Robot(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            body = b'{"errcode": 0, "errmsg": "ok"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Robot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/webhook/send?key=test", received
    server.shutdown()
    thread.join(timeout=5)


PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def test_a_reminder_in_wecom_leads_a_secretary_on_a_phone_to_report_the_task_done_with_a_photo(
    browser: Any, server: str, world: World, robot: tuple[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    address, received = robot
    system, people = world.system, world.demo.people
    branch = world.demo.branches[5]
    secretary = people.secretaries[branch]
    notifier = Notifier(system, replace(notify_config(system), public_url=server))
    set_route(system.engine, "person", secretary.hex, "wecom", address, "", people.admin.hex, datetime.now(timezone.utc))
    meeting = system.app.plan_meeting(people.party_dept[0], MeetingKind.SECRETARIES, world.demo.committee_id, "书记例会（七月）", world.today)
    system.app.record_minutes(people.party_dept[0], meeting, world.today, [secretary], ["当天报送党员发展计划"])
    [task] = system.app.issue_task_list(people.party_dept[0], meeting, [
        TaskSpec("报送党员发展计划", branch, secretary, Deadline(on=world.today))])
    system.catch_up()
    run_all(system.app, system.views, world.today)
    notifier.run_once()

    reminders = [body["markdown"]["content"] for body in received if "今日到期" in body["markdown"]["content"]]
    assert reminders, [body["markdown"]["content"][:80] for body in received]
    link = re.search(r"\]\((http://[^)]+)\)", reminders[0])
    assert link and link.group(1) == f"{server}/tasks/{task.hex}", reminders[0]

    assert "/login?next=" in browser.new_page().goto(link.group(1)).url, "a stranger is asked to sign in"
    page = signed_in(browser, server, world.staff_no(secretary), link.group(1).removeprefix(server), **PHONE)
    cards = page.locator("main .card")
    assert cards.first.get_attribute("id") == "report", "the action comes first"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    page.click("#sign")
    page.wait_for_selector(".notice-ok")

    photo = page.locator("#evidence-photo")
    assert photo.get_attribute("capture") == "environment" and "image/jpeg" in photo.get_attribute("accept")
    assert ".pdf" in page.locator("#evidence-files").get_attribute("accept")
    picture = tmp_path / "主题党日合影.png"
    picture.write_bytes(PNG)
    before = world.events()
    page.fill("#done-form textarea[name=note]", "已报送，附合影")
    photo.set_input_files(str(picture))
    assert "主题党日合影.png" in page.inner_text("#done-form .chosen")
    page.click("#report-done")
    page.wait_for_selector(".notice-ok:has-text('已报送完成')")
    assert "已报完成" in page.inner_text(".pagehead")
    assert page.locator("ol.timeline a", has_text="主题党日合影.png").count() == 1
    assert world.events() == before + 1
    assert page.locator("#report details summary", has_text="申请延期").count() == 0, "no extension after done"
    page.context.close()


def test_a_file_over_the_limit_is_named_beside_the_field_and_nothing_is_sent(
    browser: Any, server: str, world: World, tmp_path: Path
) -> None:
    task = world.overdue_secretary_task(status="signed")
    page = signed_in(browser, server, world.staff_no(task["owner_id"]), f"/tasks/{task['id']}", **PHONE)
    big = tmp_path / "扫描件.pdf"
    big.write_bytes(b"%PDF-1.4\n" + bytes(int(page.get_attribute("[data-max-bytes]", "data-max-bytes")) + 1))
    before = world.events()
    page.set_input_files("#evidence-files", str(big))
    assert page.locator(".too-big").is_visible() and "扫描件.pdf" in page.inner_text(".too-big")
    page.click("#report-done")
    assert page.locator(".too-big").is_visible()
    assert world.events() == before
    page.context.close()


def test_a_refused_report_comes_back_beside_the_form_with_what_was_typed_and_chosen(
    browser: Any, server: str, world: World, tmp_path: Path
) -> None:
    task = world.overdue_secretary_task(status="in_progress")
    page = signed_in(browser, server, world.staff_no(task["owner_id"]), f"/tasks/{task['id']}", **PHONE)
    wrong = tmp_path / "会议记录.txt"
    wrong.write_text("不是允许的文件类型")
    before = world.events()
    page.fill("#done-form textarea[name=note]", "已完成，见附件")
    page.set_input_files("#evidence-files", str(wrong))
    page.click("#report-done")
    page.wait_for_selector("#done-form .form-error")
    assert ".txt" in page.inner_text("#done-form .form-error") or "文件" in page.inner_text("#done-form .form-error")
    assert page.input_value("#done-form textarea[name=note]") == "已完成，见附件"
    assert page.evaluate("document.querySelector('#evidence-files').files[0].name") == "会议记录.txt"
    assert world.events() == before
    page.context.close()


def test_discipline_inspection_on_a_seriously_overdue_task_may_schedule_an_interview(
    browser: Any, server: str, world: World
) -> None:
    task = world.overdue_secretary_task()
    page = signed_in(browser, server, world.staff_no(world.demo.people.discipline), f"/tasks/{task['id']}", **PHONE)
    assert "没有可办理" not in page.inner_text("#report")
    before = world.events()
    page.click("#schedule-interview")
    page.wait_for_selector(".notice-ok")
    assert "已安排约谈" in page.inner_text(".notice-ok")
    assert world.events() == before + 1


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/x", "/\t/evil.example", "/\\evil.example", "javascript:alert(1)"])
def test_the_sign_in_returns_only_to_a_page_of_this_site(visitor: Any, world: World, target: str) -> None:
    secretary = world.staff_no(world.demo.people.secretaries[world.demo.branches[0]])
    token = visitor.token("/login")
    answer = visitor.client.post("/login", data={"staff_no": secretary, "password": PASSWORD, "next": target, "csrf_token": token},
                                 follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"

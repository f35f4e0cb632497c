"""Real servers on loopback for the notification tests, and a small organisation to notify.

``MailServer``: aiosmtpd's Controller on 127.0.0.1 with a port chosen free first (its readiness
probe fails on port 0); it keeps every message as it arrived. ``RobotServer``: an HTTP server
that answers like an enterprise IM robot (WeCom/DingTalk ``errcode``, Feishu ``code``), checks
DingTalk and Feishu signatures the way the robots do, and can be told to fail.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlparse
from uuid import UUID

from aiosmtpd.controller import Controller

from domain.application import DutyLoop
from domain.commands.task_lists import TaskSpec
from domain.clock import ManualClock, today
from domain.task import Deadline
from domain.vocabulary import MeetingKind, OrgKind, Role


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class MailServer:
    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], EmailMessage]] = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        mail = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), mail))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def __enter__(self) -> Self:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    def env(self) -> dict[str, str]:
        return {"DUTYLOOP_SMTP_HOST": "127.0.0.1", "DUTYLOOP_SMTP_PORT": str(self.port), "DUTYLOOP_SMTP_TLS": "none",
                "DUTYLOOP_SMTP_FROM": "党建系统 <dutyloop@example.cn>"}

    def to(self, address: str) -> list[EmailMessage]:
        return [mail for _, rcpts, mail in self.received if address in rcpts]


@dataclass
class Hit:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    payload: dict[str, Any]


@dataclass
class RobotServer:
    """``fail`` requests fail with HTTP 500 before the robot starts answering; ``refuse`` makes
    every answer a robot refusal (HTTP 200, non-zero code), as a wrong key does."""

    fail: int = 0
    refuse: bool = False
    secrets: dict[str, str] = field(default_factory=dict)
    """path → signing secret the robot checks."""
    hits: list[Hit] = field(default_factory=list)

    def __post_init__(self) -> None:
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                url = urlparse(self.path)
                hit = Hit(url.path, parse_qs(url.query), dict(self.headers.items()), json.loads(body.decode()))
                robot.hits.append(hit)
                if robot.fail > 0:
                    robot.fail -= 1
                    self._answer(500, {"error": "robot busy"})
                    return
                self._answer(200, robot.answer(hit))

            def _answer(self, status: int, data: dict[str, Any]) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def answer(self, hit: Hit) -> dict[str, Any]:
        feishu = hit.path.startswith("/feishu")
        if self.refuse:
            return {"code": 19001, "msg": "param invalid"} if feishu else {"errcode": 310000, "errmsg": "keywords not in content"}
        secret = self.secrets.get(hit.path)
        if secret and hit.path.startswith("/dingtalk"):
            stamp, sign = hit.query["timestamp"][0], hit.query["sign"][0]
            want = base64.b64encode(hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()).decode()
            if sign != want or abs(time.time() * 1000 - int(stamp)) > 3_600_000:
                return {"errcode": 310000, "errmsg": "sign not match"}
        if secret and feishu:
            stamp = hit.payload.get("timestamp", "0")
            want = base64.b64encode(hmac.new(f"{stamp}\n{secret}".encode(), b"", hashlib.sha256).digest()).decode()
            if hit.payload.get("sign") != want:
                return {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"}
        return {"code": 0, "msg": "success", "data": {}} if feishu else {"errcode": 0, "errmsg": "ok"}

    def at(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]


@dataclass
class Org:
    committee: UUID
    admin: UUID
    dept: UUID
    leader: UUID
    discipline: UUID
    branch: UUID
    secretary: UUID
    worker: UUID


def build_org(app: DutyLoop) -> Org:
    """The scheduler's escalation ladder needs a committee (党建部, 党委书记, 纪检) and a branch
    whose party-affairs worker owns the work; everyone has an email address."""
    committee, admin = app.bootstrap("公司党委", "管理员", "A001")
    people = {}
    for staff_no, name, role in (("P001", "李强", Role.PARTY_DEPT), ("L001", "赵书记", Role.COMMITTEE_SECRETARY),
                                 ("J001", "纪检员", Role.DISCIPLINE)):
        people[role] = app.register_person(admin, name, staff_no, committee, email=f"{staff_no.lower()}@example.cn")
        app.assign_role(admin, people[role], role, committee)
    branch = app.register_organisation(admin, "变电运维室党支部", OrgKind.BRANCH, committee)
    secretary = app.register_person(admin, "王书记", "S001", branch, email="s001@example.cn")
    app.assign_role(admin, secretary, Role.BRANCH_SECRETARY, branch)
    worker = app.register_person(admin, "陈干事", "W001", branch, email="w001@example.cn")
    app.assign_role(admin, worker, Role.PARTY_WORKER, branch)
    return Org(committee, admin, people[Role.PARTY_DEPT], people[Role.COMMITTEE_SECRETARY], people[Role.DISCIPLINE],
               branch, secretary, worker)


def issue_task(app: DutyLoop, clock: ManualClock, org: Org, deadline: date, title: str = "完成支部标准化建设自查",
               followers: tuple[UUID, ...] = ()) -> UUID:
    on = today(clock)
    meeting = app.plan_meeting(org.dept, MeetingKind.WORK_GROUP, org.committee, "党建工作小组例会", on)
    app.record_minutes(org.dept, meeting, on, [org.leader, org.dept], ["部署本季度重点任务"])
    spec = TaskSpec(title=title, org_id=org.branch, owner_id=org.worker, deadline=Deadline(on=deadline),
                    requirements="对照标准逐项自查，形成问题清单", follower_ids=followers)
    (task,) = app.issue_task_list(org.dept, meeting, [spec])
    return task

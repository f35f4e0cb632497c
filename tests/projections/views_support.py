"""Helpers for the projection tests: a small world, random valid work done in it, and the whole
contents of every view table as comparable data.

The world: a company committee with an administrator, a 党建部 person (issues and checks work),
the 党委书记 (holds 约谈), a 纪检 person (schedules and records them), and two or three branches,
each with its secretary. ``step`` runs one command of the closed loop chosen by an op name and two
numbers (which task, which actor, how many days…); a command the domain refuses (DomainError) is
skipped, exactly as a user's refused command records nothing.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from click.testing import Result
from sqlalchemy import Engine, select

from domain.application import DutyLoop
from domain.commands.task_lists import TaskSpec
from domain.clock import ManualClock, today
from domain.errors import DomainError
from domain.task import Deadline
from domain.vocabulary import InspectionKind, MeetingKind, OrgKind, Role
from projections.runner import ProjectionRunner
from projections.tables import metadata, positions

BRANCH_NAMES = ("变电运维室党支部", "输电运检室党支部", "营销服务部党支部")
Cli = Callable[..., Result]
"""Runs ``dutyloop … ARGS`` against the database under test (see the ``cli`` fixture)."""
EVIDENCE = [{"kind": "text", "value": "已完成，附台账"}, {"kind": "link", "value": "https://dj.example.cn/e/1"}]


def view_contents(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every view table as a sorted list of rows; the positions without their wall-clock stamp."""
    with engine.connect() as conn:
        contents = {}
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if not (table is positions and c.name == "updated_at")]
            rows = conn.execute(select(*columns)).all()
            contents[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return contents


def differences(left: dict[str, list[tuple[Any, ...]]], right: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    """A readable account of where two snapshots differ (empty when equal)."""
    found = []
    for name in sorted(set(left) | set(right)):
        a, b = left.get(name, []), right.get(name, [])
        if a != b:
            only_a = [r for r in a if r not in b][:3]
            only_b = [r for r in b if r not in a][:3]
            found.append(f"{name}: {len(a)} vs {len(b)} rows; only left {only_a}; only right {only_b}")
    return found


@dataclass
class World:
    app: DutyLoop
    clock: ManualClock
    committee: UUID
    admin: UUID
    dept: UUID
    leader: UUID
    discipline: UUID
    branches: list[UUID]
    secretaries: dict[UUID, UUID]
    tasks: list[UUID] = field(default_factory=list)
    task_org: dict[UUID, UUID] = field(default_factory=dict)
    findings: list[UUID] = field(default_factory=list)
    finding_org: dict[UUID, UUID] = field(default_factory=dict)
    rectifications: list[UUID] = field(default_factory=list)
    rect_org: dict[UUID, UUID] = field(default_factory=dict)
    interviews: list[UUID] = field(default_factory=list)
    counter: int = 0
    recorded: int = 0
    refused: int = 0

    @property
    def everyone(self) -> list[UUID]:
        return [self.admin, self.dept, self.leader, self.discipline, *self.secretaries.values()]

    @property
    def today(self) -> date:
        return today(self.clock)

    def next_number(self) -> int:
        self.counter += 1
        return self.counter


def build_world(app: DutyLoop, clock: ManualClock, branches: int = 3) -> World:
    committee, admin = app.bootstrap("公司党委", "管理员", "A001")
    dept = app.register_person(admin, "李强", "P001", committee)
    app.assign_role(admin, dept, Role.PARTY_DEPT, committee)
    leader = app.register_person(admin, "赵书记", "L001", committee)
    app.assign_role(admin, leader, Role.COMMITTEE_SECRETARY, committee)
    discipline = app.register_person(admin, "纪检员", "J001", committee)
    app.assign_role(admin, discipline, Role.DISCIPLINE, committee)
    orgs, secretaries = [], {}
    for n, name in enumerate(BRANCH_NAMES[:branches]):
        org = app.register_organisation(admin, name, OrgKind.BRANCH, committee)
        secretary = app.register_person(admin, f"书记{n + 1}", f"S00{n + 1}", org)
        app.assign_role(admin, secretary, Role.BRANCH_SECRETARY, org)
        orgs.append(org)
        secretaries[org] = secretary
    return World(app, clock, committee, admin, dept, leader, discipline, orgs, secretaries)


OPS = (
    "issue", "sign", "progress", "done", "accept", "return", "request_extension", "approve_extension",
    "refuse_extension", "cancel", "inspect", "open_rectification", "plan", "rect_progress", "complete",
    "verify", "rect_return", "close", "schedule_interview", "hold_interview", "remind", "advance",
)

WEIGHTS = {
    "issue": 3, "sign": 3, "progress": 2, "done": 3, "accept": 3, "return": 1, "request_extension": 1,
    "approve_extension": 1, "refuse_extension": 1, "cancel": 1, "inspect": 2, "open_rectification": 2, "plan": 2,
    "rect_progress": 1, "complete": 2, "verify": 2, "rect_return": 1, "close": 2, "schedule_interview": 1,
    "hold_interview": 1, "remind": 1, "advance": 3,
}
WEIGHTED_OPS = tuple(op for op in OPS for _ in range(WEIGHTS[op]))
"""The ops with the forward steps of each lifecycle more likely than its detours."""


def _pick(items: list[UUID], n: int, recent: int = 0) -> UUID | None:
    """The n-th item, or with ``recent`` one of the last few (so a lifecycle gets walked far)."""
    if not items:
        return None
    if recent:
        return items[-1 - n % min(recent, len(items))]
    return items[n % len(items)]


_TASK_STATES: dict[str, Any] = {
    "sign": lambda t: t.status == "issued",
    "progress": lambda t: t.status in ("signed", "in_progress", "returned"),
    "done": lambda t: t.status in ("signed", "in_progress", "returned"),
    "request_extension": lambda t: not t.is_final and t.pending_extension is None,
    "accept": lambda t: t.status == "reported_done",
    "return": lambda t: t.status == "reported_done",
    "approve_extension": lambda t: t.pending_extension is not None,
    "refuse_extension": lambda t: t.pending_extension is not None,
    "cancel": lambda t: not t.is_final,
}
_RECT_STATES: dict[str, Any] = {
    "plan": lambda r: r.status in ("opened", "returned"),
    "rect_progress": lambda r: r.status in ("opened", "returned"),
    "complete": lambda r: r.status in ("opened", "returned"),
    "verify": lambda r: r.status == "completion_reported",
    "rect_return": lambda r: r.status == "completion_reported",
    "close": lambda r: r.status == "verified",
}


def _target(items: list[UUID], a: int, load: Any, fits: Any) -> UUID | None:
    """Mostly an item the command suits (so lifecycles get walked to their end); every fifth time
    any recent item, which the domain may well refuse."""
    if a % 5 == 0:
        return _pick(items, a // 5, recent=3)
    suitable = [i for i in items if fits(load(i))]
    return _pick(suitable, a // 5) if suitable else _pick(items, a // 5, recent=3)


def _owner_side(w: World, org: UUID, b: int) -> UUID:
    """Usually the branch's secretary; now and then someone else (whom the domain refuses)."""
    return w.secretaries[org] if b % 9 else _pick(w.everyone, b // 9) or w.admin


def _checker(w: World, b: int) -> UUID:
    return w.dept if b % 11 else _pick(w.everyone, b // 11) or w.admin


def step(w: World, op: str, a: int, b: int) -> bool:
    """Run one command; True if it was recorded, False if the domain refused it."""
    try:
        recorded = _run(w, op, a, b)
    except DomainError:
        w.refused += 1
        return False
    if recorded:
        w.recorded += 1
    return recorded


def _run(w: World, op: str, a: int, b: int) -> bool:  # noqa: C901 - one branch per command
    app = w.app
    if op == "advance":
        w.clock.advance(days=1 + a % 6, hours=b % 5)
        return False
    if op == "issue":
        n = w.next_number()
        meeting = app.plan_meeting(w.dept, MeetingKind.SECRETARIES, w.committee, f"第{n}次书记例会", w.today)
        app.record_minutes(w.dept, meeting, w.today, [w.dept, *w.secretaries.values()], [f"部署第{n}批任务"])
        chosen = [org for i, org in enumerate(w.branches) if (a >> i) & 1] or [_pick(w.branches, a)]
        specs = [
            TaskSpec(
                f"任务{n}-{i}", org, w.secretaries[org],
                Deadline(working_days=1 + b % 12) if b % 3 else Deadline(on=w.today + timedelta(days=b % 17)),
                requirements=f"要求{n}",
            )
            for i, org in enumerate(chosen)
        ]
        ids = app.issue_task_list(w.dept, meeting, specs)
        for task_id, spec in zip(ids, specs, strict=True):
            w.tasks.append(task_id)
            w.task_org[task_id] = spec.org_id
        return True
    if op in ("sign", "progress", "done", "request_extension", "accept", "return", "approve_extension",
              "refuse_extension", "cancel"):
        task = _target(w.tasks, a, app.task, _TASK_STATES[op])
        if task is None:
            return False
        owner = _owner_side(w, w.task_org[task], b)
        checker = _checker(w, b)
        if op == "sign":
            app.sign_for_task(owner, task)
        elif op == "progress":
            app.report_task_progress(owner, task, f"进展{b}")
        elif op == "done":
            app.report_task_done(owner, task, EVIDENCE, "请审核")
        elif op == "request_extension":
            app.request_extension(owner, task, app.task(task).deadline + timedelta(days=1 + b % 10), "工作冲突")
        elif op == "accept":
            app.accept_task(checker, task, "通过")
        elif op == "return":
            app.return_task(checker, task, "佐证不全")
        elif op == "approve_extension":
            app.approve_extension(checker, task)
        elif op == "refuse_extension":
            app.refuse_extension(checker, task, "时限不变")
        else:
            app.cancel_task(checker, task, "不再需要")
        return True
    if op == "inspect":
        org = _pick(w.branches, a)
        assert org is not None
        problems = [f"问题{w.next_number()}" for _ in range(b % 3)]
        _, found = app.conduct_inspection(w.dept, InspectionKind.RANDOM, org, "组织生活", problems)
        for finding in found:
            w.findings.append(finding)
            w.finding_org[finding] = org
        return True
    if op == "open_rectification":
        finding = _pick(w.findings, a, recent=3)
        if finding is None:
            return False
        org = w.finding_org[finding]
        rect = app.open_rectification(w.dept, finding, w.secretaries[org], "逐项整改", Deadline(working_days=3 + b % 10))
        w.rectifications.append(rect)
        w.rect_org[rect] = org
        return True
    if op in ("plan", "rect_progress", "complete", "verify", "rect_return", "close"):
        rect = _target(w.rectifications, a, app.rectification, _RECT_STATES[op])
        if rect is None:
            return False
        owner = _owner_side(w, w.rect_org[rect], b)
        checker = _checker(w, b)
        if op == "plan":
            app.submit_rectification_plan(owner, rect, "整改方案")
        elif op == "rect_progress":
            app.note_rectification_progress(owner, rect, "已完成一半")
        elif op == "complete":
            app.report_rectification_completion(owner, rect, EVIDENCE[:1])
        elif op == "verify":
            app.verify_rectification(checker, rect, "整改到位")
        elif op == "rect_return":
            app.return_rectification(checker, rect, "不彻底")
        else:
            app.close_rectification(checker, rect)
        return True
    if op == "schedule_interview":
        org = _pick(w.branches, a)
        assert org is not None
        causes = [t for t in w.tasks if w.task_org[t] == org][-(b % 3):] if b % 3 else []
        found = [f for f in w.findings if w.finding_org[f] == org][-1:] if b % 2 else []
        interview = app.schedule_interview(
            w.discipline, w.leader, w.secretaries[org], "任务逾期未完成", w.today + timedelta(days=b % 4),
            task_ids=causes, finding_ids=found,
        )
        w.interviews.append(interview)
        return True
    if op == "hold_interview":
        interview = _pick(w.interviews, a, recent=2)
        if interview is None:
            return False
        rect = app.hold_interview(
            w.discipline, interview, w.today, "指出问题，提出要求", ["一周内补齐"], Deadline(working_days=5 + b % 10),
            "限期整改",
        )
        w.rectifications.append(rect)
        w.rect_org[rect] = app.rectification(rect).org_id
        return True
    if op == "remind":
        if b % 2 and w.rectifications:
            target, kind = _pick(w.rectifications, a, recent=3), "rectification"
            loaded: Any = app.rectification(target)  # type: ignore[arg-type]
        elif w.tasks:
            target, kind = _pick(w.tasks, a, recent=3), "task"
            loaded = app.task(target)  # type: ignore[arg-type]
        else:
            return False
        level = ("due_soon", "overdue", "seriously_overdue")[b % 3]
        reminded = app.record_reminder(
            "system:scheduler", kind, target, level, loaded.deadline, loaded.owner_id, loaded.org_id, step=b % 2
        )
        return reminded is not None
    raise ValueError(op)


def random_work(w: World, rng: random.Random, commands: int) -> None:
    """``commands`` random steps (refused ones included), mostly without moving the clock much."""
    for _ in range(commands):
        step(w, rng.choice(WEIGHTED_OPS), rng.randrange(1000), rng.randrange(1000))


def run_script(w: World, script: Iterable[tuple[str, int, int]]) -> None:
    for op, a, b in script:
        step(w, op, a, b)


def race(runners: list[ProjectionRunner]) -> list[int]:
    """Every runner catches up from its own thread, all starting at once; what each applied."""
    barrier = threading.Barrier(len(runners))
    applied = [0] * len(runners)
    errors: list[BaseException] = []

    def run(i: int, runner: ProjectionRunner) -> None:
        try:
            barrier.wait(timeout=30)
            applied[i] = runner.catch_up()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a runner hung"
    assert not errors, errors
    return applied

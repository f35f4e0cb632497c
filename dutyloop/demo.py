"""A realistic year of Party-building responsibility work, built with the domain's own commands.

Shaped like the seed text: one company committee, 43 branches ("一部门一支部") and temporary
project branches, each with a secretary; a flexible team whose 责任田 cover the branches; a year
of quarterly 党建工作小组例会 and 党组织书记例会 and bimonthly 党务工作者例会 issuing task lists level
by level; inspections raising findings; overdue tasks leading to 约谈; rectifications at every
stage, most closed. Branches differ in diligence, so the board has leaders and laggards.

Time is simulated: the clock walks through the year, so every event is recorded at the moment it
would have been, and "as of" questions about the past have real answers.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from domain.application import DutyLoop
from domain.clock import ManualClock
from domain.commands.task_lists import TaskSpec
from domain.errors import CalendarYearMissing
from domain.scoring import DEFAULT_RULES
from domain.task import Deadline
from domain.vocabulary import InspectionKind, MeetingKind, OrgKind, ReportCycle, Role
from dutyloop.demo_assessment import report_and_assess
from dutyloop.demo_people import DemoPeople, name_maker
from dutyloop.demo_time import Agenda, next_working, quarter_starts, working_day_on_or_after
from dutyloop.demo_words import DEPARTMENTS, FINDINGS, PROJECTS, TASK_TITLES, WORK_PROMPTS

DEMO_PASSWORD = "dutyloop-demo"
"""The one password every demo person gets with ``dutyloop --as A0001 serve --demo-accounts`` (demo data only)."""


@dataclass
class DemoSummary:
    committee_id: UUID
    branches: list[UUID]
    people: DemoPeople
    tasks: int
    findings: int
    interviews: int
    rectifications: int
    sample_chain: UUID | None
    sample_secretary: str
    start: date
    end: date


def build_demo(
    app: DutyLoop,
    clock: ManualClock,
    end: date,
    branches: int = len(DEPARTMENTS),
    seed: int = 7,
) -> DemoSummary:
    """Build the demo year ending on ``end`` (the clock is left there)."""
    rng = random.Random(seed)
    name = name_maker(rng)
    start = working_day_on_or_after(app.calendar(), end - timedelta(days=320))
    clock.set(datetime(start.year, start.month, start.day, 8, 30, tzinfo=clock.tz))

    committee, admin = app.bootstrap("国网宁东供电公司党委", "系统管理员", "A0001")
    branch_names = [
        DEPARTMENTS[i % len(DEPARTMENTS)] + (f"第{i // len(DEPARTMENTS) + 1}" if i >= len(DEPARTMENTS) else "") + "党支部"
        for i in range(branches)
    ]
    branch_ids = [app.register_organisation(admin, n, OrgKind.BRANCH, committee) for n in branch_names]
    project_ids = [app.register_organisation(admin, f"{p}临时党支部", OrgKind.TEMPORARY_BRANCH, committee) for p in PROJECTS]
    all_branches = branch_ids + project_ids

    counter = itertools.count(1)

    def person(org: UUID, role: Role | None, prefix: str, duty: str = "", fields: list[UUID] | None = None) -> UUID:
        pid = app.register_person(admin, name(), f"{prefix}{next(counter):04d}", org, email=f"{prefix.lower()}{next(counter)}@example.cn")
        if role is not None:
            app.assign_role(admin, pid, role, org, duty, fields or [])
        return pid

    secretary = person(committee, Role.COMMITTEE_SECRETARY, "L")
    team = [person(committee, Role.TEAM_MEMBER, "L", duty=d) for d in ("分管生产", "分管营销", "分管建设")]
    dept = [person(committee, Role.PARTY_DEPT, "P") for _ in range(2)]
    discipline = person(committee, Role.DISCIPLINE, "J")
    chunk = (len(all_branches) + 2) // 3
    flexible = [person(committee, Role.FLEXIBLE_TEAM, "F", fields=all_branches[i * chunk : (i + 1) * chunk]) for i in range(3)]
    people = DemoPeople(admin, secretary, team, dept, discipline, flexible)
    for i, org in enumerate(all_branches):
        people.secretaries[org] = person(org, Role.BRANCH_SECRETARY, "S")
        people.field_of[org] = flexible[min(i // chunk, 2)]
        if i % 3 == 0:
            people.workers[org] = person(org, Role.PARTY_WORKER, "W")
        person(org, None, "M")
    for leader, org in zip(team, rng.sample(branch_ids, len(team)), strict=True):
        app.link_liaison_point(admin, leader, org)

    app.set_scoring_rules(admin, [rule.as_record() for rule in DEFAULT_RULES], "基层党组织对标积分管理办法")
    rlist = app.draft_responsibility_list(admin, f"{start.year}年落实全面从严治党主体责任清单", start.year, committee)
    items = []
    for aspect in ("党的政治建设", "思想建设", "组织建设", "作风建设", "纪律建设", "制度建设", "反腐败工作"):
        aspect_id = app.add_responsibility_aspect(admin, rlist, aspect)
        for n in range(4):
            items.append((rlist, app.add_responsibility_item(admin, rlist, aspect_id, f"{aspect}第{n + 1}项责任", Role.COMMITTEE_SECRETARY)))

    diligence = {org: rng.choice((0.95, 0.9, 0.85, 0.75, 0.6, 0.45)) for org in all_branches}
    agenda = Agenda(clock, end)
    stats = {"tasks": 0, "findings": 0, "interviews": 0, "rectifications": 0}
    late_tasks: dict[UUID, list[tuple[UUID, date]]] = {}
    calendar = app.calendar()
    sample: dict[str, UUID] = {}

    def deadline_after(day: date, working_days: int) -> Deadline:
        try:
            calendar.add_working_days(day, working_days)
            return Deadline(working_days=working_days)
        except CalendarYearMissing:
            return Deadline(on=day + timedelta(days=working_days * 7 // 5 + 2))

    def lifecycle(task_id: UUID, org: UUID, issued: date, due: date, supervisor: UUID) -> None:
        owner = people.secretaries[org]
        skill = diligence[org]
        sign_day = next_working(calendar, issued, rng.choice((1, 1, 2, 3)))
        agenda.at(sign_day, lambda: app.sign_for_task(owner, task_id), hour=9)
        span = max((due - issued).days, 3)
        if rng.random() < 0.5:
            agenda.at(issued + timedelta(days=span // 2), lambda: app.report_task_progress(owner, task_id, "已部署，正在推进"), hour=15)
        if rng.random() < 0.08:
            new_due = due + timedelta(days=14)
            agenda.at(due - timedelta(days=2), lambda: app.request_extension(owner, task_id, new_due, "与迎峰度夏保电任务冲突"), hour=11)
            approve = rng.random() < 0.7
            agenda.at(due - timedelta(days=1), (lambda: app.approve_extension(supervisor, task_id)) if approve
                      else (lambda: app.refuse_extension(supervisor, task_id, "时限不变，请调配力量")), hour=16)
        late = rng.random() > skill
        if late:
            late_tasks.setdefault(org, []).append((task_id, due))
        done_day = due + timedelta(days=rng.randint(3, 25)) if late else issued + timedelta(days=int(span * rng.uniform(0.4, 0.95)))
        if rng.random() < (1 - skill) * 0.9 and late:
            return
        evidence = [{"kind": "text", "value": "已按要求完成，附台账"}, {"kind": "link", "value": f"https://dj.example.cn/evidence/{task_id.hex[:10]}"}]
        agenda.at(done_day, lambda: app.report_task_done(owner, task_id, evidence, "请审核"), hour=17)
        if rng.random() < 0.12:
            agenda.at(done_day + timedelta(days=2), lambda: app.return_task(supervisor, task_id, "佐证材料不全，请补充签到表"), hour=10)
            agenda.at(done_day + timedelta(days=6), lambda: app.report_task_done(owner, task_id, evidence + [{"kind": "text", "value": "已补充签到表"}]), hour=17)
            agenda.at(done_day + timedelta(days=8), lambda: app.accept_task(supervisor, task_id, "通过"), hour=10)
        else:
            agenda.at(done_day + timedelta(days=rng.randint(1, 4)), lambda: app.accept_task(supervisor, task_id, "通过"), hour=10)

    def issue(meeting: UUID, specs: list[TaskSpec], issuer: UUID, supervisor: UUID) -> None:
        today = clock.now().astimezone(clock.tz).date()
        ids = app.issue_task_list(issuer, meeting, specs)
        stats["tasks"] += len(ids)
        for task_id, spec in zip(ids, specs, strict=True):
            due = app.task(task_id).deadline
            if spec.org_id in people.secretaries:
                lifecycle(task_id, spec.org_id, today, due, supervisor)

    def meeting(kind: MeetingKind, title: str, day: date, decide: Callable[[UUID, date], None]) -> None:
        def plan() -> None:
            meeting_id = app.plan_meeting(dept[0], kind, committee, title, day)
            held = day + timedelta(days=rng.choice((0, 0, 1)))

            def minutes() -> None:
                attendees = [secretary, *team, *dept] if kind != MeetingKind.SECRETARIES else [secretary, dept[0], *people.secretaries.values()]
                app.record_minutes(dept[0], meeting_id, held, attendees, [f"部署{title}重点任务", "压紧压实党建责任"], f"{title}纪要")
                decide(meeting_id, held)

            agenda.at(held + timedelta(days=rng.choice((0, 2, 5))), minutes, hour=16)

        agenda.at(day - timedelta(days=10), plan, hour=9)

    def secretaries_tasks(meeting_id: UUID, held: date) -> None:
        title, requirement = rng.choice(TASK_TITLES)
        specs = [
            TaskSpec(f"{title}（{held.month}月）", org, people.secretaries[org], deadline_after(clock.now().date(), rng.choice((10, 15, 20))),
                     requirement, list_item=rng.choice(items), report_cycle=ReportCycle.MONTHLY if rng.random() < 0.2 else ReportCycle.NONE)
            for org in all_branches
        ]
        issue(meeting_id, specs, dept[0], dept[1])

    def work_group_tasks(meeting_id: UUID, held: date) -> None:
        today = clock.now().date()
        title, requirement = rng.choice(TASK_TITLES)
        [parent] = app.issue_task_list(dept[0], meeting_id, [
            TaskSpec(f"统筹{title}", committee, dept[1], deadline_after(today, 25), requirement, list_item=rng.choice(items))
        ])
        stats["tasks"] += 1
        parent_due = app.task(parent).deadline

        def breakdown() -> None:
            chosen = rng.sample(all_branches, k=max(1, len(all_branches) // 3))
            due = min(parent_due, next_working(calendar, clock.now().date(), 15))
            specs = [TaskSpec(title, org, people.secretaries[org], Deadline(on=due), requirement) for org in chosen]
            ids = app.break_down_task(dept[1], parent, specs)
            stats["tasks"] += len(ids)
            for task_id, spec in zip(ids, specs, strict=True):
                lifecycle(task_id, spec.org_id, clock.now().date(), due, dept[0])

        agenda.at(next_working(calendar, today, 2), breakdown, hour=11)

    def workers_tasks(meeting_id: UUID, held: date) -> None:
        title, requirement = rng.choice(TASK_TITLES)
        chosen = [org for org in all_branches if org in people.workers]
        specs = [TaskSpec(title, org, people.secretaries[org], deadline_after(clock.now().date(), 10), requirement) for org in chosen]
        issue(meeting_id, specs, dept[0], dept[1])

    for quarter_start in quarter_starts(start, end):
        meeting(MeetingKind.WORK_GROUP, f"{quarter_start.year}年第{(quarter_start.month - 1) // 3 + 1}季度党建工作小组例会",
                working_day_on_or_after(calendar, quarter_start + timedelta(days=10)), work_group_tasks)
        meeting(MeetingKind.SECRETARIES, f"{quarter_start.year}年第{(quarter_start.month - 1) // 3 + 1}季度党组织书记例会",
                working_day_on_or_after(calendar, quarter_start + timedelta(days=17)), secretaries_tasks)
    month = date(start.year, start.month, 1)
    while month <= end:
        if month.month % 2 == 1:
            meeting(MeetingKind.PARTY_WORKERS, f"{month.year}年{month.month}月党务工作者例会",
                    working_day_on_or_after(calendar, month + timedelta(days=20)), workers_tasks)
        month = (month + timedelta(days=32)).replace(day=1)

    def branch_meeting(org: UUID, day: date) -> None:
        """支部党员大会: each branch's own meeting, planned and minuted by its secretary."""

        def run() -> None:
            owner = people.secretaries[org]
            meeting_id = app.plan_meeting(owner, MeetingKind.OTHER, org, f"{day.month}月支部党员大会", day)
            if rng.random() < diligence[org] + 0.05:
                members = [owner] + ([people.workers[org]] if org in people.workers else [])
                agenda.at(day + timedelta(days=rng.choice((0, 1, 3))), lambda: app.record_minutes(
                    owner, meeting_id, day, members, ["传达上级会议精神", "部署本季度支部工作"], "支部党员大会纪要"), hour=17)

        agenda.at(day - timedelta(days=5), run, hour=9)

    for org in all_branches:
        for quarter_start in quarter_starts(start, end):
            branch_meeting(org, working_day_on_or_after(calendar, quarter_start + timedelta(days=rng.randint(20, 40))))

    def inspection(org: UUID, day: date, kind: InspectionKind) -> None:
        def run() -> None:
            inspector = people.field_of[org] if kind != InspectionKind.CENTRALISED else dept[0]
            problems = rng.sample(FINDINGS, k=rng.choice((0, 1, 1, 2, 3))) if rng.random() > diligence[org] - 0.3 else []
            _, finding_ids = app.conduct_inspection(inspector, kind, org, rng.choice(("组织生活", "发展党员档案", "支部标准化建设")), problems)
            stats["findings"] += len(finding_ids)
            for finding_id in finding_ids:
                rectify_finding(finding_id, org, inspector)

        agenda.at(day, run, hour=14)

    def rectify_finding(finding_id: UUID, org: UUID, inspector: UUID) -> None:
        owner = people.secretaries[org]
        today = clock.now().date()
        rect = app.open_rectification(inspector, finding_id, owner, "对照问题逐项整改，建立长效机制", deadline_after(today, 15))
        stats["rectifications"] += 1
        sample.setdefault("finding_chain", rect)
        steps(rect, org, inspector, today, app.rectification(rect).deadline)

    def steps(rect: UUID, org: UUID, checker: UUID, opened: date, due: date) -> None:
        owner = people.secretaries[org]
        skill = diligence[org]
        agenda.at(opened + timedelta(days=2), lambda: app.submit_rectification_plan(owner, rect, "制定整改方案：明确责任人和完成节点"), hour=10)
        agenda.at(opened + timedelta(days=7), lambda: app.note_rectification_progress(owner, rect, "已完成一半整改事项"), hour=15)
        late = rng.random() > skill
        if late and rng.random() < 0.5:
            return
        complete_day = due + timedelta(days=rng.randint(2, 12)) if late else opened + timedelta(days=rng.randint(8, 18))
        evidence = [{"kind": "text", "value": "整改完成，附整改前后对照"}]
        agenda.at(complete_day, lambda: app.report_rectification_completion(owner, rect, evidence), hour=16)
        if rng.random() < 0.15:
            agenda.at(complete_day + timedelta(days=2), lambda: app.return_rectification(checker, rect, "整改不彻底，请补充制度文件"), hour=10)
            agenda.at(complete_day + timedelta(days=7), lambda: app.report_rectification_completion(owner, rect, evidence + [{"kind": "text", "value": "已补充制度文件"}]), hour=16)
            complete_day += timedelta(days=7)
        agenda.at(complete_day + timedelta(days=2), lambda: app.verify_rectification(checker, rect, "整改到位"), hour=10)
        if rng.random() < 0.85:
            agenda.at(complete_day + timedelta(days=3), lambda: app.close_rectification(checker, rect), hour=11)

    for org in all_branches:
        for _ in range(2):
            offset = rng.randint(30, max(31, (end - start).days - 20))
            inspection(org, working_day_on_or_after(calendar, start + timedelta(days=offset)), rng.choice((InspectionKind.RANDOM, InspectionKind.SELF_CHECK)))
    centralised = working_day_on_or_after(calendar, start + timedelta(days=(end - start).days // 2))
    for org in rng.sample(all_branches, k=len(all_branches) // 2):
        inspection(org, centralised, InspectionKind.CENTRALISED)
    for title, content in WORK_PROMPTS:
        day = working_day_on_or_after(calendar, start + timedelta(days=rng.randint(20, (end - start).days)))
        for org in rng.sample(all_branches, k=len(all_branches) // 4):
            agenda.at(day, (lambda o=org, t=title, c=content: app.send_work_prompt(people.field_of[o], o, t, c)), hour=9)

    def interviews() -> None:
        """约谈 the secretaries of the branches that fell furthest behind, ending in 限期整改."""
        today = clock.now().date()
        overdue = {org: [t for t, due in late_tasks.get(org, []) if due < today] for org in all_branches}
        worst = sorted((org for org in all_branches if len(overdue[org]) >= 2), key=lambda o: -len(overdue[o]))[:6]
        for org in worst:
            leader = rng.choice([secretary, *team])
            interview = app.schedule_interview(
                discipline, leader, people.secretaries[org], "多项任务逾期未完成，履行党建责任不到位", today + timedelta(days=3),
                task_ids=overdue[org][:3],
            )
            stats["interviews"] += 1

            def hold(i: UUID = interview, o: UUID = org, lead: UUID = leader) -> None:
                held = clock.now().date()
                rect = app.hold_interview(discipline, i, held, "指出问题，提出要求", ["一周内补齐逾期任务", "建立任务台账"],
                                          deadline_after(held, 20), "限期完成逾期任务并建立支部任务台账")
                stats["rectifications"] += 1
                sample.setdefault("interview_chain", rect)
                steps(rect, o, lead, held, app.rectification(rect).deadline)

            agenda.at(next_working(calendar, today, 3), hold, hour=15)

    agenda.at(working_day_on_or_after(calendar, start + timedelta(days=(end - start).days * 2 // 3)), interviews, hour=9)
    report_and_assess(app, agenda, people, all_branches, diligence, start, end, calendar, seed)
    agenda.run()
    clock.set(datetime(end.year, end.month, end.day, 9, 0, tzinfo=clock.tz))
    laggard = min(all_branches, key=lambda o: diligence[o])
    secretary_staff = app.person(people.secretaries[laggard]).staff_no
    return DemoSummary(
        committee_id=committee, branches=all_branches, people=people, tasks=stats["tasks"], findings=stats["findings"],
        interviews=stats["interviews"], rectifications=stats["rectifications"],
        sample_chain=sample.get("interview_chain") or sample.get("finding_chain"), sample_secretary=secretary_staff,
        start=start, end=end,
    )

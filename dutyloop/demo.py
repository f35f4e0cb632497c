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

import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID

from domain.application import DutyLoop
from domain.commands.task_lists import TaskSpec
from domain.calendar import WorkingCalendar
from domain.clock import ManualClock
from domain.errors import CalendarYearMissing, DomainError
from domain.scoring import DEFAULT_RULES
from domain.task import Deadline
from domain.vocabulary import InspectionKind, MeetingKind, OrgKind, ReportCycle, Role

DEPARTMENTS = [
    "办公室", "党建部", "发展策划部", "财务资产部", "人力资源部", "安全监察部", "设备管理部", "营销服务部",
    "建设管理部", "物资部", "审计部", "调度控制中心", "经济技术研究所", "信息通信中心", "变电运维一室",
    "变电运维二室", "变电检修室", "输电运检一室", "输电运检二室", "配电运检室", "电缆运检室", "继电保护室",
    "自动化运维室", "计量中心", "客户服务中心", "供电服务指挥中心", "物资供应中心", "综合服务中心", "后勤保障中心",
    "培训中心", "宁东园区供电所", "盐池城区供电所", "高沙窝供电所", "惠安堡供电所", "大水坑供电所", "青山供电所",
    "王乐井供电所", "麻黄山供电所", "冯记沟供电所", "马家滩供电所", "临河供电所", "宝丰供电所", "鸳鸯湖供电所",
]
DEMO_PASSWORD = "dutyloop-demo"
"""The one password every demo person gets with ``dutyloop --as A0001 serve --demo-accounts`` (demo data only)."""

PROJECTS = ["750千伏宁东变扩建工程", "盐池330千伏输变电工程"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃武戴孔汤庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍申尤毕聂柴焦向柳邢岳齐梅莫庄辛管祝左涂谷祁时舒耿牟卜路詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位覃霍翁隋植甘景薄单包司柏宁柯阮桂闵欧阳解强丛华车冉房边辜吉饶刁瞿戚丘古米池滕晋苑邬臧畅宫来嵺苟全褚廉简娄盖符奚木穆党燕郎邸冀谈姬屠连郜晏栾郁商蒙计喻揭窦迟宇敖糜鄢冷卓花艾蓝都巩稽井练仲乐虞卞封竺冼原官衣楚佟栗匡宗应台巫鞠僧桑荆谌银扬明沙薄伏岑习胥保和蔺"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉宁建国志强海燕晓东文博雪梅晨曦宇航思远佳怡子涵浩然欣怡俊杰婷婷瑞雪家豪梓萱一鸣雨泽"

TASK_TITLES = [
    ("规范“三会一课”记录", "按季度整理支部党员大会、支委会、党小组会和党课记录，形成台账"),
    ("开展主题党日活动", "结合中心工作开展一次主题党日，报送活动方案、签到表和照片"),
    ("完善发展党员档案", "对照《发展党员工作指导手册》逐项核查发展党员档案"),
    ("组织专题学习", "组织学习习近平新时代中国特色社会主义思想，形成学习记录和心得"),
    ("推进“党建+”工程", "制定本支部“党建+”项目推进计划，明确节点和责任人"),
    ("党员责任区创建", "划定党员责任区、设立示范岗，报送创建清单"),
    ("支部标准化建设自查", "对照支部标准化建设模板开展自查，报送自查报告"),
    ("组织生活会准备", "开展谈心谈话，形成问题清单和整改措施"),
    ("共产党员服务队活动", "围绕园区工业用户或乡村振兴开展一次服务队活动"),
    ("党费收缴核对", "核对本季度党费收缴情况，报送核对表"),
    ("意识形态工作分析", "开展一次意识形态形势分析，形成分析报告"),
    ("廉洁风险排查", "排查岗位廉洁风险点，更新防控措施"),
]
FINDINGS = [
    "“三会一课”记录不完整，部分党小组会无记录", "发展党员档案缺少政审材料", "组织生活会问题清单未明确整改时限",
    "主题党日活动与中心工作结合不紧", "党费收缴台账与实际不一致", "支部委员分工未及时调整",
    "党员积分管理未按月公示", "谈心谈话记录流于形式", "支部工作手册填写不规范", "学习记录缺少研讨发言",
]
WORK_PROMPTS = [
    ("关于做好年度组织生活会准备的工作提示", "请各支部对照要求做好会前学习、谈心谈话和问题查摆"),
    ("关于规范发展党员工作的工作提示", "请各支部对照手册逐项核查档案，于月底前完成自查"),
    ("关于加强“三会一课”记录管理的工作提示", "记录应当场形成、及时归档"),
]


@dataclass
class DemoPeople:
    admin: UUID
    committee_secretary: UUID
    team_members: list[UUID]
    party_dept: list[UUID]
    discipline: UUID
    flexible: list[UUID]
    secretaries: dict[UUID, UUID] = field(default_factory=dict)
    workers: dict[UUID, UUID] = field(default_factory=dict)
    field_of: dict[UUID, UUID] = field(default_factory=dict)


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


Action = Callable[[], None]


class _Agenda:
    """Things to do on given days, run in date order with the clock set to each moment."""

    def __init__(self, clock: ManualClock, end: date) -> None:
        self.clock = clock
        self.end = end
        self._queue: list[tuple[date, int, int, Action]] = []
        self._counter = itertools.count()

    def at(self, day: date, action: Action, hour: int = 10) -> None:
        if day <= self.end:
            heapq.heappush(self._queue, (day, hour, next(self._counter), action))

    def run(self) -> None:
        while self._queue:
            day, hour, _, action = heapq.heappop(self._queue)
            self.clock.set(datetime(day.year, day.month, day.day, hour, 0, tzinfo=self.clock.tz))
            try:
                action()
            except DomainError:
                continue


def _names(rng: random.Random) -> Callable[[], str]:
    used: set[str] = set()

    def make() -> str:
        while True:
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
            if name not in used:
                used.add(name)
                return name

    return make


def build_demo(
    app: DutyLoop,
    clock: ManualClock,
    end: date,
    branches: int = len(DEPARTMENTS),
    seed: int = 7,
) -> DemoSummary:
    """Build the demo year ending on ``end`` (the clock is left there)."""
    rng = random.Random(seed)
    name = _names(rng)
    start = _working_day_on_or_after(app.calendar(), end - timedelta(days=320))
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
    agenda = _Agenda(clock, end)
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
        sign_day = _next_working(calendar, issued, rng.choice((1, 1, 2, 3)))
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
            due = min(parent_due, _next_working(calendar, clock.now().date(), 15))
            specs = [TaskSpec(title, org, people.secretaries[org], Deadline(on=due), requirement) for org in chosen]
            ids = app.break_down_task(dept[1], parent, specs)
            stats["tasks"] += len(ids)
            for task_id, spec in zip(ids, specs, strict=True):
                lifecycle(task_id, spec.org_id, clock.now().date(), due, dept[0])

        agenda.at(_next_working(calendar, today, 2), breakdown, hour=11)

    def workers_tasks(meeting_id: UUID, held: date) -> None:
        title, requirement = rng.choice(TASK_TITLES)
        chosen = [org for org in all_branches if org in people.workers]
        specs = [TaskSpec(title, org, people.secretaries[org], deadline_after(clock.now().date(), 10), requirement) for org in chosen]
        issue(meeting_id, specs, dept[0], dept[1])

    for quarter_start in _quarter_starts(start, end):
        meeting(MeetingKind.WORK_GROUP, f"{quarter_start.year}年第{(quarter_start.month - 1) // 3 + 1}季度党建工作小组例会",
                _working_day_on_or_after(calendar, quarter_start + timedelta(days=10)), work_group_tasks)
        meeting(MeetingKind.SECRETARIES, f"{quarter_start.year}年第{(quarter_start.month - 1) // 3 + 1}季度党组织书记例会",
                _working_day_on_or_after(calendar, quarter_start + timedelta(days=17)), secretaries_tasks)
    month = date(start.year, start.month, 1)
    while month <= end:
        if month.month % 2 == 1:
            meeting(MeetingKind.PARTY_WORKERS, f"{month.year}年{month.month}月党务工作者例会",
                    _working_day_on_or_after(calendar, month + timedelta(days=20)), workers_tasks)
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
        for quarter_start in _quarter_starts(start, end):
            branch_meeting(org, _working_day_on_or_after(calendar, quarter_start + timedelta(days=rng.randint(20, 40))))

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
            inspection(org, _working_day_on_or_after(calendar, start + timedelta(days=offset)), rng.choice((InspectionKind.RANDOM, InspectionKind.SELF_CHECK)))
    centralised = _working_day_on_or_after(calendar, start + timedelta(days=(end - start).days // 2))
    for org in rng.sample(all_branches, k=len(all_branches) // 2):
        inspection(org, centralised, InspectionKind.CENTRALISED)
    for title, content in WORK_PROMPTS:
        day = _working_day_on_or_after(calendar, start + timedelta(days=rng.randint(20, (end - start).days)))
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

            agenda.at(_next_working(calendar, today, 3), hold, hour=15)

    agenda.at(_working_day_on_or_after(calendar, start + timedelta(days=(end - start).days * 2 // 3)), interviews, hour=9)
    _report_and_assess(app, agenda, people, all_branches, diligence, start, end, calendar, seed)
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


PARTY_PLUS = [("党建+安全生产", "安全"), ("党建+优质服务", "服务"), ("党建+乡村振兴", "振兴"), ("党建+电网建设", "建设")]
MODELS = [("样板标准化党支部", "样板支部"), ("名片党员责任区", "示范岗")]
SERVICE = ["走访园区工业用户", "盐池乡村用电安全宣传", "迎峰度夏保电服务", "“二十四节气”上门服务"]


def _report_and_assess(
    app: DutyLoop, agenda: _Agenda, people: DemoPeople, branches: list[UUID], diligence: dict[UUID, float],
    start: date, end: date, calendar: WorkingCalendar, seed: int,
) -> None:
    """述责 · 考责 in the demo: last year's 述职评议 graded and published in January, model-branch
    awards, "党建+" projects and service-team activities through the year, one approved points
    adjustment, and this year's satisfaction survey. Its own random stream leaves the rest of the
    demo as it was."""
    rng = random.Random(seed + 1)
    leader, dept = people.committee_secretary, people.party_dept
    rounds = ((start.year - 1, start + timedelta(days=7)), (end.year, end - timedelta(days=12)))
    for (year, day), org in itertools.product(rounds, branches):
        def review(o: UUID = org, y: int = year) -> None:
            secretary = people.secretaries[o]
            rid = app.file_review_report(secretary, o, y, "全年业务指标完成情况、重点工作推进情况", "落实党建责任、三会一课、发展党员情况")
            base = 50 + 48 * diligence[o]
            app.grade_review(leader, rid, score=f"{min(base + rng.uniform(-3, 3), 99):.1f}", comment="述职评议")
            app.grade_review(dept[0], rid, score=f"{min(base + rng.uniform(-4, 2), 99):.1f}")
            app.publish_review(leader, rid)

        agenda.at(_working_day_on_or_after(calendar, day), review, hour=15)
    steady = sorted(branches, key=lambda o: -diligence[o])
    for n, org in enumerate(steady[:3]):
        title, category = MODELS[n % len(MODELS)]
        agenda.at(_working_day_on_or_after(calendar, start + timedelta(days=120 + 40 * n)),
                  lambda o=org, t=title, c=category: app.award_model_branch(leader, o, t, c), hour=11)
    for n, org in enumerate(rng.sample(steady[:12], k=4)):
        title, direction = PARTY_PLUS[n]
        agenda.at(_working_day_on_or_after(calendar, start + timedelta(days=90 + 50 * n)),
                  lambda o=org, t=title, d=direction: app.recognise_party_plus_project(leader, o, t, d), hour=11)
    for org in rng.sample(branches, k=min(6, len(branches))):
        for month in range(1, 12, rng.choice((2, 3))):
            day = _working_day_on_or_after(calendar, start + timedelta(days=30 * month + rng.randint(0, 10)))
            agenda.at(day, lambda o=org: app.record_service_activity(people.secretaries[o], o, rng.choice(SERVICE), "共产党员服务队"), hour=16)
    adjusted = steady[len(steady) // 2]
    proposed_on = _working_day_on_or_after(calendar, start + timedelta(days=200))

    def adjust() -> None:
        adjustment = app.propose_points_adjustment(dept[0], adjusted, "2", "professional", "迎峰度夏保电党员突击队表现突出")
        agenda.at(_next_working(calendar, proposed_on, 1), lambda: app.approve_points_adjustment(leader, adjustment, "同意"), hour=10)

    agenda.at(proposed_on, adjust, hour=10)
    surveyed_on = _working_day_on_or_after(calendar, end - timedelta(days=10))
    for org in branches:
        agenda.at(surveyed_on, lambda o=org: app.score_satisfaction_survey(
            people.admin, end.year, o, f"{min(60 + 38 * diligence[o] + rng.uniform(-4, 4), 100):.1f}"), hour=17)


def _working_day_on_or_after(calendar: WorkingCalendar, day: date) -> date:
    try:
        while not calendar.is_working_day(day):
            day += timedelta(days=1)
    except CalendarYearMissing:
        while day.weekday() >= 5:
            day += timedelta(days=1)
    return day


def _next_working(calendar: WorkingCalendar, day: date, n: int) -> date:
    try:
        return calendar.add_working_days(day, n)
    except CalendarYearMissing:
        return day + timedelta(days=n * 7 // 5 + 1)


def _quarter_starts(start: date, end: date) -> list[date]:
    starts = []
    day = date(start.year, ((start.month - 1) // 3) * 3 + 1, 1)
    while day <= end:
        if day >= start - timedelta(days=10):
            starts.append(day)
        month = day.month + 3
        day = date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return starts

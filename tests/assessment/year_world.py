"""A year of four branches, small enough to score by hand (the sums are written beside each step).

Rules v1 (from 2026-01-05): task on time +2 / late −1 (both against the ORIGINAL deadline), returned
−0.5, finding −1, rectification in time +1, overdue rectification −2, interview −3 (all professional);
model branch +5, "党建+" +3, service team +1 (value creation). v2 (from 2026-06-01): on time +1.

Points by month (hand-computed):
  一支部 A: Jan +2 (on time) · Apr +5 (标杆) · Jul +1 (on time under v2)                 = 8
  二支部 B: Jan −0.5 (returned) · Feb −1 (late) · Apr +3 (党建+) · May +1 (服务队)         = 2.5
  三支部 C: Feb −1 (late vs original, on time vs extension) −2 (two findings)
            Mar +1 (rectified in time) −2 (rectified late) +1 (服务队, recorded in April) = −3
  四支部 D: Feb +2 (on time) · Mar −3 (interview) · May +2 (approved adjustment)          = 1
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from domain.application import DutyLoop
from domain.commands.task_lists import TaskSpec
from domain.clock import ManualClock
from domain.task import Deadline
from domain.vocabulary import InspectionKind, MeetingKind, OrgKind, Role

RULES_V1 = [
    {"code": "task_on_time", "points": "2", "dimension": "professional", "basis": "original"},
    {"code": "task_late", "points": "-1", "dimension": "professional", "basis": "original"},
    {"code": "task_returned", "points": "-0.5", "dimension": "professional"},
    {"code": "finding_raised", "points": "-1", "dimension": "professional"},
    {"code": "rectification_on_time", "points": "1", "dimension": "professional"},
    {"code": "rectification_overdue", "points": "-2", "dimension": "professional"},
    {"code": "interview_held", "points": "-3", "dimension": "professional"},
    {"code": "model_branch_award", "points": "5", "dimension": "value_creation"},
    {"code": "party_plus_project", "points": "3", "dimension": "value_creation"},
    {"code": "service_team_activity", "points": "1", "dimension": "value_creation"},
]
RULES_V2 = [{**r, "points": "1"} if r["code"] == "task_on_time" else r for r in RULES_V1]
BY_CURRENT_DEADLINE = [{**r, "basis": "current"} if "basis" in r else r for r in RULES_V1]


@dataclass
class World:
    app: DutyLoop
    clock: ManualClock
    admin: UUID
    leader: UUID
    dept: UUID
    discipline: UUID
    orgs: dict[str, UUID]
    secretaries: dict[str, UUID]
    march_bulletin_at: datetime | None = None

    def at(self, day: str, hour: int = 10) -> None:
        self.clock.set_day(date.fromisoformat(day), hour)


def build_world(app: DutyLoop, clock: ManualClock) -> World:
    clock.set(datetime(2026, 1, 5, 9, 0))
    _, admin = app.bootstrap("公司党委", "管理员", "A0001")
    committee = app.organisation(app.person(admin).org_id).id
    orgs = {key: app.register_organisation(admin, f"{key}支部", OrgKind.BRANCH, committee) for key in ("一", "二", "三", "四")}
    secretaries = {}
    for n, (key, org) in enumerate(orgs.items()):
        secretaries[key] = app.register_person(admin, f"书记{key}", f"S{n}", org)
        app.assign_role(admin, secretaries[key], Role.BRANCH_SECRETARY, org)
    leader = app.register_person(admin, "党委书记", "L1", committee)
    app.assign_role(admin, leader, Role.COMMITTEE_SECRETARY, committee)
    dept = app.register_person(admin, "党建部", "P1", committee)
    app.assign_role(admin, dept, Role.PARTY_DEPT, committee)
    discipline = app.register_person(admin, "纪检", "J1", committee)
    app.assign_role(admin, discipline, Role.DISCIPLINE, committee)
    return World(app, clock, admin, leader, dept, discipline, orgs, secretaries)


def run_first_half(w: World, on_april_first: Callable[[], object] = lambda: None) -> None:
    """January to May, with rules v1; ``on_april_first`` runs at 09:00 on 2026-04-01 (when the
    scheduler issues March's bulletin)."""
    app, s, o = w.app, w.secretaries, w.orgs
    app.set_scoring_rules(w.admin, RULES_V1, "2026 年对标积分办法")
    meeting = app.plan_meeting(w.dept, MeetingKind.SECRETARIES, app.person(w.dept).org_id, "一月书记例会", date(2026, 1, 6))
    w.at("2026-01-06")
    app.record_minutes(w.dept, meeting, date(2026, 1, 6), [w.leader], ["部署"])
    tasks = dict(zip("一二三四", app.issue_task_list(w.dept, meeting, [
        TaskSpec("整理三会一课记录", o[k], s[k], Deadline(on=date(2026, 1, 30))) for k in "一二三四"
    ]), strict=True))
    evidence = [{"kind": "text", "value": "台账"}]
    w.at("2026-01-07")
    for key, task in tasks.items():
        app.sign_for_task(s[key], task)
    w.at("2026-01-20")
    app.report_task_done(s["一"], tasks["一"], evidence)
    w.at("2026-01-21")
    app.accept_task(w.dept, tasks["一"])  # A +2 (Jan)
    w.at("2026-01-27")
    app.request_extension(s["三"], tasks["三"], date(2026, 2, 13), "保电任务冲突")
    w.at("2026-01-28")
    app.report_task_done(s["二"], tasks["二"], evidence)
    app.approve_extension(w.dept, tasks["三"])
    w.at("2026-01-29")
    app.return_task(w.dept, tasks["二"], "缺签到表")  # B −0.5 (Jan)
    w.at("2026-01-30")
    app.report_task_done(s["四"], tasks["四"], evidence)
    w.at("2026-02-02")
    app.accept_task(w.dept, tasks["四"])  # D +2 (Feb)
    w.at("2026-02-03")
    app.report_task_done(s["二"], tasks["二"], evidence)
    w.at("2026-02-04")
    app.accept_task(w.dept, tasks["二"])  # B −1 (Feb): 02-03 after 01-30
    w.at("2026-02-10")
    app.report_task_done(s["三"], tasks["三"], evidence)
    w.at("2026-02-11")
    app.accept_task(w.dept, tasks["三"])  # C −1 (Feb): late against the original 01-30
    w.at("2026-02-16")
    _, findings = app.conduct_inspection(w.dept, InspectionKind.RANDOM, o["三"], "组织生活", ["记录不全", "档案缺页"])  # C −2
    rect_in_time = app.open_rectification(w.dept, findings[0], s["三"], "补齐记录", Deadline(on=date(2026, 3, 6)))
    rect_late = app.open_rectification(w.dept, findings[1], s["三"], "补齐档案", Deadline(on=date(2026, 3, 6)))
    w.at("2026-03-02")
    app.report_rectification_completion(s["三"], rect_in_time, evidence)
    w.at("2026-03-03")
    app.verify_rectification(w.dept, rect_in_time)  # C +1 (Mar)
    w.at("2026-03-09")
    interview = app.schedule_interview(w.discipline, w.leader, s["四"], "任务推进迟缓", date(2026, 3, 10))
    w.at("2026-03-10")
    app.hold_interview(w.discipline, interview, date(2026, 3, 10), "指出问题", ["两周内整改"], Deadline(working_days=10), "整改")  # D −3
    w.at("2026-03-12")
    app.report_rectification_completion(s["三"], rect_late, evidence)  # C −2 (Mar)
    w.at("2026-03-13")
    app.verify_rectification(w.dept, rect_late)  # nothing more: already charged as overdue
    w.at("2026-04-01", hour=9)
    on_april_first()
    w.march_bulletin_at = w.clock.now()
    w.at("2026-04-02")
    app.record_service_activity(s["三"], o["三"], "园区用户走访", "共产党员服务队", on=date(2026, 3, 20))  # C +1 (Mar)
    w.at("2026-04-15")
    app.award_model_branch(w.leader, o["一"], "样板标准化党支部", "样板支部")  # A +5 (Apr)
    w.at("2026-04-20")
    app.recognise_party_plus_project(w.leader, o["二"], "党建+安全生产", "安全")  # B +3 (Apr)
    w.at("2026-05-08")
    app.record_service_activity(s["二"], o["二"], "乡村振兴服务", "共产党员服务队")  # B +1 (May)
    w.at("2026-05-12")
    adjustment = app.propose_points_adjustment(w.dept, o["四"], "2", "professional", "迎峰度夏保电表现突出")
    w.at("2026-05-13")
    app.approve_points_adjustment(w.leader, adjustment, "同意")  # D +2 (May)


def run_second_half(w: World) -> None:
    """Rules v2 from June; a July task; the reviews, surveys and weights in December."""
    app, s, o = w.app, w.secretaries, w.orgs
    w.at("2026-06-01")
    app.set_scoring_rules(w.admin, RULES_V2, "按时完成改为 1 分")
    meeting = app.plan_meeting(w.dept, MeetingKind.SECRETARIES, app.person(w.dept).org_id, "七月书记例会", date(2026, 7, 1))
    w.at("2026-07-01")
    app.record_minutes(w.dept, meeting, date(2026, 7, 1), [w.leader], ["部署"])
    [task] = app.issue_task_list(w.dept, meeting, [TaskSpec("主题党日", o["一"], s["一"], Deadline(on=date(2026, 7, 31)))])
    app.sign_for_task(s["一"], task)
    w.at("2026-07-20")
    app.report_task_done(s["一"], task, [{"kind": "text", "value": "照片"}])
    w.at("2026-07-21")
    app.accept_task(w.dept, task)  # A +1 (Jul)
    w.at("2026-12-01")
    reviews = {k: app.file_review_report(s[k], o[k], 2026, f"{k}支部业务账", f"{k}支部党建账") for k in "一二三四"}
    w.at("2026-12-10")
    app.grade_review(w.leader, reviews["一"], grade="好")  # 95
    app.grade_review(w.dept, reviews["一"], score="91")  # mean 93.00 → 好
    app.grade_review(w.leader, reviews["二"], grade="较好")  # 85
    app.grade_review(w.leader, reviews["三"], score="72")  # 一般
    app.grade_review(w.leader, reviews["四"], grade="差")  # 50
    for review in reviews.values():
        app.publish_review(w.leader, review)
    w.at("2026-12-11")
    app.correct_review(w.leader, reviews["四"], "漏计联系点评价", score="60")  # → 60 一般
    for key, score in zip("一二三四", ("90", "80", "70", "60"), strict=True):
        app.score_satisfaction_survey(w.admin, 2026, o[key], score)
    app.set_assessment_weights(w.admin, 2026, value_creation="60", professional="30", satisfaction="10",
                               base_score="80", review_share="50")

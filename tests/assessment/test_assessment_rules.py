"""述责 · 考责 commands, given events / when a command / then events; every refusal records nothing
and says why in zh-CN and English. In memory (the library's POPO store): fast."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from domain.application import DutyLoop
from domain.clock import ManualClock
from domain.errors import DomainError
from domain.review import grade_of, parse_mark
from domain.scoring import DEFAULT_RULES
from domain.vocabulary import OrgKind, Role


@dataclass
class World:
    app: DutyLoop
    admin: UUID
    committee: UUID
    branch: UUID
    secretary: UUID
    worker: UUID
    chief: UUID
    dept: UUID
    discipline: UUID
    other_secretary: UUID


@pytest.fixture
def w() -> World:
    clock = ManualClock(datetime(2026, 12, 1, 9))
    app = DutyLoop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock)
    committee, admin = app.bootstrap("公司党委", "管理员", "A001")
    branch = app.register_organisation(admin, "变电运维室党支部", OrgKind.BRANCH, committee)
    other = app.register_organisation(admin, "营销部党支部", OrgKind.BRANCH, committee)

    def person(name: str, staff: str, org: UUID, role: Role) -> UUID:
        pid = app.register_person(admin, name, staff, org)
        app.assign_role(admin, pid, role, org)
        return pid

    return World(
        app, admin, committee, branch,
        secretary=person("王芳", "S001", branch, Role.BRANCH_SECRETARY),
        worker=person("孙丽", "W001", branch, Role.PARTY_WORKER),
        chief=person("周书记", "L001", committee, Role.COMMITTEE_SECRETARY),
        dept=person("李强", "P001", committee, Role.PARTY_DEPT),
        discipline=person("吴纪检", "J001", committee, Role.DISCIPLINE),
        other_secretary=person("赵敏", "S002", other, Role.BRANCH_SECRETARY),
    )


def when(w: World, command: Callable[[], Any]) -> list[Any]:
    start = w.app.recorder.max_notification_id() or 0
    command()
    return [w.app.mapper.to_domain_event(n) for n in w.app.recorder.select_notifications(start, 1000, inclusive_of_start=False)]


def names(events: list[Any]) -> list[str]:
    return [type(e).__name__ for e in events]


def refused(w: World, command: Callable[[], Any], code: str) -> DomainError:
    start = w.app.recorder.max_notification_id()
    with pytest.raises(DomainError) as caught:
        command()
    assert caught.value.code == code, caught.value.message("en")
    assert caught.value.message("zh-CN") and caught.value.message("en")
    assert w.app.recorder.max_notification_id() == start
    return caught.value


def test_grades_and_scores_map_by_the_documented_bands() -> None:
    assert [grade_of(Decimal(s)) for s in ("100", "90", "89.99", "80", "79.99", "60", "59.99", "0")] == [
        "excellent", "excellent", "good", "good", "fair", "fair", "poor", "poor"
    ]
    assert parse_mark("较好", None) == (Decimal(85), "good")
    assert parse_mark(None, "91.555") == (Decimal("91.56"), "excellent")
    for grade, score in ((None, None), ("好", "90")):
        with pytest.raises(DomainError) as caught:
            parse_mark(grade, score)
        assert caught.value.code == "grade_or_score"
    for bad in ("101", "-1", "九十", "NaN"):
        with pytest.raises(DomainError):
            parse_mark(None, bad)


def test_a_report_is_filed_graded_published_recalled_and_corrected(w: World) -> None:
    app = w.app
    refused(w, lambda: app.file_review_report(w.worker, w.branch, 2026, "业务", "党建"), "not_permitted")
    refused(w, lambda: app.file_review_report(w.other_secretary, w.branch, 2026, "业务", "党建"), "not_permitted")
    refused(w, lambda: app.file_review_report(w.secretary, w.branch, 2026, "业务", " "), "required")
    refused(w, lambda: app.file_review_report(w.secretary, w.committee, 2026, "业务", "党建"), "not_a_branch")
    [filed] = when(w, lambda: app.file_review_report(w.secretary, w.branch, 2026, "业务账", "党建账"))
    assert names([filed]) == ["ReviewReportFiled"] and filed.actor == str(w.secretary)
    assert (filed.business_account, filed.party_account, filed.year) == ("业务账", "党建账", 2026)
    review = filed.originator_id
    refused(w, lambda: app.file_review_report(w.secretary, w.branch, 2026, "业务", "党建"), "duplicate")
    refused(w, lambda: app.publish_review(w.chief, review), "review_not_graded")
    refused(w, lambda: app.grade_review(w.secretary, review, grade="好"), "self_review")
    refused(w, lambda: app.grade_review(w.other_secretary, review, grade="好"), "not_permitted")
    refused(w, lambda: app.grade_review(w.chief, review, grade="优秀"), "invalid_value")

    [graded] = when(w, lambda: app.grade_review(w.chief, review, grade="好", comment="两本账都清楚"))
    assert (names([graded]), graded.score, graded.grade, graded.actor) == (["ReviewGraded"], Decimal(95), "excellent", str(w.chief))
    when(w, lambda: app.grade_review(w.discipline, review, score="80"))
    when(w, lambda: app.grade_review(w.chief, review, score="90"))  # replaces the chief's earlier mark
    refused(w, lambda: app.publish_review(w.discipline, review), "not_permitted")
    [published] = when(w, lambda: app.publish_review(w.chief, review))
    assert (published.score, published.grade, published.reviewers) == (Decimal("85.00"), "good", 2)
    refused(w, lambda: app.grade_review(w.dept, review, grade="差"), "wrong_state")
    refused(w, lambda: app.correct_review(w.chief, review, " ", grade="好"), "required")

    [corrected] = when(w, lambda: app.correct_review(w.chief, review, "漏计党建+项目", score="88"))
    assert (names([corrected]), corrected.score, corrected.grade, corrected.reason) == (["ReviewCorrected"], Decimal("88.00"), "good", "漏计党建+项目")
    [recalled] = when(w, lambda: app.recall_review(w.dept, review, "评议人员组成不符合要求"))
    assert names([recalled]) == ["ReviewRecalled"] and recalled.actor == str(w.dept)
    refused(w, lambda: app.recall_review(w.dept, review, "again"), "wrong_state")
    refused(w, lambda: app.correct_review(w.chief, review, "x", grade="好"), "wrong_state")
    when(w, lambda: app.grade_review(w.dept, review, grade="一般"))
    [again] = when(w, lambda: app.publish_review(w.chief, review))
    assert (again.score, again.grade, again.reviewers) == (Decimal("80.00"), "good", 3)  # (90 + 80 + 70) / 3


def test_rules_are_versions_an_admin_records(w: World) -> None:
    app = w.app
    records = [r.as_record() for r in DEFAULT_RULES]
    refused(w, lambda: app.set_scoring_rules(w.dept, records), "not_permitted")
    refused(w, lambda: app.set_scoring_rules(w.admin, [{"code": "tea_break", "points": "1", "dimension": "professional"}]), "invalid_value")
    refused(w, lambda: app.set_scoring_rules(w.admin, [{"code": "task_late", "points": "minus one", "dimension": "professional"}]), "invalid_value")
    refused(w, lambda: app.set_scoring_rules(w.admin, [{"code": "task_late", "points": "-1", "dimension": "morale"}]), "invalid_value")
    refused(w, lambda: app.set_scoring_rules(w.admin, [{"code": "task_late", "points": "-1", "dimension": "professional", "basis": "whenever"}]), "invalid_value")
    refused(w, lambda: app.set_scoring_rules(w.admin, [records[0], records[0]]), "duplicate")
    refused(w, lambda: app.set_scoring_rules(w.admin, []), "required")
    [first] = when(w, lambda: app.set_scoring_rules(w.admin, records, "办法"))
    assert names([first]) == ["ScoringRulesSet"] and first.rules == records and first.originator_version == 1
    changed = [{**records[0], "points": "1.5", "dimension": "专业管理"}]
    [second] = when(w, lambda: app.set_scoring_rules(w.admin, changed, "修订"))
    assert names([second]) == ["ScoringRulesChanged"] and second.originator_version == 2
    assert second.rules == [{"code": "task_on_time", "points": "1.5", "dimension": "professional", "basis": "original"}]


def test_awards_projects_activities_and_adjustments(w: World) -> None:
    app = w.app
    refused(w, lambda: app.award_model_branch(w.secretary, w.branch, "样板支部"), "not_permitted")
    refused(w, lambda: app.award_model_branch(w.chief, w.branch, "样板支部", on=date(2026, 12, 2)), "date_in_future")
    [award] = when(w, lambda: app.award_model_branch(w.chief, w.branch, "样板标准化党支部", "样板支部", on=date(2026, 11, 20)))
    assert (names([award]), award.on, award.org_id, award.actor) == (["ModelBranchAwarded"], date(2026, 11, 20), w.branch, str(w.chief))
    assert names(when(w, lambda: app.recognise_party_plus_project(w.dept, w.branch, "党建+安全生产", "安全"))) == ["PartyPlusProjectRecognised"]
    refused(w, lambda: app.record_service_activity(w.other_secretary, w.branch, "走访"), "not_permitted")
    [activity] = when(w, lambda: app.record_service_activity(w.worker, w.branch, "走访园区用户", "服务队"))
    assert names([activity]) == ["ServiceTeamActivityRecorded"] and activity.team == "服务队"

    refused(w, lambda: app.propose_points_adjustment(w.secretary, w.branch, "5", "professional", "自评"), "not_permitted")
    refused(w, lambda: app.propose_points_adjustment(w.dept, w.branch, "0", "professional", "无"), "invalid_value")
    refused(w, lambda: app.propose_points_adjustment(w.dept, w.branch, "2", "morale", "无"), "invalid_value")
    refused(w, lambda: app.propose_points_adjustment(w.dept, w.branch, "2", "professional", " "), "required")
    [proposed] = when(w, lambda: app.propose_points_adjustment(w.dept, w.branch, "-1.5", "满意度", "群众反映服务不到位"))
    assert (proposed.points, proposed.dimension) == (Decimal("-1.5"), "satisfaction")
    adjustment = proposed.originator_id
    refused(w, lambda: app.approve_points_adjustment(w.dept, adjustment), "self_approval")
    refused(w, lambda: app.approve_points_adjustment(w.secretary, adjustment), "not_permitted")
    assert names(when(w, lambda: app.approve_points_adjustment(w.chief, adjustment, "同意"))) == ["PointsAdjustmentApproved"]
    refused(w, lambda: app.reject_points_adjustment(w.chief, adjustment, "晚了"), "wrong_state")


def test_a_published_year_is_closed(w: World) -> None:
    app = w.app
    refused(w, lambda: app.set_assessment_weights(w.admin, 2026, value_creation="60", professional="30", satisfaction="20"), "weights_sum")
    refused(w, lambda: app.set_assessment_weights(w.chief, 2026, value_creation="50", professional="40"), "not_permitted")
    events = when(w, lambda: app.set_assessment_weights(w.admin, 2026, value_creation="50", professional="40", base_score="75"))
    assert names(events) == ["AssessmentYearOpened", "AssessmentWeightsSet"]
    assert (events[1].value_creation, events[1].professional, events[1].satisfaction, events[1].base_score) == ("50", "40", "10", "75")
    refused(w, lambda: app.score_satisfaction_survey(w.admin, 2026, w.branch, "120"), "invalid_value")
    [survey] = when(w, lambda: app.score_satisfaction_survey(w.chief, 2026, w.branch, "88.5"))
    assert (names([survey]), survey.score, survey.year) == (["SatisfactionSurveyScored"], Decimal("88.50"), 2026)
    refused(w, lambda: app.publish_assessment(w.admin, 2026, []), "required")
    [published] = when(w, lambda: app.publish_assessment(w.admin, 2026, [{"org_id": w.branch.hex, "total": "80.00"}]))
    assert names([published]) == ["AssessmentPublished"] and published.weights["base_score"] == "75"
    refused(w, lambda: app.publish_assessment(w.admin, 2026, [{"org_id": w.branch.hex, "total": "99.00"}]), "assessment_published")
    refused(w, lambda: app.score_satisfaction_survey(w.admin, 2026, w.branch, "90"), "assessment_published")
    refused(w, lambda: app.set_assessment_weights(w.admin, 2026), "assessment_published")

"""Hostile text and absurd numbers, refused at the domain's edge by one check for every command;
and what an older version let through read safely by the pages (both databases)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from eventsourcing.application import Application

from domain.application import DutyLoop
from domain.commands.task_lists import TaskSpec
from domain.clock import ManualClock, today
from domain.errors import DomainError
from domain.activities import PointsAdjustment
from domain.task import Deadline
from domain.vocabulary import MeetingKind, OrgKind, Role
from domain.warning_policy import WarningPolicy
from dutyloop.wiring import System
from projections import assessment_queries as aq
from projections import deadline_queries


def _world(app: DutyLoop) -> dict[str, object]:
    committee, admin = app.bootstrap("公司党委", "管理员", "A001")
    dept = app.register_person(admin, "李强", "P001", committee)
    app.assign_role(admin, dept, Role.PARTY_DEPT, committee)
    branch = app.register_organisation(admin, "一支部", OrgKind.BRANCH, committee)
    secretary = app.register_person(admin, "书记", "S001", branch)
    app.assign_role(admin, secretary, Role.BRANCH_SECRETARY, branch)
    meeting = app.plan_meeting(dept, MeetingKind.SECRETARIES, committee, "例会", today(app.clock))
    app.record_minutes(dept, meeting, today(app.clock), [dept], ["下达任务"])
    (task,) = app.issue_task_list(dept, meeting, [TaskSpec("自查", branch, secretary, Deadline(working_days=5))])
    app.sign_for_task(secretary, task)
    return {"committee": committee, "admin": admin, "dept": dept, "branch": branch, "secretary": secretary, "task": task}


@pytest.fixture
def app(clock: ManualClock) -> DutyLoop:
    return DutyLoop(clock=clock)


def _refused(code: str, call: object, *args: object) -> DomainError:
    with pytest.raises(DomainError) as refused:
        call(*args)  # type: ignore[operator]
    assert refused.value.code == code
    return refused.value


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("进展\x00", "text_forbidden_character"),
        ("进展\x07", "text_forbidden_character"),
        ("进\x85展", "text_forbidden_character"),
        ("旧行\r覆盖", "text_forbidden_character"),
        ("半个\ud800", "text_forbidden_character"),
        ("报告\u202efdp.exe", "text_forbidden_character"),
        ("\u200b\u200b\ufeff", "text_blank"),
        ("\u3164", "text_blank"),
        ("字" * 20_001, "text_too_long"),
    ],
)
def test_every_command_refuses_hostile_text_naming_the_field(app: DutyLoop, text: str, code: str) -> None:
    world = _world(app)
    version = app.task(world["task"]).version

    error = _refused(code, app.report_task_progress, world["secretary"], world["task"], text)

    assert "说明" in error.message() and "note" in error.message("en")
    assert app.task(world["task"]).version == version


def test_titles_are_short_and_notes_keep_tabs_line_breaks_and_crlf(app: DutyLoop) -> None:
    world = _world(app)
    error = _refused("text_too_long", app.rename_organisation, world["admin"], world["branch"], "支" * 201)
    assert "名称过长：201 个字符，最多 200 个" == error.message()

    app.report_task_progress(world["secretary"], world["task"], "第一行\r\n第二行\n\t缩进")
    app.rename_organisation(world["admin"], world["branch"], "支" * 200)

    assert app.organisation(world["branch"]).name == "支" * 200


def test_nested_text_is_checked_too(app: DutyLoop) -> None:
    world = _world(app)

    error = _refused(
        "text_forbidden_character", app.report_task_done, world["secretary"], world["task"],
        [{"kind": "text", "value": "材料\x00"}],
    )

    assert "佐证材料" in error.message()


def test_every_event_carries_the_origin_the_cli_gives(app: DutyLoop) -> None:
    world = _world(app)
    app.origin = "cli:alice@host-1"

    app.report_task_progress(world["secretary"], world["task"], "进展")

    last = list(app.events.get(world["task"]))[-1]
    assert vars(last)["via"] == "cli:alice@host-1"
    assert app.task(world["task"]).status == "in_progress"


@pytest.mark.parametrize(
    ("due_soon", "serious", "grace"),
    [(99_999_999_999, 5, [2]), (61, 5, [2]), (3, 251, [2]), (3, 5, [99_999_999]), (3, 5, [1] * 11), (0, 5, [2])],
)
def test_thresholds_beyond_their_range_are_refused(app: DutyLoop, due_soon: int, serious: int, grace: list[int]) -> None:
    world = _world(app)

    error = _refused("out_of_range", app.set_warning_thresholds, world["admin"], due_soon, serious, grace)

    assert "超出范围" in error.message()


@pytest.mark.parametrize("points", ["1e999999", "101", "-100.5", "1e20"])
def test_points_beyond_their_range_are_refused(app: DutyLoop, points: str) -> None:
    world = _world(app)

    error = _refused("out_of_range", app.propose_points_adjustment, world["dept"], world["branch"], points, "专业管理", "调整")

    assert "分值超出范围" in error.message() and "-100" in error.message()


@pytest.mark.parametrize(
    "call",
    [
        lambda app, w: app.break_down_task(w["dept"], w["task"], [TaskSpec("细化", w["branch"], w["secretary"], Deadline(working_days=10**12))]),
        lambda app, w: app.draft_responsibility_list(w["admin"], "清单", 99_999, w["committee"]),
        lambda app, w: app.set_assessment_weights(w["admin"], 100_000, value_creation=60, professional=30, satisfaction=10),
        lambda app, w: app.record_reminder(
            "system:scheduler", "task", w["task"], "overdue", today(app.clock), w["secretary"], w["branch"], step=10**9
        ),
    ],
    ids=["working-days", "list-year", "assessment-year", "reminder-step"],
)
def test_other_numbers_beyond_their_range_are_refused(app: DutyLoop, call: object) -> None:
    world = _world(app)

    _refused("out_of_range", call, app, world)


def test_absurd_values_an_old_version_recorded_do_not_break_the_pages(system: System) -> None:
    app = system.app
    world = _world(app)
    ctx = app.context(world["admin"])
    policy = WarningPolicy(due_soon=99_999_999_999, serious=99_999_999_999, escalation_grace=[10**12], **ctx.stamp())
    adjustment = PointsAdjustment(
        org_id=world["branch"], points=Decimal("1e999999"), dimension="专业管理", reason="旧版本", **app.context(world["dept"]).stamp()
    )
    Application.save(app, policy, adjustment)
    app.approve_points_adjustment(world["admin"], adjustment.id)
    system.catch_up()
    day = today(app.clock)

    with system.engine.connect() as conn:
        limits = deadline_queries.thresholds_in_force(conn)
        warned = deadline_queries.warnings(conn, day, limits)
        month = [day.strftime("%Y-%m")]
        ranking = aq.ranking(conn, month)
        detail = aq.point_detail(conn, month, world["branch"].hex)  # type: ignore[union-attr]

    assert (limits.due_soon, limits.serious, limits.escalation_grace) == (60, 250, (60,))
    assert [w["title"] for w in warned] == ["自查"]
    assert [Decimal(str(row["points"])) for row in detail if row["rule"] == "manual_adjustment"] == [100]
    assert [row["name"] for row in ranking] == ["一支部"] and Decimal(str(ranking[0]["points"])) >= 100
    assert all(s.failed_event is None and s.lag == 0 for s in system.views.status())

"""Point-earning activities (标杆 awards, "党建+" projects, service-team activities) and manual
adjustments, which count once someone else approves them.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

import click

from domain.errors import term
from domain.scoring import DIMENSION_LABELS, words
from dutyloop.cli.assess_support import emit, org_named
from dutyloop.cli.base import CliState, actor, command, done, main
from projections import assessment_queries as aq


@main.group("award")
def award_group() -> None:
    """标杆, "党建+" projects and service-team activities: what a branch did that earns points."""


def _activity(state: CliState, call: str, org: str, title: str, extra: str, on: str | None) -> UUID:
    system = state.open()
    who = actor(state, system)
    day = date.fromisoformat(on) if on else None
    result: UUID = getattr(system.app, call)(who, org_named(state, org), title, extra, day)
    system.catch_up()
    return result


@command(award_group, "model")
@click.option("--org", required=True)
@click.option("--title", required=True, help="e.g. 样板标准化党支部")
@click.option("--category", default="", help="样板支部 / 精品工程 / 示范岗 …")
@click.option("--on", help="Date of the award (default today).")
def award_model(state: CliState, org: str, title: str, category: str, on: str | None) -> None:
    """标杆: a model-branch award."""
    done(state, "已认定标杆", "Model branch awarded", id=_activity(state, "award_model_branch", org, title, category, on))


@command(award_group, "party-plus")
@click.option("--org", required=True)
@click.option("--title", required=True)
@click.option("--direction", default="", help="One of the seven directions, e.g. 安全生产.")
@click.option("--on")
def award_party_plus(state: CliState, org: str, title: str, direction: str, on: str | None) -> None:
    """A "党建+" project recognised."""
    done(state, "已认定“党建+”项目", "\"党建+\" project recognised",
         id=_activity(state, "recognise_party_plus_project", org, title, direction, on))


@command(award_group, "service")
@click.option("--org", required=True)
@click.option("--title", required=True)
@click.option("--team", default="共产党员服务队")
@click.option("--on", help="The day it was held (default today).")
def award_service(state: CliState, org: str, title: str, team: str, on: str | None) -> None:
    """A service-team (共产党员服务队) activity."""
    done(state, "已记录服务队活动", "Service-team activity recorded", id=_activity(state, "record_service_activity", org, title, team, on))


@main.group("adjust")
def adjust_group() -> None:
    """Manual points adjustments: proposed with a reason, counted once someone else approves."""


@command(adjust_group, "propose")
@click.option("--org", required=True)
@click.option("--points", required=True, help="e.g. 2 or -1.5")
@click.option("--dimension", required=True, help="value_creation / professional / satisfaction (价值创造 / 专业管理 / 满意度).")
@click.option("--reason", required=True)
def adjust_propose(state: CliState, org: str, points: str, dimension: str, reason: str) -> None:
    """Propose a points adjustment for a branch, with the reason."""
    system = state.open()
    who = actor(state, system)
    adjustment = system.app.propose_points_adjustment(who, org_named(state, org), points, dimension, reason)
    system.catch_up()
    done(state, "已提出积分调整 {short}，待审批", "Adjustment {short} proposed, awaiting approval", short=adjustment.hex[:8], id=adjustment)


@command(adjust_group, "list")
@click.option("--status", type=click.Choice(["proposed", "approved", "rejected"]))
def adjust_list(state: CliState, status: str | None) -> None:
    """Adjustments and where they stand (proposed ones await someone else's approval)."""
    system = state.open()
    system.catch_up()
    with system.engine.connect() as conn:
        rows = [r for r in aq.adjustments(conn) if status is None or r["status"] == status]
    for row in rows:
        row["short"] = row["activity_id"][:8]
        row["status_label"] = term(row["status"], state.locale)
        points, _, dimension = row["detail"].partition(" ")
        row["detail"] = f"{points} {words(DIMENSION_LABELS, dimension, state.locale)}"
    emit(state, rows, [("short", "编号", "Id"), ("business_date", "日期", "Date"), ("name", "支部", "Branch"),
                       ("detail", "积分", "Points"), ("title", "理由", "Reason"), ("status_label", "状态", "Status")])


def _adjustment(state: CliState, ref: str) -> UUID:
    system = state.open()
    system.catch_up()
    with system.engine.connect() as conn:
        return UUID(aq.resolve_adjustment(conn, ref))


def _decide(state: CliState, adjustment: str, call: str, text: str, zh: str, en: str) -> None:
    """Approve or reject: the same look-up, command and catch-up, with the comment or reason."""
    system = state.open()
    who = actor(state, system)
    getattr(system.app, call)(who, _adjustment(state, adjustment), text)
    system.catch_up()
    done(state, zh, en)


@command(adjust_group, "approve")
@click.argument("adjustment")
@click.option("--comment", default="")
def adjust_approve(state: CliState, adjustment: str, comment: str) -> None:
    """Approve an adjustment someone else proposed: it counts from now on."""
    _decide(state, adjustment, "approve_points_adjustment", comment, "已批准积分调整", "Adjustment approved")


@command(adjust_group, "reject")
@click.argument("adjustment")
@click.option("--reason", required=True)
def adjust_reject(state: CliState, adjustment: str, reason: str) -> None:
    """Reject a proposed adjustment, with the reason."""
    _decide(state, adjustment, "reject_points_adjustment", reason, "已驳回积分调整", "Adjustment rejected")

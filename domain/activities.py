"""What a branch did beyond its task list, and the points an admin adjusts by hand.

标杆计划 model-branch awards, "党建+" projects and 共产党员服务队 activities earn points, so each is
a fact with its actor. A manual points adjustment needs a reason and an approver other than the
one who proposed it: only an approved adjustment counts, and both steps stay on the record.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import event

from domain.base import DutyAggregate
from domain.context import Context
from domain.errors import DomainError, WrongState


class ModelBranchAward(DutyAggregate):
    """标杆: 样板标准化党支部, 精品"党建+"工程, 名片党员责任区 and the like, awarded to a branch."""

    @event("ModelBranchAwarded")
    def __init__(self, *, org_id: UUID, title: str, category: str, actor: str, on: date, timestamp: datetime) -> None:
        self.org_id = org_id
        self.title = title
        self.category = category


class PartyPlusProject(DutyAggregate):
    """A "党建+" project recognised for a branch, in one of the seven directions."""

    @event("PartyPlusProjectRecognised")
    def __init__(self, *, org_id: UUID, title: str, direction: str, actor: str, on: date, timestamp: datetime) -> None:
        self.org_id = org_id
        self.title = title
        self.direction = direction


class ServiceTeamActivity(DutyAggregate):
    """An activity of a 共产党员服务队 on behalf of a branch (the business date is the day held)."""

    @event("ServiceTeamActivityRecorded")
    def __init__(self, *, org_id: UUID, title: str, team: str, actor: str, on: date, timestamp: datetime) -> None:
        self.org_id = org_id
        self.title = title
        self.team = team


class PointsAdjustment(DutyAggregate):
    @event("PointsAdjustmentProposed")
    def __init__(
        self, *, org_id: UUID, points: Decimal, dimension: str, reason: str, actor: str, on: date, timestamp: datetime,
    ) -> None:
        self.org_id = org_id
        self.points = points
        self.dimension = dimension
        self.reason = reason
        self.proposed_by = actor
        self.status = "proposed"

    def _decide(self, ctx: Context, action: str) -> None:
        if ctx.actor == self.proposed_by:
            raise DomainError("self_approval")
        ctx.require(ctx.who.may_publish_results(self.org_id), action, "reason_not_publisher")
        if self.status != "proposed":
            raise WrongState("adjustment", self.status, action)

    def approve(self, comment: str, ctx: Context) -> None:
        self._decide(ctx, "approve_adjustment")
        self._approved(comment=comment.strip(), **ctx.stamp())

    @event("PointsAdjustmentApproved")
    def _approved(self, *, comment: str, actor: str, on: date, timestamp: datetime) -> None:
        self.status = "approved"

    def reject(self, reason: str, ctx: Context) -> None:
        self._decide(ctx, "approve_adjustment")
        if not reason.strip():
            raise DomainError("required", field="reason")
        self._rejected(reason=reason.strip(), **ctx.stamp())

    @event("PointsAdjustmentRejected")
    def _rejected(self, *, reason: str, actor: str, on: date, timestamp: datetime) -> None:
        self.status = "rejected"

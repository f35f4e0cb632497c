"""考责 · 对标积分: the scoring rules, the activities that earn points (标杆 awards, "党建+" projects,
service-team activities) and manual adjustments, which count only once someone else approves."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.activities import ModelBranchAward, PartyPlusProject, PointsAdjustment, ServiceTeamActivity
from domain.authority import Authority
from domain.commands.checks import not_future, required
from domain.commands.core import Actor, CommandCore, command
from domain.context import Context
from domain.errors import DomainError, NotFound
from domain.ranges import POINTS
from domain.scoring import SCORING_RULES_ID, ScoringRules, parse_dimension, parse_rules


class Points(CommandCore):
    @command
    def set_scoring_rules(self, actor: Actor, rules: Sequence[dict[str, Any]], note: str = "") -> int:
        """A new version of the 对标积分 rules; it counts for events recorded from now on. Returns the version."""
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin, "set_rules", "reason_admin_only")
        parsed = parse_rules(list(rules))
        try:
            holder = self.get(ScoringRules, SCORING_RULES_ID, "scoring_rules")
        except NotFound:
            holder = ScoringRules(rules=[r.as_record() for r in parsed], note=note.strip(), **ctx.stamp())
        else:
            holder.change(parsed, note.strip(), ctx)
        self.save(holder)
        return holder.version

    @command
    def award_model_branch(self, actor: Actor, org_id: UUID, title: str, category: str = "", on: date | None = None) -> UUID:
        """标杆计划: a model-branch award, decided by leaders above the branch."""
        return self._record_for_branch(
            actor, org_id, lambda who: who.may_publish_results(org_id), "award", "reason_not_publisher",
            lambda ctx: ModelBranchAward(
                org_id=org_id, title=required(title, "title"), category=category.strip(), **ctx.stamp(not_future(on, ctx)),
            ),
        )

    @command
    def recognise_party_plus_project(
        self, actor: Actor, org_id: UUID, title: str, direction: str = "", on: date | None = None
    ) -> UUID:
        return self._record_for_branch(
            actor, org_id, lambda who: who.may_publish_results(org_id), "award", "reason_not_publisher",
            lambda ctx: PartyPlusProject(
                org_id=org_id, title=required(title, "title"), direction=direction.strip(), **ctx.stamp(not_future(on, ctx)),
            ),
        )

    @command
    def record_service_activity(self, actor: Actor, org_id: UUID, title: str, team: str = "", on: date | None = None) -> UUID:
        """共产党员服务队: the branch records its team's activity (its leaders may too)."""
        return self._record_for_branch(
            actor, org_id, lambda who: who.works_in(org_id) or who.leads(org_id), "record_activity", "reason_not_owner",
            lambda ctx: ServiceTeamActivity(
                org_id=org_id, title=required(title, "title"), team=team.strip(), **ctx.stamp(not_future(on, ctx)),
            ),
        )

    @command
    def propose_points_adjustment(self, actor: Actor, org_id: UUID, points: str | Decimal, dimension: str, reason: str) -> UUID:
        """A manual adjustment counts only once someone else with the authority approves it."""
        return self._record_for_branch(
            actor, org_id, lambda who: who.is_admin or who.leads(org_id), "propose_adjustment", "reason_not_leader",
            lambda ctx: PointsAdjustment(
                org_id=org_id, points=_points(points), dimension=parse_dimension(dimension),
                reason=required(reason, "reason"), **ctx.stamp(),
            ),
        )

    def _record_for_branch(
        self, actor: Actor, org_id: UUID, allowed: Callable[[Authority], bool], action: str, reason: str,
        make: Callable[[Context], Aggregate],
    ) -> UUID:
        """Something that earns (or, adjusted, costs) a branch points: only a branch earns them."""
        ctx = self.context(actor)
        ctx.require(allowed(ctx.who), action, reason)
        self._branch(org_id)
        recorded = make(ctx)
        self.save(recorded)
        return recorded.id

    @command
    def approve_points_adjustment(self, actor: Actor, adjustment_id: UUID, comment: str = "") -> None:
        self._act_on(actor, PointsAdjustment, "adjustment", adjustment_id, None, lambda a, c: a.approve(comment, c))

    @command
    def reject_points_adjustment(self, actor: Actor, adjustment_id: UUID, reason: str) -> None:
        self._act_on(actor, PointsAdjustment, "adjustment", adjustment_id, None, lambda a, c: a.reject(reason, c))


def _points(value: str | Decimal) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise DomainError("invalid_value", field="points", value=value, allowed=["-3", "0.5", "5"]) from None
    if not number.is_finite() or number == 0:
        raise DomainError("invalid_value", field="points", value=value, allowed=["-3", "0.5", "5"])
    return POINTS.check("points", number)

"""考责 · 年考核: the year's 631 weights, the satisfaction survey scores, and the published result.
The 631 itself is computed in domain/score_631.py; these commands record what it works from
and what was published."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.assessment import AnnualAssessment, assessment_id
from domain.commands.core import Actor, CommandCore, command
from domain.context import Context
from domain.errors import NotFound
from domain.ranges import YEAR
from domain.score_631 import Weights, parse_score


class AnnualAssessments(CommandCore):
    def _assessment_year(self, ctx: Context, year: int) -> AnnualAssessment:
        YEAR.check("year", year)
        try:
            return self.get(AnnualAssessment, assessment_id(year), "assessment")
        except NotFound:
            return AnnualAssessment(id=assessment_id(year), year=year, **ctx.stamp())

    @command
    def set_assessment_weights(self, actor: Actor, year: int, **weights: Any) -> None:
        """The year's 631 weights (percent), base score and 述职评议 share of satisfaction."""
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin, "assess", "reason_admin_only")
        parsed = Weights.parse(**weights)
        assessment = self._assessment_year(ctx, year)
        assessment.set_weights(parsed, ctx)
        self.save(assessment)

    @command
    def score_satisfaction_survey(self, actor: Actor, year: int, org_id: UUID, score: str | Decimal) -> None:
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin or ctx.who.may_publish_results(org_id), "assess", "reason_not_publisher")
        self._branch(org_id)
        assessment = self._assessment_year(ctx, year)
        assessment.score_survey(org_id, parse_score(score, "score"), ctx)
        self.save(assessment)

    def assessment_weights(self, year: int) -> Weights:
        try:
            return self.get(AnnualAssessment, assessment_id(year), "assessment").weights
        except NotFound:
            return Weights()

    @command
    def publish_assessment(self, actor: Actor, year: int, results: Sequence[dict[str, Any]]) -> None:
        """Publish the year's ranked result as computed from the record; it is kept as published."""
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin, "assess", "reason_admin_only")
        assessment = self._assessment_year(ctx, year)
        assessment.publish([dict(r) for r in results], ctx)
        self.save(assessment)

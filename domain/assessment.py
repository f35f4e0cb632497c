"""年考核: the annual assessment of every branch, as recorded — the year's weights, the survey
scores, and the published result. Publishing records the whole result, with its breakdown, in the
event itself: what was published never changes when rules change later. The computation is in
domain/score_631.py.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import DutyAggregate
from domain.context import Context
from domain.errors import DomainError
from domain.ids import NAMESPACE
from domain.score_631 import Weights


def assessment_id(year: int) -> UUID:
    return uuid5(NAMESPACE, f"assessment:{year}")


class AnnualAssessment(DutyAggregate):
    """One year's assessment: its weights, the survey scores entered per branch, and what was
    published. Once published, the year is closed: weights and survey scores no longer change."""

    @event("AssessmentYearOpened")
    def __init__(self, *, id: UUID, year: int, actor: str, on: date, timestamp: datetime) -> None:
        self.year = year
        self.weights = Weights()
        self.surveys: dict[str, str] = {}
        self.published = False

    def _require_open(self) -> None:
        if self.published:
            raise DomainError("assessment_published", year=self.year)

    def set_weights(self, weights: Weights, ctx: Context) -> None:
        self._require_open()
        record = weights.as_record()
        self._weights_set(
            year=self.year, value_creation=record["value_creation"], professional=record["professional"],
            satisfaction=record["satisfaction"], base_score=record["base_score"], review_share=record["review_share"],
            **ctx.stamp(),
        )

    @event("AssessmentWeightsSet")
    def _weights_set(
        self, *, year: int, value_creation: str, professional: str, satisfaction: str, base_score: str,
        review_share: str, actor: str, on: date, timestamp: datetime,
    ) -> None:
        self.weights = Weights.from_record({
            "value_creation": value_creation, "professional": professional, "satisfaction": satisfaction,
            "base_score": base_score, "review_share": review_share,
        })

    def score_survey(self, org_id: UUID, score: Decimal, ctx: Context) -> None:
        self._require_open()
        self._surveyed(year=self.year, org_id=org_id, score=score, **ctx.stamp())

    @event("SatisfactionSurveyScored")
    def _surveyed(self, *, year: int, org_id: UUID, score: Decimal, actor: str, on: date, timestamp: datetime) -> None:
        self.surveys[str(org_id)] = str(score)

    def publish(self, results: list[dict[str, Any]], ctx: Context) -> None:
        self._require_open()
        if not results:
            raise DomainError("required", field="results")
        self._published(year=self.year, weights=self.weights.as_record(), results=results, **ctx.stamp())

    @event("AssessmentPublished")
    def _published(
        self, *, year: int, weights: dict[str, str], results: list[dict[str, Any]], actor: str, on: date, timestamp: datetime,
    ) -> None:
        self.published = True

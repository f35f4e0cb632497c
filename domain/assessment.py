"""年考核: the annual "631" assessment of every branch.

党建价值创造能力 60 %, 党建专业管理能力 30 %, 党建工作满意度 10 % — the weights are set per year as
events. The first two dimensions are a base score plus the year's points of that dimension; the
third blends the 述职评议 score and a satisfaction survey score (plus any points a rule puts in
that dimension). Every dimension is held to 0–100. Publishing records the whole result, with its
breakdown, in the event itself: what was published never changes when rules change later.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import DutyAggregate
from domain.context import Context
from domain.errors import DomainError
from domain.ids import NAMESPACE
from domain.scoring import DIMENSIONS

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def assessment_id(year: int) -> UUID:
    return uuid5(NAMESPACE, f"assessment:{year}")


@dataclass(frozen=True)
class Weights:
    """Percentages of the three dimensions (they add up to 100), the base score the points of
    the first two are added to, and the share (percent) of 述职评议 in satisfaction."""

    value_creation: Decimal = Decimal(60)
    professional: Decimal = Decimal(30)
    satisfaction: Decimal = Decimal(10)
    base_score: Decimal = Decimal(80)
    review_share: Decimal = Decimal(50)

    @classmethod
    def parse(cls, **values: Any) -> Weights:
        parsed: dict[str, Decimal] = {}
        for name, value in values.items():
            try:
                number = Decimal(str(value).strip())
            except InvalidOperation:
                raise DomainError("invalid_value", field=name, value=value, allowed=["0–100"]) from None
            if not number.is_finite() or not Decimal(0) <= number <= HUNDRED:
                raise DomainError("invalid_value", field=name, value=value, allowed=["0–100"])
            parsed[name] = number
        weights = cls(**parsed)
        total = weights.value_creation + weights.professional + weights.satisfaction
        if total != HUNDRED:
            raise DomainError("weights_sum", total=total)
        return weights

    def as_record(self) -> dict[str, str]:
        return {name: str(getattr(self, name)) for name in self.__dataclass_fields__}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Weights:
        return cls(**{name: Decimal(str(record[name])) for name in cls.__dataclass_fields__ if name in record})


@dataclass(frozen=True)
class BranchInputs:
    org_id: str
    name: str
    points: Mapping[str, Decimal]
    """The year's points per dimension."""
    review_score: Decimal | None
    review_grade: str | None
    survey_score: Decimal | None
    rules: Mapping[str, Decimal] = field(default_factory=dict)
    """The year's points per ``dimension:rule`` (for the breakdown)."""


@dataclass(frozen=True)
class BranchScore:
    org_id: str
    name: str
    rank: int
    value_creation: Decimal
    professional: Decimal
    satisfaction: Decimal
    total: Decimal
    points: Mapping[str, Decimal]
    rules: Mapping[str, Decimal]
    review_score: Decimal | None
    review_grade: str | None
    survey_score: Decimal | None

    def as_record(self) -> dict[str, Any]:
        def text(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "org_id": self.org_id, "name": self.name, "rank": self.rank,
            "value_creation": str(self.value_creation), "professional": str(self.professional),
            "satisfaction": str(self.satisfaction), "total": str(self.total),
            "points": {k: str(v) for k, v in self.points.items()}, "rules": {k: str(v) for k, v in self.rules.items()},
            "review_score": text(self.review_score), "review_grade": self.review_grade,
            "survey_score": text(self.survey_score),
        }


def _clamp(value: Decimal) -> Decimal:
    return min(max(value, Decimal(0)), HUNDRED).quantize(CENT, ROUND_HALF_UP)


def weighted_total(value_creation: Decimal, professional: Decimal, satisfaction: Decimal, weights: Weights) -> Decimal:
    """e.g. 85 / 90 / 95 under 60 / 30 / 10 gives 87.50."""
    total = (
        value_creation * weights.value_creation + professional * weights.professional + satisfaction * weights.satisfaction
    ) / HUNDRED
    return total.quantize(CENT, ROUND_HALF_UP)


def score_branch(inputs: BranchInputs, weights: Weights) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(value creation, professional, satisfaction, total); a missing review or survey counts 0."""
    points = {d: inputs.points.get(d, Decimal(0)) for d in DIMENSIONS}
    value_creation = _clamp(weights.base_score + points["value_creation"])
    professional = _clamp(weights.base_score + points["professional"])
    share = weights.review_share / HUNDRED
    satisfaction = _clamp(
        share * (inputs.review_score or Decimal(0)) + (1 - share) * (inputs.survey_score or Decimal(0))
        + points["satisfaction"]
    )
    return value_creation, professional, satisfaction, weighted_total(value_creation, professional, satisfaction, weights)


def assess(branches: Sequence[BranchInputs], weights: Weights) -> list[BranchScore]:
    """Every branch scored and ranked; equal totals share a rank (1, 2, 2, 4)."""
    scored = []
    for inputs in branches:
        vc, pm, sat, total = score_branch(inputs, weights)
        scored.append((inputs, vc, pm, sat, total))
    scored.sort(key=lambda s: (-s[4], s[0].name))
    results: list[BranchScore] = []
    for position, (inputs, vc, pm, sat, total) in enumerate(scored, start=1):
        rank = results[-1].rank if results and results[-1].total == total else position
        results.append(BranchScore(
            inputs.org_id, inputs.name, rank, vc, pm, sat, total, dict(inputs.points), dict(inputs.rules),
            inputs.review_score, inputs.review_grade, inputs.survey_score,
        ))
    return results


def parse_score(value: Any, field_name: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise DomainError("invalid_value", field=field_name, value=value, allowed=["0–100"]) from None
    if not number.is_finite() or not Decimal(0) <= number <= HUNDRED:
        raise DomainError("invalid_value", field=field_name, value=value, allowed=["0–100"])
    return number.quantize(CENT, ROUND_HALF_UP)


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

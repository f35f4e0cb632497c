"""The "631": how the year's points, the 述职评议 score and the survey score make a branch's annual total.

党建价值创造能力 60 %, 党建专业管理能力 30 %, 党建工作满意度 10 % — the weights are set per year as
events. The first two dimensions are a base score plus the year's points of that dimension; the
third blends the 述职评议 score and a satisfaction survey score (plus any points a rule puts in
that dimension). Every dimension is held to 0–100.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from domain.errors import DomainError
from domain.scoring import DIMENSIONS

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


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

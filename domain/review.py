"""述职评议: each year each branch secretary reports on both accounts — the business and the
Party-building ("既报业务账、又报党建账") — and reviewers grade the report into 等次.

filed → graded (by one or more reviewers) → published; a published result can be recalled
(back to grading) or corrected in place with a reason. Each step is an event with its actor, so
the grade that fed an annual assessment can always be traced to who gave it and why it changed.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import DutyAggregate
from domain.context import Context
from domain.errors import DomainError, WrongState
from domain.ids import NAMESPACE

GRADES = ("excellent", "good", "fair", "poor")
"""好, 较好, 一般, 差."""

GRADE_SCORES: dict[str, Decimal] = {
    "excellent": Decimal(95), "good": Decimal(85), "fair": Decimal(70), "poor": Decimal(50),
}
"""The score a reviewer's grade counts as when they give a grade rather than a score."""

GRADE_BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(90), "excellent"), (Decimal(80), "good"), (Decimal(60), "fair"), (Decimal(0), "poor"),
)
"""A score maps to the first grade whose lower bound it reaches: 90–100 好, 80–89.99 较好,
60–79.99 一般, below 60 差."""

GRADE_LABELS: dict[str, tuple[str, str]] = {
    "excellent": ("好", "excellent"), "good": ("较好", "good"), "fair": ("一般", "fair"), "poor": ("差", "poor"),
}

CENT = Decimal("0.01")


def parse_grade(text: str) -> str:
    """Accept the stored word or the Chinese 等次 people write."""
    key = text.strip()
    for grade, (zh, en) in GRADE_LABELS.items():
        if key in (grade, zh, en):
            return grade
    raise DomainError("invalid_value", field="grade", value=text, allowed=[f"{g}({GRADE_LABELS[g][0]})" for g in GRADES])


def review_id(org_id: UUID, year: int) -> UUID:
    return uuid5(NAMESPACE, f"review:{year}:{org_id}")


def grade_of(score: Decimal) -> str:
    for lower, grade in GRADE_BANDS:
        if score >= lower:
            return grade
    return "poor"


def parse_mark(grade: str | None, score: str | Decimal | None) -> tuple[Decimal, str]:
    """A reviewer gives a grade or a score (0–100), not both; returns (score, grade)."""
    if (grade is None) == (score is None):
        raise DomainError("grade_or_score")
    if grade is not None:
        chosen = parse_grade(grade)
        return GRADE_SCORES[chosen], chosen
    try:
        value = Decimal(str(score).strip())
    except InvalidOperation:
        raise DomainError("invalid_value", field="score", value=score, allowed=["0–100"]) from None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise DomainError("invalid_value", field="score", value=score, allowed=["0–100"])
    value = value.quantize(CENT, ROUND_HALF_UP)
    return value, grade_of(value)


class AnnualReview(DutyAggregate):
    @event("ReviewReportFiled")
    def __init__(
        self, *, id: UUID, year: int, org_id: UUID, secretary_id: UUID, business_account: str, party_account: str,
        actor: str, on: date, timestamp: datetime,
    ) -> None:
        self.year = year
        self.org_id = org_id
        self.secretary_id = secretary_id
        self.business_account = business_account
        self.party_account = party_account
        self.status = "filed"
        self.marks: dict[str, str] = {}
        self.score: Decimal | None = None
        self.grade: str | None = None

    def _require(self, *states: str, action: str) -> None:
        if self.status not in states:
            raise WrongState("review", self.status, action)

    def mark(self, score: Decimal, grade: str, comment: str, ctx: Context) -> None:
        """A reviewer's mark; marking again before publication replaces their earlier mark."""
        if ctx.who.is_person(self.secretary_id):
            raise DomainError("self_review")
        ctx.require(ctx.who.may_review(self.org_id), "grade_review", "reason_not_reviewer")
        self._require("filed", "graded", "recalled", action="grade_review")
        self._graded(score=score, grade=grade, comment=comment.strip(), **ctx.stamp())

    @event("ReviewGraded")
    def _graded(self, *, score: Decimal, grade: str, comment: str, actor: str, on: date, timestamp: datetime) -> None:
        self.marks[actor] = str(score)
        self.status = "graded"

    def result(self) -> tuple[Decimal, str]:
        """The mean of the reviewers' scores, to the cent, and its grade by the bands."""
        scores = [Decimal(s) for s in self.marks.values()]
        mean = (sum(scores, Decimal(0)) / len(scores)).quantize(CENT, ROUND_HALF_UP)
        return mean, grade_of(mean)

    def publish(self, ctx: Context) -> None:
        ctx.require(ctx.who.may_publish_results(self.org_id), "publish_review", "reason_not_publisher")
        if self.status == "filed":
            raise DomainError("review_not_graded")
        self._require("graded", action="publish_review")
        score, grade = self.result()
        self._published(score=score, grade=grade, reviewers=len(self.marks), **ctx.stamp())

    @event("ReviewPublished")
    def _published(self, *, score: Decimal, grade: str, reviewers: int, actor: str, on: date, timestamp: datetime) -> None:
        self.status = "published"
        self.score = score
        self.grade = grade

    def recall(self, reason: str, ctx: Context) -> None:
        ctx.require(ctx.who.may_publish_results(self.org_id), "recall_review", "reason_not_publisher")
        self._require("published", action="recall_review")
        if not reason.strip():
            raise DomainError("required", field="reason")
        self._recalled(reason=reason.strip(), **ctx.stamp())

    @event("ReviewRecalled")
    def _recalled(self, *, reason: str, actor: str, on: date, timestamp: datetime) -> None:
        self.status = "recalled"
        self.score = None
        self.grade = None

    def correct(self, score: Decimal, grade: str, reason: str, ctx: Context) -> None:
        ctx.require(ctx.who.may_publish_results(self.org_id), "correct_review", "reason_not_publisher")
        self._require("published", action="correct_review")
        if not reason.strip():
            raise DomainError("required", field="reason")
        self._corrected(score=score, grade=grade, reason=reason.strip(), **ctx.stamp())

    @event("ReviewCorrected")
    def _corrected(self, *, score: Decimal, grade: str, reason: str, actor: str, on: date, timestamp: datetime) -> None:
        self.score = score
        self.grade = grade

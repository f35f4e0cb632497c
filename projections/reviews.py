"""述职评议 results, the years' "631" weights and survey scores, and the published assessments."""

from __future__ import annotations

from typing import Any

import orjson

from projections.batch import Batch
from projections.points_tables import (
    assessment_weights,
    published_assessments,
    reviews,
    survey_scores,
)
from projections.view import View, day, hx, moment, to_json


class ReviewsView(View):
    name = "reviews"
    cost = 1
    tables = (reviews, assessment_weights, survey_scores, published_assessments)

    def wants(self, event: Any) -> list[Any]:
        if event.aggregate_type == "AnnualReview" and event.event_type != "ReviewReportFiled":
            return [(reviews, (hx(event.originator_id),))]
        return []

    def on_ReviewReportFiled(self, batch: Batch, nid: int, e: Any) -> None:
        batch.put(reviews, {
            "review_id": hx(e.originator_id), "year": e.year, "org_id": hx(e.org_id), "secretary_id": hx(e.secretary_id),
            "business_account": e.business_account, "party_account": e.party_account, "status": "filed",
            "marks": "{}", "score": None, "grade": None, "published_on": None,
            "history": to_json([_step(e, nid)]),
        })

    def _review(self, batch: Batch, nid: int, e: Any, **changes: Any) -> dict[str, Any] | None:
        row = batch.get(reviews, hx(e.originator_id))
        if row is None:
            return None
        history = [*orjson.loads(row["history"]), _step(e, nid)]
        return batch.update(reviews, hx(e.originator_id), history=to_json(history), **changes)

    def on_ReviewGraded(self, batch: Batch, nid: int, e: Any) -> None:
        row = batch.get(reviews, hx(e.originator_id))
        if row is not None:
            marks = {**orjson.loads(row["marks"]), hx(e.actor): {"score": str(e.score), "grade": e.grade, "comment": e.comment}}
            self._review(batch, nid, e, status="graded", marks=to_json(marks))

    def on_ReviewPublished(self, batch: Batch, nid: int, e: Any) -> None:
        self._review(batch, nid, e, status="published", score=str(e.score), grade=e.grade, published_on=day(e.on))

    def on_ReviewRecalled(self, batch: Batch, nid: int, e: Any) -> None:
        self._review(batch, nid, e, status="recalled", score=None, grade=None, published_on=None)

    def on_ReviewCorrected(self, batch: Batch, nid: int, e: Any) -> None:
        self._review(batch, nid, e, score=str(e.score), grade=e.grade)

    def on_AssessmentWeightsSet(self, batch: Batch, nid: int, e: Any) -> None:
        weights = {k: str(getattr(e, k)) for k in ("value_creation", "professional", "satisfaction", "base_score", "review_share")}
        batch.put(assessment_weights, {"year": e.year, "weights": to_json(weights), "set_by": hx(e.actor)})

    def on_SatisfactionSurveyScored(self, batch: Batch, nid: int, e: Any) -> None:
        batch.put(survey_scores, {"year": e.year, "org_id": hx(e.org_id), "score": str(e.score), "entered_by": hx(e.actor)})

    def on_AssessmentPublished(self, batch: Batch, nid: int, e: Any) -> None:
        batch.put(published_assessments, {
            "year": e.year, "weights": to_json(e.weights), "results": to_json(e.results),
            "published_by": hx(e.actor), "business_date": day(e.on), "recorded_at": moment(e.timestamp),
        })


def _step(e: Any, nid: int) -> dict[str, Any]:
    step = {"event": e.event_type, "actor": hx(e.actor), "on": day(e.on), "notification_id": nid}
    for name in ("score", "grade", "reason", "comment"):
        if hasattr(e, name):
            step[name] = str(getattr(e, name))
    return step

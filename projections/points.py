"""月积分: every branch's points, one row per event that earned or cost them.

Each row names the rule, the rule-set version in force when the event was recorded, the event
itself (notification id, originator id and version) and the earlier events it rests on (the
report that was on time, the completion that was late), so any total can be taken apart down to
the facts. Rules apply in log order: a rule edit changes the points of later events only.

The same view, given a fixed rule set instead, replays a past period for a what-if.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

import orjson

from domain.ranges import POINTS
from domain.scoring import Rule, rules_from_records
from projections.batch import Batch
from projections.points_tables import (
    activities,
    point_rows,
    scoring_rules,
    scoring_subjects,
)
from projections.view import View, day, hx, moment, to_json

IN_FORCE = 0
"""The scoring_rules row that holds the rule set in force (history rows are versions 1, 2, …)."""

OVERDUE_LEVELS = ("overdue", "seriously_overdue", "escalated")
SUBJECT_EVENTS = {
    "Task": "TaskIssued", "Rectification": "RectificationOpened", "Interview": "InterviewScheduled",
    "PointsAdjustment": "PointsAdjustmentProposed",
}



def _ref(e: Any, nid: int) -> list[Any]:
    return [e.event_type, hx(e.originator_id), e.originator_version, nid]


class PointsView(View):
    name = "points"
    cost = 15
    tables = (point_rows, scoring_rules, scoring_subjects, activities)

    def wants(self, event: Any) -> list[Any]:
        if event.event_type not in HANDLED:
            return []
        first = SUBJECT_EVENTS.get(event.aggregate_type)
        wanted: list[Any] = [(scoring_rules, (IN_FORCE,))]
        if first is not None and event.event_type != first:
            wanted.append((scoring_subjects, (hx(event.originator_id),)))
        elif event.event_type == "ReminderRecorded":
            wanted.append((scoring_subjects, (hx(event.target_id),)))
        return wanted

    # -- the rules in force ------------------------------------------------------------------

    def __init__(self) -> None:
        super().__init__()
        self._parsed: dict[str, dict[str, Rule]] = {}

    def rules_in_force(self, batch: Batch) -> tuple[dict[str, Rule], int]:
        row = batch.get(scoring_rules, IN_FORCE)
        if row is None:
            return {}, 0
        text = row["rules"]
        if text not in self._parsed:
            self._parsed[text] = rules_from_records(orjson.loads(text))
        return self._parsed[text], int(row["rule_version"])

    def _rules_recorded(self, batch: Batch, nid: int, e: Any) -> None:
        row = {
            "rules": to_json(e.rules), "note": e.note, "set_by": hx(e.actor),
            "business_date": day(e.on), "recorded_at": moment(e.timestamp), "notification_id": nid,
            "rule_version": e.originator_version,
        }
        batch.put(scoring_rules, {"version": e.originator_version, **row})
        batch.put(scoring_rules, {"version": IN_FORCE, **row})

    def on_ScoringRulesSet(self, batch: Batch, nid: int, e: Any) -> None:
        self._rules_recorded(batch, nid, e)

    def on_ScoringRulesChanged(self, batch: Batch, nid: int, e: Any) -> None:
        self._rules_recorded(batch, nid, e)

    # -- writing a point row -----------------------------------------------------------------------

    def _score(
        self, batch: Batch, nid: int, e: Any, code: str, org_id: str | None, subject_id: str | None,
        sources: list[list[Any]], note: str = "",
    ) -> None:
        rules, version = self.rules_in_force(batch)
        rule = rules.get(code)
        if rule is None or org_id is None:
            return
        self._row(batch, nid, e, code, org_id, subject_id, str(rule.points), rule.dimension, version, sources, note)

    def _row(
        self, batch: Batch, nid: int, e: Any, code: str, org_id: str, subject_id: str | None, points: str,
        dimension: str, version: int, sources: list[list[Any]], note: str,
    ) -> None:
        on = day(e.on) or ""
        batch.append(point_rows, (
            nid, code, org_id, on[:7], on, dimension, _bounded(points), version, e.event_type, hx(e.originator_id),
            e.originator_version, subject_id or hx(e.originator_id), to_json(sources), note,
        ))

    def _subject(self, batch: Batch, subject_id: str | None) -> dict[str, Any] | None:
        return batch.get(scoring_subjects, subject_id)

    def _new_subject(self, batch: Batch, e: Any, kind: str, **values: Any) -> None:
        batch.put(scoring_subjects, {
            "subject_id": hx(e.originator_id), "kind": kind, "org_id": hx(e.org_id), "deadline": None,
            "original_deadline": None, "reported_on": None, "reported_event": None, "charged": 0, "detail": "{}",
            **values,
        })

    # -- tasks ---------------------------------------------------------------------------------------

    def on_TaskIssued(self, batch: Batch, nid: int, e: Any) -> None:
        self._new_subject(batch, e, "task", deadline=day(e.deadline), original_deadline=day(e.deadline), detail=to_json({"title": e.title}))

    def on_TaskDeadlineExtended(self, batch: Batch, nid: int, e: Any) -> None:
        batch.update(scoring_subjects, hx(e.originator_id), deadline=day(e.deadline))

    def on_TaskReportedDone(self, batch: Batch, nid: int, e: Any) -> None:
        batch.update(scoring_subjects, hx(e.originator_id), reported_on=day(e.on), reported_event=to_json(_ref(e, nid)))

    def on_TaskReturned(self, batch: Batch, nid: int, e: Any) -> None:
        task = self._subject(batch, hx(e.originator_id))
        if task is None:
            return
        sources = [orjson.loads(task["reported_event"])] if task["reported_event"] else []
        self._score(batch, nid, e, "task_returned", task["org_id"], task["subject_id"], sources, _title(task))
        batch.update(scoring_subjects, task["subject_id"], reported_on=None, reported_event=None)

    def on_TaskAccepted(self, batch: Batch, nid: int, e: Any) -> None:
        """On time, or late, judged by the report that was accepted against the deadline the rule names."""
        task = self._subject(batch, hx(e.originator_id))
        if task is None or task["reported_on"] is None:
            return
        rules, _ = self.rules_in_force(batch)
        sources = [orjson.loads(task["reported_event"])]
        for code, wanted_on_time in (("task_on_time", True), ("task_late", False)):
            rule = rules.get(code)
            if rule is None:
                continue
            deadline = task["original_deadline"] if rule.basis == "original" else task["deadline"]
            if (task["reported_on"] <= deadline) == wanted_on_time:
                note = f"{_title(task)}（{task['reported_on']} / {deadline}）"
                self._score(batch, nid, e, code, task["org_id"], task["subject_id"], sources, note)

    # -- findings, interviews, rectifications ---------------------------------------------------------

    def on_FindingRaised(self, batch: Batch, nid: int, e: Any) -> None:
        self._score(batch, nid, e, "finding_raised", hx(e.org_id), hx(e.originator_id), [], e.description)

    def on_InterviewScheduled(self, batch: Batch, nid: int, e: Any) -> None:
        self._new_subject(batch, e, "interview", reported_event=to_json(_ref(e, nid)), detail=to_json({"title": e.reason}))

    def on_InterviewHeld(self, batch: Batch, nid: int, e: Any) -> None:
        interview = self._subject(batch, hx(e.originator_id))
        if interview is not None:
            sources = [orjson.loads(interview["reported_event"])]
            self._score(batch, nid, e, "interview_held", interview["org_id"], interview["subject_id"], sources, _title(interview))

    def on_RectificationOpened(self, batch: Batch, nid: int, e: Any) -> None:
        self._new_subject(batch, e, "rectification", deadline=day(e.deadline), original_deadline=day(e.deadline),
                          detail=to_json({"title": e.requirement}))

    def _charge_overdue(self, batch: Batch, nid: int, e: Any, rect: dict[str, Any], note: str) -> None:
        """An overdue rectification costs points once: at the first overdue reminder or late completion."""
        if rect["charged"]:
            return
        self._score(batch, nid, e, "rectification_overdue", rect["org_id"], rect["subject_id"], [], note)
        batch.update(scoring_subjects, rect["subject_id"], charged=1)

    def on_RectificationCompletionReported(self, batch: Batch, nid: int, e: Any) -> None:
        rect = self._subject(batch, hx(e.originator_id))
        if rect is None:
            return
        if day(e.on) > rect["deadline"]:
            self._charge_overdue(batch, nid, e, rect, f"{_title(rect)}（{day(e.on)} / {rect['deadline']}）")
        batch.update(scoring_subjects, rect["subject_id"], reported_on=day(e.on), reported_event=to_json(_ref(e, nid)))

    def on_RectificationVerified(self, batch: Batch, nid: int, e: Any) -> None:
        rect = self._subject(batch, hx(e.originator_id))
        if rect is None or rect["charged"] or rect["reported_on"] is None or rect["reported_on"] > rect["deadline"]:
            return
        self._score(batch, nid, e, "rectification_on_time", rect["org_id"], rect["subject_id"],
                    [orjson.loads(rect["reported_event"])], _title(rect))
        batch.update(scoring_subjects, rect["subject_id"], charged=2)

    def on_ReminderRecorded(self, batch: Batch, nid: int, e: Any) -> None:
        if e.target_kind != "rectification" or e.level not in OVERDUE_LEVELS:
            return
        rect = self._subject(batch, hx(e.target_id))
        if rect is not None and rect["reported_on"] is None:
            self._charge_overdue(batch, nid, e, rect, f"{_title(rect)}（{rect['deadline']}）")

    # -- activities and adjustments -----------------------------------------------------------------

    def _activity(self, batch: Batch, nid: int, e: Any, kind: str, code: str, detail: str) -> None:
        batch.put(activities, {
            "activity_id": hx(e.originator_id), "kind": kind, "org_id": hx(e.org_id), "title": e.title, "detail": detail,
            "business_date": day(e.on), "actor": hx(e.actor), "status": "recorded",
        })
        self._score(batch, nid, e, code, hx(e.org_id), hx(e.originator_id), [], e.title)

    def on_ModelBranchAwarded(self, batch: Batch, nid: int, e: Any) -> None:
        self._activity(batch, nid, e, "model_branch", "model_branch_award", e.category)

    def on_PartyPlusProjectRecognised(self, batch: Batch, nid: int, e: Any) -> None:
        self._activity(batch, nid, e, "party_plus", "party_plus_project", e.direction)

    def on_ServiceTeamActivityRecorded(self, batch: Batch, nid: int, e: Any) -> None:
        self._activity(batch, nid, e, "service_team", "service_team_activity", e.team)

    def on_PointsAdjustmentProposed(self, batch: Batch, nid: int, e: Any) -> None:
        detail = {"points": str(e.points), "dimension": e.dimension, "reason": e.reason, "proposed": _ref(e, nid)}
        self._new_subject(batch, e, "adjustment", detail=to_json(detail))
        batch.put(activities, {
            "activity_id": hx(e.originator_id), "kind": "adjustment", "org_id": hx(e.org_id), "title": e.reason,
            "detail": f"{e.points} {e.dimension}", "business_date": day(e.on), "actor": hx(e.actor), "status": "proposed",
        })

    def on_PointsAdjustmentApproved(self, batch: Batch, nid: int, e: Any) -> None:
        """An approved adjustment counts its own points in its own dimension, as proposed."""
        adjustment = self._subject(batch, hx(e.originator_id))
        if adjustment is None:
            return
        detail = orjson.loads(adjustment["detail"])
        _, version = self.rules_in_force(batch)
        self._row(batch, nid, e, "manual_adjustment", adjustment["org_id"], adjustment["subject_id"], detail["points"],
                  detail["dimension"], version, [detail["proposed"]], detail["reason"])
        batch.update(activities, hx(e.originator_id), status="approved")

    def on_PointsAdjustmentRejected(self, batch: Batch, nid: int, e: Any) -> None:
        batch.update(activities, hx(e.originator_id), status="rejected")


def _bounded(points: str) -> str:
    """Points as recorded, or at the bound of their range where an older version let a number
    beyond it through (``1e999999`` broke every page that sums points)."""
    try:
        value = Decimal(points)
    except InvalidOperation:
        return "0"
    if not value.is_finite():
        return "0"
    return points if POINTS.low <= value <= POINTS.high else str(POINTS.clamp(value))


HANDLED = frozenset(name.removeprefix("on_") for name in dir(PointsView) if name.startswith("on_"))
"""The events this view handles: only they need its rows fetched ahead of a batch."""


class FixedRulesPointsView(PointsView):
    """The points view under one proposed rule set, whatever the record says (for a what-if)."""

    fixed: ClassVar[dict[str, Rule]] = {}

    def rules_in_force(self, batch: Batch) -> tuple[dict[str, Rule], int]:
        return self.fixed, -1

    def on_ScoringRulesSet(self, batch: Batch, nid: int, e: Any) -> None:
        return None

    def on_ScoringRulesChanged(self, batch: Batch, nid: int, e: Any) -> None:
        return None


def with_fixed_rules(rules: dict[str, Rule]) -> type[PointsView]:
    return type("WhatIfPointsView", (FixedRulesPointsView,), {"fixed": dict(rules)})


def _title(subject: dict[str, Any]) -> str:
    return str(orjson.loads(subject["detail"]).get("title", ""))

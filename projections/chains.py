"""Rectification chains: findings, interviews, rectifications and the links between them.

A chain is named by where it started (a finding, or an interview). Every entity in it — the
finding, the tasks and findings that caused an interview, the rectification, the reminders about
any of them — is linked to the chain, so the whole story is one look-up in the trail. Reminders are
kept by their target whether or not it is in a chain yet: an interview about a task overdue for
weeks brings along every reminder recorded about it before, in a rebuild too."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from projections.batch import Batch
from projections.tables import (
    chain_links,
    chain_reminders,
    findings,
    interviews,
    rectifications,
    work_prompts,
)
from projections.view import View, day, hx, to_json


class ChainsView(View):
    name = "chains"
    tables = (findings, interviews, rectifications, chain_links, chain_reminders, work_prompts)

    def wants(self, event: Any) -> list[Any]:
        kind = event.aggregate_type
        name = event.event_type
        if kind == "Rectification" and name != "RectificationOpened":
            return [(rectifications, (hx(event.originator_id),))]
        if kind == "Interview" and name != "InterviewScheduled":
            return [(interviews, (hx(event.originator_id),))]
        return []

    def _link(self, batch: Batch, entity_id: Any, chain_id: Any) -> None:
        batch.put(chain_links, {"entity_id": hx(entity_id), "chain_id": hx(chain_id)})

    def _chains_of(self, batch: Batch, entity_id: str | None) -> list[str]:
        rows = batch.conn.execute(select(chain_links.c.chain_id).where(chain_links.c.entity_id == entity_id))
        found = {r[0] for r in rows}
        found |= {k[1] for k, v in batch._dirty[chain_links].items() if k[0] == entity_id}
        return sorted(found)

    def _reminders_of(self, batch: Batch, target_id: str) -> list[str]:
        rows = batch.conn.execute(select(chain_reminders.c.reminder_id).where(chain_reminders.c.target_id == target_id))
        found = {r[0] for r in rows}
        found |= {k[0] for k, v in batch._dirty[chain_reminders].items() if v["target_id"] == target_id}
        return sorted(found)

    def _link_with_reminders(self, batch: Batch, entity_id: str, chain_id: Any) -> None:
        self._link(batch, entity_id, chain_id)
        for reminder_id in self._reminders_of(batch, entity_id):
            self._link(batch, reminder_id, chain_id)

    def on_FindingRaised(self, batch: Batch, nid: int, e: Any) -> None:
        batch.put(findings, {
            "finding_id": hx(e.originator_id), "inspection_id": hx(e.inspection_id),
            "inspection_kind": e.inspection_kind, "subject": e.subject, "org_id": hx(e.org_id), "description": e.description,
            "raised_by": hx(e.actor), "raised_on": day(e.on),
        })
        self._link(batch, e.originator_id, e.originator_id)

    def on_WorkPromptSent(self, batch: Batch, nid: int, e: Any) -> None:
        batch.put(work_prompts, {
            "prompt_id": hx(e.originator_id), "org_id": hx(e.org_id), "title": e.title, "content": e.content,
            "sent_by": hx(e.actor), "sent_on": day(e.on),
        })

    def on_InterviewScheduled(self, batch: Batch, nid: int, e: Any) -> None:
        causes = [["task", hx(t)] for t in e.task_ids] + [["finding", hx(f)] for f in e.finding_ids]
        batch.put(interviews, {
            "interview_id": hx(e.originator_id), "interviewer_id": hx(e.interviewer_id),
            "interviewee_id": hx(e.interviewee_id), "org_id": hx(e.org_id), "reason": e.reason,
            "causes": to_json(causes), "planned_on": day(e.planned_on), "held_on": None,
            "status": "scheduled", "rectification_deadline": None,
        })
        self._link(batch, e.originator_id, e.originator_id)
        for _, cause_id in causes:
            self._link_with_reminders(batch, cause_id, e.originator_id)

    def on_InterviewHeld(self, batch: Batch, nid: int, e: Any) -> None:
        batch.update(
            interviews, hx(e.originator_id), held_on=day(e.on), status="held",
            rectification_deadline=day(e.rectification_deadline),
        )

    def on_RectificationOpened(self, batch: Batch, nid: int, e: Any) -> None:
        batch.put(rectifications, {
            "rectification_id": hx(e.originator_id), "source_kind": e.source_kind, "source_id": hx(e.source_id),
            "org_id": hx(e.org_id), "owner_id": hx(e.owner_id), "raised_by": hx(e.raised_by),
            "checker_id": hx(e.raised_by),
            "requirement": e.requirement, "status": "opened", "opened_on": day(e.on), "deadline": day(e.deadline),
            "original_deadline": day(e.deadline), "completion_reported_on": None, "verified_by": None,
            "verified_on": None, "closed_on": None, "return_count": 0, "version": e.originator_version,
        })
        self._link(batch, e.originator_id, e.source_id)

    def _rect(self, batch: Batch, e: Any, **changes: Any) -> dict[str, Any] | None:
        return batch.update(rectifications, hx(e.originator_id), version=e.originator_version, **changes)

    def on_RectificationPlanSubmitted(self, batch: Batch, nid: int, e: Any) -> None:
        self._rect(batch, e)

    def on_RectificationProgressNoted(self, batch: Batch, nid: int, e: Any) -> None:
        self._rect(batch, e)

    def on_RectificationCompletionReported(self, batch: Batch, nid: int, e: Any) -> None:
        self._rect(batch, e, status="completion_reported", completion_reported_on=day(e.on))

    def on_RectificationVerified(self, batch: Batch, nid: int, e: Any) -> None:
        self._rect(batch, e, status="verified", verified_by=hx(e.actor), verified_on=day(e.on))

    def on_RectificationReturned(self, batch: Batch, nid: int, e: Any) -> None:
        row = batch.get(rectifications, hx(e.originator_id))
        if row is not None:
            self._rect(batch, e, status="returned", completion_reported_on=None, return_count=row["return_count"] + 1)

    def on_RectificationHandedOver(self, batch: Batch, nid: int, e: Any) -> None:
        self._rect(batch, e, owner_id=hx(e.owner_id))

    def on_RectificationCheckHandedOver(self, batch: Batch, nid: int, e: Any) -> None:
        self._rect(batch, e, checker_id=hx(e.checker_id))

    def on_RectificationUrged(self, batch: Batch, nid: int, e: Any) -> None:
        self._rect(batch, e)

    def on_RectificationCommented(self, batch: Batch, nid: int, e: Any) -> None:
        self._rect(batch, e)

    def on_RectificationClosed(self, batch: Batch, nid: int, e: Any) -> None:
        self._rect(batch, e, status="closed", closed_on=day(e.on))

    def on_ReminderRecorded(self, batch: Batch, nid: int, e: Any) -> None:
        target_id = hx(e.target_id)
        batch.put(chain_reminders, {"reminder_id": hx(e.originator_id), "target_id": target_id})
        for chain_id in self._chains_of(batch, target_id):
            self._link(batch, e.originator_id, chain_id)

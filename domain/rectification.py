"""整改: rectification opened from a finding or an interview — the link that makes the chain.

opened → plan → progress → completion reported → verified → closed (销号);
or returned at verification and reworked. Nothing is closed unverified.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import DutyAggregate
from domain.context import Context
from domain.errors import DomainError, WrongState
from domain.evidence import require_evidence

REWORKABLE = ("opened", "returned")


class Rectification(DutyAggregate):
    @event("RectificationOpened")
    def __init__(
        self,
        *, id: UUID,
        source_kind: str,
        source_id: UUID,
        org_id: UUID,
        owner_id: UUID,
        raised_by: str,
        requirement: str,
        deadline: date,
        deadline_rule: str,
        actor: str,
        on: date,
        timestamp: datetime,
    ) -> None:
        self.source_kind = source_kind
        self.source_id = source_id
        self.org_id = org_id
        self.owner_id = owner_id
        self.raised_by = raised_by
        self.checker = raised_by
        """Who verifies (验收) and closes it besides those with authority: the one who raised it,
        until a handover (交接) passes that to their successor."""
        self.requirement = requirement
        self.deadline = deadline
        self.original_deadline = deadline
        self.deadline_rule = deadline_rule
        self.opened_on = on
        self.status = "opened"
        self.plan = ""
        self.verified_by: str | None = None
        self.closed_on: date | None = None

    @property
    def begun_on(self) -> date:
        return self.opened_on

    def _require_owner_side(self, ctx: Context, action: str) -> None:
        ctx.require(ctx.who.is_person(self.owner_id) or ctx.who.works_in(self.org_id), action, "reason_not_owner")

    def _require_checker(self, ctx: Context, action: str) -> None:
        """验收 by the one who raised it, or by someone with that authority — never the owner."""
        if ctx.who.is_person(self.owner_id):
            raise DomainError("self_verification")
        allowed = ctx.actor == self.checker or ctx.who.has_authority_over(self.org_id) or ctx.who.may_supervise(self.org_id)
        ctx.require(allowed, action, "reason_not_checker")

    def submit_plan(self, plan: str, ctx: Context) -> None:
        self._require_owner_side(ctx, "submit_plan")
        if self.status not in REWORKABLE:
            raise WrongState("rectification", self.status, "submit_plan")
        if not plan.strip():
            raise DomainError("required", field="plan")
        self._plan_submitted(plan=plan.strip(), **ctx.stamp())

    @event("RectificationPlanSubmitted")
    def _plan_submitted(self, *, plan: str, actor: str, on: date, timestamp: datetime) -> None:
        self.plan = plan

    def note_progress(self, note: str, ctx: Context) -> None:
        self._require_owner_side(ctx, "note_progress")
        if self.status not in REWORKABLE:
            raise WrongState("rectification", self.status, "note_progress")
        if not note.strip():
            raise DomainError("required", field="note")
        self._progress_noted(note=note.strip(), **ctx.stamp())

    @event("RectificationProgressNoted")
    def _progress_noted(self, *, note: str, actor: str, on: date, timestamp: datetime) -> None:
        pass

    def report_completion(self, evidence: list[dict[str, Any]], note: str, ctx: Context) -> None:
        self._require_owner_side(ctx, "report_completion")
        if self.status not in REWORKABLE:
            raise WrongState("rectification", self.status, "report_completion")
        self._completion_reported(evidence=require_evidence(evidence), note=note.strip(), **ctx.stamp())

    @event("RectificationCompletionReported")
    def _completion_reported(
        self, *, evidence: list[dict[str, str]], note: str, actor: str, on: date, timestamp: datetime
    ) -> None:
        self.status = "completion_reported"

    def verify(self, opinion: str, ctx: Context) -> None:
        self._require_checker(ctx, "verify")
        if self.status != "completion_reported":
            raise WrongState("rectification", self.status, "verify")
        self._verified(opinion=opinion.strip(), **ctx.stamp())

    @event("RectificationVerified")
    def _verified(self, *, opinion: str, actor: str, on: date, timestamp: datetime) -> None:
        self.status = "verified"
        self.verified_by = actor

    def return_work(self, reason: str, ctx: Context) -> None:
        self._require_checker(ctx, "return")
        if self.status != "completion_reported":
            raise WrongState("rectification", self.status, "return")
        if not reason.strip():
            raise DomainError("required", field="reason")
        self._returned(reason=reason.strip(), **ctx.stamp())

    @event("RectificationReturned")
    def _returned(self, *, reason: str, actor: str, on: date, timestamp: datetime) -> None:
        self.status = "returned"

    def urge(self, note: str, ctx: Context) -> None:
        """催办: a supervisor or 纪检 officer presses the owner of an unfinished rectification."""
        ctx.require(
            not ctx.who.is_person(self.owner_id) and (ctx.actor == self.checker or ctx.who.may_urge(self.org_id)),
            "urge", "reason_not_urger",
        )
        if self.status not in REWORKABLE:
            raise WrongState("rectification", self.status, "urge")
        if not note.strip():
            raise DomainError("required", field="note")
        self._urged(note=note.strip(), owner_id=self.owner_id, **ctx.stamp())

    @event("RectificationUrged")
    def _urged(self, *, note: str, owner_id: UUID, actor: str, on: date, timestamp: datetime) -> None:
        pass

    def comment(self, text: str, mentioned_ids: list[UUID], mentioned: str, ctx: Context) -> None:
        """A word beside the formal steps, from anyone the rectification concerns."""
        ctx.require(
            ctx.who.is_person(self.owner_id) or ctx.who.works_in(self.org_id) or ctx.actor in (self.raised_by, self.checker)
            or ctx.who.may_urge(self.org_id) or ctx.who.may_inspect(self.org_id) or ctx.who.has_authority_over(self.org_id),
            "comment_on", "reason_not_concerned",
        )
        if not text.strip():
            raise DomainError("required", field="text")
        self._commented(text=text.strip(), mentioned_ids=list(mentioned_ids), mentioned=mentioned, **ctx.stamp())

    @event("RectificationCommented")
    def _commented(
        self, *, text: str, mentioned_ids: list[UUID], mentioned: str, actor: str, on: date, timestamp: datetime
    ) -> None:
        pass

    def close(self, ctx: Context) -> None:
        self._require_checker(ctx, "close")
        if self.status != "verified":
            if self.status in ("opened", "returned", "completion_reported"):
                raise DomainError("close_unverified")
            raise WrongState("rectification", self.status, "close")
        self._closed(**ctx.stamp())

    @event("RectificationClosed")
    def _closed(self, *, actor: str, on: date, timestamp: datetime) -> None:
        self.status = "closed"
        self.closed_on = on

    def hand_over(self, to_id: UUID, reason: str, ctx: Context) -> None:
        """交接: an open rectification passes to the new holder; the old one stays in the history."""
        if self.status == "closed":
            raise WrongState("rectification", self.status, "hand_over")
        if to_id == self.owner_id:
            raise DomainError("same_holder")
        self._handed_over(owner_id=to_id, from_owner_id=self.owner_id, reason=reason, **ctx.stamp())

    @event("RectificationHandedOver")
    def _handed_over(
        self, *, owner_id: UUID, from_owner_id: UUID, reason: str, actor: str, on: date, timestamp: datetime
    ) -> None:
        self.owner_id = owner_id

    def hand_over_check(self, to_id: UUID, reason: str, ctx: Context) -> None:
        """The verification (验收) and closing the old checker owed pass to their successor."""
        if self.status == "closed":
            raise WrongState("rectification", self.status, "hand_over")
        if self.checker == str(to_id):
            raise DomainError("same_holder")
        if to_id == self.owner_id:
            raise DomainError("review_own_work")
        self._check_handed_over(checker_id=to_id, from_checker=self.checker, reason=reason, **ctx.stamp())

    @event("RectificationCheckHandedOver")
    def _check_handed_over(
        self, *, checker_id: UUID, from_checker: str, reason: str, actor: str, on: date, timestamp: datetime
    ) -> None:
        self.checker = str(checker_id)

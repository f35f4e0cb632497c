"""履责: a task from a meeting's task list, with its owner, deadline and lifecycle.

issued → signed → in progress → reported done → accepted, or returned → … again.
The original deadline is kept beside the current one, so on-time can be judged either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import DutyAggregate
from domain.context import Context
from domain.errors import DomainError, WrongState
from domain.evidence import require_evidence
from domain.ranges import DEADLINE_WORKING_DAYS
from domain.vocabulary import ReportCycle

WORKING = ("signed", "in_progress", "returned")
FINAL = ("accepted", "cancelled")


@dataclass(frozen=True)
class Deadline:
    """A deadline as asked for: a date, or N working days from the issue date."""

    on: date | None = None
    working_days: int | None = None

    def resolve(self, issued_on: date, add_working_days: Any) -> tuple[date, str]:
        if self.on is not None and self.working_days is not None:
            raise DomainError("deadline_ambiguous")
        if self.working_days is not None:
            if self.working_days <= 0:
                raise DomainError("working_days_positive", value=self.working_days)
            DEADLINE_WORKING_DAYS.check("working_days", self.working_days)
            return add_working_days(issued_on, self.working_days), f"{self.working_days} working days"
        if self.on is None:
            raise DomainError("deadline_missing")
        if self.on < issued_on:
            raise DomainError("deadline_before_issue", deadline=self.on, issued_on=issued_on)
        return self.on, "date"


class Task(DutyAggregate):
    @event("TaskIssued")
    def __init__(
        self,
        *,
        task_list_id: UUID,
        meeting_id: UUID | None,
        parent_task_id: UUID | None,
        responsibility_list_id: UUID | None,
        list_item_id: UUID | None,
        title: str,
        requirements: str,
        org_id: UUID,
        owner_id: UUID,
        deadline: date,
        deadline_rule: str,
        report_cycle: str,
        follower_ids: list[UUID],
        actor: str,
        on: date,
        timestamp: datetime,
    ) -> None:
        self.task_list_id = task_list_id
        self.meeting_id = meeting_id
        self.parent_task_id = parent_task_id
        self.responsibility_list_id = responsibility_list_id
        self.list_item_id = list_item_id
        self.title = title
        self.requirements = requirements
        self.org_id = org_id
        self.owner_id = owner_id
        self.issued_by = actor
        self.reviewer = actor
        """Who accepts or returns the work and decides extensions besides its supervisors: the
        one who issued it, until a handover (交接) passes that to their successor."""
        self.issued_on = on
        self.deadline = deadline
        self.original_deadline = deadline
        self.deadline_rule = deadline_rule
        self.report_cycle = ReportCycle(report_cycle)
        self.follower_ids = list(follower_ids)
        self.status = "issued"
        self.pending_extension: dict[str, Any] | None = None
        self.reported_done_on: date | None = None
        self.accepted_on: date | None = None
        self.last_progress_on: date | None = None
        self.evidence: list[dict[str, str]] = []
        self.child_ids: list[UUID] = []
        self.return_count = 0

    @property
    def is_final(self) -> bool:
        return self.status in FINAL

    # -- who may act -------------------------------------------------------------------------

    @property
    def begun_on(self) -> date:
        return self.issued_on

    def _require_owner_side(self, ctx: Context, action: str) -> None:
        ctx.require(
            ctx.who.is_person(self.owner_id) or ctx.who.works_in(self.org_id),
            action,
            "reason_not_owner",
        )

    def _require_supervisor(self, ctx: Context, action: str) -> None:
        is_owner = ctx.who.is_person(self.owner_id)
        allowed = not is_owner and (ctx.actor == self.reviewer or ctx.who.may_supervise(self.org_id))
        ctx.require(allowed, action, "reason_not_supervisor")

    def _require_status(self, allowed: tuple[str, ...], action: str) -> None:
        if self.status not in allowed:
            raise WrongState("task", self.status, action)

    # -- the owner's side ------------------------------------------------------------------

    def sign_for(self, ctx: Context) -> None:
        self._require_owner_side(ctx, "sign_for")
        self._require_status(("issued",), "sign_for")
        self._signed_for(**ctx.stamp())

    @event("TaskSignedFor")
    def _signed_for(self, *, actor: str, on: date, timestamp: datetime) -> None:
        self.status = "signed"

    def report_progress(self, note: str, ctx: Context) -> None:
        self._require_owner_side(ctx, "report_progress")
        self._require_status(WORKING, "report_progress")
        if not note.strip():
            raise DomainError("required", field="note")
        self._progress_reported(note=note.strip(), **ctx.stamp())

    @event("TaskProgressReported")
    def _progress_reported(self, *, note: str, actor: str, on: date, timestamp: datetime) -> None:
        self.status = "in_progress"
        self.last_progress_on = on

    def report_done(self, evidence: list[dict[str, Any]], note: str, ctx: Context) -> None:
        self._require_owner_side(ctx, "report_done")
        self._require_status(WORKING, "report_done")
        self._reported_done(evidence=require_evidence(evidence), note=note.strip(), **ctx.stamp())

    @event("TaskReportedDone")
    def _reported_done(
        self, *, evidence: list[dict[str, str]], note: str, actor: str, on: date, timestamp: datetime
    ) -> None:
        self.status = "reported_done"
        self.reported_done_on = on
        self.evidence = evidence

    def request_extension(self, requested: date, reason: str, ctx: Context) -> None:
        self._require_owner_side(ctx, "request_extension")
        if self.is_final:
            raise WrongState("task", self.status, "request_extension")
        if self.pending_extension is not None:
            raise DomainError("extension_pending")
        if requested <= self.deadline:
            raise DomainError("extension_not_later", requested=requested, current=self.deadline)
        if not reason.strip():
            raise DomainError("required", field="reason")
        self._extension_requested(requested_deadline=requested, reason=reason.strip(), **ctx.stamp())

    @event("TaskDeadlineExtensionRequested")
    def _extension_requested(
        self, *, requested_deadline: date, reason: str, actor: str, on: date, timestamp: datetime
    ) -> None:
        self.pending_extension = {"deadline": requested_deadline, "reason": reason, "by": actor}

    # -- the supervisor's side ----------------------------------------------------------------

    def approve_extension(self, ctx: Context) -> None:
        self._require_supervisor(ctx, "decide_extension")
        if self.pending_extension is None:
            raise DomainError("no_extension_pending")
        self._extension_approved(
            previous_deadline=self.deadline, deadline=self.pending_extension["deadline"], **ctx.stamp()
        )

    @event("TaskDeadlineExtended")
    def _extension_approved(
        self, *, previous_deadline: date, deadline: date, actor: str, on: date, timestamp: datetime
    ) -> None:
        self.deadline = deadline
        self.pending_extension = None

    def refuse_extension(self, reason: str, ctx: Context) -> None:
        self._require_supervisor(ctx, "decide_extension")
        if self.pending_extension is None:
            raise DomainError("no_extension_pending")
        if not reason.strip():
            raise DomainError("required", field="reason")
        self._extension_refused(reason=reason.strip(), **ctx.stamp())

    @event("TaskDeadlineExtensionRefused")
    def _extension_refused(self, *, reason: str, actor: str, on: date, timestamp: datetime) -> None:
        self.pending_extension = None

    def accept(self, comment: str, ctx: Context) -> None:
        self._require_supervisor(ctx, "accept")
        self._require_status(("reported_done",), "accept")
        self._accepted(comment=comment.strip(), **ctx.stamp())

    @event("TaskAccepted")
    def _accepted(self, *, comment: str, actor: str, on: date, timestamp: datetime) -> None:
        self.status = "accepted"
        self.accepted_on = on

    def return_work(self, reason: str, ctx: Context) -> None:
        self._require_supervisor(ctx, "return")
        self._require_status(("reported_done",), "return")
        if not reason.strip():
            raise DomainError("required", field="reason")
        self._returned(reason=reason.strip(), **ctx.stamp())

    @event("TaskReturned")
    def _returned(self, *, reason: str, actor: str, on: date, timestamp: datetime) -> None:
        self.status = "returned"
        self.return_count += 1
        self.reported_done_on = None

    def cancel(self, reason: str, ctx: Context) -> None:
        self._require_supervisor(ctx, "cancel")
        if self.is_final:
            raise WrongState("task", self.status, "cancel")
        if not reason.strip():
            raise DomainError("required", field="reason")
        self._cancelled(reason=reason.strip(), **ctx.stamp())

    @event("TaskCancelled")
    def _cancelled(self, *, reason: str, actor: str, on: date, timestamp: datetime) -> None:
        self.status = "cancelled"
        self.pending_extension = None

    # -- pushing work along: 催办, comments, 转办 ----------------------------------------------------

    def urge(self, note: str, ctx: Context) -> None:
        """催办: a supervisor or 纪检 officer presses the owner of unfinished work."""
        ctx.require(not ctx.who.is_person(self.owner_id) and ctx.who.may_urge(self.org_id), "urge", "reason_not_urger")
        if self.is_final:
            raise WrongState("task", self.status, "urge")
        if not note.strip():
            raise DomainError("required", field="note")
        self._urged(note=note.strip(), owner_id=self.owner_id, **ctx.stamp())

    @event("TaskUrged")
    def _urged(self, *, note: str, owner_id: UUID, actor: str, on: date, timestamp: datetime) -> None:
        pass

    def comment(self, text: str, mentioned_ids: list[UUID], mentioned: str, ctx: Context) -> None:
        """A word beside the formal steps, from anyone the task concerns; those @mentioned hear of it."""
        ctx.require(
            ctx.who.is_person(self.owner_id) or ctx.who.works_in(self.org_id) or ctx.actor == self.issued_by
            or ctx.who.leads(self.org_id) or ctx.who.may_urge(self.org_id) or ctx.who.may_inspect(self.org_id)
            or any(ctx.who.is_person(f) for f in self.follower_ids),
            "comment_on", "reason_not_concerned",
        )
        if not text.strip():
            raise DomainError("required", field="text")
        self._commented(text=text.strip(), mentioned_ids=list(mentioned_ids), mentioned=mentioned, **ctx.stamp())

    @event("TaskCommented")
    def _commented(
        self, *, text: str, mentioned_ids: list[UUID], mentioned: str, actor: str, on: date, timestamp: datetime
    ) -> None:
        pass

    def reassign(self, org_id: UUID, owner_id: UUID, reason: str, handover: str, ctx: Context) -> None:
        """转办: the task moves to another owner (and organisation); the new owner signs for it anew,
        the deadline stays, and warnings and reminders go to the new owner from now on."""
        self._require_supervisor(ctx, "reassign")
        self._require_status(("issued", *WORKING), "reassign")
        if owner_id == self.owner_id and org_id == self.org_id:
            raise DomainError("reassign_same_owner")
        if not reason.strip():
            raise DomainError("required", field="reason")
        self._reassigned(
            previous_org_id=self.org_id, previous_owner_id=self.owner_id, org_id=org_id, owner_id=owner_id,
            reason=reason.strip(), handover=handover, **ctx.stamp(),
        )

    @event("TaskReassigned")
    def _reassigned(
        self, *, previous_org_id: UUID, previous_owner_id: UUID, org_id: UUID, owner_id: UUID, reason: str,
        handover: str, actor: str, on: date, timestamp: datetime,
    ) -> None:
        self.org_id = org_id
        self.owner_id = owner_id
        self.status = "issued"
        if owner_id in self.follower_ids:
            self.follower_ids.remove(owner_id)

    # -- breaking down and following -------------------------------------------------------------

    def record_breakdown(self, child_ids: list[UUID], ctx: Context) -> None:
        ctx.require(
            ctx.who.is_person(self.owner_id) or ctx.actor == self.issued_by or ctx.who.leads(self.org_id),
            "break_down",
            "reason_not_owner",
        )
        if self.is_final:
            raise WrongState("task", self.status, "break_down")
        self._broken_down(child_ids=list(child_ids), **ctx.stamp())

    @event("TaskBrokenDown")
    def _broken_down(self, *, child_ids: list[UUID], actor: str, on: date, timestamp: datetime) -> None:
        self.child_ids.extend(child_ids)

    def _require_may_follow(self, person_id: UUID, ctx: Context) -> None:
        """Following lets one read the task and its evidence (the web shows a task to its
        followers): one follows a task of one's own organisation or one one may read anyway
        (``Authority.may_read``, or one issued it), never another branch's; others are made
        followers, or stop being, by who issued it or leads its organisation."""
        if ctx.who.is_person(person_id):
            allowed = ctx.actor == self.issued_by or ctx.who.belongs_to(self.org_id) or ctx.who.may_read(self.org_id)
            ctx.require(allowed, "follow_task", "reason_not_reader")
        else:
            ctx.require(
                ctx.actor == self.issued_by or ctx.who.is_admin or ctx.who.leads(self.org_id), "follow_for", "reason_not_leader"
            )

    def follow(self, person_id: UUID, ctx: Context) -> None:
        self._require_may_follow(person_id, ctx)
        if person_id in self.follower_ids or person_id == self.owner_id:
            raise DomainError("duplicate", what="follow", key=str(person_id))
        self._followed(person_id=person_id, **ctx.stamp())

    @event("TaskFollowed")
    def _followed(self, *, person_id: UUID, actor: str, on: date, timestamp: datetime) -> None:
        self.follower_ids.append(person_id)

    def unfollow(self, person_id: UUID, ctx: Context) -> None:
        if not ctx.who.is_person(person_id):
            self._require_may_follow(person_id, ctx)
        if person_id not in self.follower_ids:
            raise DomainError("not_found", what="follow", key=str(person_id))
        self._unfollowed(person_id=person_id, **ctx.stamp())

    @event("TaskUnfollowed")
    def _unfollowed(self, *, person_id: UUID, actor: str, on: date, timestamp: datetime) -> None:
        self.follower_ids.remove(person_id)

    # -- handing over ------------------------------------------------------------------------

    def hand_over(self, to_id: UUID, reason: str, ctx: Context) -> None:
        """交接: open work passes to the new holder; the old one stays in the history."""
        if self.is_final:
            raise WrongState("task", self.status, "hand_over")
        if to_id == self.owner_id:
            raise DomainError("same_holder")
        self._handed_over(owner_id=to_id, from_owner_id=self.owner_id, reason=reason, **ctx.stamp())

    @event("TaskHandedOver")
    def _handed_over(
        self, *, owner_id: UUID, from_owner_id: UUID, reason: str, actor: str, on: date, timestamp: datetime
    ) -> None:
        self.owner_id = owner_id
        if owner_id in self.follower_ids:
            self.follower_ids.remove(owner_id)

    def hand_over_review(self, to_id: UUID, reason: str, ctx: Context) -> None:
        """The acceptance (验收) and extension decisions the old reviewer owed pass to their successor."""
        if self.is_final:
            raise WrongState("task", self.status, "hand_over")
        if self.reviewer == str(to_id):
            raise DomainError("same_holder")
        if to_id == self.owner_id:
            raise DomainError("review_own_work")
        self._review_handed_over(reviewer_id=to_id, from_reviewer=self.reviewer, reason=reason, **ctx.stamp())

    @event("TaskReviewHandedOver")
    def _review_handed_over(
        self, *, reviewer_id: UUID, from_reviewer: str, reason: str, actor: str, on: date, timestamp: datetime
    ) -> None:
        self.reviewer = str(reviewer_id)

    def hand_over_following(self, from_id: UUID, to_id: UUID, reason: str, ctx: Context) -> None:
        """A follower's watch on the task passes to their successor (unless they already watch it)."""
        if from_id not in self.follower_ids:
            raise DomainError("not_found", what="follow", key=str(from_id))
        self._following_handed_over(follower_id=to_id, from_follower_id=from_id, reason=reason, **ctx.stamp())

    @event("TaskFollowingHandedOver")
    def _following_handed_over(
        self, *, follower_id: UUID, from_follower_id: UUID, reason: str, actor: str, on: date, timestamp: datetime
    ) -> None:
        self.follower_ids.remove(from_follower_id)
        if follower_id not in self.follower_ids and follower_id != self.owner_id:
            self.follower_ids.append(follower_id)

"""约谈: an interview scheduled by someone with authority over the interviewee, held, and ended in
限期整改 — the rectification it opens is in domain/commands/rectifications.py from then on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from domain import ids
from domain.authority import Authority
from domain.commands.checks import required
from domain.commands.core import Actor, CommandCore, command
from domain.errors import DomainError
from domain.interview import Interview
from domain.rectification import Rectification
from domain.task import Deadline


class Interviews(CommandCore):
    @command
    def schedule_interview(
        self,
        actor: Actor,
        interviewer_id: UUID,
        interviewee_id: UUID,
        reason: str,
        planned_on: date,
        task_ids: Sequence[UUID] = (),
        finding_ids: Sequence[UUID] = (),
    ) -> UUID:
        ctx = self.context(actor)
        if interviewer_id == interviewee_id:
            raise DomainError("self_interview")
        interviewee = self.person(interviewee_id)
        interviewer = Authority(self.person(interviewer_id), self.ancestry)
        if not interviewer.has_authority_over(interviewee.org_id):
            raise DomainError(
                "no_authority", actor=interviewer.describe(), org=self.organisation(interviewee.org_id).name
            )
        ctx.require(
            ctx.who.is_person(interviewer_id) or ctx.who.may_record_interviews(interviewee.org_id),
            "interview_someone",
            "reason_not_interviewer",
        )
        for task_id in task_ids:
            self.task(task_id)
        for finding_id in finding_ids:
            self.finding(finding_id)
        interview = Interview(
            interviewer_id=interviewer_id, interviewee_id=interviewee_id, org_id=interviewee.org_id,
            reason=required(reason, "reason"), task_ids=list(task_ids), finding_ids=list(finding_ids),
            planned_on=planned_on, **ctx.stamp(),
        )
        self.save(interview)
        return interview.id

    @command
    def hold_interview(
        self,
        actor: Actor,
        interview_id: UUID,
        held_on: date,
        minutes: str,
        commitments: Sequence[str],
        deadline: Deadline,
        requirement: str,
    ) -> UUID:
        """The interview ends in 限期整改: its rectification opens in the same write."""
        ctx = self.context(actor)
        interview = self.interview(interview_id)
        ctx.require(
            ctx.who.is_person(interview.interviewer_id) or ctx.who.may_record_interviews(interview.org_id),
            "interview_someone",
            "reason_not_interviewer",
        )
        due, rule = self._resolve_deadline(deadline, held_on)
        interview.hold(held_on, minutes, list(commitments), due, ctx)
        rectification = Rectification(
            id=ids.rectification_id(interview.id), source_kind="interview", source_id=interview.id,
            org_id=interview.org_id, owner_id=interview.interviewee_id, raised_by=str(interview.interviewer_id),
            requirement=required(requirement, "requirement"), deadline=due, deadline_rule=rule,
            **ctx.stamp(held_on),
        )
        self.save(interview, rectification)
        return rectification.id

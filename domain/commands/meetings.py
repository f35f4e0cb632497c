"""履责: the 例会 meetings, planned on their cadence and held with minutes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from domain.commands.checks import required
from domain.commands.core import Actor, CommandCore, command
from domain.meeting import Meeting
from domain.vocabulary import MeetingKind


class Meetings(CommandCore):
    @command
    def plan_meeting(self, actor: Actor, kind: MeetingKind, org_id: UUID, title: str, planned_on: date) -> UUID:
        ctx = self.context(actor)
        ctx.require(ctx.who.may_run_meetings(org_id), "plan_meeting", "reason_not_leader")
        self.organisation(org_id)
        meeting = Meeting(
            kind=kind.value, org_id=org_id, title=required(title, "title"), planned_on=planned_on, **ctx.stamp()
        )
        self.save(meeting)
        return meeting.id

    @command
    def record_minutes(
        self,
        actor: Actor,
        meeting_id: UUID,
        held_on: date,
        attendee_ids: Sequence[UUID],
        decisions: Sequence[str],
        summary: str = "",
    ) -> None:
        ctx = self.context(actor)
        meeting = self.meeting(meeting_id)
        ctx.require(ctx.who.may_run_meetings(meeting.org_id), "record_minutes", "reason_not_leader")
        for person_id in attendee_ids:
            self.person(person_id)
        meeting.record_minutes(held_on, list(attendee_ids), list(decisions), summary.strip(), ctx)
        self.save(meeting)

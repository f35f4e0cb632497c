"""指导检查: an inspection of a branch with the findings it raises, and work prompts (工作提示)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID, uuid4

from domain.commands.checks import required
from domain.commands.core import Actor, CommandCore, command
from domain.errors import DomainError
from domain.inspection import Finding, Inspection, WorkPrompt
from domain.vocabulary import InspectionKind


class Inspections(CommandCore):
    @command
    def conduct_inspection(
        self,
        actor: Actor,
        kind: InspectionKind,
        org_id: UUID,
        subject: str,
        findings: Sequence[str],
        conducted_on: date | None = None,
    ) -> tuple[UUID, list[UUID]]:
        ctx = self.context(actor)
        ctx.require(ctx.who.may_inspect(org_id), "inspect", "reason_not_inspector")
        self.organisation(org_id)
        on = conducted_on or ctx.today
        if on > ctx.today:
            raise DomainError("date_in_future", field="conducted_on", value=on, today=ctx.today)
        inspection_id = uuid4()
        subject = required(subject, "subject")
        raised = [
            Finding(
                inspection_id=inspection_id, inspection_kind=kind.value, subject=subject, org_id=org_id,
                description=text.strip(), **ctx.stamp(on),
            )
            for text in findings
            if text.strip()
        ]
        inspection = Inspection(
            id=inspection_id, kind=kind.value, org_id=org_id, subject=subject,
            finding_ids=[f.id for f in raised], **ctx.stamp(on),
        )
        self.save(inspection, *raised)
        return inspection.id, [f.id for f in raised]

    @command
    def send_work_prompt(self, actor: Actor, org_id: UUID, title: str, content: str) -> UUID:
        ctx = self.context(actor)
        ctx.require(ctx.who.may_inspect(org_id), "send_prompt", "reason_not_inspector")
        self.organisation(org_id)
        prompt = WorkPrompt(org_id=org_id, title=required(title, "title"), content=content.strip(), **ctx.stamp())
        self.save(prompt)
        return prompt.id

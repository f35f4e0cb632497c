"""整改: a rectification opened from a finding (or by an interview), worked, reported complete with
evidence, verified (验收) by the checker, then closed (销号) or returned. Who may do each step and
that nothing is closed unverified are the rectification's own rules (domain/rectification.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from uuid import UUID

from domain import ids
from domain.commands.checks import required
from domain.commands.core import Actor, CommandCore, command
from domain.context import Context
from domain.errors import DomainError
from domain.rectification import Rectification
from domain.task import Deadline
from domain.vocabulary import Role


class Rectifications(CommandCore):
    @command
    def open_rectification(
        self, actor: Actor, finding_id: UUID, owner_id: UUID, requirement: str, deadline: Deadline
    ) -> UUID:
        ctx = self.context(actor)
        finding = self.finding(finding_id)
        ctx.require(
            ctx.actor == finding.raised_by or ctx.who.may_inspect(finding.org_id) or ctx.who.has_authority_over(finding.org_id),
            "open_rectification",
            "reason_not_inspector",
        )
        owner = self.person(owner_id)
        if not self.is_under(owner.org_id, finding.org_id) and finding.org_id not in owner.orgs_with(*Role):
            raise DomainError("owner_not_in_org", person=owner.name, org=self.organisation(finding.org_id).name)
        due, rule = self._resolve_deadline(deadline, ctx.today)
        rectification = Rectification(
            id=ids.rectification_id(finding.id), source_kind="finding", source_id=finding.id, org_id=finding.org_id,
            owner_id=owner_id, raised_by=finding.raised_by, requirement=required(requirement, "requirement"),
            deadline=due, deadline_rule=rule, **ctx.stamp(),
        )
        self._save_new(rectification, what="rectification", key=finding.description)
        return rectification.id

    def _on_rectification(
        self, actor: Actor, rectification_id: UUID, expected_version: int | None, act: Callable[[Rectification, Context], None],
        on: date | None = None,
    ) -> None:
        self._act_on(actor, Rectification, "rectification", rectification_id, expected_version, act, on)

    @command
    def submit_rectification_plan(self, actor: Actor, rectification_id: UUID, plan: str, expected_version: int | None = None, on: date | None = None) -> None:
        self._on_rectification(actor, rectification_id, expected_version, lambda r, c: r.submit_plan(plan, c), on)

    @command
    def note_rectification_progress(
        self, actor: Actor, rectification_id: UUID, note: str, expected_version: int | None = None, on: date | None = None
    ) -> None:
        self._on_rectification(actor, rectification_id, expected_version, lambda r, c: r.note_progress(note, c), on)

    @command
    def report_rectification_completion(
        self,
        actor: Actor,
        rectification_id: UUID,
        evidence: Sequence[dict[str, str]],
        note: str = "",
        expected_version: int | None = None, on: date | None = None,
    ) -> None:
        self._on_rectification(
            actor, rectification_id, expected_version, lambda r, c: r.report_completion(list(evidence), note, c), on
        )

    @command
    def verify_rectification(
        self, actor: Actor, rectification_id: UUID, opinion: str = "", expected_version: int | None = None, on: date | None = None
    ) -> None:
        self._on_rectification(actor, rectification_id, expected_version, lambda r, c: r.verify(opinion, c), on)

    @command
    def return_rectification(
        self, actor: Actor, rectification_id: UUID, reason: str, expected_version: int | None = None, on: date | None = None
    ) -> None:
        self._on_rectification(actor, rectification_id, expected_version, lambda r, c: r.return_work(reason, c), on)

    @command
    def close_rectification(self, actor: Actor, rectification_id: UUID, expected_version: int | None = None, on: date | None = None) -> None:
        """销号: only a verified rectification closes (Rectification.close)."""
        self._on_rectification(actor, rectification_id, expected_version, lambda r, c: r.close(c), on)

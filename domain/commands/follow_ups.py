"""Pushing work along beside the formal steps: 催办 (a supervisor or 纪检 officer urges the owner),
comments with @mentions, and 转办 (a task handed to another owner or organisation with a reason).
Each is an event on the task or rectification itself, so it stands in its timeline, its chain
and the trail, and the notifier tells the people concerned."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from uuid import UUID

from domain.commands.core import Actor, command
from domain.commands.tasks import Tasks
from domain.context import Context
from domain.errors import DomainError, WrongState
from domain.organisation import Organisation
from domain.people import Person
from domain.rectification import Rectification
from domain.task import Task
from domain.vocabulary import Role


BULK_ACTIONS = ("accept", "return", "urge")


@dataclass(frozen=True)
class Outcome:
    """One task of a bulk action: done, or refused and why."""

    task_id: UUID
    refusal: DomainError | None = None


class FollowUps(Tasks):
    def act_on_each(self, actor: Actor, action: str, task_ids: Sequence[UUID], text: str = "") -> list[Outcome]:
        """A supervisor's one action on many tasks: still one command per task, so each is
        checked, recorded and refused on its own, and one refusal stops no other."""
        if action not in BULK_ACTIONS:
            raise DomainError("invalid_value", field="action", value=action, allowed=list(BULK_ACTIONS))
        commands: dict[str, Callable[[Actor, UUID, str], None]] = {
            "accept": self.accept_task, "return": self.return_task, "urge": self.urge_task,
        }
        run = commands[action]
        outcomes = []
        for task_id in dict.fromkeys(task_ids):
            try:
                run(actor, task_id, text)
            except DomainError as refusal:
                outcomes.append(Outcome(task_id, refusal))
            else:
                outcomes.append(Outcome(task_id))
        return outcomes

    @command
    def urge_task(self, actor: Actor, task_id: UUID, note: str) -> None:
        self._act_on(actor, Task, "task", task_id, None, lambda t, c: t.urge(note, c))

    @command
    def urge_rectification(self, actor: Actor, rectification_id: UUID, note: str) -> None:
        self._act_on(actor, Rectification, "rectification", rectification_id, None, lambda r, c: r.urge(note, c))

    @command
    def comment_on_task(self, actor: Actor, task_id: UUID, text: str, mentions: Sequence[UUID] = ()) -> None:
        named = self._mentioned(mentions)
        self._act_on(actor, Task, "task", task_id, None, lambda t, c: t.comment(text, list(dict.fromkeys(mentions)), named, c))

    @command
    def comment_on_rectification(self, actor: Actor, rectification_id: UUID, text: str, mentions: Sequence[UUID] = ()) -> None:
        named = self._mentioned(mentions)
        self._act_on(
            actor, Rectification, "rectification", rectification_id, None,
            lambda r, c: r.comment(text, list(dict.fromkeys(mentions)), named, c),
        )

    @command
    def reassign_task(
        self, actor: Actor, task_id: UUID, owner_id: UUID, reason: str, org_id: UUID | None = None,
        expected_version: int | None = None,
    ) -> None:
        """转办 to ``owner_id`` in ``org_id`` (default: the owner's own organisation)."""
        owner = self.person(owner_id)
        target_org = org_id or owner.org_id
        org = self.organisation(target_org)
        if not org.active:
            raise WrongState("organisation", "dissolved", "reassign")
        if not self.is_under(owner.org_id, target_org) and target_org not in owner.orgs_with(*Role):
            raise DomainError("owner_not_in_org", person=owner.name, org=org.name)

        def act(task: Task, ctx: Context) -> None:
            before = self.look(Person, task.owner_id, "person")
            before_org = self.look(Organisation, task.org_id, "organisation")
            handover = f"{before.name}（{before_org.name}）→ {owner.name}（{org.name}）"
            task.reassign(target_org, owner_id, reason, handover, ctx)

        self._act_on(actor, Task, "task", task_id, expected_version, act)

    def _mentioned(self, mentions: Sequence[UUID]) -> str:
        """The names of those @mentioned, as they read in the timeline (each must be a person)."""
        return "、".join(f"{p.name}（{p.staff_no}）" for p in (self.person(m) for m in dict.fromkeys(mentions)))

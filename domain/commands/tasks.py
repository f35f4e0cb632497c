"""履责: one task's life — signed for, worked, reported done with evidence, accepted or returned,
its deadline extended with approval, cancelled, followed. The rules are the task's own
(domain/task.py); these commands load it, let it decide and save what it decided."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from uuid import UUID

from domain.commands.checks import person_uuid
from domain.commands.core import Actor, CommandCore, command
from domain.context import Context
from domain.task import Task


class Tasks(CommandCore):
    def _on_task(
        self, actor: Actor, task_id: UUID, expected_version: int | None, act: Callable[[Task, Context], None],
        on: date | None = None,
    ) -> None:
        self._act_on(actor, Task, "task", task_id, expected_version, act, on)

    @command
    def sign_for_task(self, actor: Actor, task_id: UUID, expected_version: int | None = None, on: date | None = None) -> None:
        self._on_task(actor, task_id, expected_version, lambda t, c: t.sign_for(c), on)

    @command
    def report_task_progress(self, actor: Actor, task_id: UUID, note: str, expected_version: int | None = None, on: date | None = None) -> None:
        self._on_task(actor, task_id, expected_version, lambda t, c: t.report_progress(note, c), on)

    @command
    def report_task_done(
        self,
        actor: Actor,
        task_id: UUID,
        evidence: Sequence[dict[str, str]],
        note: str = "",
        expected_version: int | None = None, on: date | None = None,
    ) -> None:
        self._on_task(actor, task_id, expected_version, lambda t, c: t.report_done(list(evidence), note, c), on)

    @command
    def accept_task(self, actor: Actor, task_id: UUID, comment: str = "", expected_version: int | None = None, on: date | None = None) -> None:
        self._on_task(actor, task_id, expected_version, lambda t, c: t.accept(comment, c), on)

    @command
    def return_task(self, actor: Actor, task_id: UUID, reason: str, expected_version: int | None = None, on: date | None = None) -> None:
        self._on_task(actor, task_id, expected_version, lambda t, c: t.return_work(reason, c), on)

    @command
    def request_extension(
        self, actor: Actor, task_id: UUID, deadline: date, reason: str, expected_version: int | None = None, on: date | None = None
    ) -> None:
        def act(task: Task, ctx: Context) -> None:
            self.calendar().is_working_day(deadline)
            task.request_extension(deadline, reason, ctx)

        self._on_task(actor, task_id, expected_version, act, on)

    @command
    def approve_extension(self, actor: Actor, task_id: UUID, expected_version: int | None = None, on: date | None = None) -> None:
        self._on_task(actor, task_id, expected_version, lambda t, c: t.approve_extension(c), on)

    @command
    def refuse_extension(self, actor: Actor, task_id: UUID, reason: str, expected_version: int | None = None, on: date | None = None) -> None:
        self._on_task(actor, task_id, expected_version, lambda t, c: t.refuse_extension(reason, c), on)

    @command
    def cancel_task(self, actor: Actor, task_id: UUID, reason: str, expected_version: int | None = None, on: date | None = None) -> None:
        self._on_task(actor, task_id, expected_version, lambda t, c: t.cancel(reason, c), on)

    @command
    def follow_task(self, actor: Actor, task_id: UUID, person_id: UUID | None = None) -> None:
        def act(task: Task, ctx: Context) -> None:
            follower = person_id or person_uuid(ctx.actor)
            self.person(follower)
            task.follow(follower, ctx)

        self._on_task(actor, task_id, None, act)

    @command
    def unfollow_task(self, actor: Actor, task_id: UUID, person_id: UUID | None = None) -> None:
        self._on_task(actor, task_id, None, lambda t, c: t.unfollow(person_id or person_uuid(c.actor), c))

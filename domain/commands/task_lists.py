"""履责 · 分级下达: a meeting's task list issued level by level, and a task broken down one level down."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID, uuid4

from domain.commands.checks import required
from domain.commands.core import Actor, CommandCore, command
from domain.context import Context
from domain.errors import DomainError
from domain.organisation import Organisation
from domain.people import Person
from domain.task import Deadline, Task
from domain.vocabulary import ReportCycle, Role


@dataclass(frozen=True)
class TaskSpec:
    """One line of a task list: what, who, by when, against which list item."""

    title: str
    org_id: UUID
    owner_id: UUID
    deadline: Deadline
    requirements: str = ""
    list_item: tuple[UUID, UUID] | None = None
    report_cycle: ReportCycle = ReportCycle.NONE
    follower_ids: tuple[UUID, ...] = field(default_factory=tuple)


class TaskLists(CommandCore):
    @command
    def issue_task_list(self, actor: Actor, meeting_id: UUID, tasks: Sequence[TaskSpec]) -> list[UUID]:
        """分级下达: the task list decided in a meeting's minutes, all tasks in one write."""
        ctx = self.context(actor)
        meeting = self.meeting(meeting_id)
        ctx.require(ctx.who.may_run_meetings(meeting.org_id), "issue_tasks", "reason_not_leader")
        if meeting.held_on is None:
            raise DomainError("minutes_required")
        created = self._new_tasks(ctx, tasks, meeting.org_id, meeting.id, None)
        self.save(*created)
        return [t.id for t in created]

    @command
    def break_down_task(self, actor: Actor, task_id: UUID, tasks: Sequence[TaskSpec]) -> list[UUID]:
        """A committee task broken down into branch tasks, one level down."""
        ctx = self.context(actor)
        parent = self.task(task_id)
        children = self._new_tasks(ctx, tasks, parent.org_id, parent.meeting_id, parent)
        parent.record_breakdown([c.id for c in children], ctx)
        self.save(parent, *children)
        return [c.id for c in children]

    def _new_tasks(
        self, ctx: Context, specs: Sequence[TaskSpec], issuing_org_id: UUID, meeting_id: UUID | None, parent: Task | None
    ) -> list[Task]:
        """One task list: every task goes to an organisation under the one issuing it."""
        if not specs:
            raise DomainError("empty_task_list")
        task_list_id = uuid4()
        created = []
        for spec in specs:
            if not self.is_under(spec.org_id, issuing_org_id):
                raise DomainError(
                    "org_not_under", child=self.organisation(spec.org_id).name, parent=self.organisation(issuing_org_id).name
                )
            created.append(self._new_task(ctx, spec, task_list_id, meeting_id, parent))
        return created

    def _new_task(
        self, ctx: Context, spec: TaskSpec, task_list_id: UUID, meeting_id: UUID | None, parent: Task | None
    ) -> Task:
        title = required(spec.title, "title")
        owner = self.look(Person, spec.owner_id, "person")
        org = self.look(Organisation, spec.org_id, "organisation")
        if not org.active:
            raise DomainError("wrong_state", what="organisation", state="dissolved", action="issue_tasks")
        if owner.org_id != spec.org_id and spec.org_id not in owner.orgs_with(*Role):
            raise DomainError("owner_not_in_org", person=owner.name, org=org.name)
        list_id, item_id = spec.list_item if spec.list_item else (None, None)
        if list_id is not None and item_id is not None:
            self._responsibility_list(list_id).require_item(item_id)
        deadline, rule = self._resolve_deadline(spec.deadline, ctx.today)
        if parent is not None and deadline > parent.deadline:
            raise DomainError("deadline_after_parent", deadline=deadline, parent_deadline=parent.deadline)
        return Task(
            task_list_id=task_list_id,
            meeting_id=meeting_id,
            parent_task_id=parent.id if parent else None,
            responsibility_list_id=list_id,
            list_item_id=item_id,
            title=title,
            requirements=spec.requirements.strip(),
            org_id=spec.org_id,
            owner_id=spec.owner_id,
            deadline=deadline,
            deadline_rule=rule,
            report_cycle=spec.report_cycle.value,
            follower_ids=list(spec.follower_ids),
            **ctx.stamp(),
        )

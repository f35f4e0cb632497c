"""交接: when a role changes hands (换届, a move, someone leaving), the old holder's open tasks,
rectifications, the tasks they follow and the reviews they owe (tasks to accept, rectifications
to verify) pass to the new holder, one event per item with the reason. Warnings and reminders follow the new holder from then on; the history keeps who held
each item when."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.commands.core import Actor, CommandCore, command
from domain.commands.checks import required
from domain.context import Context
from domain.errors import DomainError
from domain.people import Person
from domain.rectification import Rectification
from domain.task import Task
from domain.vocabulary import Role


@dataclass(frozen=True)
class OpenWork:
    """What the views say the old holder still has open; each is checked again against the record."""

    task_ids: tuple[UUID, ...] = ()
    rectification_ids: tuple[UUID, ...] = ()
    followed_task_ids: tuple[UUID, ...] = ()
    reviewed_task_ids: tuple[UUID, ...] = ()
    """Open tasks the old holder is to accept (they issued them, or took their review over)."""
    checked_rectification_ids: tuple[UUID, ...] = ()
    """Open rectifications the old holder is to verify and close."""


@dataclass(frozen=True)
class HandedOver:
    kind: str
    """``task``, ``rectification``, ``following``, ``task_review`` or ``rectification_check``."""
    item_id: UUID
    title: str


class Handovers(CommandCore):
    @command
    def hand_over(
        self, actor: Actor, from_id: UUID, to_id: UUID, reason: str, work: OpenWork, *, record: bool
    ) -> list[HandedOver]:
        """List what passes from one holder to the other; with ``record``, record it in one write."""
        ctx = self.context(actor)
        if from_id == to_id:
            raise DomainError("same_holder")
        old = self.look(Person, from_id, "person")
        new = self.look(Person, to_id, "person")
        if not new.active:
            raise DomainError("person_left", name=new.name, staff_no=new.staff_no, on=new.left_on)
        why = required(reason, "reason")
        changed: dict[UUID, Task | Rectification] = {}
        moved: list[HandedOver] = []
        for task_id in work.task_ids:
            task = changed.get(task_id) or self.task(task_id)
            if task.owner_id == from_id and not task.is_final:
                self._may_hand_over(ctx, new, task.org_id)
                task.hand_over(to_id, why, ctx)
                changed[task_id] = task
                moved.append(HandedOver("task", task_id, task.title))
        for rectification_id in work.rectification_ids:
            rectification = self.rectification(rectification_id)
            if rectification.owner_id == from_id and rectification.status != "closed":
                self._may_hand_over(ctx, new, rectification.org_id, within=True)
                rectification.hand_over(to_id, why, ctx)
                changed[rectification_id] = rectification
                moved.append(HandedOver("rectification", rectification_id, rectification.requirement))
        for task_id in work.followed_task_ids:
            followed = changed.get(task_id) or self.task(task_id)
            if isinstance(followed, Task) and from_id in followed.follower_ids and not followed.is_final:
                followed.hand_over_following(from_id, to_id, why, ctx)
                changed[task_id] = followed
                moved.append(HandedOver("following", task_id, followed.title))
        for task_id in work.reviewed_task_ids:
            reviewed = changed.get(task_id) or self.task(task_id)
            # Nobody accepts their own work: a review the successor would owe on their own task stays
            # with the task's supervisors.
            if isinstance(reviewed, Task) and reviewed.reviewer == str(from_id) and not reviewed.is_final and reviewed.owner_id != to_id:
                ctx.require(ctx.who.is_admin or ctx.who.leads(reviewed.org_id), "hand_over", "reason_not_leader")
                reviewed.hand_over_review(to_id, why, ctx)
                changed[task_id] = reviewed
                moved.append(HandedOver("task_review", task_id, reviewed.title))
        for rectification_id in work.checked_rectification_ids:
            checked = changed.get(rectification_id) or self.rectification(rectification_id)
            if (isinstance(checked, Rectification) and checked.checker == str(from_id) and checked.status != "closed"
                    and checked.owner_id != to_id):
                ctx.require(ctx.who.is_admin or ctx.who.leads(checked.org_id), "hand_over", "reason_not_leader")
                checked.hand_over_check(to_id, why, ctx)
                changed[rectification_id] = checked
                moved.append(HandedOver("rectification_check", rectification_id, checked.requirement))
        if not moved:
            raise DomainError("nothing_to_hand_over", name=old.name)
        if record:
            self.save(*changed.values())
        return moved

    def _may_hand_over(self, ctx: Context, new: Person, org_id: UUID, *, within: bool = False) -> None:
        """Administrators and those who lead the organisation hand its work over, to someone who
        belongs to it (or, for a rectification, to an organisation under it) or holds a role there."""
        ctx.require(ctx.who.is_admin or ctx.who.leads(org_id), "hand_over", "reason_not_leader")
        belongs = new.org_id == org_id or (within and self.is_under(new.org_id, org_id))
        if not belongs and org_id not in new.orgs_with(*Role):
            raise DomainError("owner_not_in_org", person=new.name, org=self.organisation(org_id).name)

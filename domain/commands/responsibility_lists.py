"""明责: the 主体责任清单, its aspects and its items, each with a responsible subject."""

from __future__ import annotations

from uuid import UUID

from domain.commands.checks import required
from domain.commands.core import Actor, CommandCore, command
from domain.ranges import YEAR
from domain.responsibility import ResponsibilityList
from domain.vocabulary import Role


class ResponsibilityLists(CommandCore):
    @command
    def draft_responsibility_list(self, actor: Actor, title: str, year: int, org_id: UUID) -> UUID:
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin or ctx.who.leads(org_id), "manage_list", "reason_not_leader")
        self.organisation(org_id)
        rlist = ResponsibilityList(title=required(title, "title"), year=YEAR.check("year", year), org_id=org_id, **ctx.stamp())
        self.save(rlist)
        return rlist.id

    @command
    def add_responsibility_aspect(self, actor: Actor, list_id: UUID, title: str) -> UUID:
        ctx = self.context(actor)
        rlist = self._responsibility_list(list_id)
        ctx.require(ctx.who.is_admin or ctx.who.leads(rlist.org_id), "manage_list", "reason_not_leader")
        aspect_id = rlist.add_aspect(title.strip(), ctx)
        self.save(rlist)
        return aspect_id

    @command
    def add_responsibility_item(
        self,
        actor: Actor,
        list_id: UUID,
        aspect_id: UUID,
        text: str,
        responsible_role: Role,
        responsible_person_id: UUID | None = None,
    ) -> UUID:
        ctx = self.context(actor)
        rlist = self._responsibility_list(list_id)
        ctx.require(ctx.who.is_admin or ctx.who.leads(rlist.org_id), "manage_list", "reason_not_leader")
        if responsible_person_id is not None:
            self.person(responsible_person_id)
        item_id = rlist.add_item(aspect_id, text.strip(), responsible_role.value, responsible_person_id, ctx)
        self.save(rlist)
        return item_id

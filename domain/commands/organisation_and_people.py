"""明责: the organisation tree, the people in it and the roles they hold."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from domain import ids
from domain.commands.checks import required
from domain.commands.core import Actor, CommandCore, command
from domain.context import Context
from domain.errors import DomainError
from domain.organisation import Organisation
from domain.people import Person
from domain.vocabulary import OrgKind, Role


class OrganisationAndPeople(CommandCore):
    def _as_admin(self, actor: Actor, action: str) -> Context:
        """The organisation tree and the roles in it are the administrators' to change."""
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin, action, "reason_admin_only")
        return ctx

    @command
    def bootstrap(self, committee_name: str, admin_name: str, admin_staff_no: str) -> tuple[UUID, UUID]:
        """Create the company committee and its first administrator on an empty system (the one
        way to the first administrator: once anything is recorded, it is refused)."""
        if self.recorder.max_notification_id():
            raise DomainError("already_initialised")
        ctx = self.context("system:init")
        committee = Organisation(
            id=ids.organisation_id(committee_name), name=required(committee_name, "name"),
            kind=OrgKind.COMMITTEE.value, parent_id=None, **ctx.stamp(),
        )
        admin = Person(
            id=ids.person_id(admin_staff_no), name=required(admin_name, "name"),
            staff_no=required(admin_staff_no, "staff_no"), org_id=committee.id, email="", phone="",
            **ctx.stamp(),
        )
        admin.assign_role(Role.ADMIN, committee.id, "", [], ctx)
        self._save_new(committee, admin, what="organisation", key=committee_name)
        return committee.id, admin.id

    @command
    def register_organisation(self, actor: Actor, name: str, kind: OrgKind, parent_id: UUID) -> UUID:
        ctx = self._as_admin(actor, "register")
        parent = self.organisation(parent_id)
        if not parent.active:
            raise DomainError("wrong_state", what="organisation", state="dissolved", action="register")
        if kind == OrgKind.COMMITTEE:
            raise DomainError("invalid_value", field="kind", value=kind.value, allowed=["branch", "temporary_branch"])
        org = Organisation(
            id=ids.organisation_id(name), name=required(name, "name"), kind=kind.value,
            parent_id=parent_id, **ctx.stamp(),
        )
        self._save_new(org, what="organisation", key=name)
        return org.id

    @command
    def rename_organisation(self, actor: Actor, org_id: UUID, name: str) -> None:
        ctx = self._as_admin(actor, "register")
        org = self.organisation(org_id)
        org.rename(required(name, "name"), ctx)
        self.save(org)

    @command
    def dissolve_organisation(self, actor: Actor, org_id: UUID, reason: str) -> None:
        ctx = self._as_admin(actor, "dissolve")
        org = self.organisation(org_id)
        org.dissolve(required(reason, "reason"), ctx)
        self.save(org)

    @command
    def register_person(
        self, actor: Actor, name: str, staff_no: str, org_id: UUID, email: str = "", phone: str = ""
    ) -> UUID:
        ctx = self._as_admin(actor, "register")
        self.organisation(org_id)
        person = Person(
            id=ids.person_id(staff_no), name=required(name, "name"), staff_no=required(staff_no, "staff_no"),
            org_id=org_id, email=email.strip(), phone=phone.strip(), **ctx.stamp(),
        )
        self._save_new(person, what="person", key=staff_no)
        return person.id

    @command
    def assign_role(
        self,
        actor: Actor,
        person_id: UUID,
        role: Role,
        org_id: UUID,
        duty: str = "",
        field_org_ids: Sequence[UUID] = (),
    ) -> None:
        ctx = self._as_admin(actor, "assign_role")
        self.organisation(org_id)
        for field_org in field_org_ids:
            if not self.is_under(field_org, org_id):
                raise DomainError("org_not_under", child=self.organisation(field_org).name, parent=self.organisation(org_id).name)
        person = self.person(person_id)
        person.assign_role(role, org_id, duty.strip(), list(field_org_ids), ctx)
        self.save(person)

    @command
    def revoke_role(self, actor: Actor, person_id: UUID, role: Role, org_id: UUID) -> None:
        ctx = self._as_admin(actor, "assign_role")
        person = self.person(person_id)
        person.revoke_role(role, org_id, ctx)
        self.save(person)

    @command
    def link_liaison_point(self, actor: Actor, person_id: UUID, org_id: UUID) -> None:
        """联系点: a leader is linked to a grassroots unit to supervise it."""
        ctx = self._as_admin(actor, "assign_role")
        self.organisation(org_id)
        person = self.person(person_id)
        person.link_liaison_point(org_id, ctx)
        self.save(person)

    @command
    def update_contact(self, actor: Actor, person_id: UUID, email: str, phone: str) -> None:
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin or ctx.who.is_person(person_id), "register", "reason_self_or_admin")
        person = self.person(person_id)
        person.update_contact(email.strip(), phone.strip(), ctx)
        self.save(person)

"""明责: the organisation tree, the people in it and the roles they hold."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from domain import ids
from domain.commands.checks import required
from domain.commands.core import DIRECTORY_ACTOR, Actor, CommandCore, command
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
        org = self._new_organisation(ctx, name, kind, self.organisation(parent_id))
        self.save(org)
        return org.id

    def _new_organisation(self, ctx: Context, name: str, kind: OrgKind, parent: Organisation) -> Organisation:
        """A branch or temporary branch under a parent still active; the one company committee
        exists from the start."""
        if not parent.active:
            raise DomainError("wrong_state", what="organisation", state="dissolved", action="register")
        if kind == OrgKind.COMMITTEE:
            raise DomainError("invalid_value", field="kind", value=kind.value, allowed=["branch", "temporary_branch"])
        org_id = ids.organisation_id(name)
        if org_id in self.repository:
            raise DomainError("duplicate", what="organisation", key=name)
        return Organisation(id=org_id, name=required(name, "name"), kind=kind.value, parent_id=parent.id, **ctx.stamp())

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
        person = self._new_person(ctx, name, staff_no, org_id, email, phone)
        self.save(person)
        return person.id

    def _new_person(self, ctx: Context, name: str, staff_no: str, org_id: UUID, email: str, phone: str) -> Person:
        """A person is known by their staff number (工号), once."""
        person_id = ids.person_id(required(staff_no, "staff_no"))
        if person_id in self.repository:
            raise DomainError("duplicate", what="person", key=staff_no)
        return Person(
            id=person_id, name=required(name, "name"), staff_no=staff_no.strip(),
            org_id=org_id, email=email.strip(), phone=phone.strip(), **ctx.stamp(),
        )

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
        self._check_field(org_id, field_org_ids)
        person = self.person(person_id)
        person.assign_role(role, org_id, duty.strip(), list(field_org_ids), ctx)
        self.save(person)

    @command
    def grant_directory_roles(self, person_id: UUID, roles: Sequence[Role]) -> list[Role]:
        """The roles the company directory's groups give the person (the group → role mapping an
        administrator configured), each not yet held given at the person's own organisation by
        ``system:directory``; the roles given. None is taken away here: leaving a group is the
        administrator's to act on, who sees in the trail which roles the directory gave."""
        ctx = self.context(DIRECTORY_ACTOR)
        person = self.person(person_id)
        given = [role for role in dict.fromkeys(roles) if not person.has_role(role, person.org_id)]
        for role in given:
            person.assign_role(role, person.org_id, "", [], ctx)
        if given:
            self.save(person)
        return given

    def _check_field(self, org_id: UUID, field_org_ids: Sequence[UUID]) -> None:
        """责任田: the branches a flexible-team member mentors lie under where the role is held."""
        self.organisation(org_id)
        for field_org in field_org_ids:
            if not self.is_under(field_org, org_id):
                raise DomainError("org_not_under", child=self.organisation(field_org).name, parent=self.organisation(org_id).name)

    @command
    def move_person(self, actor: Actor, person_id: UUID, org_id: UUID, reason: str) -> None:
        """调离: the person now belongs to another organisation; their open work stays theirs
        until it is handed over."""
        ctx = self._as_admin(actor, "register")
        target = self.organisation(org_id)
        if not target.active:
            raise DomainError("wrong_state", what="organisation", state="dissolved", action="register")
        person = self.person(person_id)
        person.move_to(org_id, required(reason, "reason"), ctx)
        self.save(person)

    @command
    def record_leaving(self, actor: Actor, person_id: UUID, reason: str) -> None:
        """离职: the person's roles end; what they owned stays on record until handed over."""
        ctx = self._as_admin(actor, "register")
        person = self.person(person_id)
        person.leave(required(reason, "reason"), ctx)
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

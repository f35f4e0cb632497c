"""明责: people, the roles they hold in which organisation, their 责任田 and 联系点."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import DutyAggregate, Stamps
from domain.errors import DomainError
from domain.vocabulary import Role

SAVED_LISTS = ("tasks", "findings", "interviews", "rectifications", "meetings")
"""The lists a person may save filters of."""
MOST_SAVED_FILTERS = 30
"""Saved filters per person and list: a short menu, not a second list."""


@dataclass(frozen=True)
class RoleAssignment:
    role: Role
    org_id: UUID
    duty: str = ""
    field_org_ids: tuple[UUID, ...] = ()


class Person(DutyAggregate):
    @event("PersonRegistered")
    def __init__(
        self,
        *, id: UUID,
        name: str,
        staff_no: str,
        org_id: UUID,
        email: str,
        phone: str,
        actor: str,
        on: date,
        timestamp: datetime,
    ) -> None:
        self.name = name
        self.staff_no = staff_no
        self.org_id = org_id
        self.email = email
        self.phone = phone
        self.assignments: list[RoleAssignment] = []
        self.liaison_org_ids: list[UUID] = []
        self.left_on: date | None = None
        self.saved_filters: dict[tuple[str, str], str] = {}
        """(list, name) → the list's filter, as the query of its address."""

    @property
    def active(self) -> bool:
        return self.left_on is None

    def has_role(self, role: Role, org_id: UUID | None = None) -> bool:
        return any(a.role == role and (org_id is None or a.org_id == org_id) for a in self.assignments)

    def orgs_with(self, *roles: Role) -> set[UUID]:
        return {a.org_id for a in self.assignments if a.role in roles}

    @property
    def field_org_ids(self) -> set[UUID]:
        """The branches of this person's 责任田 (flexible team)."""
        return {o for a in self.assignments for o in a.field_org_ids}

    def assign_role(
        self,
        role: Role,
        org_id: UUID,
        duty: str,
        field_org_ids: list[UUID],
        ctx: Stamps,
    ) -> None:
        if self.has_role(role, org_id) and not field_org_ids:
            raise DomainError("duplicate", what="role", key=f"{self.name} {role.value}")
        self._role_assigned(
            role=role.value, org_id=org_id, duty=duty, field_org_ids=list(field_org_ids), **ctx.stamp()
        )

    @event("RoleAssigned")
    def _role_assigned(
        self, *, role: str, org_id: UUID, duty: str, field_org_ids: list[UUID],
        actor: str, on: date, timestamp: datetime,
    ) -> None:
        self.assignments = [a for a in self.assignments if not (a.role == role and a.org_id == org_id)]
        self.assignments.append(RoleAssignment(Role(role), org_id, duty, tuple(field_org_ids)))

    def revoke_role(self, role: Role, org_id: UUID, ctx: Stamps) -> None:
        if not self.has_role(role, org_id):
            raise DomainError("not_found", what="role", key=f"{self.name} {role.value}")
        self._role_revoked(role=role.value, org_id=org_id, **ctx.stamp())

    @event("RoleRevoked")
    def _role_revoked(self, *, role: str, org_id: UUID, actor: str, on: date, timestamp: datetime) -> None:
        self.assignments = [a for a in self.assignments if not (a.role == role and a.org_id == org_id)]

    def link_liaison_point(self, org_id: UUID, ctx: Stamps) -> None:
        if org_id in self.liaison_org_ids:
            raise DomainError("duplicate", what="organisation", key=str(org_id))
        self._liaison_linked(org_id=org_id, **ctx.stamp())

    @event("LiaisonPointLinked")
    def _liaison_linked(self, *, org_id: UUID, actor: str, on: date, timestamp: datetime) -> None:
        self.liaison_org_ids.append(org_id)

    def update_contact(self, email: str, phone: str, ctx: Stamps) -> None:
        self._contact_updated(email=email, phone=phone, **ctx.stamp())

    @event("ContactUpdated")
    def _contact_updated(self, *, email: str, phone: str, actor: str, on: date, timestamp: datetime) -> None:
        self.email = email
        self.phone = phone

    def rename(self, name: str, ctx: Stamps) -> None:
        self._require_active()
        if name != self.name:
            self._renamed(name=name, **ctx.stamp())

    @event("PersonRenamed")
    def _renamed(self, *, name: str, actor: str, on: date, timestamp: datetime) -> None:
        self.name = name

    def move_to(self, org_id: UUID, reason: str, ctx: Stamps) -> None:
        """调离: the person now belongs to another organisation. The roles they held stay until
        revoked or handed over, so nothing they answered for is left without a holder unseen."""
        self._require_active()
        if org_id == self.org_id:
            raise DomainError("same_org", name=self.name)
        self._moved(org_id=org_id, from_org_id=self.org_id, reason=reason, **ctx.stamp())

    @event("PersonMoved")
    def _moved(
        self, *, org_id: UUID, from_org_id: UUID, reason: str, actor: str, on: date, timestamp: datetime
    ) -> None:
        self.org_id = org_id

    def leave(self, reason: str, ctx: Stamps) -> None:
        """离职: the person's roles end with them; what they owned stays on record, to be handed over."""
        self._require_active()
        self._left(reason=reason, ended_roles=[[a.role.value, a.org_id.hex] for a in self.assignments], **ctx.stamp())

    @event("PersonLeft")
    def _left(self, *, reason: str, ended_roles: list[list[str]], actor: str, on: date, timestamp: datetime) -> None:
        self.left_on = on
        self.assignments = []

    def save_filter(self, list_name: str, filter_name: str, query: str, ctx: Stamps) -> None:
        """A person keeps a list's filter under a name; saving a name again replaces its filter."""
        self._require_active()
        if list_name not in SAVED_LISTS:
            raise DomainError("invalid_value", field="list", value=list_name, allowed=list(SAVED_LISTS))
        if not filter_name.strip():
            raise DomainError("required", field="filter_name")
        kept = [name for listed, name in self.saved_filters if listed == list_name]
        if filter_name.strip() not in kept and len(kept) >= MOST_SAVED_FILTERS:
            raise DomainError("too_many_saved_filters", most=MOST_SAVED_FILTERS)
        self._filter_saved(list_name=list_name, filter_name=filter_name.strip(), query=query, **ctx.stamp())

    @event("FilterSaved")
    def _filter_saved(self, *, list_name: str, filter_name: str, query: str, actor: str, on: date, timestamp: datetime) -> None:
        self.saved_filters[(list_name, filter_name)] = query

    def delete_filter(self, list_name: str, filter_name: str, ctx: Stamps) -> None:
        if (list_name, filter_name) not in self.saved_filters:
            raise DomainError("not_found", what="saved_filter", key=filter_name)
        self._filter_deleted(list_name=list_name, filter_name=filter_name, **ctx.stamp())

    @event("FilterDeleted")
    def _filter_deleted(self, *, list_name: str, filter_name: str, actor: str, on: date, timestamp: datetime) -> None:
        del self.saved_filters[(list_name, filter_name)]

    def _require_active(self) -> None:
        if not self.active:
            raise DomainError("person_left", name=self.name, staff_no=self.staff_no, on=self.left_on)

    def describe(self) -> dict[str, Any]:
        return {"id": str(self.id), "name": self.name, "staff_no": self.staff_no}

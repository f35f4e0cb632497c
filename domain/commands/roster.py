"""明责 from a roster: a company's organisations, people and roles set up or brought up to date
in one command, by recording only what differs from what is recorded.

Each difference is the very event the single command records (OrganisationRegistered,
PersonMoved, RoleAssigned, …), made by the same aggregate methods, so nothing downstream can
tell a roster from hundreds of single commands — except that the roster is one atomic write.
A file with errors records nothing unless the valid rows are asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar
from uuid import UUID

from domain.commands.core import Actor, command
from domain.commands.organisation_and_people import OrganisationAndPeople
from domain.context import Context
from domain.errors import DomainError
from domain.organisation import Organisation
from domain.people import Person
from domain.roster import LEFT_REASON, OrgRow, PersonRow, Recorded, RoleRow, Roster, RosterChange, RosterOutcome, RowProblem
from domain.vocabulary import OrgKind, Role, label, parse

R = TypeVar("R", OrgRow, PersonRow)


class Rosters(OrganisationAndPeople):
    @command
    def sync_roster(
        self, actor: Actor, roster: Roster, recorded: Recorded, *, record: bool, apply_valid: bool = False
    ) -> RosterOutcome:
        """Compare the roster with what is recorded; with ``record``, save the differences in one
        write — unless rows were refused and ``apply_valid`` was not given."""
        ctx = self._as_admin(actor, "register")
        sync = _Sync(self, ctx, recorded)
        sync.organisations(roster.organisations)
        sync.people(roster.people)
        listed = {p.staff_no.strip() for p in roster.people}
        # An empty sheet says nothing: it neither ends everyone's roles nor sees everyone leave.
        if roster.roles:
            sync.roles(roster.roles, listed)
        if roster.people:
            sync.departures(listed)
        outcome = sync.outcome
        if record and outcome.changes and (apply_valid or not outcome.problems):
            self.save(*sync.touched.values())
            outcome.recorded = True
        return outcome


class _Sync:
    """One comparison: the recorded organisations and people (copies, changed as rows are read),
    what was changed, and what was refused."""

    def __init__(self, app: Rosters, ctx: Context, recorded: Recorded) -> None:
        self.app = app
        self.ctx = ctx
        self.outcome = RosterOutcome()
        self.touched: dict[UUID, Organisation | Person] = {}
        self.orgs: dict[str, Organisation] = {}
        for org_id in recorded.org_ids:
            org = app.organisation(org_id)
            self.orgs[org.name] = org
        self.staff: dict[str, Person] = {}
        for person_id in recorded.person_ids:
            person = app.person(person_id)
            self.staff[person.staff_no] = person

    def _refuse(self, sheet: str, row: int, column: str, error: DomainError) -> None:
        self.outcome.problems.append(RowProblem(sheet, row, column, error))

    def _change(self, aggregate: Organisation | Person, change: RosterChange) -> None:
        self.touched.setdefault(aggregate.id, aggregate)
        self.outcome.changes.append(change)

    def _attempt(self, sheet: str, row: int, column: str, act: Callable[[], None]) -> bool:
        """Run one row's change; a rule it breaks refuses the row, not the roster."""
        try:
            act()
        except DomainError as error:
            self._refuse(sheet, row, column, error)
            return False
        return True

    def _first_rows(self, sheet: str, rows: Iterable[R], key: Callable[[R], str], column: str) -> list[R]:
        """Rows with their key given, each key once (a repeat is refused, naming the first)."""
        seen: dict[str, int] = {}
        kept: list[R] = []
        for row in rows:
            value = key(row).strip()
            if not value:
                self._refuse(sheet, row.row, column, DomainError("roster_blank"))
            elif value in seen:
                self._refuse(sheet, row.row, column, DomainError("roster_repeated", row=seen[value]))
            else:
                seen[value] = row.row
                kept.append(row)
        return kept

    # -- organisations -----------------------------------------------------------------------

    def organisations(self, rows: Iterable[OrgRow]) -> None:
        pending: list[tuple[OrgRow, OrgKind]] = []
        for row in self._first_rows("organisations", rows, lambda r: r.name, "name"):
            try:
                pending.append((row, parse(OrgKind, row.kind.strip() or "党支部", "kind")))
            except DomainError as error:
                self._refuse("organisations", row.row, "kind", error)
        names = {row.name.strip() for row, _ in pending}
        # Parents first: a row waits while its parent is a row of the file not yet read.
        while pending:
            waiting = [(row, kind) for row, kind in pending if self._parent_waits(row, names)]
            for row, kind in pending:
                if (row, kind) not in waiting:
                    self._organisation(row, kind)
                    names.discard(row.name.strip())
            if len(waiting) == len(pending):
                for row, _ in waiting:
                    self._refuse("organisations", row.row, "parent", DomainError("roster_unknown_org", name=row.parent.strip()))
                return
            pending = waiting

    def _parent_waits(self, row: OrgRow, unread: set[str]) -> bool:
        parent = row.parent.strip()
        return bool(parent) and parent not in self.orgs and parent in unread and parent != row.name.strip()

    def _organisation(self, row: OrgRow, kind: OrgKind) -> None:
        name, former, parent_name = row.name.strip(), row.former_name.strip(), row.parent.strip()
        if former and former != name and former in self.orgs:
            if name in self.orgs:
                self._refuse("organisations", row.row, "name", DomainError("roster_rename_clash", former=former, name=name))
                return
            org = self.orgs.pop(former)
            if not self._attempt("organisations", row.row, "name", lambda: org.rename(name, self.ctx)):
                self.orgs[former] = org
                return
            self.orgs[name] = org
            self._change(org, RosterChange("OrganisationRenamed", name, before=former, after=name))
        existing = self.orgs.get(name)
        if existing is not None:
            self._check_unchanged(row, existing, kind, parent_name)
            return
        if kind == OrgKind.COMMITTEE:
            committee = next((o.name for o in self.orgs.values() if o.parent_id is None), name)
            self._refuse("organisations", row.row, "kind", DomainError("roster_second_committee", name=committee))
            return
        if not parent_name:
            self._refuse("organisations", row.row, "parent", DomainError("roster_parent_required"))
            return
        parent = self.orgs.get(parent_name)
        if parent is None:
            self._refuse("organisations", row.row, "parent", DomainError("roster_unknown_org", name=parent_name))
            return

        def register() -> None:
            org = self.app._new_organisation(self.ctx, name, kind, parent)
            self.orgs[name] = org
            self._change(org, RosterChange("OrganisationRegistered", name, after=parent_name, role=kind.value))

        self._attempt("organisations", row.row, "name", register)

    def _check_unchanged(self, row: OrgRow, org: Organisation, kind: OrgKind, parent_name: str) -> None:
        """A roster names organisations; it does not re-parent them or change their kind."""
        if org.kind != kind:
            self._refuse("organisations", row.row, "kind", DomainError("roster_kind_fixed", name=org.name, recorded=label(org.kind.value)))
            return
        recorded_parent = next((o.name for o in self.orgs.values() if o.id == org.parent_id), "")
        if parent_name and org.parent_id is not None and parent_name != recorded_parent:
            self._refuse("organisations", row.row, "parent", DomainError("roster_parent_fixed", name=org.name, recorded=recorded_parent))

    # -- people ------------------------------------------------------------------------------

    def people(self, rows: Iterable[PersonRow]) -> None:
        for row in self._first_rows("people", rows, lambda r: r.staff_no, "staff_no"):
            if not row.name.strip():
                self._refuse("people", row.row, "name", DomainError("roster_blank"))
                continue
            org = self.orgs.get(row.org.strip())
            if org is None:
                self._refuse("people", row.row, "org", DomainError("roster_unknown_org", name=row.org.strip()))
                continue
            person = self.staff.get(row.staff_no.strip())
            if person is None:
                self._attempt("people", row.row, "staff_no", lambda r=row, o=org: self._register(r, o))
            else:
                self._attempt("people", row.row, "name", lambda r=row, p=person, o=org: self._update(r, p, o))

    def _register(self, row: PersonRow, org: Organisation) -> None:
        person = self.app._new_person(self.ctx, row.name, row.staff_no, org.id, row.email, row.phone)
        self.staff[person.staff_no] = person
        self._change(person, RosterChange("PersonRegistered", _who(person), after=org.name))

    def _update(self, row: PersonRow, person: Person, org: Organisation) -> None:
        """Only what differs becomes an event; a blank contact cell keeps what is recorded."""
        if not person.active:
            raise DomainError("person_left", name=person.name, staff_no=person.staff_no, on=person.left_on)
        name = row.name.strip()
        if name and name != person.name:
            before = person.name
            person.rename(name, self.ctx)
            self._change(person, RosterChange("PersonRenamed", _who(person), before=before, after=name))
        if org.id != person.org_id:
            before = next((o.name for o in self.orgs.values() if o.id == person.org_id), "")
            person.move_to(org.id, "名册同步", self.ctx)
            self._change(person, RosterChange("PersonMoved", _who(person), before=before, after=org.name))
        email, phone = row.email.strip() or person.email, row.phone.strip() or person.phone
        if (email, phone) != (person.email, person.phone):
            before = " ".join(v for v in (person.email, person.phone) if v)
            person.update_contact(email, phone, self.ctx)
            self._change(person, RosterChange("ContactUpdated", _who(person), before=before, after=" ".join(v for v in (email, phone) if v)))

    # -- roles -------------------------------------------------------------------------------

    def roles(self, rows: Iterable[RoleRow], listed: set[str]) -> None:
        """Each listed person's roles become those of the roster (the administrator role is kept
        out of it); a person with a refused role row keeps the roles recorded."""
        wanted: dict[str, dict[tuple[Role, UUID], tuple[str, list[UUID]]]] = {}
        unsure: set[str] = set()
        seen: dict[tuple[str, str, str], int] = {}
        for row in rows:
            staff_no = row.staff_no.strip()
            reading = self._role_row(row, listed, seen)
            if reading is None:
                unsure.add(staff_no)
                continue
            role, org, fields = reading
            wanted.setdefault(staff_no, {})[(role, org.id)] = (row.duty.strip(), fields)
        for staff_no in listed - unsure:
            person = self.staff.get(staff_no)
            if person is not None and person.active:
                self._sync_roles(person, wanted.get(staff_no, {}))

    def _role_row(
        self, row: RoleRow, listed: set[str], seen: dict[tuple[str, str, str], int]
    ) -> tuple[Role, Organisation, list[UUID]] | None:
        staff_no = row.staff_no.strip()
        if staff_no not in listed or staff_no not in self.staff:
            self._refuse("roles", row.row, "staff_no", DomainError("roster_unlisted_person", staff_no=staff_no))
            return None
        try:
            role = parse(Role, row.role.strip(), "role")
        except DomainError as error:
            self._refuse("roles", row.row, "role", error)
            return None
        if role == Role.ADMIN:
            self._refuse("roles", row.row, "role", DomainError("roster_admin_role"))
            return None
        key = (staff_no, role.value, row.org.strip())
        if key in seen:
            self._refuse("roles", row.row, "role", DomainError("roster_repeated", row=seen[key]))
            return None
        seen[key] = row.row
        org = self.orgs.get(row.org.strip())
        if org is None:
            self._refuse("roles", row.row, "org", DomainError("roster_unknown_org", name=row.org.strip()))
            return None
        fields: list[UUID] = []
        for name in row.field:
            field_org = self.orgs.get(name.strip())
            if field_org is None:
                self._refuse("roles", row.row, "field", DomainError("roster_unknown_org", name=name.strip()))
                return None
            fields.append(field_org.id)
        if not self._attempt("roles", row.row, "field", lambda: self._check_field(org, fields)):
            return None
        return role, org, fields

    def _check_field(self, org: Organisation, fields: list[UUID]) -> None:
        """The 责任田 of the roster's own new branches are known only here, not yet in the store."""
        by_id = {o.id: o for o in self.orgs.values()}
        for field_id in fields:
            chain, current = [], by_id.get(field_id)
            while current is not None:
                chain.append(current.id)
                current = by_id.get(current.parent_id) if current.parent_id else None
            if org.id not in chain:
                raise DomainError("org_not_under", child=by_id[field_id].name, parent=org.name)

    def _sync_roles(self, person: Person, wanted: dict[tuple[Role, UUID], tuple[str, list[UUID]]]) -> None:
        names = {o.id: o.name for o in self.orgs.values()}
        held = {(a.role, a.org_id): a for a in person.assignments if a.role != Role.ADMIN}
        for (role, org_id), assignment in held.items():
            if (role, org_id) not in wanted:
                person.revoke_role(role, org_id, self.ctx)
                self._change(person, RosterChange("RoleRevoked", _who(person), before=names.get(org_id, ""), role=role.value))
        for (role, org_id), (duty, fields) in wanted.items():
            current = held.get((role, org_id))
            if current is None or (fields and set(fields) != set(current.field_org_ids)):
                person.assign_role(role, org_id, duty, fields, self.ctx)
                self._change(person, RosterChange("RoleAssigned", _who(person), after=names.get(org_id, ""), role=role.value))

    # -- departures --------------------------------------------------------------------------

    def departures(self, listed: set[str]) -> None:
        """Someone recorded and no longer on the roster has left — never an administrator (the
        roster does not hold the administrators' accounts), nor the one importing."""
        for staff_no, person in self.staff.items():
            if staff_no in listed or not person.active or person.has_role(Role.ADMIN) or self.ctx.who.is_person(person.id):
                continue
            person.leave(LEFT_REASON, self.ctx)
            self._change(person, RosterChange("PersonLeft", _who(person), before=LEFT_REASON))


def _who(person: Person) -> str:
    return f"{person.name}（{person.staff_no}）"

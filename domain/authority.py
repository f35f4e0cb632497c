"""Who may do what, and over which organisation (按照有关管理权限).

Authority flows down the organisation tree: a role held at the company committee reaches every
branch below it; a branch secretary's reaches their own branch. The rules live here, in one
place, so the CLI, the web and the scheduler refuse the same things for the same reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from uuid import UUID

from domain.people import Person
from domain.vocabulary import Role

Ancestry = Callable[[UUID], Sequence[UUID]]
"""Given an organisation, that organisation followed by its parent, grandparent, … up to the root."""

LEADING_ROLES = (Role.COMMITTEE_SECRETARY, Role.TEAM_MEMBER, Role.PARTY_DEPT)
INTERVIEWING_ROLES = (Role.COMMITTEE_SECRETARY, Role.TEAM_MEMBER, Role.DISCIPLINE)
BRANCH_ROLES = (Role.BRANCH_SECRETARY, Role.PARTY_WORKER)


class Authority:
    def __init__(self, person: Person, ancestry: Ancestry) -> None:
        self.person = person
        self.ancestry = ancestry

    def _held_above(self, org_id: UUID, roles: Sequence[Role], *, inclusive: bool) -> bool:
        # Most people hold none of the roles asked about: no need to walk the ancestry (a page
        # asks this for every organisation of the province).
        held = self.person.orgs_with(*roles)
        if not held:
            return False
        chain = list(self.ancestry(org_id))
        scope = chain if inclusive else chain[1:]
        return bool(held & set(scope))

    @property
    def actor_id(self) -> str:
        return str(self.person.id)

    @property
    def is_admin(self) -> bool:
        return self.person.has_role(Role.ADMIN)

    def is_person(self, person_id: UUID | None) -> bool:
        return person_id is not None and self.person.id == person_id

    def describe(self) -> str:
        return f"{self.person.name}（{self.person.staff_no}）"

    def leads(self, org_id: UUID) -> bool:
        """党委书记, 班子成员 and 党建部 run the work of their organisation and everything below it."""
        return self._held_above(org_id, LEADING_ROLES, inclusive=True)

    def works_in(self, org_id: UUID) -> bool:
        """Branch secretary or party-affairs worker of exactly this organisation."""
        return org_id in self.person.orgs_with(*BRANCH_ROLES)

    def may_run_meetings(self, org_id: UUID) -> bool:
        return self.leads(org_id) or self.works_in(org_id)

    def may_inspect(self, org_id: UUID) -> bool:
        return (
            self.leads(org_id)
            or self._held_above(org_id, (Role.DISCIPLINE,), inclusive=True)
            or org_id in self.person.field_org_ids
        )

    def has_authority_over(self, org_id: UUID) -> bool:
        """May hold a 约谈 with, or judge the rectification of, someone in this organisation."""
        if self._held_above(org_id, INTERVIEWING_ROLES, inclusive=False):
            return True
        if self.person.has_role(Role.COMMITTEE_SECRETARY, org_id):
            return True
        liaison = set(self.person.liaison_org_ids)
        return bool(liaison) and bool(liaison & set(self.ancestry(org_id)))

    def may_record_interviews(self, org_id: UUID) -> bool:
        """纪检 staff record interviews held by others with the authority."""
        return self.has_authority_over(org_id) or self._held_above(org_id, (Role.DISCIPLINE,), inclusive=True)

    def belongs_to(self, org_id: UUID) -> bool:
        """A member of exactly this organisation (whatever their roles)."""
        return self.person.org_id == org_id

    def may_read(self, org_id: UUID) -> bool:
        """May read an organisation's tasks and rectifications: its own secretary and
        party-affairs worker, those who lead, inspect or hold authority over it (discipline
        inspection sees every chain), and admins (for audits)."""
        return (
            self.is_admin
            or self.works_in(org_id)
            or self.leads(org_id)
            or self.may_inspect(org_id)
            or self.may_record_interviews(org_id)
        )

    def may_review(self, org_id: UUID) -> bool:
        """述职评议: leaders and discipline inspection at the branch's level or above grade its report."""
        return self.leads(org_id) or self._held_above(org_id, (Role.DISCIPLINE,), inclusive=True)

    def may_publish_results(self, org_id: UUID) -> bool:
        """Publish, recall or correct review results and approve points: leaders above the branch."""
        return self.is_admin or self.may_supervise(org_id)

    def may_urge(self, org_id: UUID) -> bool:
        """催办: those who supervise the organisation's work, and discipline inspection at or above it."""
        return self.may_supervise(org_id) or self._held_above(org_id, (Role.DISCIPLINE,), inclusive=True)

    def may_supervise(self, org_id: UUID) -> bool:
        """Accept or return work, decide extensions, cancel: those who lead above the organisation."""
        return self._held_above(org_id, LEADING_ROLES, inclusive=False) or (
            self.leads(org_id) and len(self.ancestry(org_id)) == 1
        )


class SystemAuthority(Authority):
    """The scheduler and set-up scripts act as named system principals with no personal authority;
    the commands they may run check for them explicitly."""

    def __init__(self, name: str) -> None:
        self.name = name

    @property
    def actor_id(self) -> str:
        return f"system:{self.name}"

    @property
    def is_admin(self) -> bool:
        return False

    def _held_above(self, org_id: UUID, roles: Sequence[Role], *, inclusive: bool) -> bool:
        return False

    def works_in(self, org_id: UUID) -> bool:
        return False

    def belongs_to(self, org_id: UUID) -> bool:
        return False

    def may_inspect(self, org_id: UUID) -> bool:
        return False

    def has_authority_over(self, org_id: UUID) -> bool:
        return False

    def is_person(self, person_id: UUID | None) -> bool:
        return False

    def describe(self) -> str:
        return self.actor_id

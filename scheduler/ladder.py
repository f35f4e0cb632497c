"""Who hears about overdue work at each escalation step.

The ladder climbs the organisation one level at a time: the secretary of the item's own
organisation (when that is not the person responsible), then the secretary of the parent
organisation, and so on up to the 党委书记 of the company committee; its last rung is discipline
inspection (纪检) — the staff nearest above the item. A level without a secretary is passed
over, and a rung naming exactly the people of the rung before it is not repeated, so every step
brings the matter to someone new.

It is read from the directory views once per scan, so a scan of 100k open items costs a few
dictionary look-ups per item, not a query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from domain.vocabulary import Role
from projections.tables import organisations, role_assignments

SECRETARY_ROLES = (Role.BRANCH_SECRETARY.value, Role.COMMITTEE_SECRETARY.value)
MEETING_ORGANISER_ROLES = (Role.PARTY_DEPT.value,)
Rung = tuple[str, ...]
"""The people (32-digit hex ids) reminded together at one step."""


@dataclass(frozen=True)
class Step:
    number: int
    recipients: Rung
    threshold: int
    """Working days overdue from which this step is the current one."""


class Directory:
    """The organisation tree and who holds the roles the scheduler addresses."""

    def __init__(self, parents: dict[str, str | None], holders: dict[tuple[str, str], list[str]]) -> None:
        self.parents = parents
        self.holders = holders
        self._ladders: dict[tuple[str, str], list[Rung]] = {}

    @classmethod
    def read(cls, conn: Connection) -> Directory:
        parents = {r.org_id: r.parent_id for r in conn.execute(select(organisations.c.org_id, organisations.c.parent_id))}
        holders: dict[tuple[str, str], list[str]] = defaultdict(list)
        roles = (*SECRETARY_ROLES, *MEETING_ORGANISER_ROLES, Role.DISCIPLINE.value)
        rows = conn.execute(
            select(role_assignments.c.org_id, role_assignments.c.role, role_assignments.c.person_id)
            .where(role_assignments.c.role.in_(roles))
            .order_by(role_assignments.c.person_id)
        )
        for row in rows:
            holders[(row.org_id, row.role)].append(row.person_id)
        return cls(parents, dict(holders))

    def ancestry(self, org_id: str) -> list[str]:
        """The organisation, then its parent, … up to the root."""
        chain = [org_id]
        seen = {org_id}
        current = self.parents.get(org_id)
        while current is not None and current not in seen:
            chain.append(current)
            seen.add(current)
            current = self.parents.get(current)
        return chain

    def holding(self, org_id: str, roles: Sequence[str]) -> Rung:
        return tuple(sorted({p for role in roles for p in self.holders.get((org_id, role), ())}))

    def nearest(self, org_id: str, roles: Sequence[str]) -> Rung:
        """Holders of the roles at the organisation or, failing that, the nearest one above."""
        for org in self.ancestry(org_id):
            found = self.holding(org, roles)
            if found:
                return found
        return ()

    def ladder(self, org_id: str, owner_id: str) -> list[Rung]:
        key = (org_id, owner_id)
        if key not in self._ladders:
            rungs: list[Rung] = []
            previous: Rung = (owner_id,)
            candidates = [self.holding(org, SECRETARY_ROLES) for org in self.ancestry(org_id)]
            candidates.append(self.nearest(org_id, (Role.DISCIPLINE.value,)))
            for rung in candidates:
                if rung and rung != previous:
                    rungs.append(rung)
                    previous = rung
            self._ladders[key] = rungs
        return self._ladders[key]


def grace_for(step: int, escalation_grace: Sequence[int]) -> int:
    """The working days step ``step`` (1, 2, …) waits after the one before it; a ladder longer
    than the policy's list keeps the last period."""
    return escalation_grace[min(step, len(escalation_grace)) - 1]


def steps(ladder: Sequence[Rung], serious: int, escalation_grace: Sequence[int]) -> list[Step]:
    """Step k becomes current once the item is ``serious`` + the first k grace periods overdue."""
    result = []
    threshold = serious
    for number, rung in enumerate(ladder, start=1):
        threshold += grace_for(number, escalation_grace)
        result.append(Step(number, rung, threshold))
    return result


def current_step(ladder: Sequence[Rung], serious: int, escalation_grace: Sequence[int], overdue: int) -> Step | None:
    """The highest step reached after ``overdue`` working days; ``None`` before the first."""
    reached = None
    for step in steps(ladder, serious, escalation_grace):
        if overdue < step.threshold:
            break
        reached = step
    return reached

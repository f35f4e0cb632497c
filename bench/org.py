"""A small organisation for the measures that need people and branches but not a year of history:
a committee, its party department and twelve branches, each with its secretary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.application import DutyLoop
from domain.clock import ManualClock
from domain.vocabulary import OrgKind, Role


@dataclass(frozen=True)
class SmallOrg:
    committee: UUID
    dept: UUID
    branches: list[UUID]
    secretaries: dict[UUID, UUID]


def small_org(app: DutyLoop, clock: ManualClock, when: datetime, branches: int = 12) -> SmallOrg:
    clock.set(when)
    committee, admin = app.bootstrap("基准测试公司党委", "系统管理员", "B0001")
    dept = app.register_person(admin, "党建部专责", "B0002", committee)
    app.assign_role(admin, dept, Role.PARTY_DEPT, committee)
    orgs = []
    secretaries = {}
    for n in range(branches):
        org = app.register_organisation(admin, f"第{n + 1}党支部", OrgKind.BRANCH, committee)
        secretary = app.register_person(admin, f"支部书记{n + 1}", f"B1{n:03d}", org)
        app.assign_role(admin, secretary, Role.BRANCH_SECRETARY, org)
        orgs.append(org)
        secretaries[org] = secretary
    return SmallOrg(committee, dept, orgs, secretaries)

"""Who a company sign-in names in DutyLoop: the active person with the staff number the
directory or identity platform vouches for. Nobody is created here; people come from the roster."""

from __future__ import annotations

from uuid import UUID

from domain import ids
from domain.errors import DomainError
from dutyloop.wiring import System


def unknown_person(staff_no: str) -> tuple[str, str]:
    return (f"工号 {staff_no} 在党建责任闭环中没有对应的人员（或已离职），请联系系统管理员。",
            f"Staff number {staff_no} is not a person in DutyLoop (or has left); please ask the administrator.")


def known_person(system: System, staff_no: str) -> UUID | None:
    person_id = ids.person_id(staff_no)
    try:
        system.app.authority(person_id)
    except DomainError:
        return None
    return person_id

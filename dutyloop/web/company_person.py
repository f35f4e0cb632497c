"""Who a company sign-in names in DutyLoop: the active person with the staff number the
directory or identity platform vouches for. Nobody is created here; people come from the roster."""

from __future__ import annotations

from uuid import UUID

from domain import ids
from domain.errors import DomainError
from dutyloop.wiring import System


class SignInRefusal(Exception):
    """Why a company sign-in did not go through, in words for the person at the sign-in page."""

    def __init__(self, zh: str, en: str, status: int) -> None:
        super().__init__(en)
        self.zh, self.en, self.status = zh, en, status

    @property
    def words(self) -> tuple[str, str]:
        return self.zh, self.en


def unknown_person(staff_no: str) -> SignInRefusal:
    return SignInRefusal(f"工号 {staff_no} 在党建责任闭环中没有对应的人员（或已离职），请联系系统管理员。",
                         f"Staff number {staff_no} is not a person in DutyLoop (or has left); please ask the administrator.",
                         403)


def known_person(system: System, staff_no: str) -> UUID:
    person_id = ids.person_id(staff_no)
    try:
        system.app.authority(person_id)
    except DomainError:
        raise unknown_person(staff_no) from None
    return person_id

"""What a route asks for: the running system, fresh views, and the person logged in.

Routes declare ``viewer: Viewer = Depends(current_viewer)`` to get the logged-in person with
their roles and the domain's ``Authority`` (the same rules the commands enforce), and
``conn: Connection = Depends(fresh_views)`` to read views that include every command so far.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from fastapi import Depends
from sqlalchemy import Connection
from starlette.requests import Request

from domain.authority import BRANCH_ROLES, Authority
from domain.clock import today
from domain.errors import DomainError, NotPermitted
from domain.vocabulary import Role
from dutyloop.web.accounts import Accounts
from dutyloop.web.sessions import Sessions
from dutyloop.wiring import System


class LoginRequired(Exception):
    """No valid session: the person is sent to the login page and brought back afterwards."""


@dataclass(frozen=True)
class Viewer:
    person_id: UUID
    name: str
    staff_no: str
    org_id: UUID
    roles: tuple[tuple[Role, UUID], ...]
    authority: Authority

    @property
    def actor(self) -> UUID:
        """Who acts in the domain commands this person runs from the web."""
        return self.person_id

    @property
    def hex(self) -> str:
        return self.person_id.hex

    def has(self, *roles: Role) -> bool:
        return any(role in roles for role, _ in self.roles)

    def orgs_with(self, *roles: Role) -> list[UUID]:
        return [org for role, org in self.roles if role in roles]

    @property
    def is_admin(self) -> bool:
        return self.has(Role.ADMIN)

    @property
    def branch_org_ids(self) -> list[UUID]:
        """The branches this person works for as secretary or party-affairs worker."""
        return self.orgs_with(*BRANCH_ROLES)

    def may_view(self, org_id: UUID, *people: UUID | None) -> bool:
        """Who may read an organisation's tasks and rectifications (``Authority.may_read``), and
        the people named on the item."""
        who = self.authority
        return any(who.is_person(person) for person in people) or who.may_read(org_id)

    def require_view(self, org_id: UUID, *people: UUID | None) -> None:
        if not self.may_view(org_id, *people):
            raise self.refuse("view_page", "reason_not_owner")

    def refuse(self, action: str, reason: str) -> NotPermitted:
        return NotPermitted(self.authority.describe(), action, reason)


_catch_up_lock = threading.Lock()


def system_of(request: Request) -> System:
    return request.app.state.system  # type: ignore[no-any-return]


def accounts_of(request: Request) -> Accounts:
    return request.app.state.accounts  # type: ignore[no-any-return]


def catch_up(request: Request) -> None:
    """Bring the views to the end of the log (after our own command, or one from the CLI or the
    scheduler); one thread at a time, the others then find nothing left to do."""
    with _catch_up_lock:
        system_of(request).catch_up()


def fresh_views(request: Request) -> Iterator[Connection]:
    catch_up(request)
    with system_of(request).engine.connect() as conn:
        yield conn


def business_today(request: Request) -> date:
    return today(system_of(request).clock)


def sessions_of(request: Request) -> Sessions:
    return request.app.state.sessions  # type: ignore[no-any-return]


def viewer_from_session(request: Request) -> Viewer | None:
    """The person of the session the cookie names, while that session is open on the server (a
    cookie kept after logout, a password change or the account's removal names none)."""
    person_hex = request.session.get("person_id")
    session_id = request.session.get("session")
    if not person_hex:
        return None
    if not isinstance(session_id, str) or not sessions_of(request).is_open(session_id, person_hex):
        request.session.clear()
        return None
    account = accounts_of(request).current(person_hex)
    if account is None or account.revision != request.session.get("revision"):
        request.session.clear()
        return None
    try:
        authority = system_of(request).app.authority(UUID(person_hex))
    except DomainError:
        request.session.clear()
        return None
    person = authority.person
    return Viewer(
        person_id=person.id,
        name=person.name,
        staff_no=person.staff_no,
        org_id=person.org_id,
        roles=tuple((Role(a.role), a.org_id) for a in person.assignments),
        authority=authority,
    )


def current_viewer(request: Request) -> Viewer:
    viewer = getattr(request.state, "viewer", None) or viewer_from_session(request)
    if viewer is None:
        raise LoginRequired()
    request.state.viewer = viewer
    return viewer


def admin_viewer(viewer: Viewer = Depends(current_viewer)) -> Viewer:
    if not viewer.is_admin:
        raise viewer.refuse("view_page", "reason_admin_only")
    return viewer

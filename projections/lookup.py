"""Finding things by what people type: a person by staff number or name, an organisation by (part
of) its name, a task or chain member by the first hex digits of its id, as with git.
"""

from __future__ import annotations

import re
from uuid import UUID

from sqlalchemy import Connection, or_, select

from domain.errors import DomainError, NotFound
from projections.tables import findings, interviews, meetings, organisations, people, rectifications, tasks


def _as_hex(text: str) -> str | None:
    try:
        return UUID(text).hex
    except ValueError:
        return None


def resolve_person(conn: Connection, text: str) -> str:
    """A person by staff number, exact name or id; refuses a name shared by several people."""
    key = text.strip()
    hex_id = _as_hex(key)
    rows = conn.execute(
        select(people.c.person_id, people.c.name, people.c.staff_no).where(
            or_(people.c.staff_no == key, people.c.name == key, people.c.person_id == (hex_id or ""))
        )
    ).all()
    by_staff = [r for r in rows if r.staff_no == key or r.person_id == hex_id]
    if by_staff:
        return by_staff[0].person_id
    if len(rows) == 1:
        return rows[0].person_id
    if not rows:
        raise NotFound("person", key)
    raise DomainError("ambiguous", what="person", key=key, candidates=[f"{r.name}({r.staff_no})" for r in rows])


def resolve_org(conn: Connection, text: str) -> str:
    key = text.strip()
    hex_id = _as_hex(key)
    rows = conn.execute(
        select(organisations.c.org_id).where(or_(organisations.c.name == key, organisations.c.org_id == (hex_id or "")))
    ).all()
    if not rows:
        like = conn.execute(
            select(organisations.c.org_id, organisations.c.name).where(organisations.c.name.contains(key, autoescape=True))
        ).all()
        if len(like) == 1:
            return like[0].org_id
        if like:
            raise DomainError("ambiguous", what="organisation", key=key, candidates=[r.name for r in like[:8]])
        raise NotFound("organisation", key)
    return rows[0].org_id


def resolve_id(text: str, what: str) -> UUID:
    try:
        return UUID(text.strip())
    except ValueError:
        raise NotFound(what, text) from None


_ENTITY_COLUMNS = {
    "task": tasks.c.task_id,
    "meeting": meetings.c.meeting_id,
    "finding": findings.c.finding_id,
    "interview": interviews.c.interview_id,
    "rectification": rectifications.c.rectification_id,
}


def id_prefix(text: str, what: str) -> str:
    """An id as printed — full, or its first 6 or more hex digits, as with git — made plain;
    anything else is not one (a ``%`` or ``_`` would otherwise match any id in ``LIKE``)."""
    key = text.strip().replace("-", "").lower()
    if not _HEX_PREFIX.fullmatch(key):
        raise NotFound(what, text)
    return key


_HEX_PREFIX = re.compile(r"[0-9a-f]{6,32}")


def resolve_entity(conn: Connection, what: str, text: str) -> str:
    """An id as printed (full, or the first 6+ hex digits, as with git)."""
    key = id_prefix(text, what)
    column = _ENTITY_COLUMNS[what]
    if len(key) == 32:
        return key
    rows = conn.execute(select(column).where(column.startswith(key, autoescape=True)).limit(3)).all()
    if len(rows) == 1:
        return rows[0][0]
    if not rows:
        raise NotFound(what, text)
    raise DomainError("ambiguous", what=what, key=text, candidates=[r[0][:12] for r in rows])

"""Who did what, and the rectification chains: the trail (also at given log positions, for the
audit bundle), the timeline a chain is told from (projections/chain_story.py tells one chain end to
end: finding → 约谈 → 整改 → 验收 → 销号), the chains still open, findings and interviews.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, or_, select

from domain.recording import VIA
from projections.batch import chunked
from projections.tables import findings, interviews, organisations, people, rectifications, trail
from projections.trail import details, stored_states, with_actors


OPEN_RECTIFICATION = ("opened", "returned")
_owner = people.alias("owner")


def trail_rows(
    conn: Connection,
    actor_id: str | None = None,
    org_id: str | None = None,
    entity_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 500,
    before: int | None = None,
) -> list[dict[str, Any]]:
    """Newest first; ``before`` (the position of the last row of a page) gives the next page,
    read from the index where the last one stopped."""
    from projections.view import moment

    query = select(trail)
    if before is not None:
        query = query.where(trail.c.notification_id < before)
    if actor_id:
        query = query.where(trail.c.actor == actor_id)
    if org_id:
        query = query.where(trail.c.org_id == org_id)
    if entity_id:
        query = query.where(trail.c.entity_id == entity_id)
    if since:
        query = query.where(trail.c.recorded_at >= moment(since))
    if until:
        query = query.where(trail.c.recorded_at <= moment(until))
    rows = conn.execute(query.order_by(trail.c.notification_id.desc()).limit(limit)).mappings()
    return _trail_items(conn, rows)


def _trail_items(conn: Connection, rows: Any) -> list[dict[str, Any]]:
    """Trail rows with the event's own fields, read from the events in one query."""
    items = [dict(row) for row in rows]
    states = stored_states(conn, [item["notification_id"] for item in items])
    with_actors(conn, items)
    for item in items:
        item["details"] = details(states[item["notification_id"]])
        item["via"] = str(item["details"].pop(VIA, ""))
    return items


def trail_at(conn: Connection, positions: Sequence[int]) -> list[dict[str, Any]]:
    """The trail rows of the events at these positions, in log order."""
    rows = []
    for chunk in chunked(sorted(positions)):
        rows += list(conn.execute(select(trail).where(trail.c.notification_id.in_(list(chunk)))).mappings())
    return _trail_items(conn, sorted(rows, key=lambda r: r["notification_id"]))


def timeline(conn: Connection, entity_ids: Sequence[str]) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(trail).where(trail.c.entity_id.in_(list(entity_ids))).order_by(trail.c.notification_id)
    ).mappings()
    return _trail_items(conn, rows)


def open_chains(conn: Connection, today: date, work_of: tuple[tuple[str, ...], str] | None = None) -> list[dict[str, Any]]:
    """Rectifications not yet closed, oldest first, with their age in days and the finding or
    interview each comes from (many share one requirement's wording; their sources tell them apart).
    ``work_of`` (branches, person): only those of the branches or owned by the person, as home shows."""
    query = (
        select(
            rectifications, organisations.c.name.label("org_name"), _owner.c.name.label("owner_name"),
            func.coalesce(findings.c.description, interviews.c.reason).label("source_text"),
        )
        .join(organisations, organisations.c.org_id == rectifications.c.org_id)
        .join(_owner, _owner.c.person_id == rectifications.c.owner_id)
        .outerjoin(findings, findings.c.finding_id == rectifications.c.source_id)
        .outerjoin(interviews, interviews.c.interview_id == rectifications.c.source_id)
        .where(rectifications.c.status != "closed")
        .order_by(rectifications.c.opened_on)
    )
    if work_of is not None:
        branches, person_id = work_of
        query = query.where(or_(rectifications.c.org_id.in_(list(branches)), rectifications.c.owner_id == person_id))
    rows = conn.execute(query).mappings()
    return [
        {**r, "age_days": (today - date.fromisoformat(r["opened_on"])).days, "overdue": r["deadline"] < today.isoformat()}
        for r in rows
    ]


def finding_list(conn: Connection, org_id: str | None = None) -> list[dict[str, Any]]:
    query = (
        select(findings, organisations.c.name.label("org_name"), rectifications.c.status.label("rectification_status"))
        .join(organisations, organisations.c.org_id == findings.c.org_id)
        .outerjoin(rectifications, rectifications.c.source_id == findings.c.finding_id)
    )
    if org_id:
        query = query.where(findings.c.org_id == org_id)
    return [dict(r) for r in conn.execute(query.order_by(findings.c.raised_on.desc())).mappings()]


def interview_list(conn: Connection) -> list[dict[str, Any]]:
    interviewer = people.alias("interviewer")
    interviewee = people.alias("interviewee")
    rows = conn.execute(
        select(interviews, interviewer.c.name.label("interviewer_name"), interviewee.c.name.label("interviewee_name"))
        .join(interviewer, interviewer.c.person_id == interviews.c.interviewer_id)
        .join(interviewee, interviewee.c.person_id == interviews.c.interviewee_id)
        .order_by(interviews.c.planned_on.desc())
    ).mappings()
    return [interview_row(r) for r in rows]


def interview_row(row: Any) -> dict[str, Any]:
    """An interview's row with its causes as a list of [kind, id] pairs, not the JSON text the
    view keeps."""
    return {**dict(row), "causes": json.loads(row["causes"])}

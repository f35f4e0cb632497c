"""One rectification chain told end to end, found from any id a user sees in it: a task, a
finding, an interview, a rectification or a reminder, in full or by its first 6+ hex digits.

Ids are looked up among every entity the trail knows (``trail_entities``), so the trail, the
chain and the exports accept the same prefixes. An entity that exists but is in no chain yet — or,
as of a past moment, did not exist yet — is said so in words, not as "not found"."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from domain.errors import DomainError, NotFound, term
from projections.chain_queries import interview_row, timeline
from projections.sentences import Names, reminder_level, row_sentence, short
from projections.tables import (
    chain_links,
    findings,
    interviews,
    organisations,
    people,
    rectifications,
    trail_entities,
)

CHAIN_KINDS = ("Task", "Finding", "Interview", "Rectification", "Reminder")
_TERMS = {"Task": "task", "Finding": "finding", "Interview": "interview", "Rectification": "rectification",
          "Reminder": "reminder", "Meeting": "meeting", "Inspection": "inspection", "Person": "person",
          "Organisation": "organisation"}
MIN_PREFIX = 6


def kind_term(kind: str, locale: str = "zh-CN") -> str:
    return term(_TERMS.get(kind, "entity"), locale)


def resolve(conn: Connection, text: str, what: str = "entity") -> tuple[str, str]:
    """(32-digit id, aggregate kind) of the one entity whose id is ``text`` or starts with it."""
    key = text.strip().replace("-", "").lower()
    if len(key) < MIN_PREFIX or any(c not in "0123456789abcdef" for c in key):
        raise NotFound(what, text)
    query = select(trail_entities.c.entity_id, trail_entities.c.kind)
    query = query.where(trail_entities.c.entity_id == key) if len(key) == 32 else query.where(
        trail_entities.c.entity_id.like(f"{key}%"))
    rows = conn.execute(query.limit(3)).all()
    if not rows:
        raise NotFound(what, text)
    if len(rows) > 1:
        raise DomainError("ambiguous", what=what, key=text, candidates=[r[0][:12] for r in rows])
    return rows[0][0], rows[0][1]


def known_kind(conn: Connection, entity_id: str) -> str | None:
    return conn.execute(select(trail_entities.c.kind).where(trail_entities.c.entity_id == entity_id)).scalar()


_owner = people.alias("chain_owner")


def story(conn: Connection, entity_id: str, locale: str = "zh-CN", day: str = "") -> dict[str, Any]:
    """The chain(s) ``entity_id`` belongs to: its findings, interviews, rectifications, every
    reminder about any of them, and the timeline of who did what, each row with its 详情 in words.
    ``day`` is the moment the answer stands for, named in the refusal when there is no chain."""
    chain_ids = {r[0] for r in conn.execute(select(chain_links.c.chain_id).where(chain_links.c.entity_id == entity_id))}
    if not chain_ids:
        kind = known_kind(conn, entity_id)
        if kind is None:
            if day:
                raise DomainError("not_yet_recorded", day=day, key=short(entity_id))
            raise NotFound("rectification", short(entity_id))
        raise DomainError("not_in_chain", day=day or "目前", what=kind_term(kind, locale), key=short(entity_id))
    members = {r[0] for r in conn.execute(select(chain_links.c.entity_id).where(chain_links.c.chain_id.in_(chain_ids)))}
    members |= chain_ids
    rects = [
        dict(r)
        for r in conn.execute(
            select(rectifications, organisations.c.name.label("org_name"), _owner.c.name.label("owner_name"))
            .join(organisations, organisations.c.org_id == rectifications.c.org_id)
            .join(_owner, _owner.c.person_id == rectifications.c.owner_id)
            .where(rectifications.c.rectification_id.in_(members))
        ).mappings()
    ]
    names = Names(conn)
    rows = timeline(conn, sorted(members))
    for row in rows:
        row["sentence"] = row_sentence(row, names, locale)
    return {
        "chain_ids": sorted(chain_ids),
        "findings": [dict(r) for r in conn.execute(select(findings).where(findings.c.finding_id.in_(members))).mappings()],
        "interviews": [interview_row(r) for r in conn.execute(select(interviews).where(interviews.c.interview_id.in_(members))).mappings()],
        "rectifications": rects,
        "reminders": reminders_of(rows, names, locale),
        "timeline": rows,
    }


def reminders_of(rows: list[dict[str, Any]], names: Names, locale: str) -> list[dict[str, Any]]:
    """The reminders among timeline rows: level in words, recipient, business day, target."""
    found = []
    for row in rows:
        if row["event_type"] != "ReminderRecorded":
            continue
        d = row["details"]
        recipient = str(d["recipient_id"]).replace("-", "")
        target = str(d["target_id"]).replace("-", "")
        found.append({
            "reminder_id": row["entity_id"], "level": d["level"], "step": int(d["step"]),
            "level_label": reminder_level(d["level"], int(d["step"]), locale),
            "recipient_id": recipient, "recipient": names.person(recipient, locale),
            "recorded_on": row["business_date"], "target_kind": d["target_kind"], "target_id": target,
            "target": names.target(d["target_kind"], target, locale), "deadline": d["deadline"],
            "overdue_working_days": int(d.get("overdue_working_days") or 0),
        })
    return found

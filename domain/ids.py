"""Identities derived from business keys: a second "create" of the same thing becomes a version
conflict in the event store, across processes too, instead of a duplicate."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid5

NAMESPACE = UUID("6c0f6f1e-2d55-4c1e-9a4b-3d2f0c1a7e55")


def organisation_id(name: str) -> UUID:
    return uuid5(NAMESPACE, f"organisation:{name.strip()}")


def person_id(staff_no: str) -> UUID:
    return uuid5(NAMESPACE, f"person:{staff_no.strip()}")


def rectification_id(source_id: UUID) -> UUID:
    """One rectification per finding or interview: reopening it continues the same chain."""
    return uuid5(NAMESPACE, f"rectification:{source_id}")


def reminder_id(target_id: UUID, level: str, deadline: date, recipient: UUID | str) -> UUID:
    return uuid5(NAMESPACE, f"reminder:{target_id}:{level}:{deadline.isoformat()}:{recipient}")


def calendar_year_id(year: int) -> UUID:
    return uuid5(NAMESPACE, f"calendar:{year}")


def bulletin_id(month: str) -> UUID:
    return uuid5(NAMESPACE, f"bulletin:{month}")

"""Checks of a command's plain arguments that several concepts share."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.context import Context
from domain.errors import ConcurrentEdit, DomainError, NotFound


def required(value: str, field_name: str) -> str:
    if not value or not value.strip():
        raise DomainError("required", field=field_name)
    return value.strip()


def not_future(on: date | None, ctx: Context) -> date:
    day = on or ctx.today
    if day > ctx.today:
        raise DomainError("date_in_future", field="on", value=day, today=ctx.today)
    return day


def person_uuid(value: str) -> UUID:
    """An actor given as text names a person by id; anything else is no one we know."""
    try:
        return UUID(str(value))
    except ValueError:
        raise NotFound("person", value) from None


def check_version(aggregate: Aggregate, expected: int | None, what: str) -> None:
    """A form sent against an older version would overwrite what someone did since."""
    if expected is not None and aggregate.version != expected:
        raise ConcurrentEdit("concurrent_edit", what=what, actual=aggregate.version, expected=expected)

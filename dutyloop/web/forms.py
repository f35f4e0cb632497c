"""Turning what a form sends into domain values, refusing clearly what is not one."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.errors import DomainError, NotFound


def parse_day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise DomainError("invalid_value", field=field, value=value, allowed=["YYYY-MM-DD"]) from None


def parse_id(value: str, what: str) -> UUID:
    try:
        return UUID(value.strip())
    except ValueError:
        raise NotFound(what, value) from None


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse_page(value: str) -> int:
    """A page number of a list: 1, 2, 3 …"""
    if not value.strip().isdigit() or int(value) < 1:
        raise DomainError("invalid_value", field="page", value=value, allowed=["1, 2, 3 …"])
    return int(value)

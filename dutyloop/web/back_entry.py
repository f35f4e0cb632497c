"""补录 on the web: the 业务日期 field of a task's or a rectification's action forms. A paper record
entered later sends the same command with its business day; a day the rules refuse (before the
work began, in the future, too far back) comes back on the same page, beside the field, rather
than on a refusal page that loses what was typed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from starlette.requests import Request

from domain.errors import DomainError
from dutyloop.web.forms import parse_day
from dutyloop.web.i18n import locale_of

FIELD = "on"
"""The form field, as the CLI's ``--on``."""
DATE_REFUSALS = ("back_entry_before_start", "back_entry_too_old", "back_entry_before_load", "date_in_future", "invalid_value")

T = TypeVar("T")


@dataclass
class DateRefused(Exception):
    """The business day a form sent was refused; ``action`` names the form, to show it there."""

    action: str
    value: str
    error: DomainError


def business_day(value: str) -> date | None:
    """The form's 业务日期: blank is today (no back-entry)."""
    return parse_day(value, FIELD) if value.strip() else None


def dated(action: str, value: str, command: Callable[[date | None], T]) -> T:
    """Run ``command`` as of the form's business day; a refusal of that day becomes ``DateRefused``."""
    try:
        return command(business_day(value))
    except DomainError as error:
        if error.code in DATE_REFUSALS and error.params.get("field", FIELD) == FIELD:
            raise DateRefused(action, value, error) from error
        raise


def date_refusal(request: Request, refused: DateRefused | None) -> dict[str, str] | None:
    """What the page shows beside the refused form's field: the day sent and why, in the reader's language."""
    if refused is None:
        return None
    return {"action": refused.action, "value": refused.value, "message": refused.error.message(locale_of(request))}

"""What text an event may carry: checked once, on every new event, at the one atomic save.

The views, the exports, the messages and the PostgreSQL tables all take an event's text as it
is; a NUL stopped every PostgreSQL view, a control character breaks an .xlsx export, a 25 MB note
or a 1 MB title made pages of megabytes. So no event is recorded with a control character (tab
and line breaks aside; a carriage return only as part of CR LF), a lone surrogate, a direction
override, text that is only blank or invisible characters, or text longer than its field allows.
The limit is found by name — the event's own field, or the key of a value nested in it (an
evidence item's ``evidence.name``, else ``name``) — so every command, present and future, is checked the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from domain.errors import DomainError

SHORT = 200
"""Names and titles: a line on a board, a list, a message's subject."""
MEDIUM = 2_000
"""Reasons, comments, links, paths, and any field not named below."""
LONG = 20_000
"""Notes, minutes, requirements, reports: about ten printed pages."""

LIMITS: dict[str, int] = {
    **dict.fromkeys(
        ("title", "name", "subject", "staff_no", "category", "direction", "team", "duty", "source", "label",
         "kind", "grade", "dimension", "role", "level", "month", "phone", "filter_name", "list_name"),
        SHORT,
    ),
    "email": 254,
    "evidence.value": LONG,
    "evidence.name": LONG,
    **dict.fromkeys(
        ("note", "notes", "requirements", "requirement", "summary", "description", "content", "minutes", "plan",
         "business_account", "party_account", "decisions", "commitments", "text"),
        LONG,
    ),
}

_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]|\r(?!\n)")
"""C0 and C1 control characters but tab, line feed and CR LF; lone surrogates; the bidirectional
overrides and isolates that make text read otherwise than it is stored ("文件\u202efdp.exe")."""
_INVISIBLE = re.compile(r"[\s\u00ad\u034f\u115f\u1160\u180e\u200b-\u200f\u2060-\u2064\u2800\u3164\ufeff\uffa0]+")
"""Whitespace, zero-width and filler characters: a value made only of these looks empty."""
_PRINTABLE_BLANKS = " \u115f\u1160\u2800\u3164\uffa0"
"""The blank characters Python counts as printable (all the others are not)."""


def check_event_text(fields: Mapping[str, Any]) -> None:
    """Refuse an event whose text breaks the rules above, naming the field. Most fields are ids,
    dates and numbers: they are passed over by their type alone (this runs for every event)."""
    for name, value in fields.items():
        kind = type(value)
        if kind is str:
            if value:
                _check_text(name, LIMITS.get(name, MEDIUM), value)
        elif kind in _CONTAINERS:
            _check(name, name, value)


_CONTAINERS = frozenset({dict, list, tuple, set, frozenset})


def _check(field: str, name: str, value: Any) -> None:
    """``field``: the event's field (what the user is told); ``name``: the value's own key in it."""
    if type(value) is str:
        _check_text(field, LIMITS.get(f"{field}.{name}", LIMITS.get(name, MEDIUM)), value)
    elif isinstance(value, dict):
        for key, nested in value.items():
            _check(field, key if isinstance(key, str) else name, nested)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _check(field, name, item)


def _check_text(field: str, limit: int, value: str) -> None:
    if not value:
        return
    if len(value) > limit:
        raise DomainError("text_too_long", field=field, length=len(value), limit=limit)
    if value.isprintable():
        # Nearly every title and name: no control, format, surrogate or separator character but
        # the space, found in C (a regular expression over each costs ten times as much).
        if not value.strip(_PRINTABLE_BLANKS):
            raise DomainError("text_blank", field=field)
        return
    bad = _FORBIDDEN.search(value)
    if bad is not None:
        raise DomainError("text_forbidden_character", field=field, char=f"U+{ord(bad.group()[0]):04X}", position=bad.start() + 1)
    if _INVISIBLE.fullmatch(value):
        raise DomainError("text_blank", field=field)

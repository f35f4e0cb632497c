"""One spelling of ids in everything a person or a program reads: the UUID with dashes, as the
JSON API writes it. The views keep ids as 32 hex digits (compact, and what the event log holds),
so rows on their way out (CLI ``--json``, exported 台账) are respelled here; input in either
spelling is read alike."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

_HEX_ID = re.compile(r"[0-9a-f]{32}")
_ID_KEYS = re.compile(r"(^|_)(id|ids|by|actor)$")
"""Columns that hold ids: ``task_id``, ``follower_ids``, ``issued_by``, ``actor``, ``id``."""


def spelled(key: str, value: Any) -> Any:
    """``value`` with its ids dashed, if ``key`` names a column of ids; anything else as it is
    (an actor such as ``system:scheduler`` is not an id)."""
    if isinstance(value, UUID):
        return str(value)
    if not _ID_KEYS.search(key):
        return value
    if isinstance(value, str) and _HEX_ID.fullmatch(value):
        return str(UUID(value))
    if isinstance(value, list):
        return [spelled(key, item) for item in value]
    return value

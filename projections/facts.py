"""Events as the views read them: plain values straight from the stored JSON.

The views store ids as hex, dates and times as ISO text. Decoding each stored event into its
domain class (UUID objects, date objects, a dataclass) only for the views to turn every value
back into text was most of the cost of a rebuild, so the views read the stored JSON directly:
the library's typed values (``{"_type_": "uuid_hex", "_data_": "…"}``) become their text, which
is exactly what the views keep. When the event store encrypts or compresses events, or an event
class declares a ``class_version`` (upcasting), this falls back to the library's own decoding.
"""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import Mapper, Notification, StoredEvent

from projections.log import StoredNotification


class Fact(SimpleNamespace):
    """One event: ``event_type`` (e.g. TaskIssued), ``aggregate_type`` (e.g. Task), ``originator_id``
    as hex, ``originator_version``, ``actor``, ``on`` (ISO date), ``timestamp`` (ISO time) and the
    event's own fields with ids as hex and dates as ISO text."""

    event_type: str
    aggregate_type: str
    originator_id: str
    originator_version: int


def plain(value: Any) -> Any:
    """A stored value with the library's typed values (``{"_type_": …, "_data_": …}``) as their text."""
    if type(value) is dict:
        if "_type_" in value and "_data_" in value:
            return plain(value["_data_"])
        return {k: plain(v) for k, v in value.items()}
    if type(value) is list:
        return [plain(v) for v in value]
    return value


NUL_ESCAPE = b"\\u0000"
"""How the stored JSON holds a NUL character (JSON always escapes it)."""
REPLACEMENT_ESCAPE = b"\\ufffd"
REPLACEMENT = "\ufffd"


def storable(state: bytes) -> bytes:
    """The stored JSON with any NUL read as U+FFFD. An old version recorded text with NUL, which
    the domain now refuses; PostgreSQL's text columns refuse it, so a view could not store such an
    event at all. Every view and the trail read events through this; the event log itself keeps
    what was recorded. (A literal backslash followed by ``u0000`` in a text reads the same way.)"""
    return state.replace(NUL_ESCAPE, REPLACEMENT_ESCAPE) if NUL_ESCAPE in state else state


def decode_plain(state: bytes) -> dict[str, Any]:
    """The stored JSON with typed values as their text (and NUL as U+FFFD, see ``storable``).
    orjson parses; only fields that hold a dict or a list are walked (most fields are plain
    strings and numbers)."""
    fields: dict[str, Any] = orjson.loads(storable(state))
    for key, value in fields.items():
        kind = type(value)
        if kind is dict:
            data = value.get("_data_")
            # The usual typed value (an id, a date, a time) holds its text directly.
            fields[key] = data if type(data) is str and "_type_" in value else plain(value)
        elif kind is list and value:
            fields[key] = plain(value)
    return fields


def topic_names(topic: str) -> tuple[str, str]:
    """(event type, aggregate type) of a stored event's topic, e.g. ("TaskIssued", "Task")."""
    qualname = topic.rpartition(":")[2]
    kind, _, name = qualname.rpartition(".")
    return name, kind.rpartition(".")[2] or kind


class FactReader:
    def __init__(self, mapper: Mapper[Any]) -> None:
        self.mapper = mapper
        self.fast = not getattr(mapper, "cipher", None) and not getattr(mapper, "compressor", None)
        self._topics: dict[str, tuple[str, str]] = {}

    def _names_of(self, topic: str) -> tuple[str, str]:
        names = self._topics.get(topic)
        if names is None:
            names = self._topics[topic] = topic_names(topic)
        return names

    def event_type(self, topic: str) -> str:
        return self._names_of(topic)[0]

    def read(self, notification: Notification | StoredNotification) -> Fact:
        names = self._names_of(notification.topic)
        if self.fast:
            fields = decode_plain(notification.state)
            if "class_version" in fields:
                fields = self._slow(notification)
        else:
            fields = self._slow(notification)
        fields["event_type"], fields["aggregate_type"] = names
        originator = notification.originator_id
        fields["originator_id"] = _hex(originator)
        fields["originator_version"] = notification.originator_version
        return Fact(**fields)

    def _slow(self, notification: Notification | StoredNotification) -> dict[str, Any]:
        stored = notification if isinstance(notification, StoredEvent) else StoredEvent(
            originator_id=UUID(_hex(notification.originator_id)), originator_version=notification.originator_version,
            topic=notification.topic, state=notification.state,
        )
        event = self.mapper.to_domain_event(stored)
        skip = {"originator_id", "originator_version", "originator_topic"}
        return {k: _text(v) for k, v in vars(event).items() if k not in skip}


def _hex(originator: UUID | str) -> str:
    """An id as 32-digit hex: the event table keeps it as a UUID (PostgreSQL) or its text (SQLite)."""
    if isinstance(originator, UUID):
        return originator.hex
    if len(originator) == 32:
        return originator.lower()
    if len(originator) == 36:
        return originator.replace("-", "").lower()
    return UUID(originator).hex


def _text(value: Any) -> Any:
    if isinstance(value, UUID):
        return value.hex
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_text(v) for v in value]
    if isinstance(value, dict):
        return {k: _text(v) for k, v in value.items()}
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", REPLACEMENT)
    return value

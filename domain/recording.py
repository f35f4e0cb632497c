"""What the one atomic save does to every new event before it is recorded: its text is checked
(``domain.text``), and it is stamped with where the command came from.

The actor an event names is who the caller said acts; over the web that is the person logged in,
but the CLI is run by whoever can open the database and may claim anyone with ``--as``. So the
CLI gives the application an origin (``cli:<OS user>@<host>``) that every event it records
carries in ``via`` beside the actor, for auditors to read in the trail. The stamp is a field of
the stored event, covered by the hash chain like the rest; replaying an event ignores it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.text import check_event_text

VIA = "via"


def describe_origin(via: str, locale: str) -> str:
    """``cli:wang@host-1`` as a reader reads it: 命令行（wang@host-1）; nothing for an event without one."""
    channel, _, where = via.partition(":")
    if not via:
        return ""
    english = locale.lower().startswith("en")
    name = {"cli": ("命令行", "command line")}.get(channel, (channel, channel))[1 if english else 0]
    return f"{name} ({where})" if english else f"{name}（{where}）"


def prepare(objs: Iterable[Any], origin: str) -> None:
    """Check every pending event of these aggregates and stamp ``origin`` on it (when there is one)."""
    for obj in objs:
        for event in getattr(obj, "pending_events", ()):
            check_event_text(vars(event))
            if origin:
                object.__setattr__(event, VIA, origin)

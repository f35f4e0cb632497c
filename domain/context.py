"""What every command carries besides its arguments: who acts, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.authority import Authority
from domain.errors import NotPermitted


@dataclass(frozen=True)
class Context:
    who: Authority
    today: date
    now: datetime

    @property
    def actor(self) -> str:
        return self.who.actor_id

    def stamp(self, on: date | None = None) -> dict[str, Any]:
        """The fields every event carries: the actor, the business date, the recorded time."""
        return {"actor": self.actor, "on": on or self.today, "timestamp": self.now}

    def require(self, allowed: bool, action: str, reason: str) -> None:
        if not allowed:
            raise NotPermitted(self.who.describe(), action, reason)

"""一月一通报: the monthly bulletin, issued once per month."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from domain import ids
from domain.bulletin import Bulletin
from domain.commands.core import Actor, CommandCore, command
from domain.errors import DomainError


class Bulletins(CommandCore):
    @command
    def issue_monthly_bulletin(
        self, actor: Actor, month: str, lines: Sequence[dict[str, Any]], summary: str, on: date | None = None
    ) -> UUID | None:
        """The month's bulletin, once per month (``None`` if it was issued already); ``on``: 补录,
        issued on that earlier business day."""
        ctx = self.context(actor, on)
        ctx.require(ctx.actor == "system:scheduler" or ctx.who.is_admin, "publish_bulletin", "reason_scheduler_only")
        try:
            year, number = (int(part) for part in month.split("-"))
            date(year, number, 1)
        except ValueError:
            raise DomainError("invalid_value", field="month", value=month, allowed=["YYYY-MM"]) from None
        bulletin = Bulletin(id=ids.bulletin_id(month), month=month, lines=list(lines), summary=summary, **ctx.stamp())
        if bulletin.id in self.repository:
            return None
        self.save(bulletin)
        return bulletin.id

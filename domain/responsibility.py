"""明责: the 主体责任清单 — aspects and items, each item with the role or person responsible.
Tasks point at the item they serve, so the list can be traced into the work it produced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID, uuid4

from eventsourcing.domain import event

from domain.base import DutyAggregate
from domain.context import Context
from domain.errors import DomainError, NotFound


@dataclass(frozen=True)
class ListItem:
    id: UUID
    aspect_id: UUID
    text: str
    responsible_role: str
    responsible_person_id: UUID | None


class ResponsibilityList(DutyAggregate):
    @event("ResponsibilityListDrafted")
    def __init__(self, *, title: str, year: int, org_id: UUID, actor: str, on: date, timestamp: datetime) -> None:
        self.title = title
        self.year = year
        self.org_id = org_id
        self.aspects: dict[UUID, str] = {}
        self.items: dict[UUID, ListItem] = {}

    def add_aspect(self, title: str, ctx: Context) -> UUID:
        if not title.strip():
            raise DomainError("required", field="aspect")
        if title in self.aspects.values():
            raise DomainError("duplicate", what="aspect", key=title)
        aspect_id = uuid4()
        self._aspect_added(aspect_id=aspect_id, title=title, **ctx.stamp())
        return aspect_id

    @event("ResponsibilityAspectAdded")
    def _aspect_added(self, *, aspect_id: UUID, title: str, actor: str, on: date, timestamp: datetime) -> None:
        self.aspects[aspect_id] = title

    def add_item(
        self,
        aspect_id: UUID,
        text: str,
        responsible_role: str,
        responsible_person_id: UUID | None,
        ctx: Context,
    ) -> UUID:
        if aspect_id not in self.aspects:
            raise NotFound("aspect", aspect_id)
        if not text.strip():
            raise DomainError("required", field="item")
        item_id = uuid4()
        self._item_added(
            item_id=item_id, aspect_id=aspect_id, text=text, responsible_role=responsible_role,
            responsible_person_id=responsible_person_id, **ctx.stamp(),
        )
        return item_id

    @event("ResponsibilityItemAdded")
    def _item_added(
        self, *, item_id: UUID, aspect_id: UUID, text: str, responsible_role: str,
        responsible_person_id: UUID | None, actor: str, on: date, timestamp: datetime,
    ) -> None:
        self.items[item_id] = ListItem(item_id, aspect_id, text, responsible_role, responsible_person_id)

    def require_item(self, item_id: UUID) -> ListItem:
        try:
            return self.items[item_id]
        except KeyError:
            raise DomainError("unknown_item", item=item_id) from None

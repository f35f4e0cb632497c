"""Saved filters: a person keeps the filters of a list they open often under a name, in their own
stream, so they are rebuilt from events like everything else and nobody else changes them."""

from __future__ import annotations

from domain.commands.checks import person_uuid
from domain.commands.core import Actor, CommandCore, command
from domain.people import Person


class SavedFilters(CommandCore):
    @command
    def save_filter(self, actor: Actor, list_name: str, filter_name: str, query: str) -> None:
        """Keep a list's filter (the query of its address) under a name, for the actor alone."""
        ctx = self.context(actor)
        person: Person = self.person(person_uuid(str(actor)))
        person.save_filter(list_name, filter_name, query, ctx)
        self.save(person)

    @command
    def delete_filter(self, actor: Actor, list_name: str, filter_name: str) -> None:
        ctx = self.context(actor)
        person: Person = self.person(person_uuid(str(actor)))
        person.delete_filter(list_name, filter_name, ctx)
        self.save(person)

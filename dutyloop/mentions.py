"""@mentions in a comment: ``@W001`` (a staff number) or ``@孙丽`` (a name), as the web's comment
box and ``dutyloop … comment`` take them. Chinese writing puts no space after a name, so a
mention is the longest start of the word that names a person (``@孙丽请补充`` → 孙丽)."""

from __future__ import annotations

import re
from uuid import UUID

from sqlalchemy import Connection

from domain.errors import NotFound
from projections import lookup

MENTION = re.compile(r"@([\w·.\-]+)")


def mentioned_people(conn: Connection, text: str) -> list[UUID]:
    found: list[UUID] = []
    for word in MENTION.findall(text):
        person = _person_starting(conn, word)
        if person not in found:
            found.append(person)
    return found


def _person_starting(conn: Connection, word: str) -> UUID:
    for end in range(len(word), 1, -1):
        try:
            return UUID(lookup.resolve_person(conn, word[:end]))
        except NotFound:
            continue
    raise NotFound("person", word)

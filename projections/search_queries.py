"""Asking the search view (projections/search.py): the texts holding every word asked for, that
the searcher may see, newest first, a page at a time with the total, and the piece of each text
around its first hit with the hits marked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, func, literal_column, or_, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import Text

from domain.errors import DomainError
from projections.search import SOURCES, TOKENS_SQL, bigrams, fold, runs, search_docs
from projections.task_finder import Seeing

SNIPPET = 36
"""Characters shown before and after the first hit."""


@dataclass
class Found:
    rows: list[dict[str, Any]]
    total: int
    words: list[str]


def words_of(query: str) -> list[str]:
    """The stretches of letters and digits a query asks for, folded; at least one."""
    words = list(dict.fromkeys(runs(fold(query))))
    if not words:
        raise DomainError("required", field="q")
    return words


def _fts_match(words: list[str]) -> str:
    parts = []
    for word in words:
        if len(word) == 1:
            parts.append(f'chars : "{word}"')
        else:
            parts.append('grams : "' + " ".join(bigrams(word)) + '"')
    return " AND ".join(parts)


def search(conn: Connection, query: str, seeing: Seeing, page: int = 1, per_page: int = 20) -> Found:
    words = words_of(query)
    checks = [func.instr(search_docs.c.folded, w) > 0 for w in words] if conn.dialect.name == "sqlite" else [
        func.strpos(search_docs.c.folded, w) > 0 for w in words
    ]
    if conn.dialect.name == "sqlite":
        indexed = literal_column("view_search_docs.rowid").in_(
            text("SELECT rowid FROM view_search_fts WHERE view_search_fts MATCH :match").bindparams(match=_fts_match(words))
        )
    else:
        tokens = sorted({t for w in words for t in (bigrams(w) if len(w) > 1 else [w])})
        indexed = literal_column(f"({TOKENS_SQL})").op("@>")(bindparam("tokens", tokens, type_=ARRAY(Text)))
    shown = (search_docs.c.entity_id, search_docs.c.entity_kind, search_docs.c.field, search_docs.c.title,
             search_docs.c.body, search_docs.c.org_id, search_docs.c.owner_id, search_docs.c.position)
    # The index first, whatever the planner guesses: walking the newest-first index and testing
    # every text read them all when few or none match (25 ms at 10k texts on PostgreSQL).
    hits = select(*shown).where(indexed, *checks).cte("hits").prefix_with("MATERIALIZED", dialect="postgresql")
    visible = [] if seeing.orgs is None else [
        or_(hits.c.org_id.in_(sorted(seeing.orgs)), hits.c.owner_id == seeing.person_id)
    ]
    total = conn.execute(select(func.count()).select_from(hits).where(*visible)).scalar_one()
    rows = conn.execute(
        select(*(c for c in hits.c if c.name != "owner_id"))
        .where(*visible)
        .order_by(hits.c.position.desc(), hits.c.field)
        .limit(per_page).offset((max(page, 1) - 1) * per_page)
    ).mappings()
    found = []
    for row in rows:
        item = dict(row)
        item["link"] = SOURCES[row["entity_kind"]].format(row["entity_id"])
        item["snippet"] = snippet(row["body"], words)
        item["title_marked"] = snippet(row["title"], words, whole=True)
        found.append(item)
    return Found(rows=found, total=total, words=words)


def snippet(body: str, words: list[str], whole: bool = False) -> list[tuple[str, bool]]:
    """The text around the first hit (or the whole text) as pieces, each marked a hit or not."""
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    first = pattern.search(body)
    if not whole:
        start = max(0, (first.start() if first else 0) - SNIPPET)
        end = min(len(body), (first.end() if first else 0) + SNIPPET * 2)
        body = ("…" if start else "") + body[start:end] + ("…" if end < len(body) else "")
    pieces: list[tuple[str, bool]] = []
    last = 0
    for hit in pattern.finditer(body):
        if hit.start() > last:
            pieces.append((body[last : hit.start()], False))
        pieces.append((hit.group(), True))
        last = hit.end()
    if last < len(body):
        pieces.append((body[last:], False))
    return pieces


def bracketed(pieces: list[tuple[str, bool]]) -> str:
    """Marked pieces as plain text, the hits between 【 and 】 (the CLI, the API, exports)."""
    return "".join(f"【{text}】" if hit else text for text, hit in pieces)

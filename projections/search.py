"""全文检索: every searchable text of the loop — task titles and requirements, meeting minutes and
decisions, findings, interview records, rectification plans and reports, evidence file names —
one row per text, kept current from the events like every view, so a rebuild rebuilds it.

Chinese has no spaces, and the words people look for are two characters long (整改, 党课, 台账).
Each text is therefore indexed as its overlapping character pairs (the bigrams of Lucene's CJK
analyser) and its single characters: a query of any length is the phrase of its own pairs, so
整改 is one index look-up and 整改措施 three, on Chinese, ASCII or both mixed (PDCA整改). SQLite
holds the pairs in an FTS5 index (kept by triggers on this table, so every write path keeps
it); PostgreSQL in a GIN index over the pair array. pg_trgm was not taken: it indexes character
triples, so a two-character word gets no help from it and reads every row. A candidate the index
returns is then checked against the folded text itself, so both databases answer exactly the same.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import DDL, Column, Index, Integer, String, Table, Text, event, func, literal

from projections.batch import Batch
from projections.tables import ID, MOMENT, metadata
from projections.view import View, hx, moment

search_docs = Table(
    "view_search_docs",
    metadata,
    Column("entity_id", ID, primary_key=True),
    Column("field", String(20), primary_key=True),
    Column("entity_kind", String(20), nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("folded", Text, nullable=False),
    Column("grams", Text, nullable=False),
    Column("chars", Text, nullable=False),
    Column("org_id", ID),
    Column("owner_id", ID),
    Column("position", Integer, nullable=False),
    Column("updated_at", MOMENT, nullable=False),
)
Index("ix_search_org", search_docs.c.org_id)
Index("ix_search_position", search_docs.c.position)

_SQLITE_INDEX = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS view_search_fts USING fts5("
    "grams, chars, content='view_search_docs', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER IF NOT EXISTS view_search_ai AFTER INSERT ON view_search_docs BEGIN "
    "INSERT INTO view_search_fts(rowid, grams, chars) VALUES (new.rowid, new.grams, new.chars); END",
    "CREATE TRIGGER IF NOT EXISTS view_search_ad AFTER DELETE ON view_search_docs BEGIN "
    "INSERT INTO view_search_fts(view_search_fts, rowid, grams, chars) VALUES ('delete', old.rowid, old.grams, old.chars); END",
    "CREATE TRIGGER IF NOT EXISTS view_search_au AFTER UPDATE ON view_search_docs BEGIN "
    "INSERT INTO view_search_fts(view_search_fts, rowid, grams, chars) VALUES ('delete', old.rowid, old.grams, old.chars); "
    "INSERT INTO view_search_fts(rowid, grams, chars) VALUES (new.rowid, new.grams, new.chars); END",
]
TOKENS_SQL = "string_to_array(grams || ' ' || chars, ' ')"
"""The PostgreSQL index's expression; a query must say it the same way to use the index."""
Index(
    "ix_search_tokens",
    func.string_to_array(search_docs.c.grams.op("||")(literal(" ")).op("||")(search_docs.c.chars), literal(" ")),
    postgresql_using="gin",
).ddl_if(dialect="postgresql")
"""Declared on the table like the other indexes, so that opening a database creates it where it is
missing and never takes it for one an upgrade retired (made by a create event, it was dropped so)."""

for statement in _SQLITE_INDEX:
    event.listen(search_docs, "after_create", DDL(statement).execute_if(dialect="sqlite"))
event.listen(search_docs, "before_drop", DDL("DROP TABLE IF EXISTS view_search_fts").execute_if(dialect="sqlite"))

_RUN = re.compile(r"\w+")


def fold(text: str) -> str:
    """The form texts and queries are compared in: full-width letters and digits as ASCII, one case."""
    return unicodedata.normalize("NFKC", text).casefold()


def runs(text: str) -> list[str]:
    """The letters and digits of a folded text, in the stretches punctuation and spaces leave."""
    return [run for run in _RUN.findall(text) if run.replace("_", "")]


def bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)] or [run]


def index_terms(text: str) -> tuple[str, str]:
    """The pairs (in order, stretch by stretch) and the distinct single characters of a text."""
    folded = fold(text)
    pairs = [pair for run in runs(folded) for pair in bigrams(run)]
    chars = sorted({c for run in runs(folded) for c in run})
    return " ".join(pairs), " ".join(chars)


SOURCES = {
    "task": "/tasks/{}",
    "meeting": "/meetings/{}",
    "finding": "/chains/{}",
    "interview": "/chains/{}",
    "rectification": "/chains/{}",
}


class SearchView(View):
    name = "search"
    cost = 6
    tables = (search_docs,)

    def wants(self, event: Any) -> list[Any]:
        fields = _REWRITTEN.get(event.event_type)
        if not fields:
            return []
        return [(search_docs, (hx(event.originator_id), f)) for f in fields]

    def _put(
        self, batch: Batch, nid: int, e: Any, kind: str, field: str, text: str, title: str,
        org_id: Any, owner_id: Any = None,
    ) -> None:
        if not text.strip():
            batch.delete(search_docs, hx(e.originator_id), field)
            return
        grams, chars = index_terms(text)
        batch.put(search_docs, {
            "entity_id": hx(e.originator_id), "field": field, "entity_kind": kind, "title": title, "body": text,
            "folded": fold(text), "grams": grams, "chars": chars, "org_id": hx(org_id), "owner_id": hx(owner_id),
            "position": nid, "updated_at": moment(e.timestamp),
        })

    def _like(self, batch: Batch, nid: int, e: Any, field: str, text: str, source: str) -> None:
        """A further text of something already indexed under ``source``: its title and people."""
        known = batch.get(search_docs, hx(e.originator_id), source)
        if known is not None:
            self._put(batch, nid, e, known["entity_kind"], field, text, known["title"], known["org_id"], known["owner_id"])

    def on_TaskIssued(self, batch: Batch, nid: int, e: Any) -> None:
        self._put(batch, nid, e, "task", "title", e.title, e.title, e.org_id, e.owner_id)
        self._put(batch, nid, e, "task", "requirements", e.requirements, e.title, e.org_id, e.owner_id)

    def on_TaskReportedDone(self, batch: Batch, nid: int, e: Any) -> None:
        self._like(batch, nid, e, "evidence", _file_names(e.evidence), "title")

    def on_TaskReassigned(self, batch: Batch, nid: int, e: Any) -> None:
        """Who may find a task's texts follows it to its new owner and organisation."""
        for field in _REWRITTEN["TaskReassigned"]:
            batch.update(search_docs, hx(e.originator_id), field, org_id=hx(e.org_id), owner_id=hx(e.owner_id))

    def on_MeetingPlanned(self, batch: Batch, nid: int, e: Any) -> None:
        self._put(batch, nid, e, "meeting", "title", e.title, e.title, e.org_id)

    def on_MeetingMinutesRecorded(self, batch: Batch, nid: int, e: Any) -> None:
        self._like(batch, nid, e, "minutes", e.summary, "title")
        self._like(batch, nid, e, "decisions", "\n".join(e.decisions), "title")

    def on_FindingRaised(self, batch: Batch, nid: int, e: Any) -> None:
        self._put(batch, nid, e, "finding", "description", e.description, e.description, e.org_id)

    def on_InterviewScheduled(self, batch: Batch, nid: int, e: Any) -> None:
        self._put(batch, nid, e, "interview", "reason", e.reason, e.reason, e.org_id, e.interviewee_id)

    def on_InterviewHeld(self, batch: Batch, nid: int, e: Any) -> None:
        self._like(batch, nid, e, "minutes", "\n".join([e.minutes, *e.commitments]), "reason")

    def on_RectificationOpened(self, batch: Batch, nid: int, e: Any) -> None:
        self._put(batch, nid, e, "rectification", "requirement", e.requirement, e.requirement, e.org_id, e.owner_id)

    def on_RectificationPlanSubmitted(self, batch: Batch, nid: int, e: Any) -> None:
        self._like(batch, nid, e, "plan", e.plan, "requirement")

    def on_RectificationCompletionReported(self, batch: Batch, nid: int, e: Any) -> None:
        self._like(batch, nid, e, "report", e.note, "requirement")
        self._like(batch, nid, e, "evidence", _file_names(e.evidence), "requirement")


_REWRITTEN = {
    "TaskReportedDone": ("title", "evidence"),
    "TaskReassigned": ("title", "requirements", "evidence"),
    "MeetingMinutesRecorded": ("title", "minutes", "decisions"),
    "InterviewHeld": ("reason", "minutes"),
    "RectificationPlanSubmitted": ("requirement", "plan"),
    "RectificationCompletionReported": ("requirement", "report", "evidence"),
}
"""The rows each event's handler reads, fetched together with the batch's others."""


def _file_names(evidence: list[dict[str, str]]) -> str:
    return "\n".join(item.get("name") or item.get("value", "") for item in evidence if item.get("kind") == "file")

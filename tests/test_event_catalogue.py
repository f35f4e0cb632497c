"""docs/events.md is the catalogue the domain code generates, and every event has a label."""

from __future__ import annotations

from pathlib import Path

from dutyloop.catalogue import catalogue_markdown
from domain.vocabulary import EVENT_LABELS


def test_the_documented_catalogue_is_current() -> None:
    documented = (Path(__file__).parents[1] / "docs" / "events.md").read_text(encoding="utf-8")
    assert documented == catalogue_markdown(), "regenerate with: dutyloop events > docs/events.md"


def test_every_labelled_event_is_in_the_catalogue() -> None:
    generated = catalogue_markdown()
    missing = [name for name in EVENT_LABELS if f"| {name} |" not in generated]
    assert not missing


def test_every_event_names_the_command_module_that_raises_it() -> None:
    rows = [line for line in catalogue_markdown().splitlines() if line.startswith("| ") and "`domain/" in line]
    unraised = [row.split(" | ")[1] for row in rows if not row.rstrip(" |").endswith(".py`")]
    assert len(rows) == len(EVENT_LABELS)
    assert not unraised
    closing = next(row for row in rows if " RectificationClosed " in row)
    assert closing.endswith("| `domain/commands/rectifications.py` |")

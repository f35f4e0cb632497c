"""Evidence given on the command line: texts, links, and files copied into the evidence store
under the data directory (as the web keeps an upload), so a report's evidence does not vanish
when the original file is moved or deleted, and the web can serve it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from domain.clock import today
from domain.errors import DomainError
from domain.evidence import evidence_item
from dutyloop.cli.base import CliState
from dutyloop.evidence_files import StoredFile, copy_in, discard


@contextmanager
def evidence_kept(
    state: CliState, texts: tuple[str, ...], links: tuple[str, ...], files: tuple[Path, ...]
) -> Iterator[list[dict[str, str]]]:
    """The evidence items, the files kept first; if the command is refused, they go again."""
    system = state.open()
    for path in files:
        if not path.is_file():
            raise DomainError("not_found", what="file", key=str(path))
    items = [evidence_item("text", text) for text in texts] + [evidence_item("link", link) for link in links]
    stored: list[StoredFile] = []
    try:
        for path in files:
            stored.append(copy_in(path, system.settings.data_dir, today(system.clock)))
        yield items + [evidence_item("file", kept.relative, kept.name) for kept in stored]
    except BaseException:
        discard(stored)
        raise

"""PDFs printed one at a time, and each page printed once.

A print starts a headless Chromium: about 13 processes and over a gigabyte while it runs, so
eight requests at once ran 104 processes and about 10 GB. A PDF is therefore known by the page it
prints — the SHA-256 of its HTML, which holds the month, the rules in force, the day it is judged
on and every event it counts: whatever changes the PDF changes the key, and nothing else does —
printed into the cache folder once and served from there afterwards. Prints take turns: a lock in
this process, and a lock file in the cache folder for the other processes on the same data
directory (web workers, the CLI). Whoever waited looks in the cache again once it has its turn,
and usually finds the file the one before it printed.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dutyloop.private_files import FILE_MODE, open_private, private_dir
from dutyloop.reports.pdf import html_to_pdf
from dutyloop.settings import Settings

KEEP = 64
"""PDFs kept in the cache: a year of bulletins and quarter sheets, a few versions each."""
WAIT_SECONDS = 150.0
"""How long a request waits for its turn before it is told to come back (a print takes 2–5 s)."""
POLL_SECONDS = 0.1

_turns = threading.Lock()


class PrintBusy(RuntimeError):
    """Others' prints held the printer longer than a request may wait: try again shortly."""


class PdfPrinter:
    def __init__(self, folder: Path, wait_seconds: float = WAIT_SECONDS) -> None:
        self.folder = folder
        self.wait_seconds = wait_seconds

    def pdf(self, html: str) -> bytes:
        target = self.folder / f"{hashlib.sha256(html.encode('utf-8')).hexdigest()}.pdf"
        cached = _cached(target)
        if cached is not None:
            return cached
        with self._turn():
            cached = _cached(target)
            if cached is not None:
                return cached
            draft = target.with_suffix(".part")
            html_to_pdf(html, draft)
            os.chmod(draft, FILE_MODE)
            os.replace(draft, target)
            self._evict()
            return target.read_bytes()

    @contextmanager
    def _turn(self) -> Iterator[None]:
        deadline = time.monotonic() + self.wait_seconds
        if not _turns.acquire(timeout=self.wait_seconds):
            raise PrintBusy(f"no turn to print within {self.wait_seconds:.0f} s")
        try:
            with open_private(private_dir(self.folder) / "print.lock", append=True) as lock:
                while True:
                    try:
                        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() > deadline:
                            raise PrintBusy(f"no turn to print within {self.wait_seconds:.0f} s") from None
                        time.sleep(POLL_SECONDS)
                try:
                    yield
                finally:
                    fcntl.flock(lock, fcntl.LOCK_UN)
        finally:
            _turns.release()

    def _evict(self) -> None:
        """Only the newest ``KEEP`` PDFs stay; a served PDF was read whole, so none is cut short."""
        printed = sorted(self.folder.glob("*.pdf"), key=lambda path: path.stat().st_mtime, reverse=True)
        for old in printed[KEEP:]:
            old.unlink(missing_ok=True)


def _cached(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def printer_for(settings: Settings) -> PdfPrinter:
    return PdfPrinter(settings.data_dir / "cache" / "pdf")

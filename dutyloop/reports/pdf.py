"""HTML to PDF with headless Chromium's own print-to-PDF: the same engine that draws the pages
draws the bulletin, Chinese fonts included, with no PDF library of our own to keep."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_SECONDS = 120


class PdfUnavailable(RuntimeError):
    """No Chromium to print with: install it (Debian: apt-get install chromium fonts-noto-cjk)
    or name it in DUTYLOOP_CHROMIUM."""


def chromium() -> str:
    named = os.environ.get("DUTYLOOP_CHROMIUM")
    if named:
        return named
    for candidate in CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    raise PdfUnavailable(
        "找不到 Chromium，无法生成 PDF（apt-get install chromium fonts-noto-cjk，或设置 DUTYLOOP_CHROMIUM） / "
        "Chromium not found: install it (apt-get install chromium fonts-noto-cjk) or set DUTYLOOP_CHROMIUM"
    )


def html_to_pdf(html: str, target: Path) -> Path:
    """Print the page to ``target`` (A4, as the page's own @page rule says)."""
    browser = chromium()
    with tempfile.TemporaryDirectory(prefix="dutyloop-pdf-") as work:
        page = Path(work) / "page.html"
        page.write_text(html, encoding="utf-8")
        printed = Path(work) / "page.pdf"
        result = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             f"--user-data-dir={Path(work) / 'profile'}", f"--print-to-pdf={printed}", page.as_uri()],
            capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False,
        )
        if result.returncode != 0 or not printed.exists() or printed.stat().st_size == 0:
            raise PdfUnavailable(f"Chromium could not print the page (exit {result.returncode}): {result.stderr[-500:]}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(printed, target)
    return target

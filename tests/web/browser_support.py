"""What the browser tests share: Debian's Chromium (a failure instead of a skip when
DUTYLOOP_REQUIRE_BROWSER=1) and
axe-core, the accessibility checker installed from npm into tests/web/node_modules."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from web_support import PASSWORD

CHROMIUM = Path(os.environ.get("DUTYLOOP_CHROMIUM") or "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def required_or_skip(message: str) -> None:
    """A missing tool skips the test, unless DUTYLOOP_REQUIRE_BROWSER=1 says it must be there."""
    if os.environ.get("DUTYLOOP_REQUIRE_BROWSER") == "1":
        pytest.fail(message + "; DUTYLOOP_REQUIRE_BROWSER=1 says it must be there")
    pytest.skip(message)


@contextmanager
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        required_or_skip(f"the browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def signed_in(browser: Any, base: str, staff_no: str, path: str = "/", **options: Any) -> Any:
    """A new page (its own context, ``options`` such as the viewport) that opens ``path``, is sent
    to the sign-in, signs in with the demo password and is brought back to ``path``."""
    page = browser.new_context(base_url=base, locale="zh-CN", **options).new_page()
    page.goto(path)
    assert "/login?next=" in page.url
    page.fill("input[name=staff_no]", staff_no)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{base}{path}")
    return page


def axe_source() -> str:
    if not AXE.exists():
        required_or_skip(f"the accessibility tests need axe-core at {AXE} (npm install --prefix tests/web)")
    return AXE.read_text(encoding="utf-8")


def shoot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)

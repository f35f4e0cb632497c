"""Every page reachable from the navigation, for each role, on a phone (390 px) and a desktop
(1366 px), in headless Chromium and zh-CN: no word in English or internal code, no horizontal scroll, a navigation that folds into a menu on the
phone, tap targets of at least 44 px there, no date broken across lines, no Content-Security-
Policy violation, and axe-core finds no critical or serious accessibility violation. The
screenshots in docs/screenshots/ (phone and desktop) are taken here."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import pytest

from browser_support import axe_source, shoot, signed_in
from web_support import World

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
ROLES = ("secretary", "discipline", "committee", "admin")
DETAIL_PAGES = (
    re.compile(r"^/tasks/[0-9a-f-]{32,36}$"),
    re.compile(r"^/chains/[0-9a-f-]{32,36}$"),
    re.compile(r"^/meetings/[0-9a-f-]{32,36}$"),
    re.compile(r"^/points/[^/?]+(\?year=\d+)?$"),
    re.compile(r"^/assessment/\d{4}/[^/?.]+$"),
    re.compile(r"^/tasks/[0-9a-f-]{32,36}/break-down$"),
)
SHOTS = {("secretary", "/"): "my-work", ("secretary", "task"): "task", ("committee", "/board"): "board",
         ("discipline", "chain"): "chain", ("admin", "/audit"): "audit"}

LAYOUT = """() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > innerWidth) problems.push(`scrolls sideways: ${doc.scrollWidth} > ${innerWidth}`);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const pattern = /\\d{4}-\\d{2}-\\d{2}( \\d{2}:\\d{2})?/g;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(pattern)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (tops.size > 1) problems.push(`date broken across lines: ${match[0]}`);
    }
  }
  return problems;
}"""

TAP_TARGETS = """() => {
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden"; };
  const inText = (a) => getComputedStyle(a).display === "inline" && a.parentElement.textContent.trim().length > a.textContent.trim().length + 2;
  const small = [];
  document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary").forEach((el) => {
    if (!visible(el) || (el.tagName === "A" && inText(el))) return;
    const target = (el.type === "checkbox" || el.type === "radio") && el.closest("label") ? el.closest("label") : el;
    const r = target.getBoundingClientRect();
    if (Math.min(r.width, r.height) < 43.5) small.push(`${el.tagName.toLowerCase()} «${(el.textContent || el.name || "").trim().slice(0, 20)}» ${Math.round(r.width)}×${Math.round(r.height)}`);
  });
  return small;
}"""


ENGLISH = """() => {
  const words = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest("[lang=en], code, datalist")) continue;
    for (const match of node.data.matchAll(/[A-Za-z0-9_:.\\-]*[A-Za-z][A-Za-z0-9_:.\\-]*/g)) words.push(match[0]);
  }
  return words;
}"""
DATA = re.compile(r"^([A-Z]\d{3,}|[0-9a-f]{8,}|\.?(xlsx|csv|txt|pdf|png|jpe?g|docx|pptx)|Excel|PDF|CSV|MB|chinese-calendar|DutyLoop)$")
"""What a zh-CN page may show in Latin letters: staff numbers, ids, file types, product names."""


def _people(world: World) -> dict[str, UUID]:
    task = world.overdue_secretary_task(in_chain=True)
    people = world.demo.people
    return {"secretary": UUID(task["owner_id"]), "discipline": people.discipline,
            "committee": people.committee_secretary, "admin": people.admin}


def _login(browser: Any, base: str, staff_no: str, viewport: dict[str, int]) -> tuple[Any, list[str]]:
    page = signed_in(browser, base, staff_no, viewport=viewport, has_touch=viewport["width"] < 500)
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None)
    return page, blocked


def _detail_links(page: Any, kinds: set[int]) -> list[str]:
    """The first link on this page to each kind of detail page not yet seen."""
    found = []
    for href in page.eval_on_selector_all("main a[href^='/']", "links => links.map(a => a.getAttribute('href'))"):
        for index, pattern in enumerate(DETAIL_PAGES):
            if index not in kinds and pattern.match(href):
                kinds.add(index)
                found.append(href)
    return found


def _kind(path: str) -> str:
    for name in ("task", "chain", "meeting"):
        if re.match(rf"^/{name}s/[0-9a-f-]+$", path):
            return name
    return path


def _check_menu(page: Any, phone: bool) -> list[str]:
    links = page.locator(".mainnav a")
    toggle = page.locator("button.menu-toggle")
    if not phone:
        return [] if links.first.is_visible() else ["the navigation is hidden on a desktop"]
    if links.first.is_visible() or not toggle.is_visible():
        return ["the navigation does not fold into a menu on a phone"]
    toggle.click()
    problems = [] if links.last.is_visible() and toggle.get_attribute("aria-expanded") == "true" else ["the menu does not open"]
    toggle.click()
    return problems


def _check(page: Any, phone: bool, axe: str) -> list[str]:
    found: list[str] = page.evaluate(LAYOUT) + _check_menu(page, phone)
    found += sorted({f"not Chinese: {word}" for word in page.evaluate(ENGLISH) if not DATA.match(word.strip(".,:-"))})
    if phone:
        found += page.evaluate(TAP_TARGETS)
    page.evaluate(axe)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return found + [f"axe {v['impact']} {v['id']}: {len(v['nodes'])} × {v['nodes'][0]['target']}"
                    for v in result["violations"] if v["impact"] in ("critical", "serious")]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_works_on_a_phone_and_a_desktop_and_is_accessible(
    browser: Any, server: str, world: World, role: str, width: str
) -> None:
    phone = width == "phone"
    axe = axe_source()
    page, blocked = _login(browser, server, world.staff_no(_people(world)[role]), WIDTHS[width])
    problems: dict[str, list[str]] = {}
    pages = page.eval_on_selector_all(".mainnav a", "links => links.map(a => a.getAttribute('href'))")
    kinds: set[int] = set()
    for path in pages:
        response = page.goto(path)
        found = ([] if response.status == 200 else [f"HTTP {response.status}"]) + _check(page, phone, axe)
        if (role, _kind(path)) in SHOTS:
            shoot(page, f"{SHOTS[(role, _kind(path))]}-{width}.png")
        if found:
            problems[path] = found
        pages += _detail_links(page, kinds)
    assert len(pages) >= 10, pages
    assert blocked == [], blocked
    assert problems == {}, "\n".join(f"{path}: {p}" for path, found in problems.items() for p in found)

"""A refused form comes back as the same form, on every page that records something: the
message beside the field it names (or atop the form), what was typed kept, nothing recorded; a
good submission after it goes through as usual. At phone width, in Chromium."""

from __future__ import annotations

from typing import Any

from browser_support import signed_in
from web_support import World

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def _refused_in_place(page: Any, form: str, world: World, typed: dict[str, str]) -> str:
    """Fills ``form`` with ``typed``, sends it, and gives the refusal shown in it (nothing recorded)."""
    before = world.events()
    for name, value in typed.items():
        page.fill(f"{form} [name={name}]", value)
    page.click(f"{form} button.primary")
    page.wait_for_selector(f"{form} .form-error")
    assert page.locator(".refused").count() == 0, "no separate 操作未执行 page"
    assert world.events() == before
    return page.inner_text(f"{form} .form-error")


def test_a_blank_meeting_title_is_named_beside_the_title_and_the_form_is_kept(browser: Any, server: str, world: World) -> None:
    page = signed_in(browser, server, world.staff_no(world.demo.people.party_dept[0]), "/meetings", **PHONE)
    form = "form[action='/meetings']"
    message = _refused_in_place(page, form, world, {"planned_on": "2026-07-08", "title": "   "})
    assert "标题" in message
    title = page.locator(f"{form} input[name=title]")
    assert title.get_attribute("aria-invalid") == "true"
    assert page.evaluate(
        "document.querySelector(\"form[action='/meetings'] label:has(input[name=title]) + .form-error\") !== null"
    ), "the message sits beside the title"
    assert page.input_value(f"{form} input[name=planned_on]") == "2026-07-08"

    before = world.events()
    title.fill("七月党建工作小组例会")
    page.click(f"{form} button.primary")
    page.wait_for_selector(".notice-ok")
    assert world.events() == before + 1
    page.context.close()


def test_an_unknown_interviewee_is_refused_atop_the_interview_form_with_the_reason_kept(
    browser: Any, server: str, world: World
) -> None:
    page = signed_in(browser, server, world.staff_no(world.demo.people.discipline), "/inspections", **PHONE)
    form = "#interview-form"
    message = _refused_in_place(page, form, world, {"interviewee": "X99999", "reason": "三会一课连续两月未开展"})
    assert "X99999" in message
    assert page.input_value(f"{form} input[name=reason]") == "三会一课连续两月未开展"
    assert page.input_value(f"{form} input[name=interviewee]") == "X99999"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    page.context.close()


def test_an_administrator_registering_a_blank_name_keeps_the_staff_number_typed(browser: Any, server: str, world: World) -> None:
    page = signed_in(browser, server, world.staff_no(world.demo.people.admin), "/admin", **PHONE)
    form = "form[action='/admin/people']"
    message = _refused_in_place(page, form, world, {"name": "  ", "staff_no": "N7001"})
    assert "姓名" in message or "名称" in message
    assert page.input_value(f"{form} input[name=staff_no]") == "N7001"
    page.context.close()

"""The language of a page: zh-CN unless the person chose English (remembered in a cookie)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from domain.errors import term
from domain.vocabulary import EVENT_LABELS, LABELS, days_left, deadline_rule

LOCALES = ("zh-CN", "en")
DEFAULT = "zh-CN"
COOKIE = "dutyloop_locale"


def locale_of(request: Request) -> str:
    chosen = request.cookies.get(COOKIE, "")
    return chosen if chosen in LOCALES else DEFAULT


def english(locale: str) -> bool:
    return locale.lower().startswith("en")


class Words:
    """What templates call to speak the reader's language: ``L("中文", "English")`` inline, and
    the domain's own words for states, roles, kinds and events."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.english = english(locale)

    def __call__(self, zh: str, en: str) -> str:
        return en if self.english else zh

    def term(self, key: str | None) -> str:
        return term(key, self.locale) if key else ""

    def label(self, key: Any) -> str:
        if key is None:
            return ""
        pair = LABELS.get(key)
        if pair is None:
            return self.term(str(key))
        return pair[1] if self.english else pair[0]

    def event(self, name: str) -> str:
        pair = EVENT_LABELS.get(name)
        if pair is None:
            return name
        return pair[1] if self.english else pair[0]

    def rule(self, rule: str) -> str:
        return deadline_rule(rule, self.locale)

    def days_left(self, days: int | None) -> str:
        return days_left(days, self.locale)

    def quarter(self, quarter: str) -> str:
        """``2026Q3`` as 2026年第3季度."""
        year, _, number = quarter.partition("Q")
        return quarter if self.english or not number else f"{year}年第{number}季度"

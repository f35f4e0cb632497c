"""One Jinja2 environment for the reports: HTML and SVG escaped, numbers and words in zh-CN."""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from domain.review import GRADE_LABELS
from domain.scoring import DIMENSION_LABELS, RULE_LABELS, words


def signed(value: Any) -> str:
    """Points as people read them: +2, −0.5, 0 (a true minus sign, no trailing zeros)."""
    number = Decimal(str(value))
    text = f"{abs(number).normalize():f}"
    if number > 0:
        return f"+{text}"
    if number < 0:
        return f"−{text}"
    return "0"


def number(value: Any, places: int = 2) -> str:
    if value is None:
        return "—"
    return f"{Decimal(str(value)):.{places}f}"


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("dutyloop.reports", "templates"),
        autoescape=select_autoescape(["html", "svg", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["signed"] = signed
    env.filters["number"] = number
    env.filters["rule"] = lambda code, locale="zh-CN": words(RULE_LABELS, code, locale)
    env.filters["dimension"] = lambda code, locale="zh-CN": words(DIMENSION_LABELS, code, locale)
    env.filters["grade"] = lambda code, locale="zh-CN": words(GRADE_LABELS, code, locale) if code else "—"
    return env

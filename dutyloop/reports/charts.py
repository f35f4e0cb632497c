"""Charts drawn on the server as SVG, for the pages and the bulletin alike.

The geometry is worked out here and a Jinja2 template draws it: no plotting library and no
browser script, and the Chinese labels are text in the page's own font, so they render wherever
the page does (including the PDF).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dutyloop.reports.rendering import environment

WIDTH = 640
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 28, 36


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: Decimal


def _nice_range(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    low = min([Decimal(0), *values])
    high = max([Decimal(0), *values])
    if low == high:
        high = low + 1
    pad = (high - low) / 10
    return low - pad, high + pad


def _ticks(low: Decimal, high: Decimal, count: int = 5) -> list[Decimal]:
    step = (high - low) / (count - 1)
    return [(low + step * i).quantize(Decimal("0.1")) for i in range(count)]


def points_chart(
    months: Sequence[str], mine: Sequence[Decimal], median: Sequence[Decimal], name: str, title: str, locale: str = "zh-CN"
) -> str:
    """A branch's monthly points (solid) against the median of all branches (dashed)."""
    low, high = _nice_range([*mine, *median])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(months) - 1, 1)

    def y(value: Decimal) -> float:
        return TOP + float((high - value) / (high - low)) * plot_h

    def series(values: Sequence[Decimal]) -> list[Point]:
        return [Point(LEFT + i * step, y(v), v) for i, v in enumerate(values)]

    name_width = _text_width(name)
    return environment().get_template("line_chart.svg.j2").render(
        name_width=name_width, legend_x=WIDTH - RIGHT - name_width - 120, width=WIDTH, height=HEIGHT, left=LEFT, right=WIDTH - RIGHT, top=TOP, bottom=HEIGHT - BOTTOM,
        title=title, name=name, median_label="median" if _en(locale) else "中位数",
        months=[(LEFT + i * step, m[5:] if _en(locale) else f"{int(m[5:])}月") for i, m in enumerate(months)],
        mine=series(mine), median=series(median), zero=y(Decimal(0)),
        ticks=[(y(t), t) for t in _ticks(low, high)],
    )


def rate_histogram(rates: Sequence[Decimal | None], title: str, locale: str = "zh-CN") -> str:
    """How many branches fall in each tenth of the on-time rate (branches with nothing done aside)."""
    known = [r for r in rates if r is not None]
    bins = [0] * 10
    for rate in known:
        bins[min(int(rate // 10), 9)] += 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    bar_w = plot_w / 10
    tallest = max(bins) or 1
    bars: list[dict[str, Any]] = []
    for i, count in enumerate(bins):
        h = plot_h * count / tallest
        bars.append({"x": LEFT + i * bar_w + 2, "y": TOP + plot_h - h, "w": bar_w - 4, "h": h, "count": count,
                     "label": f"{i * 10}–{i * 10 + 10}"})
    return environment().get_template("histogram.svg.j2").render(
        width=WIDTH, height=HEIGHT, left=LEFT, right=WIDTH - RIGHT, top=TOP, bottom=HEIGHT - BOTTOM,
        title=title, bars=bars, caption=_caption(len(rates) - len(known), locale),
    )


def _caption(without: int, locale: str) -> str:
    if _en(locale):
        return "on-time rate, %" + (f" ({without} branches had no accepted task)" if without else "")
    return "按时完成率（%）" + (f"，另有 {without} 个支部本期无已验收任务" if without else "")


def _text_width(text: str, size: int = 12) -> int:
    """Roughly how wide the text draws: a Chinese character is a full em, Latin about half."""
    return sum(size if ord(ch) > 0x2E80 else size // 2 + 1 for ch in text)


def _en(locale: str) -> bool:
    return locale.lower().startswith("en")

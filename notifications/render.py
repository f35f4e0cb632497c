"""Messages rendered from Jinja2 templates in files: the built-in ones shipped in this package
(``templates/<locale>/<kind>.j2``), or an administrator's copy in the template directory.

A template sets three parts at its top level — ``subject``, ``body`` (plain text for the inbox
and email) and ``markdown`` (for IM robots) — which are read back from the template's module, so
one file holds one message. Dates are shown in the configured time zone (Asia/Shanghai).

The markdown part is rendered a second time with every printed value made inert: titles, reasons
and names are typed by users, and the robots (WeCom, DingTalk) render ``[点此领取补贴](http://…)``
as a working link in an official-looking notice. Only the template's own text is markup.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    pass_context,
)
from jinja2.environment import TemplateModule
from jinja2.runtime import Context

from notifications.links import SiteLink

BUILTIN = Path(__file__).parent / "templates"
log = logging.getLogger("dutyloop.notify")
MARKDOWN_PASS = "_markdown_pass"
"""Set in the context of the rendering whose ``markdown`` part is kept: every ``{{ … }}`` of it
is then printed inert."""

_INERT = str.maketrans({
    "\\": "＼", "`": "｀", "*": "＊", "_": "＿", "[": "［", "]": "］", "(": "（", ")": "）", "<": "＜", ">": "＞",
    "#": "＃", "!": "！", "|": "｜", "~": "～", "&": "＆", "$": "＄",
})
"""Markdown's and HTML's active characters, each replaced by its full-width form: readable in a
Chinese notice, and inert whatever the robot's dialect (WeCom documents no backslash escapes)."""


def inert_markdown(value: object) -> str:
    """Text that a markdown robot shows as it is: no link, image, emphasis, heading, quote, code,
    HTML tag or entity, and no bare address it would turn into a link."""
    text = str(value).translate(_INERT)
    return text.replace("://", "：//").replace("www.", "www．").replace("WWW.", "WWW．")


@pass_context
def _printed(context: Context, value: object) -> object:
    if isinstance(value, SiteLink):
        return value
    return inert_markdown(value) if context.get(MARKDOWN_PASS) and value is not None else value


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    markdown: str


def template_locale(locale: str) -> str:
    return "en" if locale.lower().startswith("en") else "zh-CN"


class Renderer:
    def __init__(self, locale: str = "zh-CN", timezone: str = "Asia/Shanghai", template_dir: Path | None = None) -> None:
        self.locale = template_locale(locale)
        self.tz = ZoneInfo(timezone)
        self.template_dir = template_dir
        if template_dir is not None and not template_dir.is_dir():
            raise ValueError(f"DUTYLOOP_TEMPLATE_DIR {template_dir} is not a directory")
        builtin = FileSystemLoader(BUILTIN / self.locale)
        self._builtin = self._environment(builtin)
        self._custom = (
            self._environment(ChoiceLoader([FileSystemLoader(template_dir / self.locale), builtin]))
            if template_dir is not None else None
        )

    def _environment(self, loader: Any) -> Environment:
        env = Environment(loader=loader, undefined=StrictUndefined, autoescape=False, trim_blocks=True,
                          lstrip_blocks=True, keep_trailing_newline=False, finalize=_printed)
        babel_locale = Locale.parse(self.locale.replace("-", "_"))
        env.filters["day"] = lambda d: format_date(_as_date(d), "long", locale=babel_locale)
        env.filters["weekday"] = lambda d: format_date(_as_date(d), "full", locale=babel_locale)
        env.filters["moment"] = lambda t: format_datetime(_as_datetime(t), "yyyy-MM-dd HH:mm", tzinfo=self.tz,
                                                          locale=babel_locale)
        return env

    def render(self, kind: str, context: dict[str, Any]) -> Rendered:
        """The administrator's template when there is one; if it fails (a typo, a missing
        variable), the built-in one, so a broken edit never stops the notifier."""
        if self._custom is not None:
            try:
                return self._render(self._custom, kind, context)
            except TemplateError as error:
                log.error("template %s/%s.j2 in %s failed (%s); the built-in template was used",
                          self.locale, kind, self.template_dir, error)
        return self._render(self._builtin, kind, context)

    def _render(self, env: Environment, kind: str, context: dict[str, Any]) -> Rendered:
        template = env.get_template(f"{kind}.j2")
        module = template.make_module(context)
        robots = template.make_module({**context, MARKDOWN_PASS: True})
        return Rendered(subject=" ".join(_part(module, kind, "subject").split()), body=_tidy(_part(module, kind, "body")),
                        markdown=_tidy(_part(robots, kind, "markdown")))

    def check(self) -> list[str]:
        """Each of the administrator's templates that does not compile, with the reason."""
        if self._custom is None or self.template_dir is None:
            return []
        problems = []
        for path in sorted((self.template_dir / self.locale).glob("*.j2")):
            try:
                self._custom.get_template(path.name)
            except TemplateError as error:
                problems.append(f"{path}: {error}")
        return problems


def _part(module: TemplateModule, kind: str, name: str) -> str:
    """One of the parts a template sets at its top level; a template without it is broken."""
    value = getattr(module, name, None)
    if value is None:
        raise TemplateError(f"{kind}.j2 sets no {name} ({{% set {name} %}}…{{% endset %}})")
    return str(value)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy)


def _as_date(value: date | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def _as_datetime(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)

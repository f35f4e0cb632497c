"""The title lines of an exported sheet: what it is, for which organisation, as of when, exported
by whom and when — and the head of the hash chain, signed at that moment and appended to the
heads file, so that every sheet handed over names the record it came from."""

from __future__ import annotations

from dutyloop.audit.signing import sign_head
from dutyloop.wiring import System
from projections import lookup
from projections.export import Heading
from projections.sentences import Names


def exporter(system: System, user: str | None, locale: str) -> str:
    """The person exporting, by name and staff number."""
    english = locale.lower().startswith("en")
    if not user:
        return "not named (--as)" if english else "未署名（--as）"
    with system.engine.connect() as conn:
        return Names(conn).person(lookup.resolve_person(conn, user), locale)


def heading(system: System, title: str, org_name: str, as_of: str, user: str | None, locale: str) -> Heading:
    english = locale.lower().startswith("en")
    now = system.clock.now()
    at = now.astimezone(system.clock.tz).strftime("%Y-%m-%d %H:%M")
    head = sign_head(system.engine, system.settings.data_dir, f"export: {title}", now)
    who = exporter(system, user, locale)
    if english:
        line = f"Organisation: {org_name or 'all'} | as of {as_of} | exported by {who} at {at}"
    else:
        line = f"组织：{org_name or '全部组织'}｜截至：{as_of}｜导出人：{who}｜导出时间：{at}"
    return Heading(title, (line, head.printed(english)))

"""What the 述责 · 考责 commands share: exact decimals in JSON, signed points in tables, rule names,
an organisation found by its name.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.scoring import RULE_LABELS, words
from dutyloop.cli.base import CliState
from dutyloop.cli.base import emit as emit_plain
from dutyloop.reports.rendering import signed
from projections import lookup


def _exact(value: Any) -> Any:
    """Scores and points are exact decimals; in JSON they are written as decimal text ("-0.5")."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _exact(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_exact(v) for v in value]
    return value


def emit(state: CliState, rows: Any, columns: Any = (), title: str = "") -> None:
    emit_plain(state, _exact(rows), columns, title)


def org_named(state: CliState, text: str) -> UUID:
    system = state.open()
    system.catch_up()
    with system.engine.connect() as conn:
        return UUID(lookup.resolve_org(conn, text))


def rule_name(state: CliState, code: str) -> str:
    return words(RULE_LABELS, code, state.locale)


def points_text(state: CliState, rows: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    """Points as people read them (+2, −0.5) in tables; JSON keeps the exact decimal text."""
    if state.as_json:
        return rows
    for row in rows:
        for key in keys:
            if isinstance(row.get(key), Decimal):
                row[key] = signed(row[key])
    return rows


def reasons(state: CliState, items: list[dict[str, Any]]) -> str:
    return "；".join(f"{rule_name(state, i['rule'])} {signed(i['points'])}" for i in items) or "—"

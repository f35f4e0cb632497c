"""A rule set as a file people edit (TOML, as ``rules show --toml`` prints) or a script writes (JSON).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from domain.errors import DomainError
from domain.scoring import DIMENSION_LABELS, RULE_LABELS


def read_rules_file(path: Path) -> tuple[list[dict[str, Any]], str]:
    """A rule set as TOML (``[rules.task_on_time] points = 1 …``, as ``rules show --toml`` prints)
    or JSON (a list of ``{"code", "points", "dimension", "basis"}``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DomainError("not_found", what="file", key=str(path)) from error
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise DomainError("invalid_value", field=path.name, value=str(error), allowed=["JSON"]) from None
        records = data["rules"] if isinstance(data, dict) else data
        return [dict(r) for r in records], (data.get("note", "") if isinstance(data, dict) else "")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DomainError("invalid_value", field=path.name, value=str(error), allowed=["TOML"]) from None
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        raise DomainError("invalid_value", field="rules", value=type(rules).__name__, allowed=["[rules.CODE] tables"])
    return [{"code": code, **{k: str(v) for k, v in body.items()}} for code, body in rules.items()], str(data.get("note", ""))


def rules_toml(records: list[dict[str, Any]], note: str = "") -> str:
    lines = [f"note = {json.dumps(note, ensure_ascii=False)}", ""]
    for record in records:
        lines.append(f"[rules.{record['code']}]  # {RULE_LABELS.get(record['code'], ('', ''))[0]}")
        lines.append(f"points = {record['points']}")
        lines.append(f'dimension = "{record["dimension"]}"  # {DIMENSION_LABELS[record["dimension"]][0]}')
        if "basis" in record:
            lines.append(f'basis = "{record["basis"]}"  # original 原时限 / current 现行时限')
        lines.append("")
    return "\n".join(lines)

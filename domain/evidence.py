"""佐证材料: what a person shows to prove work was done — text, links, or stored files."""

from __future__ import annotations

from typing import Any

from domain.errors import DomainError

KINDS = ("text", "link", "file")


def evidence_item(kind: str, value: str, name: str = "") -> dict[str, str]:
    """One piece of evidence as stored in events: plain strings, readable without this code."""
    value = value.strip()
    if kind not in KINDS:
        raise DomainError("invalid_value", field="evidence", value=kind, allowed=list(KINDS))
    if not value:
        raise DomainError("evidence_required")
    if kind == "link" and not value.lower().startswith(("http://", "https://")):
        raise DomainError("invalid_value", field="link", value=value, allowed=["http://…", "https://…"])
    return {"kind": kind, "value": value, "name": name or value}


def require_evidence(items: list[dict[str, Any]]) -> list[dict[str, str]]:
    checked = [evidence_item(i.get("kind", ""), str(i.get("value", "")), str(i.get("name", ""))) for i in items]
    if not checked:
        raise DomainError("evidence_required")
    return checked

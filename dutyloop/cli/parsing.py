"""Turning what people type into domain values: deadlines, evidence, task lines."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

from domain.errors import DomainError
from domain.task import Deadline

_WORKING_DAYS = re.compile(r"^\s*(\d+)\s*(wd|working days?|个?工作日)\s*$", re.IGNORECASE)


def parse_deadline(text: str) -> Deadline:
    """``2025-04-30`` is a date; ``10wd`` or ``10个工作日`` is ten working days from issue."""
    match = _WORKING_DAYS.match(text)
    if match:
        return Deadline(working_days=int(match.group(1)))
    try:
        return Deadline(on=date.fromisoformat(text.strip()))
    except ValueError:
        raise DomainError(
            "invalid_value", field="deadline", value=text, allowed=["YYYY-MM-DD", "10wd", "10个工作日"]
        ) from None


TASK_COLUMNS = ("title", "org", "owner", "deadline", "requirements")
TASK_HEADERS_ZH = ("任务", "责任组织", "责任人", "完成时限", "要求")


def read_task_lines(path: Path) -> list[dict[str, str]]:
    """A task list as CSV: 任务,责任组织,责任人,完成时限,要求 (or the English names)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        headers = {h.strip(): h for h in reader.fieldnames or []}
        mapping = {}
        for english, chinese in zip(TASK_COLUMNS, TASK_HEADERS_ZH, strict=True):
            if english in headers:
                mapping[english] = headers[english]
            elif chinese in headers:
                mapping[english] = headers[chinese]
            elif english != "requirements":
                raise DomainError("required", field=f"{path.name}: {chinese}/{english}")
        lines = []
        for number, row in enumerate(reader, start=2):
            line = {key: (row.get(column) or "").strip() for key, column in mapping.items()}
            for key in ("title", "org", "owner", "deadline"):
                if not line.get(key):
                    raise DomainError("required", field=f"{path.name}:{number} {key}")
            lines.append(line)
    return lines


def split_task(text: str) -> dict[str, str]:
    """One task on the command line: ``标题|责任组织|责任人|时限[|要求]``."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) < 4 or not all(parts[:4]):
        raise DomainError("invalid_value", field="--task", value=text, allowed=["标题|责任组织|责任人|时限[|要求]"])
    return dict(zip(TASK_COLUMNS, parts + [""] * (5 - len(parts)), strict=False))

"""The main commands speak Chinese in zh-CN: no internal code or English word in what a person
reads (task / rectification as 类别, view names, threshold names, dimensions, system actors,
overdue as 逾期N个工作日), only data — ids, staff numbers, dates and numbers — in Latin letters."""

from __future__ import annotations

import re

import pytest

from views_support import Cli

COMMANDS = [
    ("--as", "S001", "mywork"), ("tasks",), ("tasks", "--status", "已签收"), ("warnings",), ("board",), ("chains",),
    ("counts", "status"), ("counts", "org"), ("trail", "--limit", "30"), ("findings",), ("interviews",), ("reminders",),
    ("thresholds",), ("--as", "A001", "status"), ("org", "list"), ("person", "list"), ("adjust", "list"), ("points",),
    ("meeting", "list"),
]
DATA = re.compile(r"^([A-Z]\d{3,}|[0-9a-f]{6,}|\d+[a-z]?)$")
"""What may be in Latin letters: staff numbers, ids as printed, numbers."""
TO_TYPE = re.compile(r"dutyloop [^（(\n]+|[\w/]+\.md")
"""A command to type and a document to read, quoted in a message."""
WORD = re.compile(r"[A-Za-z0-9_:.\-]*[A-Za-z][A-Za-z0-9_:.\-]*")


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_command_reads_in_chinese(cli: Cli, args: tuple[str, ...]) -> None:
    result = cli("--locale", "zh-CN", *args)
    assert result.exit_code == 0, result.output
    english = sorted({w for w in WORD.findall(TO_TYPE.sub("", result.output)) if not DATA.match(w.strip(".:-"))})
    assert english == [], result.output


def test_overdue_reads_as_working_days_overdue_and_a_status_is_taken_in_chinese(cli: Cli) -> None:
    overdue = cli("--locale", "zh-CN", "warnings").output
    assert re.search(r"逾期\d+个工作日", overdue) and not re.search(r"\s-\d+\s", overdue)
    wrong = cli("--locale", "zh-CN", "tasks", "--status", "签了")
    assert wrong.exit_code == 2 and "任务状态的值无效：签了" in wrong.output and "已签收" in wrong.output

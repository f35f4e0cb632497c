"""The reminder shown in docs/notifications.md, produced by the real pipeline: a task issued and
left overdue on a fresh SQLite system, the reminder recorded as the scheduler records it, the
notifier's outbox rendering it with the built-in zh-CN templates.

``python tests/notifications/render_example.py --write`` refreshes the document; the test
``test_docs_example`` fails when the document and the templates disagree."""

from __future__ import annotations

import re
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from domain.clock import ManualClock
from dutyloop.settings import Settings
from dutyloop.wiring import open_system
from notifications.config import NotifyConfig
from notifications.service import Notifier
from notifications.tables import messages

sys.path.insert(0, str(Path(__file__).parent))
from notify_support import build_org, issue_task

DOC = Path(__file__).resolve().parents[2] / "docs" / "notifications.md"
BEGIN, END = "<!-- example:begin -->", "<!-- example:end -->"
ID = re.compile(r"(编号：)[0-9a-f]{8}")


def example() -> str:
    with tempfile.TemporaryDirectory() as data:
        clock = ManualClock(datetime(2025, 5, 6, 9, 0))
        system = open_system(Settings(data_dir=Path(data)), clock)
        try:
            notifier = Notifier(system, NotifyConfig())
            org = build_org(system.app)
            task = issue_task(system.app, clock, org, date(2025, 5, 20))
            clock.set_day(date(2025, 5, 22))
            system.app.record_reminder("system:scheduler", "task", task, "overdue", date(2025, 5, 20), org.worker,
                                       org.branch, overdue_working_days=2)
            notifier.run_once()
            with system.engine.connect() as conn:
                row = conn.execute(select(messages).where(messages.c.kind == "reminder")
                                   .order_by(messages.c.recipient_kind.desc())).mappings().first()
        finally:
            system.close()
    assert row is not None
    return "\n".join([
        BEGIN,
        "Email / inbox (`subject` and `body`):",
        "",
        "```text",
        f"主题：{row['subject']}",
        "",
        row["body"],
        "```",
        "",
        "WeCom / DingTalk robot (`markdown`):",
        "",
        "```markdown",
        row["markdown"],
        "```",
        END,
    ])


def masked(text: str) -> str:
    return ID.sub(r"\1…", text)


def documented() -> str:
    text = DOC.read_text(encoding="utf-8")
    return text[text.index(BEGIN): text.index(END) + len(END)]


def write() -> None:
    text = DOC.read_text(encoding="utf-8")
    DOC.write_text(text.replace(documented(), example()), encoding="utf-8")


if __name__ == "__main__":
    if "--write" in sys.argv:
        write()
    else:
        print(example())

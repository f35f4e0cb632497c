"""Two notifiers on the same database at the same time (two systems, two threads, two
connection pools): every event is decided once and every email sent once, whoever wins."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date

from notify_support import MailServer, build_org, issue_task

from domain.clock import ManualClock
from dutyloop.settings import Settings
from dutyloop.wiring import System, open_system
from notifications.config import NotifyConfig
from notifications.service import Notifier, Pass


def test_two_notifiers_at_once_send_each_message_once(system: System, clock: ManualClock, mail: MailServer) -> None:
    config = NotifyConfig.from_env(mail.env())
    Notifier(system, config)
    org = build_org(system.app)
    clock.set_day(date(2025, 5, 6))
    for n in range(10):
        issue_task(system.app, clock, org, date(2025, 5, 20), title=f"第{n + 1}项任务", followers=(org.secretary,))

    other: System = open_system(Settings(**vars(system.settings)), clock)
    try:
        notifiers = [Notifier(system, config), Notifier(other, config)]
        start = threading.Barrier(2)
        passes: list[Pass] = []
        errors: list[BaseException] = []

        def run(notifier: Notifier) -> None:
            start.wait()
            try:
                passes.append(notifier.run_once())
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=run, args=(n,)) for n in notifiers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        other.close()

    assert errors == []
    assert sum(p.tally.sent for p in passes) == 20
    counts = Counter((tuple(rcpts), m["Subject"]) for _, rcpts, m in mail.received)
    assert len(counts) == 20 and set(counts.values()) == {1}

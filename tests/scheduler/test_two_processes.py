"""Two real scheduler processes on one database: only one acts; when it is killed, the other
takes over; the work is done once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from uuid import UUID
from zoneinfo import ZoneInfo

from scheduler_support import build_org, issue
from sqlalchemy import func, select

from domain.calendar import HolidaySchedule
from domain.clock import ManualClock
from dutyloop.wiring import System
from projections.tables import reminders

TAKEN = "Scheduler lock taken"
RECORDED = ": recorded "


def make_working_days(system: System, admin: UUID) -> None:
    """The scheduler processes judge by the real clock and pass over days off: today and tomorrow
    (the test may run across midnight) are made working days (调休) so it runs on any day."""
    now = datetime.now(ZoneInfo(system.settings.timezone)).date()
    days = (now, now + timedelta(days=1))
    for year in sorted({day.year for day in days}):
        weekend = frozenset(day for day in days if day.year == year and day.weekday() >= 5)
        system.app.load_holiday_schedule(admin, HolidaySchedule(year, frozenset(), weekend), "测试：今天、明天上班")


def start(system: System, log: Path) -> subprocess.Popen[bytes]:
    settings = system.settings
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYLOOP_")}
    env["DUTYLOOP_LOCALE"] = "en"
    if settings.is_postgres:
        env["DUTYLOOP_DATABASE_URL"] = settings.database_url or ""
        env["DUTYLOOP_POSTGRES_SCHEMA"] = settings.postgres_schema
    else:
        env["DUTYLOOP_DATA_DIR"] = str(settings.data_dir)
    command = [sys.executable, "-m", "dutyloop", "serve-scheduler", "--every", "0.4", "--heartbeat", "0.2",
               "--lease-seconds", "2"]
    return subprocess.Popen(command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def wait_for_text(log: Path, text: str, seconds: float = 30.0) -> None:
    limit = time.monotonic() + seconds
    while text not in log.read_text():
        assert time.monotonic() < limit, f"{text!r} never appeared in {log.name}:\n{log.read_text()}"
        time.sleep(0.1)


def test_two_scheduler_processes_one_acts_the_other_takes_over(system: System, clock: ManualClock, tmp_path: Path) -> None:
    app = system.app
    org = build_org(app)
    clock.set_day(date(2025, 5, 6))
    issue(app, clock, org, date(2025, 5, 20), titles=("甲", "乙"))  # long overdue by the real clock
    make_working_days(system, org.admin)

    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    processes = [start(system, log) for log in logs]
    try:
        limit = time.monotonic() + 30
        while not any(TAKEN in log.read_text() for log in logs):
            assert time.monotonic() < limit, [log.read_text() for log in logs]
            time.sleep(0.1)
        leader = next(i for i, log in enumerate(logs) if TAKEN in log.read_text())
        standby = 1 - leader
        wait_for_text(logs[leader], RECORDED)
        time.sleep(2.0)
        texts = [log.read_text() for log in logs]
        assert texts[leader].count(RECORDED) >= 3
        assert TAKEN not in texts[standby] and RECORDED not in texts[standby], texts[standby]

        processes[leader].send_signal(signal.SIGKILL)
        processes[leader].wait(10)
        wait_for_text(logs[standby], TAKEN)
        wait_for_text(logs[standby], RECORDED)

        processes[standby].send_signal(signal.SIGINT)  # Ctrl-C
        assert processes[standby].wait(15) == 0
        assert "Scheduler stopped" in logs[standby].read_text()
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait(10)

    system.catch_up()
    with system.engine.connect() as conn:
        count, distinct = conn.execute(
            select(func.count(), func.count(func.distinct(reminders.c.target_id + reminders.c.level + reminders.c.recipient_id)))
            .where(reminders.c.target_kind == "task")
        ).one()
    # each task's current step and the owner's 严重逾期 before it, once, whichever process recorded them
    assert count == distinct == 4

"""The notifier as a service: in a thread of another program (``dutyloop serve`` does this) it
picks up work recorded while it runs and stops when asked; ``dutyloop notify --follow`` does the
same in a process of its own and stops on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from notify_support import MailServer, build_org, issue_task

from domain.clock import ManualClock
from dutyloop.settings import Settings
from dutyloop.wiring import System, open_system
from notifications.config import NotifyConfig
from notifications.service import Notifier, NotifierService

ROOT = Path(__file__).resolve().parents[2]


def _wait_for(condition: Callable[[], bool], seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_service_in_a_thread_delivers_while_running_and_stops(system: System, clock: ManualClock, mail: MailServer) -> None:
    service = NotifierService(Notifier(system, NotifyConfig.from_env(mail.env())), interval=0.1)
    thread = threading.Thread(target=service.run_forever)
    thread.start()
    try:
        org = build_org(system.app)
        clock.set_day(date(2025, 5, 6))
        issue_task(system.app, clock, org, date(2025, 5, 20))
        assert _wait_for(lambda: len(mail.received) == 1)
        issue_task(system.app, clock, org, date(2025, 5, 21), title="开展主题党日活动")
        assert _wait_for(lambda: len(mail.received) == 2)
    finally:
        service.stop()
        thread.join(10)
    assert not thread.is_alive()
    assert [m["Subject"][:6] for _, _, m in mail.received] == ["【任务下达】", "【任务下达】"]


def test_notify_follow_runs_until_ctrl_c(tmp_path: Path, clock: ManualClock, mail: MailServer) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    system = open_system(settings, clock)
    try:
        Notifier(system, NotifyConfig())
        env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYLOOP_")}
        env.update(mail.env(), PYTHONPATH=str(ROOT))
        process = subprocess.Popen(
            [sys.executable, "-m", "dutyloop", "--data-dir", str(settings.data_dir), "notify", "--follow", "--interval", "0.2"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            org = build_org(system.app)
            clock.set_day(date(2025, 5, 6))
            issue_task(system.app, clock, org, date(2025, 5, 20))
            assert _wait_for(lambda: len(mail.received) == 1), process.stderr.read() if process.poll() is not None else ""
        finally:
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=20)
        assert process.returncode == 0, err
        assert "通知服务已启动" in out
    finally:
        system.close()

"""Prints take turns across processes on one data directory: while another process holds the
turn, a page already printed is served from the cache at once, and a new one waits, then is told
to come back (HTTP 503 with Retry-After) instead of starting a second Chromium."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from domain.clock import ManualClock
from dutyloop.reports.printing import PdfPrinter, PrintBusy
from dutyloop.settings import Settings
from dutyloop.web.accounts import Accounts
from dutyloop.web.app import create_app
from dutyloop.wiring import open_system

HOLD = """
import fcntl, sys, time
with open(sys.argv[1], "a") as lock:
    fcntl.flock(lock, fcntl.LOCK_EX)
    print("held", flush=True)
    time.sleep(30)
"""


def _held_by_another_process(folder: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(folder / "print.lock")], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_another_processs_turn_is_waited_for_and_a_cached_page_is_not(tmp_path: Path) -> None:
    folder = tmp_path / "cache" / "pdf"
    folder.mkdir(parents=True)
    printed = "<html><body>已印</body></html>"
    kept = f"{hashlib.sha256(printed.encode()).hexdigest()}.pdf"
    (folder / kept).write_bytes(b"%PDF-1.4 kept\n")
    holder = _held_by_another_process(folder)
    try:
        printer = PdfPrinter(folder, wait_seconds=0.5)
        started = time.monotonic()
        assert printer.pdf(printed) == b"%PDF-1.4 kept\n"
        assert time.monotonic() - started < 0.2
        started = time.monotonic()
        with pytest.raises(PrintBusy):
            printer.pdf("<html><body>新的一页</body></html>")
        assert 0.5 <= time.monotonic() - started < 2.0
        assert [p.name for p in folder.glob("*.pdf")] == [kept], "nothing was printed while another process held the turn"
    finally:
        holder.kill()
        holder.wait()


def test_a_page_asked_for_while_the_turn_is_held_elsewhere_is_answered_503(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 11, 24, 9, 0))
    system = open_system(Settings(data_dir=tmp_path / "data"), clock)
    try:
        _, admin = system.app.bootstrap("公司党委", "管理员", "A001")
        system.catch_up()
        app = create_app(system)
        Accounts(system.engine).set_password(admin.hex, "A001", "a-long-password")
        folder = system.settings.data_dir / "cache" / "pdf"
        folder.mkdir(parents=True)
        app.state.printer = PdfPrinter(folder, wait_seconds=0.5)
        client = TestClient(app)
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert token
        client.post("/login", data={"staff_no": "A001", "password": "a-long-password", "next": "/", "csrf_token": token.group(1)})
        holder = _held_by_another_process(folder)
        try:
            busy = client.get("/bulletin/2026-10.pdf")
        finally:
            holder.kill()
            holder.wait()
        assert busy.status_code == 503 and busy.headers["retry-after"].isdigit()
        assert "请稍后再试" in busy.text
    finally:
        system.close()

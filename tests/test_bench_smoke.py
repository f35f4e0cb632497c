"""The benchmark still runs end to end and prints every measure (timings are printed, not asserted)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
MEASURES = (
    "1. command rate", "2. bulk import", "3. rebuild all views", "7. integrity check", "4. query: secretary home",
    "4. query: board", "4. query: chain", "4. query: province warnings", "6. rebuild peak RSS",
    "5. deadline job growth", "intact=True", "8. command written vs CRUD", "8. command + views vs CRUD",
    "8. trail of a supervisor p50", "8. secretary's warnings p50", "8. storage on disk", "9. CLI start: --help",
    "9. CLI start: counts status", "10. page: secretary home /", "10. page: board /board", "10. page: chain /chains/<id>",
    "10. page: task list /tasks", "10. page: search /search?q=整改",
)


def _bench(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bench", *args], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_bench_runs_on_sqlite_and_prints_every_measure() -> None:
    out = _bench("--events", "20000", "--commands", "100", "--imports", "10", "--open-tasks", "2000", "--page-requests", "5")
    for measure in MEASURES:
        assert measure in out
    assert re.search(r"5\. deadline job, 2,000 open", out)
    page_lines = [line for line in out.splitlines() if line.startswith("10. page:")]
    assert len(page_lines) == 5
    for line in page_lines:
        assert re.search(r"p50 [\d.]+ / p95 [\d.]+ ms +query p50 [\d.]+ / p95 [\d.]+ ms", line), line
    assert "PostgreSQL only" in out


def test_bench_runs_on_postgres_with_several_writers_and_loses_nothing() -> None:
    url = os.environ.get("DUTYLOOP_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("DUTYLOOP_TEST_POSTGRES_URL is not set")
    out = _bench(
        "--events", "3000", "--commands", "50", "--imports", "5", "--open-tasks", "1000", "--writer-seconds", "1", "--page-requests", "3",
        "--postgres", url,
    )
    for measure in MEASURES:
        assert measure in out
    writer_lines = [line for line in out.splitlines() if line.startswith("multi-writer")]
    assert len(writer_lines) == 3
    for line in writer_lines:
        commands, events, trail = (int(n) for n in re.findall(r"(\d+) (?:cmds|events|trail rows)", line))
        assert commands == events == trail


def test_the_load_bench_serves_several_workers_with_no_error_and_consistent_views() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.load", "--events", "500", "--workers", "1,2", "--clients", "3", "--seconds", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr
    runs = [line for line in result.stdout.splitlines() if re.match(r"\s+[12]\s+\d", line)]
    assert [run.split()[0] for run in runs] == ["1", "2"], result.stdout
    assert all(re.search(r"\s0\s+yes\s+\(", run) for run in runs), "no error, views consistent:\n" + result.stdout

"""The benchmark still runs end to end (a small smoke run; timings are printed, not asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_bench_runs_and_prints_every_measure() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--events", "3000", "--commands", "100"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    for measure in ("command rate", "rebuild all views", "integrity check", "query: board", "intact=True"):
        assert measure in result.stdout

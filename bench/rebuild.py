"""Rebuild every view from zero in a process of its own, so its memory is the rebuild's alone.

``python -m bench.rebuild SETTINGS_JSON`` prints one JSON line: the library's read-and-decode
rate of the same log (measured first, in this process), the rebuild rate as ``dutyloop rebuild``
runs it (the views split among worker processes, one per core), and the peak resident memory of
the largest process by the time a quarter, half and all of the log had been applied. Memory that
stays flat from a quarter to all of the log shows the rebuild streams instead of loading the log.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.baseline import rate, read_decode_rate
from domain.clock import SystemClock
from dutyloop.rebuild import Rebuild, peak_rss_mb
from dutyloop.settings import Settings
from dutyloop.wiring import open_system


@dataclass
class RebuildResult:
    read_rate: float
    events: int
    seconds: float
    rebuild_rate: float
    peak_mb: list[tuple[int, float]] = field(default_factory=list)
    """(events applied, peak resident MB so far), at about 25 %, 50 % and 100 % of the log."""
    with_indexes_mb: float = 0.0
    """The peak once the indexes dropped for the rebuild are built again (the database's sorts)."""
    workers: int = 1
    """Worker processes the views were split among."""


def _reset_peak() -> None:
    """Start the peak afresh after the baseline read (Linux: writing 5 to clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def rebuild(settings: Settings, workers: int | None = None) -> RebuildResult:
    system = open_system(settings, SystemClock(settings.timezone))
    try:
        head = system.views.head()
        _, read_rate = read_decode_rate(system.app)
        _reset_peak()
        marks = [head // 4, head // 2, head]
        peaks: list[tuple[int, float]] = []
        job = Rebuild(system, workers)

        def peak() -> float:
            """The largest process of the rebuild: this one, or a worker."""
            return max([peak_rss_mb(), *job.worker_peak_mb.values()])

        def progress(applied: int, position: int) -> None:
            while marks and position >= marks[0]:
                marks.pop(0)
                peaks.append((position, peak()))

        count, seconds = job.run(progress=progress)
        with_indexes = max([peak(), *job.worker_peak_with_indexes_mb.values()])
        return RebuildResult(
            read_rate, count, seconds, rate(count, seconds), peaks, with_indexes, job.worker_count(len(system.views.views))
        )
    finally:
        system.close()


if __name__ == "__main__":
    print(json.dumps(asdict(rebuild(Settings.from_json(sys.argv[1])))))

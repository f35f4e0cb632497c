"""Rebuild every view from zero in a process of its own, so its memory is the rebuild's alone.

``python -m bench.rebuild SETTINGS_JSON`` prints one JSON line: the library's read-and-decode
rate of the same log (measured first, in this process), the rebuild rate, and the peak resident
memory reached by the time a quarter, half and all of the log had been applied. Memory that
stays flat from a quarter to all of the log shows the rebuild streams instead of loading the log.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.baseline import rate, read_decode_rate
from domain.clock import SystemClock
from dutyloop.settings import Settings
from dutyloop.wiring import open_system

_STATUS = Path("/proc/self/status")


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


def peak_rss_mb() -> float:
    """The process's peak resident set (VmHWM) in MB; 0 where /proc is not available."""
    if not _STATUS.exists():
        return 0.0
    for line in _STATUS.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> None:
    """Start the peak afresh after the baseline read (Linux: writing 5 to clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def rebuild(settings: Settings) -> RebuildResult:
    system = open_system(settings, SystemClock(settings.timezone))
    try:
        head = system.views.head()
        _, read_rate = read_decode_rate(system.app)
        _reset_peak()
        marks = [head // 4, head // 2, head]
        peaks: list[tuple[int, float]] = []

        def progress(applied: int, position: int) -> None:
            while marks and position >= marks[0]:
                marks.pop(0)
                peaks.append((position, peak_rss_mb()))

        count, seconds = system.views.rebuild(progress=progress)
        return RebuildResult(read_rate, count, seconds, rate(count, seconds), peaks, peak_rss_mb())
    finally:
        system.close()


def settings_to_json(settings: Settings) -> str:
    return json.dumps(
        {"data_dir": str(settings.data_dir), "database_url": settings.database_url, "postgres_schema": settings.postgres_schema}
    )


def settings_from_json(text: str) -> Settings:
    values: dict[str, Any] = json.loads(text)
    return Settings(data_dir=Path(values["data_dir"]), database_url=values["database_url"], postgres_schema=values["postgres_schema"])


if __name__ == "__main__":
    print(json.dumps(asdict(rebuild(settings_from_json(sys.argv[1])))))

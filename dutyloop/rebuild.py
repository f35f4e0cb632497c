"""``dutyloop rebuild``: the views replayed from the log, split among worker processes.

Each view keeps its own position and its own tables, so views are independent: a worker process
runs a projection runner over a group of them, reading the log itself, and the groups go side by
side on the machine's cores. The runner holds the database's write lock only while it writes a
batch's rows, so on SQLite too the workers' Python work overlaps. Groups are balanced by each
view's measured cost per event (``View.cost``).

A worker that fails leaves its views where its last committed batch put them; the others finish.
The rebuild then raises, and any later catch-up continues the failed views from their positions.
"""

from __future__ import annotations

import gc
import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from domain.clock import SystemClock
from dutyloop.settings import Settings
from dutyloop.wiring import System, open_view_runner
from projections.runner import Progress
from projections.view import View

COLLECT_EVERY = 10
"""Batches between a rebuild's own garbage collections."""
SMALL_LOG = 50_000
"""Below this many events, starting worker processes (about a second) costs more than they save."""

class RebuildFailed(RuntimeError):
    """A worker process stopped before its views reached the end of the log."""


@dataclass
class Rebuild:
    """Replays the chosen views. ``worker_peak_mb`` holds each worker's peak resident memory while
    it replayed, as last reported (the bench reads it to show memory stays flat as the log grows);
    ``worker_peak_with_indexes_mb`` the peak once it had built its views' indexes again."""

    system: System
    workers: int | None = None
    worker_peak_mb: dict[int, float] = field(default_factory=dict)
    worker_peak_with_indexes_mb: dict[int, float] = field(default_factory=dict)

    def run(self, names: Sequence[str] | None = None, progress: Progress | None = None) -> tuple[int, float]:
        """Returns (events read, seconds), like ``ProjectionRunner.rebuild``."""
        runner = self.system.views
        chosen = runner.select(names)
        groups = split(chosen, self.worker_count(len(chosen)))
        if len(groups) == 1:
            with collected_between_batches(progress) as between:
                return runner.rebuild([view.name for view in chosen], between)
        began = time.perf_counter()
        runner.reset([view.name for view in chosen])
        try:
            count = self._in_workers(groups, progress)
        finally:
            runner.restore_indexes(chosen)
        return count, time.perf_counter() - began

    def worker_count(self, views: int) -> int:
        if self.workers is not None:
            return max(1, min(self.workers, views))
        if self.system.views.head() < SMALL_LOG:
            return 1
        return max(1, min(os.cpu_count() or 1, views, 4))

    def _in_workers(self, groups: list[list[View]], progress: Progress | None) -> int:
        messages: queue.Queue[tuple[int, dict[str, Any] | None]] = queue.Queue()
        workers = [_Worker.start(index, self.system.settings, group, messages) for index, group in enumerate(groups)]
        reached = {index: (0, 0) for index in range(len(groups))}
        finished: dict[int, int] = {}
        failures: dict[int, str] = {}
        while len(finished) + len(failures) < len(workers):
            index, message = messages.get()
            if message is None:
                if index not in finished and index not in failures:
                    failures[index] = workers[index].failure()
                continue
            if "failed" in message:
                failures[index] = message["failed"]
                continue
            reached[index] = (message["applied"], message["position"])
            if message["done"]:
                finished[index] = message["applied"]
                self.worker_peak_with_indexes_mb[index] = message["peak_mb"]
            else:
                self.worker_peak_mb[index] = message["peak_mb"]
            if progress is not None:
                progress(*min(reached.values(), key=lambda mark: mark[1]))
        for worker in workers:
            worker.process.wait()
        if failures:
            named = "; ".join(
                f"{', '.join(view.name for view in groups[index])}: {error}" for index, error in sorted(failures.items())
            )
            raise RebuildFailed(f"{named}. Run `dutyloop rebuild` again; any catch-up also continues these views")
        return max(finished.values())


@dataclass
class _Worker:
    """A ``python -m dutyloop.rebuild`` process; a thread passes its JSON lines to the parent."""

    index: int
    process: subprocess.Popen[str]
    error_lines: deque[str] = field(default_factory=lambda: deque(maxlen=20))

    @classmethod
    def start(cls, index: int, settings: Settings, group: list[View], messages: queue.Queue[Any]) -> _Worker:
        process = subprocess.Popen(
            [sys.executable, "-m", "dutyloop.rebuild", settings.to_json(), *(view.name for view in group)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        worker = cls(index, process)
        threading.Thread(target=worker._relay, args=(messages,), daemon=True).start()
        threading.Thread(target=worker._keep_errors, daemon=True).start()
        return worker

    def _relay(self, messages: queue.Queue[Any]) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            messages.put((self.index, json.loads(line)))
        messages.put((self.index, None))

    def _keep_errors(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.error_lines.append(line.rstrip())

    def failure(self) -> str:
        code = self.process.wait()
        last = next((line for line in reversed(self.error_lines) if line.strip()), "")
        return f"the worker process ended with exit code {code}" + (f" ({last})" if last else "")


def split(views: Sequence[View], groups: int) -> list[list[View]]:
    """The views in ``groups`` groups of about equal cost: the costliest view first goes to the
    group with the least so far (longest processing time first)."""
    buckets: list[list[View]] = [[] for _ in range(max(1, min(groups, len(views))))]
    for view in sorted(views, key=lambda v: -v.cost):
        min(buckets, key=lambda bucket: sum(member.cost for member in bucket)).append(view)
    return [bucket for bucket in buckets if bucket]


def _work(settings: Settings, names: list[str]) -> None:
    """One worker: its own connections and runner over its group, a JSON line after each batch.
    It puts its views' indexes back itself, while the other workers may still be replaying."""
    system = open_view_runner(settings, SystemClock(settings.timezone), names)
    try:

        def report(applied: int, position: int, done: bool = False) -> None:
            line = {"applied": applied, "position": position, "done": done, "peak_mb": peak_rss_mb()}
            print(json.dumps(line), flush=True)

        with collected_between_batches(report) as between:
            applied = system.views.catch_up(progress=between)
        system.views.restore_indexes(system.views.views)
        system.views.refresh_statistics(system.views.views)
        report(applied, system.views.head(), done=True)
    finally:
        system.close()


_STATUS = Path("/proc/self/status")


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM) in MB; 0 where /proc is not available."""
    if not _STATUS.exists():
        return 0.0
    for line in _STATUS.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def collected_between_batches(progress: Progress | None) -> Iterator[Progress]:
    """A rebuild allocates millions of short-lived dictionaries while it holds tens of thousands
    of cached rows and a batch of decoded events: the collector's automatic pace walks them again
    and again (a fifth of a rebuild's time at Python's default; at 1M events still two seconds per
    worker when collecting every 50,000 allocations). Almost nothing a rebuild makes is cyclic
    garbage (about a thousand of the database driver's objects per batch), so automatic collection
    is off and the returned progress callback collects every ``COLLECT_EVERY`` batches: memory
    stays flat."""
    was_enabled = gc.isenabled()
    gc.disable()
    batches = 0

    def between(applied: int, position: int) -> None:
        nonlocal batches
        batches += 1
        if batches % COLLECT_EVERY == 0:
            gc.collect()
        if progress is not None:
            progress(applied, position)

    try:
        yield between
    finally:
        if was_enabled:
            gc.enable()


def _main(arguments: list[str]) -> int:
    try:
        _work(Settings.from_json(arguments[0]), arguments[1:])
    except Exception as error:  # noqa: BLE001 - the parent names it with the worker's views
        first_line = next(iter(str(error).strip().splitlines()), "")
        print(json.dumps({"failed": f"{type(error).__name__}: {first_line}", "peak_mb": peak_rss_mb()}), flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))

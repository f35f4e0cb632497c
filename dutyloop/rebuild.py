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

import multiprocessing
import os
import queue
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from domain.clock import SystemClock
from dutyloop.settings import Settings
from dutyloop.wiring import System, open_view_runner
from projections.runner import Progress
from projections.view import View

SMALL_LOG = 20_000
"""Below this many events, starting worker processes (about a second) costs more than they save."""

MemoryProbe = Callable[[], float]


class RebuildFailed(RuntimeError):
    """A worker process stopped before its views reached the end of the log."""


@dataclass
class Rebuild:
    """Replays the chosen views; ``worker_peak_mb`` holds each worker's peak resident memory as
    last reported (the bench reads it to show memory stays flat as the log grows)."""

    system: System
    workers: int | None = None
    worker_peak_mb: dict[int, float] = field(default_factory=dict)

    def run(self, names: Sequence[str] | None = None, progress: Progress | None = None) -> tuple[int, float]:
        """Returns (events read, seconds), like ``ProjectionRunner.rebuild``."""
        runner = self.system.views
        chosen = runner.select(names)
        groups = split(chosen, self.worker_count(len(chosen)))
        if len(groups) == 1:
            return runner.rebuild([view.name for view in chosen], progress)
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
        context = multiprocessing.get_context("spawn")
        messages = context.Queue()
        processes = [
            context.Process(
                target=_work, args=(self.system.settings, [view.name for view in group], index, messages),
                name=f"dutyloop-rebuild-{index}", daemon=True,
            )
            for index, group in enumerate(groups)
        ]
        for process in processes:
            process.start()
        reached = {index: (0, 0) for index in range(len(groups))}
        finished: dict[int, int] = {}
        failures: dict[int, str] = {}
        while len(finished) + len(failures) < len(groups):
            try:
                index, kind, applied, position, peak_mb, error = messages.get(timeout=1.0)
            except queue.Empty:
                for index, process in enumerate(processes):
                    if not process.is_alive() and index not in finished and index not in failures:
                        failures[index] = f"the worker process ended with exit code {process.exitcode}"
                continue
            self.worker_peak_mb[index] = max(self.worker_peak_mb.get(index, 0.0), peak_mb)
            if kind == "failed":
                failures[index] = error
                continue
            reached[index] = (applied, position)
            if kind == "done":
                finished[index] = applied
            if progress is not None:
                slowest = min(reached.values(), key=lambda mark: mark[1])
                progress(*slowest)
        for process in processes:
            process.join(timeout=30)
        if failures:
            named = "; ".join(
                f"{', '.join(view.name for view in groups[index])}: {error}" for index, error in sorted(failures.items())
            )
            raise RebuildFailed(f"rebuild stopped in a worker ({named}); `dutyloop rebuild` again, or any catch-up, continues them")
        return max(finished.values())


def split(views: Sequence[View], groups: int) -> list[list[View]]:
    """The views in ``groups`` groups of about equal cost: the costliest view first goes to the
    group with the least so far (longest processing time first)."""
    buckets: list[tuple[int, list[View]]] = [(0, []) for _ in range(max(1, min(groups, len(views))))]
    for view in sorted(views, key=lambda v: -v.cost):
        total, members = min(buckets, key=lambda bucket: bucket[0])
        buckets[buckets.index((total, members))] = (total + view.cost, [*members, view])
    return [members for _, members in buckets if members]


def _work(settings: Settings, names: list[str], index: int, messages: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """One worker: its own connections and runner over its group, reporting after each batch."""
    try:
        system = open_view_runner(settings, SystemClock(settings.timezone), names)
        try:

            def report(applied: int, position: int) -> None:
                messages.put((index, "progress", applied, position, peak_rss_mb(), ""))

            applied = system.views.catch_up(progress=report)
            messages.put((index, "done", applied, system.views.head(), peak_rss_mb(), ""))
        finally:
            system.close()
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which raises it
        messages.put((index, "failed", 0, 0, peak_rss_mb(), f"{type(error).__name__}: {error}"))


_STATUS = Path("/proc/self/status")


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM) in MB; 0 where /proc is not available."""
    if not _STATUS.exists():
        return 0.0
    for line in _STATUS.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0

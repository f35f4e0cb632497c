"""The scheduler as a service a process runs: ``dutyloop serve-scheduler`` runs it alone, the web
server (``dutyloop serve``) runs it beside the web app.

Every process runs the same service; a heartbeat thread tries the database lock, and only the
process that holds it runs APScheduler — three daily jobs (deadlines 08:30, meetings 08:35,
bulletin 08:40, Asia/Shanghai unless configured) kept in a job store on the same database as the
events, so they survive restarts. Losing the lock stops the jobs; a standby that gets it starts
them.

Downtime: a job's next run time is stored. When the leader starts after days off, each job that
missed its run fires once (coalesce: the missed runs are one run; no grace limit, so however
late it still runs), in the order of the runs missed, one at a time (one worker thread). A run
computes what is due as of today — for each item only its current level — so catching up
records no flood: see ``scheduler.deadlines``.

Deadline and meeting checks pass over days that are not working days (nobody is at work to be
reminded; the next working day's run records where things stand then).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from apscheduler.util import undefined

from domain.application import DutyLoop
from domain.clock import DEFAULT_TIMEZONE, today
from projections.runner import ProjectionRunner
from scheduler import jobs
from scheduler.lock import LeaderLock, leader_lock
from scheduler.ticks import CHECKS, TickReport, run_check
from scheduler.workdays import is_working_day

log = logging.getLogger("dutyloop.scheduler")

JOB_TABLE = "scheduler_jobs"
DAILY_AT: dict[str, tuple[int, int]] = {"deadlines": (8, 30), "meetings": (8, 35), "bulletin": (8, 40)}
WORKING_DAYS_ONLY = ("deadlines", "meetings")
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
"""APScheduler's defaults would drop a run late by more than one second; ours run however late,
once, because every run is idempotent and computes what is due as of its own day."""


@dataclass(frozen=True)
class Run:
    """One job run: which check, when, and what it recorded (``None``: passed over, a day off)."""

    check: str
    at: datetime
    report: TickReport | None


class SchedulerService:
    def __init__(
        self,
        app: DutyLoop,
        views: ProjectionRunner,
        *,
        timezone: str = DEFAULT_TIMEZONE,
        schema: str = "",
        lock: LeaderLock | None = None,
        heartbeat: float = 5.0,
        lease_seconds: float = 30.0,
        every: float | None = None,
        on_run: Callable[[Run], None] | None = None,
        on_leading: Callable[[bool], None] | None = None,
    ) -> None:
        """``schema``: the PostgreSQL schema the system lives in (its lock and jobs are per schema).
        ``every``: run each check every so many seconds instead of daily (demos, tests)."""
        if heartbeat >= lease_seconds:
            raise ValueError(f"the heartbeat ({heartbeat} s) must be shorter than the lease ({lease_seconds} s)")
        self.app = app
        self.views = views
        self.engine = views.engine
        self.timezone = timezone
        self.lock = lock or leader_lock(self.engine, schema, lease_seconds)
        self.heartbeat = heartbeat
        self.every = every
        self.on_run = on_run
        self.on_leading = on_leading
        self.key = f"{self.engine.url.render_as_string(hide_password=True)}#{schema}"
        self.runs: list[Run] = []
        self._scheduler: BackgroundScheduler | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._state = threading.Lock()

    @classmethod
    def for_system(cls, system: Any, **options: Any) -> SchedulerService:
        """From an opened system (``dutyloop.wiring.System``): its app, views and settings."""
        return cls(system.app, system.views, timezone=system.settings.timezone,
                   schema=system.settings.postgres_schema, **options)

    @property
    def leading(self) -> bool:
        return self._scheduler is not None

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Try the lock now, then keep trying (or renewing) it every heartbeat in the background."""
        self._stop.clear()
        self.beat()
        self._thread = threading.Thread(target=self._beat_forever, name="dutyloop-scheduler-heartbeat", daemon=True)
        self._thread.start()

    def shutdown(self) -> None:
        """Stop: let a running job finish, stop the jobs, give the lock up for a standby."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
        self._thread = None
        with self._state:
            self._step_down(wait=True)
            self.lock.release()

    def run_forever(self) -> None:
        """Start, and block until Ctrl-C or SIGTERM; then shut down cleanly."""
        if threading.current_thread() is threading.main_thread():
            # Both set explicitly: a process started in the background may inherit SIGINT ignored.
            for stop_signal in (signal.SIGINT, signal.SIGTERM):
                signal.signal(stop_signal, lambda *_: self._stop.set())
        self.start()
        try:
            while not self._stop.wait(0.5):
                pass
        finally:
            self.shutdown()

    def _beat_forever(self) -> None:
        while not self._stop.wait(self.heartbeat):
            self.beat()

    def beat(self) -> None:
        """Lead while the lock is ours; stand by while it is not."""
        with self._state:
            if self._stop.is_set() and self._thread is not None:
                return
            holds = self.lock.try_acquire()
            if holds and self._scheduler is None:
                self._lead()
            elif not holds and self._scheduler is not None:
                log.warning("scheduler lock lost; standing by")
                self._step_down(wait=False)

    def _lead(self) -> None:
        scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self.engine, tablename=JOB_TABLE)},
            executors={"default": ThreadPoolExecutor(1)},
            job_defaults=JOB_DEFAULTS,
            timezone=self.timezone,
        )
        jobs.register(self)
        scheduler.start(paused=True)
        for check in CHECKS:
            self._ensure_job(scheduler, check)
        scheduler.resume()
        self._scheduler = scheduler
        log.info("scheduler lock taken by %s; jobs running", self.lock.holder)
        if self.on_leading:
            self.on_leading(True)

    def _step_down(self, wait: bool) -> None:
        if self._scheduler is None:
            return
        self._scheduler.shutdown(wait=wait)
        self._scheduler = None
        jobs.unregister(self)
        if self.on_leading:
            self.on_leading(False)

    def trigger(self, check: str) -> BaseTrigger:
        if self.every:
            return IntervalTrigger(seconds=self.every, timezone=self.timezone)
        hour, minute = DAILY_AT[check]
        return CronTrigger(hour=hour, minute=minute, timezone=self.timezone)

    def _ensure_job(self, scheduler: BackgroundScheduler, check: str) -> None:
        """Jobs have fixed ids and replace what is stored (the schedule may have changed), but keep
        a stored next run time that is already due: that is the run missed while we were off."""
        stored = scheduler.get_job(check)
        missed = stored.next_run_time if stored is not None and stored.next_run_time is not None else undefined
        scheduler.add_job(
            jobs.run_job, trigger=self.trigger(check), args=[self.key, check], id=check, name=f"dutyloop {check}",
            replace_existing=True, next_run_time=missed,
        )

    def job_times(self) -> dict[str, datetime | None]:
        """When each job runs next (while leading)."""
        if self._scheduler is None:
            return {}
        return {job.id: job.next_run_time for job in self._scheduler.get_jobs()}

    # -- the work -------------------------------------------------------------------------------

    def run_job(self, check: str) -> None:
        """Called by APScheduler in its one worker thread (which logs a check that fails; the
        next run tries again, as of its own day)."""
        if not self.lock.try_acquire():
            log.warning("%s skipped: this process no longer holds the scheduler lock", check)
            return
        day = today(self.app.clock)
        report: TickReport | None = None
        if check not in WORKING_DAYS_ONLY or is_working_day(self.app.calendar(), day):
            report = TickReport(day)
            run_check(check, self.app, self.views, day, report)
            self.views.catch_up()
        run = Run(check, self.app.clock.now(), report)
        self.runs.append(run)
        if self.on_run:
            self.on_run(run)

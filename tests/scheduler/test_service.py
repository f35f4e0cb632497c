"""The service in-process: jobs stored on the events' database survive a restart, and after
days of downtime each missed job runs once, in order, recording where things stand today."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from scheduler_support import build_org, issue, reminder_rows

from domain.clock import ManualClock
from dutyloop.wiring import System
from scheduler.service import JOB_TABLE, SchedulerService

DEADLINE = date(2025, 5, 20)


def wait_for(condition: Callable[[], bool], seconds: float = 15.0) -> None:
    limit = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < limit, "timed out"
        time.sleep(0.05)


def _store(system: System) -> SQLAlchemyJobStore:
    """The job store itself, read and changed with no scheduler running on it."""
    store = SQLAlchemyJobStore(engine=system.engine, tablename=JOB_TABLE)
    store.start(BackgroundScheduler(), "default")
    return store


def stored_jobs(system: System) -> dict[str, datetime]:
    return {job.id: job.next_run_time for job in _store(system).get_all_jobs()}


def pretend_off_since(system: System, moment: datetime) -> None:
    """As if the leader had stopped just before ``moment``'s runs: each job's stored next run lies
    there, in the past, a few minutes apart in the daily order."""
    store = _store(system)
    for offset, job_id in enumerate(("deadlines", "meetings", "bulletin")):
        job = store.lookup_job(job_id)
        job._modify(next_run_time=moment + timedelta(minutes=5 * offset))
        store.update_job(job)


def test_jobs_survive_a_restart_and_downtime_is_caught_up_once_in_order(system: System, clock: ManualClock) -> None:
    app = system.app
    org = build_org(app)
    clock.set_day(date(2025, 5, 6))
    (task,) = issue(app, clock, org, DEADLINE)

    first = SchedulerService.for_system(system, heartbeat=0.2)
    first.start()
    assert first.leading
    planned = first.job_times()
    first.shutdown()
    assert not first.leading
    assert stored_jobs(system) == planned
    assert set(planned) == {"deadlines", "meetings", "bulletin"}
    for when in planned.values():
        assert when.utcoffset() == timedelta(hours=8) and (when.hour, when.minute) in ((8, 30), (8, 35), (8, 40))

    pretend_off_since(system, datetime.now(UTC) - timedelta(days=4))
    day = app.calendar().add_working_days(DEADLINE, 6)  # the business day the scheduler comes back on
    clock.set_day(day)
    second = SchedulerService.for_system(system, heartbeat=0.2)
    second.start()
    try:
        wait_for(lambda: len(second.runs) >= 3)
        time.sleep(0.5)
        assert [run.check for run in second.runs] == ["deadlines", "meetings", "bulletin"]
        assert all(when > datetime.now(UTC) for when in second.job_times().values())
    finally:
        second.shutdown()
    assert reminder_rows(system, task) == [(day.isoformat(), "seriously_overdue", 0, org.worker.hex, DEADLINE.isoformat())]
    bulletins = second.runs[2].report.recorded["bulletin"]  # type: ignore[union-attr]
    assert len(bulletins) == 1  # May's bulletin, late but once


def test_a_second_service_on_the_same_database_stands_by_until_the_first_stops(system: System, clock: ManualClock) -> None:
    leader = SchedulerService.for_system(system, heartbeat=0.1, lease_seconds=1.0)
    standby = SchedulerService.for_system(system, heartbeat=0.1, lease_seconds=1.0)
    leader.start()
    standby.start()
    try:
        time.sleep(0.5)
        assert leader.leading and not standby.leading
        leader.shutdown()
        wait_for(lambda: standby.leading, 5.0)
    finally:
        standby.shutdown()
        leader.shutdown()

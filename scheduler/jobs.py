"""The functions APScheduler stores and calls.

A persistent job store keeps each job as a reference to an importable function and picklable
arguments, so a stored job cannot hold the running application. It names its service by a key
(the database it works on) instead, and the service that is leading in this process registers
itself under that key.
"""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger("dutyloop.scheduler")


class JobRunner(Protocol):
    """The leading scheduler service as a stored job sees it (scheduler/service.py)."""

    key: str

    def run_job(self, check: str) -> None: ...


_services: dict[str, JobRunner] = {}


def register(service: JobRunner) -> None:
    _services[service.key] = service


def unregister(service: JobRunner) -> None:
    if _services.get(service.key) is service:
        del _services[service.key]


def run_job(service_key: str, check: str) -> None:
    service = _services.get(service_key)
    if service is None:
        log.warning("job %s for %s ran with no scheduler service registered; skipped", check, service_key)
        return
    service.run_job(check)

"""The web application as each of uvicorn's worker processes opens it (``serve --workers N``):
its own system over the same database, named by the environment the ``serve`` command set, so
that several processes answer pages while one keeps the notifier and the scheduler."""

from __future__ import annotations

import os

from fastapi import FastAPI

from domain.clock import SystemClock
from dutyloop.settings import Settings
from dutyloop.web.app import WebOptions, create_app
from dutyloop.wiring import open_system

SECURE_COOKIES = "DUTYLOOP_SECURE_COOKIES"
"""``1``: the session cookie over HTTPS only (``serve --secure-cookies``)."""


def app_from_env() -> FastAPI:
    settings = Settings.from_env()
    system = open_system(settings, SystemClock(settings.timezone))
    system.catch_up()
    app = create_app(system, WebOptions(secure_cookies=os.environ.get(SECURE_COOKIES) == "1"))
    app.router.on_shutdown.append(system.close)
    return app

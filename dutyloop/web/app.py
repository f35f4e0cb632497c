"""The application factory: one FastAPI app over a running ``System``.

Route modules under ``dutyloop/web/routes/`` are found and included here, so a new area of the
site is a new module there (see docs/web.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import Depends, FastAPI
from starlette.middleware.sessions import SessionMiddleware
from starlette.staticfiles import StaticFiles

from dutyloop.reports.printing import printer_for
from dutyloop.web import errors, refusals, routes
from dutyloop.web.background_forms import BackgroundForms
from dutyloop.web.accounts import Accounts
from dutyloop.web.csrf import check_csrf
from dutyloop.web.limits import MIB, BodyLimit, SecurityHeaders
from dutyloop.web.pages import HERE
from dutyloop.web.session_key import session_key
from dutyloop.web.sessions import SESSION_HOURS, Sessions
from dutyloop.wiring import System
from notifications.tables import ensure_tables as ensure_notification_tables


@dataclass(frozen=True)
class WebOptions:
    max_upload_bytes: int = 10 * MIB
    """The largest evidence file accepted; a whole request may carry a few of them."""
    secure_cookies: bool = False
    """Send the session cookie over HTTPS only (set when served behind TLS)."""

    @property
    def max_body_bytes(self) -> int:
        return 3 * self.max_upload_bytes + MIB

    def upload_dir(self, system: System) -> Path:
        return system.settings.data_dir / "evidence"


def create_app(system: System, options: WebOptions | None = None) -> FastAPI:
    options = options or WebOptions()
    accounts = Accounts(system.engine)
    accounts.create_tables()
    ensure_notification_tables(system.engine)
    app = FastAPI(
        title="DutyLoop 党建责任闭环",
        dependencies=[Depends(check_csrf)],
        docs_url=None,
        redoc_url=None,
    )
    app.state.system = system
    app.state.accounts = accounts
    app.state.sessions = Sessions(system.engine)
    app.state.printer = printer_for(system.settings)
    app.state.options = options
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_key(system.settings),
        session_cookie="dutyloop_session",
        max_age=SESSION_HOURS * 3600,
        same_site="lax",
        https_only=options.secure_cookies,
    )
    app.add_middleware(BodyLimit, limit=options.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BackgroundForms)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    errors.install(app)
    refusals.install(app)
    for router in routes.routers():
        app.include_router(router)
    return app

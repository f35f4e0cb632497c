"""``dutyloop serve`` (the web application) and ``dutyloop account`` (who may log in to it)."""

from __future__ import annotations

import os
import sys
from uuid import UUID

import click

from dutyloop.cli.base import CliState, admin_actor, command, done, emit, main
from dutyloop.demo import DEMO_PASSWORD
from dutyloop.web.accounts import Accounts
from projections import directory_queries, lookup


@main.group("account")
def account_group() -> None:
    """网页登录账号 (web accounts): 设置密码、列出、删除."""


def _person(state: CliState, staff_no: str) -> tuple[str, str]:
    system = state.open()
    system.catch_up()
    with system.engine.connect() as conn:
        person_id = lookup.resolve_person(conn, staff_no)
    person = system.app.person(UUID(person_id))
    return person_id, person.staff_no


@command(account_group, "set-password")
@click.argument("staff_no")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (for scripts).")
def set_password(state: CliState, staff_no: str, password_stdin: bool) -> None:
    """Create a person's account or change its password (their other sessions end)."""
    person_id, staff = _person(state, staff_no)
    admin_actor(state, state.open(), person_id)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt(state.zh("新密码", "New password"), hide_input=True, confirmation_prompt=True)
    accounts = Accounts(state.open().engine)
    accounts.create_tables()
    accounts.set_password(person_id, staff, password)
    done(state, "已设置 {staff_no} 的登录密码", "Password set for {staff_no}", staff_no=staff)


@command(account_group, "remove")
@click.argument("staff_no")
def remove(state: CliState, staff_no: str) -> None:
    """Remove a person's account: they can no longer log in (their record stays)."""
    person_id, staff = _person(state, staff_no)
    admin_actor(state, state.open())
    accounts = Accounts(state.open().engine)
    accounts.create_tables()
    if accounts.remove(person_id):
        done(state, "已删除 {staff_no} 的账号", "Account of {staff_no} removed", staff_no=staff)
    else:
        done(state, "{staff_no} 没有账号", "{staff_no} has no account", staff_no=staff)


@command(account_group, "list")
def listing(state: CliState) -> None:
    """Web accounts: who can log in, and when their password last changed."""
    system = state.open()
    admin_actor(state, system)
    accounts = Accounts(system.engine)
    accounts.create_tables()
    emit(state, accounts.listing(), [("staff_no", "工号", "Staff no"), ("revision", "密码修改次数", "Changes"), ("updated_at", "修改时间", "Changed at")])


@command(account_group, "demo")
@click.option("--password", default=DEMO_PASSWORD, show_default=True)
def demo_accounts(state: CliState, password: str) -> None:
    """Give every person without an account the demo password (for the demo data only)."""
    count = _give_demo(state, password)
    done(state, "已为 {count} 人开通演示账号，密码：{password}", "{count} demo accounts, password: {password}", count=count, password=password)


def _for_workers(state: CliState, secure_cookies: bool) -> None:
    """The worker processes open the database this command was pointed at (``--data-dir``,
    ``--database-url``), from the environment they inherit."""
    from dutyloop.web.serving import SECURE_COOKIES

    settings = state.settings
    os.environ["DUTYLOOP_DATA_DIR"] = str(settings.data_dir)
    os.environ["DUTYLOOP_DATABASE_URL"] = settings.database_url or ""
    os.environ["DUTYLOOP_POSTGRES_SCHEMA"] = settings.postgres_schema
    os.environ[SECURE_COOKIES] = "1" if secure_cookies else ""


def _give_demo(state: CliState, password: str) -> int:
    system = state.open()
    admin_actor(state, system)
    accounts = Accounts(system.engine)
    accounts.create_tables()
    with system.engine.connect() as conn:
        everyone = [(p["person_id"], p["staff_no"]) for p in directory_queries.people_list(conn)]
    return accounts.give_missing(everyone, password)


@command(main, "serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--demo-accounts", is_flag=True, help=f"First give every person without an account the password {DEMO_PASSWORD!r} (demo data only).")
@click.option("--secure-cookies", is_flag=True, help="Send the session cookie over HTTPS only (behind TLS).")
@click.option("--notify/--no-notify", default=True, show_default=True,
              help="Run the notifier in a thread (fills the inboxes, sends email and robot messages).")
@click.option("--scheduler/--no-scheduler", "schedule", default=True, show_default=True,
              help="Run the scheduler (reminders, meeting cadence, monthly bulletin); of several processes only one acts.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Web worker processes, each with its own connections to the same database; the notifier and the scheduler run once, in this process.")
def serve(
    state: CliState, host: str, port: int, demo_accounts: bool, secure_cookies: bool, notify: bool, schedule: bool, workers: int
) -> None:
    """Start the web application (embedded SQLite by default; PostgreSQL with --database-url)."""
    import threading

    import uvicorn

    from dutyloop.cli.notify import notifier_for
    from dutyloop.web.app import WebOptions, create_app
    from notifications.service import NotifierService
    from scheduler.service import SchedulerService

    system = state.open()
    system.catch_up()
    if demo_accounts:
        count = _give_demo(state, DEMO_PASSWORD)
        click.echo(state.zh(f"演示账号：{count} 个新开通，密码 {DEMO_PASSWORD}（仅用于演示数据）",
                            f"Demo accounts: {count} new, password {DEMO_PASSWORD} (demo data only)"))
    app = create_app(system, WebOptions(secure_cookies=secure_cookies))
    service = NotifierService(notifier_for(system)) if notify else None
    if service is not None:
        threading.Thread(target=service.run_forever, name="notifier", daemon=True).start()
    scheduler = SchedulerService.for_system(system) if schedule else None
    if scheduler is not None:
        scheduler.start()
    click.echo(state.zh(f"DutyLoop 网页：http://{host}:{port}/", f"DutyLoop web: http://{host}:{port}/"))
    try:
        if workers == 1:
            uvicorn.run(app, host=host, port=port, log_level="info")
        else:
            _for_workers(state, secure_cookies)
            uvicorn.run("dutyloop.web.serving:app_from_env", factory=True, host=host, port=port, workers=workers, log_level="info")
    finally:
        if scheduler is not None:
            scheduler.shutdown()
        if service is not None:
            service.stop()

"""What every command shares: opening the system, who acts, output as tables or JSON, and
turning domain errors into a clear message and a non-zero exit code."""

from __future__ import annotations

import functools
import getpass
import json
import os
import socket
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

import click

from domain.clock import Clock, SystemClock
from domain.errors import DomainError, NotPermitted
from domain.ranges import YEAR
from dutyloop.cli.index import IndexedGroup
from dutyloop.cli.language import LocalizedGroup, english
from dutyloop.evidence_files import EvidenceRefused
from dutyloop.settings import Settings
from projections.ids import spelled

if TYPE_CHECKING:
    from dutyloop.wiring import System

F = TypeVar("F", bound=Callable[..., Any])
YEARS = click.IntRange(YEAR.low, YEAR.high)
"""A year option or argument: the range every command takes (``domain.ranges``)."""


@dataclass
class CliState:
    settings: Settings
    as_json: bool
    clock: Clock
    system: System | None = None

    def open(self) -> System:
        if self.system is None:
            from dutyloop.wiring import open_system

            self.system = open_system(self.settings, self.clock)
            self.system.app.origin = cli_origin()
        return self.system

    @property
    def locale(self) -> str:
        return self.settings.locale

    def zh(self, zh: str, en: str) -> str:
        return en if english(self.locale) else zh


class CommandLine(LocalizedGroup, IndexedGroup):
    """``dutyloop``: in the user's language, importing only the command it runs."""


@click.group(cls=CommandLine, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), help="SQLite data directory (env DUTYLOOP_DATA_DIR).")
@click.option("--database-url", help="PostgreSQL URL, e.g. postgresql://user@127.0.0.1:5432/dutyloop (env DUTYLOOP_DATABASE_URL).")
@click.option("--as", "user", help="Who acts: staff number, name or person id (env DUTYLOOP_USER).")
@click.option("--locale", type=click.Choice(["zh-CN", "en"]), help="Language of messages (env DUTYLOOP_LOCALE; default zh-CN).")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.pass_context
def main(
    ctx: click.Context, data_dir: Path | None, database_url: str | None, user: str | None, locale: str | None, as_json: bool
) -> None:
    """党建责任闭环 DutyLoop — 明责 · 履责 · 述责 · 考责."""
    injected = ctx.obj
    settings = Settings.from_env()
    if data_dir:
        settings = replace(settings, data_dir=data_dir)
    if database_url:
        settings = replace(settings, database_url=database_url)
    if user:
        settings = replace(settings, user=user)
    if locale:
        settings = replace(settings, locale=locale)
    # A program that embeds the CLI (the tests) passes its own clock as click's context object,
    # so that every business date of the commands it runs comes from that clock.
    clock = injected if isinstance(injected, Clock) else SystemClock(settings.timezone)
    ctx.obj = CliState(settings=settings, as_json=as_json, clock=clock)
    ctx.call_on_close(lambda: ctx.obj.system.close() if ctx.obj.system else None)


pass_state = click.make_pass_decorator(CliState)


BUSY_EXIT = 75
"""EX_TEMPFAIL of sysexits.h: a temporary failure, the same command may be run again."""


def handle_errors(func: F) -> F:
    """Domain refusals become one clear line on stderr and exit code 2; a database too busy to
    give its write lock in time, a "try again" line and exit code 75. Nothing was recorded."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        state = click.get_current_context().find_object(CliState)
        try:
            return func(*args, **kwargs)
        except DomainError as error:
            click.echo(f"{state.zh('错误', 'Error') if state else 'Error'}: {error.message(state.locale if state else 'zh-CN')}", err=True)
            sys.exit(2)
        except EvidenceRefused as error:
            click.echo(f"{state.zh('错误', 'Error') if state else 'Error'}: {error.message(state.locale if state else 'zh-CN')}", err=True)
            sys.exit(2)
        except ValueError as error:
            click.echo(f"{state.zh('错误', 'Error') if state else 'Error'}: {error}", err=True)
            sys.exit(2)
        except Exception as error:
            # Imported here, not for every start: SQLAlchemy is loaded by then if a database was opened.
            from projections.transactions import is_busy

            if not is_busy(error):
                raise
            click.echo(state.zh(
                "数据库正忙（等待写入超时），本次命令未记录，请稍后重试。",
                "The database is busy (timed out waiting to write); nothing was recorded, run the command again shortly.",
            ) if state else "The database is busy; run the command again shortly.", err=True)
            sys.exit(BUSY_EXIT)

    return run  # type: ignore[return-value]


def command(group: click.Group, name: str, **kwargs: Any) -> Callable[[F], F]:
    """A subcommand with the shared error handling and state."""

    def wrap(func: F) -> F:
        return group.command(name, **kwargs)(pass_state(handle_errors(func)))  # type: ignore[return-value]

    return wrap


def actor(state: CliState, system: System) -> UUID | str:
    """The acting person from --as / DUTYLOOP_USER, resolved in the directory."""
    from projections.lookup import resolve_person

    if not state.settings.user:
        raise click.UsageError(state.zh("请用 --as 工号 或环境变量 DUTYLOOP_USER 指明操作人", "Say who acts with --as STAFF_NO or DUTYLOOP_USER"))
    if state.settings.user.strip().lower().startswith("system:"):
        raise click.UsageError(state.zh(
            "--as 不能是系统身份（system:…）：定时任务和初始化以系统身份操作，命令行以人员身份操作",
            "--as cannot be a system principal (system:…): the scheduler and set-up act as those, the command line as a person",
        ))
    system.catch_up()
    with system.engine.connect() as conn:
        return UUID(resolve_person(conn, state.settings.user))


def admin_actor(state: CliState, system: System, person_id: str | None = None) -> UUID:
    """The --as person, who must be an administrator — or, for a command about ``person_id``
    (their own password, their own tokens), that person. The first administrator is the one
    ``dutyloop init`` makes, with no --as: it refuses once anyone is registered."""
    who = actor(state, system)
    assert isinstance(who, UUID)
    authority = system.app.authority(who)
    if not (authority.is_admin or (person_id is not None and authority.is_person(UUID(person_id)))):
        raise NotPermitted(authority.describe(), "administer", "reason_admin_only" if person_id is None else "reason_self_or_admin_account")
    return who


def cli_origin() -> str:
    """``cli:<OS user>@<host>``: who ran the command line, recorded beside the person it claims
    to act as (``--as``), since whoever can open the database can claim anyone."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = f"uid {os.getuid()}"
    return f"cli:{user}@{socket.gethostname()}"


def act_on(state: CliState, what: str, ref: str, call: Callable[[Any, UUID | str, UUID], None], zh: str, en: str) -> None:
    """Run one command on a task, rectification, … named by its id or id prefix, as the --as person."""
    from projections.lookup import resolve_entity

    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        entity_id = UUID(resolve_entity(conn, what, ref))
    call(system.app, who, entity_id)
    system.catch_up()
    done(state, zh, en)


def to_jsonable(value: Any) -> Any:
    """Ids dashed, as the JSON API spells them (``projections.ids``)."""
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: to_jsonable(spelled(str(k), v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value


def emit(state: CliState, rows: Sequence[dict[str, Any]] | dict[str, Any], columns: Sequence[tuple[str, str, str]] = (), title: str = "") -> None:
    """Print rows as a table (columns: key, zh header, en header) or as JSON with --json."""
    if state.as_json:
        click.echo(json.dumps(to_jsonable(rows), ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console() if sys.stdout.isatty() else Console(width=200)
    if isinstance(rows, dict):
        table = Table(title=title or None, show_header=False)
        for key, value in rows.items():
            table.add_row(str(key), _cell(value))
        console.print(table)
        return
    table = Table(title=title or None)
    for _, zh, en in columns:
        table.add_column(state.zh(zh, en))
    for row in rows:
        table.add_row(*(_cell(row.get(key)) for key, _, _ in columns))
    console.print(table)
    if not rows:
        console.print(state.zh("（无）", "(none)"))


def done(state: CliState, message_zh: str, message_en: str, **data: Any) -> None:
    """Confirm a command: a sentence for people, the ids for scripts."""
    if state.as_json:
        click.echo(json.dumps(to_jsonable({"ok": True, **data}), ensure_ascii=False))
    else:
        click.echo(state.zh(message_zh, message_en).format(**{k: to_jsonable(v) for k, v in data.items()}))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)


@contextmanager
def opened(state: CliState) -> Iterator[System]:
    system = state.open()
    yield system


def parse_date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError("invalid_value", field=field, value=value, allowed=["YYYY-MM-DD"]) from None


def _back_entry(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    return parse_date(value, "on") if value else None


back_entry_option = click.option(
    "--on", "on", callback=_back_entry,
    help="补录: the business day it happened (YYYY-MM-DD), for paper records entered later; default today. "
         "Not before the item began, not in the future, at most the thresholds' back-entry days unless an administrator.",
)
"""``--on D`` for the commands that record a step of a task or a rectification."""

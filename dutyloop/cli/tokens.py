"""``dutyloop account token``: personal API tokens for programs that call the JSON API as a person.

A token is printed once, when made, and kept only as a hash; it acts with exactly the person's
roles, and stops working when revoked or when the person's account is removed.
"""

from __future__ import annotations

from uuid import UUID

import click

from dutyloop.cli.base import CliState, admin_actor, command, done, emit
from dutyloop.cli.web import account_group
from dutyloop.web.accounts import Accounts
from dutyloop.web.tokens import Purpose, Tokens
from projections import lookup


@account_group.group("token")
def token_group() -> None:
    """API 令牌 (personal API tokens): create, list, revoke."""


def _person(state: CliState, staff_no: str) -> tuple[str, str]:
    """The person's id and exact staff number, from a staff number, name or id."""
    system = state.open()
    system.catch_up()
    with system.engine.connect() as conn:
        person_id = lookup.resolve_person(conn, staff_no)
    return person_id, system.app.person(UUID(person_id)).staff_no


def _tokens(state: CliState) -> Tokens:
    store = Tokens(state.open().engine)
    store.create_tables()
    return store


@command(token_group, "create")
@click.argument("staff_no")
@click.option("--label", default="", help="What the token is for, e.g. the program that uses it.")
def create(state: CliState, staff_no: str, label: str) -> None:
    """Make an API token that acts as STAFF_NO (who needs a web account); it is shown only now."""
    person_id, staff = _person(state, staff_no)
    admin_actor(state, state.open(), person_id)
    accounts = Accounts(state.open().engine)
    accounts.create_tables()
    if accounts.current(person_id) is None:
        raise click.UsageError(state.zh(
            f"{staff} 没有网页账号，令牌无法使用；请先设置密码：dutyloop account set-password {staff}",
            f"{staff} has no web account, so a token would not work; first: dutyloop account set-password {staff}",
        ))
    issued = _tokens(state).issue(person_id, Purpose.API, label, f"cli:{state.settings.user or 'operator'}")
    done(state, "已为 {staff_no} 创建 API 令牌 {token_id}（只显示这一次，请妥善保存）：\n{token}",
         "API token {token_id} made for {staff_no} (shown only this once; keep it safe):\n{token}",
         staff_no=staff, token_id=issued.token_id, token=issued.secret)


@command(token_group, "list")
@click.argument("staff_no", required=False)
@click.option("--all", "include_revoked", is_flag=True, help="Include revoked tokens.")
def listing(state: CliState, staff_no: str | None, include_revoked: bool) -> None:
    """API tokens and calendar feeds (of STAFF_NO, or everyone's); never the secrets."""
    person_id = _person(state, staff_no)[0] if staff_no else None
    admin_actor(state, state.open(), person_id)
    rows = _tokens(state).listing(person_id, include_revoked=include_revoked)
    emit(state, rows, [("token_id", "编号", "Id"), ("purpose", "用途", "Purpose"), ("person_id", "人员", "Person"),
                       ("label", "说明", "Label"), ("created_at", "创建时间", "Created"), ("last_used_at", "最近使用", "Last used"),
                       ("revoked_at", "撤销时间", "Revoked")])


@command(token_group, "revoke")
@click.argument("staff_no")
@click.argument("token_id")
def revoke(state: CliState, staff_no: str, token_id: str) -> None:
    """Revoke one of STAFF_NO's tokens (API or calendar feed) by its id; refused from now on."""
    person_id, staff = _person(state, staff_no)
    admin_actor(state, state.open(), person_id)
    _tokens(state).revoke(token_id, person_id)
    done(state, "已撤销 {staff_no} 的令牌 {token_id}", "Token {token_id} of {staff_no} revoked", staff_no=staff, token_id=token_id)

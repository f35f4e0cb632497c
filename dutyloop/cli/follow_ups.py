"""``dutyloop task urge/comment/reassign``, ``dutyloop rectify urge/comment`` and ``dutyloop task
bulk``: 催办, comments with @mentions, 转办, and one action on many tasks — the same commands as
the web's forms, one per task, each refusal printed beside its task."""

from __future__ import annotations

from uuid import UUID

import click

from domain.commands.follow_ups import BULK_ACTIONS
from dutyloop.cli.base import CliState, act_on, actor, command, emit
from dutyloop.cli.inspections import rectify_group
from dutyloop.cli.tasks import task_group
from dutyloop.mentions import mentioned_people
from projections import lookup


@command(task_group, "urge")
@click.argument("task")
@click.argument("note")
def task_urge(state: CliState, task: str, note: str) -> None:
    """催办: press the owner of an unfinished task (they are told at once)."""
    act_on(state, "task", task, lambda app, who, tid: app.urge_task(who, tid, note), "已催办", "Urged")


@command(task_group, "comment")
@click.argument("task")
@click.argument("text")
def task_comment(state: CliState, task: str, text: str) -> None:
    """留言 on a task; @staff-number or @name tells that person."""
    mentions = _mentions(state, text)
    act_on(state, "task", task, lambda app, who, tid: app.comment_on_task(who, tid, text, mentions), "已留言", "Comment added")


@command(task_group, "reassign")
@click.argument("task")
@click.option("--to", "owner", required=True, help="The new owner: staff number or name.")
@click.option("--org", help="The new organisation (default: the new owner's own).")
@click.option("--reason", required=True)
def task_reassign(state: CliState, task: str, owner: str, org: str | None, reason: str) -> None:
    """转办: hand the task to another owner (and organisation) with a reason."""
    with state.open().engine.connect() as conn:
        owner_id = UUID(lookup.resolve_person(conn, owner))
        org_id = UUID(lookup.resolve_org(conn, org)) if org else None
    act_on(state, "task", task, lambda app, who, tid: app.reassign_task(who, tid, owner_id, reason, org_id), "已转办", "Reassigned")


@command(rectify_group, "urge")
@click.argument("rectification")
@click.argument("note")
def rectify_urge(state: CliState, rectification: str, note: str) -> None:
    """催办 an unfinished rectification."""
    act_on(state, "rectification", rectification, lambda app, who, rid: app.urge_rectification(who, rid, note), "已催办", "Urged")


@command(rectify_group, "comment")
@click.argument("rectification")
@click.argument("text")
def rectify_comment(state: CliState, rectification: str, text: str) -> None:
    """留言 on a rectification; @staff-number or @name tells that person."""
    mentions = _mentions(state, text)
    act_on(state, "rectification", rectification, lambda app, who, rid: app.comment_on_rectification(who, rid, text, mentions),
           "已留言", "Comment added")


@command(task_group, "bulk")
@click.argument("action", type=click.Choice(BULK_ACTIONS))
@click.argument("tasks", nargs=-1, required=True)
@click.option("--reason", default="", help="The return's reason, the urge's note or the acceptance's comment.")
def task_bulk(state: CliState, action: str, tasks: tuple[str, ...], reason: str) -> None:
    """One action on many tasks (accept, return, urge), one command each; a refusal stops no other."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        ids = [UUID(lookup.resolve_entity(conn, "task", ref)) for ref in tasks]
    outcomes = system.app.act_on_each(who, action, ids, reason)
    system.catch_up()
    emit(state, [
        {"task": o.task_id.hex[:8], "result": state.zh("完成", "done") if o.refusal is None else o.refusal.message(state.locale)}
        for o in outcomes
    ], [("task", "任务", "Task"), ("result", "结果", "Result")])


def _mentions(state: CliState, text: str) -> list[UUID]:
    with state.open().engine.connect() as conn:
        return mentioned_people(conn, text)

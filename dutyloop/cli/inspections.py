"""指导检查, 约谈 and 整改 commands: findings, interviews, and every step of a rectification."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import UUID

import click

from domain.vocabulary import InspectionKind, parse
from dutyloop.cli.base import (
    CliState,
    act_on,
    actor,
    back_entry_option,
    command,
    done,
    main,
    parse_date,
)
from dutyloop.cli.evidence import evidence_kept
from dutyloop.cli.parsing import parse_deadline
from projections import lookup


@command(main, "inspect")
@click.option("--kind", required=True, help="centralised / random / self_check, or 集中检查 / 随机检查 / 专项自查.")
@click.option("--org", required=True, help="The branch inspected.")
@click.option("--subject", required=True, help="What was checked, e.g. 组织生活.")
@click.option("--finding", "found", multiple=True, help="A finding (问题) raised (repeat).")
@click.option("--on", "conducted_on", help="Date of the inspection (default today).")
def inspect(state: CliState, kind: str, org: str, subject: str, found: tuple[str, ...], conducted_on: str | None) -> None:
    """Record an inspection of a branch and the findings it raised."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        org_id = UUID(lookup.resolve_org(conn, org))
    on = parse_date(conducted_on, "on") if conducted_on else None
    inspection_id, finding_ids = system.app.conduct_inspection(who, parse(InspectionKind, kind, "kind"), org_id, subject, list(found), on)
    system.catch_up()
    done(state, "已记录检查，发现问题 {count} 个", "Inspection recorded with {count} findings",
         count=len(finding_ids), id=inspection_id, findings=finding_ids)


@command(main, "prompt")
@click.option("--org", required=True)
@click.option("--title", required=True)
@click.option("--content", default="")
def prompt(state: CliState, org: str, title: str, content: str) -> None:
    """工作提示: send a work prompt to a branch."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        org_id = UUID(lookup.resolve_org(conn, org))
    prompt_id = system.app.send_work_prompt(who, org_id, title, content)
    system.catch_up()
    done(state, "已发送工作提示", "Work prompt sent", id=prompt_id)


@main.group("interview")
def interview_group() -> None:
    """约谈 (interviews)."""


@command(interview_group, "schedule")
@click.option("--interviewer", required=True)
@click.option("--interviewee", required=True)
@click.option("--reason", required=True)
@click.option("--date", "planned_on", required=True)
@click.option("--task", "task_refs", multiple=True, help="An overdue task that caused it (repeat).")
@click.option("--finding", "finding_refs", multiple=True, help="A finding that caused it (repeat).")
def interview_schedule(
    state: CliState, interviewer: str, interviewee: str, reason: str, planned_on: str,
    task_refs: tuple[str, ...], finding_refs: tuple[str, ...],
) -> None:
    """Schedule an interview (约谈) about overdue tasks or findings."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        interviewer_id = UUID(lookup.resolve_person(conn, interviewer))
        interviewee_id = UUID(lookup.resolve_person(conn, interviewee))
        task_ids = [UUID(lookup.resolve_entity(conn, "task", t)) for t in task_refs]
        finding_ids = [UUID(lookup.resolve_entity(conn, "finding", f)) for f in finding_refs]
    interview_id = system.app.schedule_interview(
        who, interviewer_id, interviewee_id, reason, parse_date(planned_on, "date"), task_ids, finding_ids
    )
    system.catch_up()
    done(state, "已安排约谈 {id}", "Interview scheduled {id}", id=interview_id)


@command(interview_group, "hold")
@click.argument("interview")
@click.option("--held-on", required=True)
@click.option("--minutes", required=True)
@click.option("--commitment", "commitments", multiple=True)
@click.option("--deadline", required=True, help="限期整改: YYYY-MM-DD or 10wd.")
@click.option("--requirement", required=True, help="What must be rectified.")
def interview_hold(
    state: CliState, interview: str, held_on: str, minutes: str, commitments: tuple[str, ...], deadline: str, requirement: str
) -> None:
    """Record the interview; its rectification opens with the deadline."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        interview_id = UUID(lookup.resolve_entity(conn, "interview", interview))
    rect_id = system.app.hold_interview(
        who, interview_id, parse_date(held_on, "held-on"), minutes, list(commitments), parse_deadline(deadline), requirement
    )
    system.catch_up()
    done(state, "已记录约谈，整改 {id} 已启动", "Interview recorded; rectification {id} opened", id=rect_id)


@main.group("rectify")
def rectify_group() -> None:
    """整改 (rectifications): open, plan, progress, complete, verify, return, close (销号)."""


def _rect(state: CliState, ref: str, call, zh: str, en: str) -> None:  # type: ignore[no-untyped-def]
    act_on(state, "rectification", ref, call, zh, en)


@command(rectify_group, "open")
@click.argument("finding")
@click.option("--owner", required=True, help="Who must rectify.")
@click.option("--requirement", required=True)
@click.option("--deadline", required=True, help="YYYY-MM-DD or 10wd.")
def rectify_open(state: CliState, finding: str, owner: str, requirement: str, deadline: str) -> None:
    """Open the rectification of a finding, with its owner and deadline."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        finding_id = UUID(lookup.resolve_entity(conn, "finding", finding))
        owner_id = UUID(lookup.resolve_person(conn, owner))
    rect_id = system.app.open_rectification(who, finding_id, owner_id, requirement, parse_deadline(deadline))
    system.catch_up()
    done(state, "已启动整改 {id}", "Rectification {id} opened", id=rect_id)


@command(rectify_group, "plan")
@back_entry_option
@click.argument("rectification")
@click.argument("plan")
def rectify_plan(
    state: CliState, rectification: str, plan: str, on: date | None
) -> None:
    """整改方案: submit the rectification plan."""
    _rect(state, rectification, lambda app, who, rid: app.submit_rectification_plan(who, rid, plan, on=on), "已提交整改方案", "Plan submitted")


@command(rectify_group, "progress")
@back_entry_option
@click.argument("rectification")
@click.argument("note")
def rectify_progress(
    state: CliState, rectification: str, note: str, on: date | None
) -> None:
    """Note the progress of a rectification."""
    _rect(state, rectification, lambda app, who, rid: app.note_rectification_progress(who, rid, note, on=on), "已记录整改进展", "Progress noted")


@command(rectify_group, "complete")
@back_entry_option
@click.argument("rectification")
@click.option("--text", "texts", multiple=True)
@click.option("--link", "links", multiple=True)
@click.option("--file", "files", multiple=True, type=click.Path(path_type=Path))
@click.option("--note", default="")
def rectify_complete(
    state: CliState, rectification: str, texts: tuple[str, ...], links: tuple[str, ...], files: tuple[Path, ...], note: str, on: date | None
) -> None:
    """Report a rectification complete, with evidence."""
    with evidence_kept(state, texts, links, files) as evidence:
        _rect(state, rectification, lambda app, who, rid: app.report_rectification_completion(who, rid, evidence, note, on=on),
              "已报送整改完成", "Completion reported")


@command(rectify_group, "verify")
@back_entry_option
@click.argument("rectification")
@click.option("--opinion", default="")
def rectify_verify(
    state: CliState, rectification: str, opinion: str, on: date | None
) -> None:
    """验收: the one who raised it (or someone with that authority) checks the work."""
    _rect(state, rectification, lambda app, who, rid: app.verify_rectification(who, rid, opinion, on=on), "已验收", "Verified")


@command(rectify_group, "return")
@back_entry_option
@click.argument("rectification")
@click.option("--reason", required=True)
def rectify_return(
    state: CliState, rectification: str, reason: str, on: date | None
) -> None:
    """退回: send a rectification reported complete back to be reworked, with the reason."""
    _rect(state, rectification, lambda app, who, rid: app.return_rectification(who, rid, reason, on=on), "已退回整改", "Returned")


@command(rectify_group, "close")
@back_entry_option
@click.argument("rectification")
def rectify_close(
    state: CliState, rectification: str, on: date | None
) -> None:
    """销号: close a verified rectification."""
    _rect(state, rectification, lambda app, who, rid: app.close_rectification(who, rid, on=on), "已销号", "Closed")

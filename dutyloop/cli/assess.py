"""述责 · 考责 commands: 述职评议, scoring rules, awards and adjustments, monthly points, the
quarter's ranking, the annual 631, what-if replays and the monthly bulletin.

Every query answers ``--as-of`` a past moment like the other queries do.
"""

from __future__ import annotations

import json
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import click

from domain.errors import DomainError, term
from domain.review import GRADE_LABELS, review_id
from domain.scoring import (
    BASIS_LABELS,
    DEFAULT_RULES,
    DIMENSION_LABELS,
    RULE_LABELS,
    parse_rules,
    rules_from_records,
    words,
)
from dutyloop.audit.signing import sign_head
from dutyloop.cli.base import CliState, actor, command, done, main
from dutyloop.cli.base import emit as emit_plain
from dutyloop.cli.queries import as_of_option, reading
from dutyloop.reports.rendering import signed
from projections import assessment_queries as aq
from projections import queries

# -- helpers ---------------------------------------------------------------------------------------


def _exact(value: Any) -> Any:
    """Scores and points are exact decimals; in JSON they are written as decimal text ("-0.5")."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _exact(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_exact(v) for v in value]
    return value


def emit(state: CliState, rows: Any, columns: Any = (), title: str = "") -> None:
    emit_plain(state, _exact(rows), columns, title)


def _org(state: CliState, text: str) -> UUID:
    system = state.open()
    system.catch_up()
    with system.engine.connect() as conn:
        return UUID(queries.resolve_org(conn, text))


def _rule_name(state: CliState, code: str) -> str:
    return words(RULE_LABELS, code, state.locale)


def _points_text(state: CliState, rows: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    """Points as people read them (+2, −0.5) in tables; JSON keeps the exact decimal text."""
    if state.as_json:
        return rows
    for row in rows:
        for key in keys:
            if isinstance(row.get(key), Decimal):
                row[key] = signed(row[key])
    return rows


def _reasons(state: CliState, items: list[dict[str, Any]]) -> str:
    return "；".join(f"{_rule_name(state, i['rule'])} {signed(i['points'])}" for i in items) or "—"


def read_rules_file(path: Path) -> tuple[list[dict[str, Any]], str]:
    """A rule set as TOML (``[rules.task_on_time] points = 1 …``, as ``rules show --toml`` prints)
    or JSON (a list of ``{"code", "points", "dimension", "basis"}``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DomainError("not_found", what="file", key=str(path)) from error
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise DomainError("invalid_value", field=path.name, value=str(error), allowed=["JSON"]) from None
        records = data["rules"] if isinstance(data, dict) else data
        return [dict(r) for r in records], (data.get("note", "") if isinstance(data, dict) else "")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DomainError("invalid_value", field=path.name, value=str(error), allowed=["TOML"]) from None
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        raise DomainError("invalid_value", field="rules", value=type(rules).__name__, allowed=["[rules.CODE] tables"])
    return [{"code": code, **{k: str(v) for k, v in body.items()}} for code, body in rules.items()], str(data.get("note", ""))


def rules_toml(records: list[dict[str, Any]], note: str = "") -> str:
    lines = [f"note = {json.dumps(note, ensure_ascii=False)}", ""]
    for record in records:
        lines.append(f"[rules.{record['code']}]  # {RULE_LABELS.get(record['code'], ('', ''))[0]}")
        lines.append(f"points = {record['points']}")
        lines.append(f'dimension = "{record["dimension"]}"  # {DIMENSION_LABELS[record["dimension"]][0]}')
        if "basis" in record:
            lines.append(f'basis = "{record["basis"]}"  # original 原时限 / current 现行时限')
        lines.append("")
    return "\n".join(lines)


# -- 述职评议 -----------------------------------------------------------------------------------------


@main.group("review")
def review_group() -> None:
    """述职评议: reports on both accounts, graded, published, recalled, corrected."""


def _review(state: CliState, org: str, year: int) -> UUID:
    return review_id(_org(state, org), year)


@command(review_group, "file")
@click.option("--org", required=True, help="Your branch.")
@click.option("--year", type=int, required=True)
@click.option("--business", "business", required=True, help="业务账: the business account (text, or @FILE).")
@click.option("--party", "party", required=True, help="党建账: the Party-building account (text, or @FILE).")
def review_file(state: CliState, org: str, year: int, business: str, party: str) -> None:
    """述职: the branch secretary files the year's report."""
    system = state.open()
    who = actor(state, system)
    org_id = _org(state, org)
    rid = system.app.file_review_report(who, org_id, year, _text_or_file(business), _text_or_file(party))
    system.catch_up()
    done(state, "已提交 {year} 年度述职报告", "Filed the {year} report", year=year, id=rid)


def _text_or_file(value: str) -> str:
    if value.startswith("@"):
        return Path(value[1:]).read_text(encoding="utf-8")
    return value


@command(review_group, "grade")
@click.argument("org")
@click.option("--year", type=int, required=True)
@click.option("--grade", help="好 / 较好 / 一般 / 差 (or excellent / good / fair / poor).")
@click.option("--score", help="0–100; bands: ≥90 好, ≥80 较好, ≥60 一般, below 差.")
@click.option("--comment", default="")
def review_grade(state: CliState, org: str, year: int, grade: str | None, score: str | None, comment: str) -> None:
    """评议: grade a branch's report (grading again replaces your earlier mark)."""
    system = state.open()
    who = actor(state, system)
    system.app.grade_review(who, _review(state, org, year), grade=grade, score=score, comment=comment)
    system.catch_up()
    done(state, "已评议", "Graded")


@command(review_group, "publish")
@click.argument("org")
@click.option("--year", type=int, required=True)
def review_publish(state: CliState, org: str, year: int) -> None:
    """Publish the result: the mean of the reviewers' scores and its grade."""
    system = state.open()
    who = actor(state, system)
    rid = _review(state, org, year)
    system.app.publish_review(who, rid)
    system.catch_up()
    review = system.app.review(rid)
    done(state, "已发布：{score} 分，{grade}", "Published: {score}, {grade}", score=review.score,
         grade=words(GRADE_LABELS, review.grade or "", state.locale))


@command(review_group, "recall")
@click.argument("org")
@click.option("--year", type=int, required=True)
@click.option("--reason", required=True)
def review_recall(state: CliState, org: str, year: int, reason: str) -> None:
    """Recall a published result back to grading."""
    system = state.open()
    who = actor(state, system)
    system.app.recall_review(who, _review(state, org, year), reason)
    system.catch_up()
    done(state, "已撤回评议结果", "Recalled")


@command(review_group, "correct")
@click.argument("org")
@click.option("--year", type=int, required=True)
@click.option("--grade")
@click.option("--score")
@click.option("--reason", required=True)
def review_correct(state: CliState, org: str, year: int, grade: str | None, score: str | None, reason: str) -> None:
    """Correct a published result in place, with the reason on the record."""
    system = state.open()
    who = actor(state, system)
    system.app.correct_review(who, _review(state, org, year), reason, grade=grade, score=score)
    system.catch_up()
    done(state, "已更正评议结果", "Corrected")


@command(review_group, "list")
@click.option("--year", type=int)
@as_of_option
def review_list(state: CliState, year: int | None, as_of: str | None, today_text: str | None) -> None:
    with reading(state, as_of, today_text) as (conn, _):
        rows = aq.review_list(conn, year)
    for row in rows:
        row["status_label"] = term(row["status"], state.locale)
        row["grade_label"] = words(GRADE_LABELS, row["grade"], state.locale) if row["grade"] else ""
        row["reviewers"] = len(row["marks"])
    emit(state, rows, [("year", "年度", "Year"), ("name", "支部", "Branch"), ("status_label", "状态", "Status"),
                       ("reviewers", "评议人数", "Reviewers"), ("score", "得分", "Score"), ("grade_label", "等次", "Grade"),
                       ("published_on", "发布日期", "Published")])


# -- scoring rules ------------------------------------------------------------------------------------


@main.group("rules")
def rules_group() -> None:
    """对标积分 rules: show the version in force (or the history), set a new version."""


@command(rules_group, "show")
@click.option("--history", is_flag=True, help="Every version, with who set it and when.")
@click.option("--toml", "as_toml", is_flag=True, help="Print the rules in force as a file to edit and load with rules set.")
@as_of_option
def rules_show(state: CliState, history: bool, as_toml: bool, as_of: str | None, today_text: str | None) -> None:
    with reading(state, as_of, today_text) as (conn, _):
        versions = aq.rules_history(conn) if history else [v for v in [aq.rules_in_force(conn)] if v]
    if as_toml:
        if not versions:
            click.echo(rules_toml([r.as_record() for r in DEFAULT_RULES], "默认规则 / default rules"))
        else:
            click.echo(rules_toml(versions[-1]["rules"], versions[-1]["note"]))
        return
    if state.as_json:
        emit(state, versions)
        return
    if not versions:
        click.echo(state.zh("尚未制定积分规则；用 dutyloop rules set --default 或 rules set FILE", "No scoring rules yet; use dutyloop rules set --default or rules set FILE"))
        return
    for version in versions:
        rows = [{**r, "rule": _rule_name(state, r["code"]), "dimension_label": words(DIMENSION_LABELS, r["dimension"], state.locale),
                 "basis_label": words(BASIS_LABELS, r["basis"], state.locale) if "basis" in r else ""} for r in version["rules"]]
        emit(state, rows, [("code", "代码", "Code"), ("rule", "积分项目", "Rule"), ("points", "分值", "Points"),
                           ("dimension_label", "维度", "Dimension"), ("basis_label", "按时判定", "On time against")],
             title=state.zh(f"第 {version['version']} 版（{version['business_date']}）{version['note']}",
                            f"Version {version['version']} ({version['business_date']}) {version['note']}"))


@command(rules_group, "set")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--default", "use_default", is_flag=True, help="Load the built-in starting rule set.")
@click.option("--note", default="", help="Why the rules change (kept with the version).")
def rules_set(state: CliState, file: Path | None, use_default: bool, note: str) -> None:
    """Record a new version of the rules; it counts for events recorded from now on."""
    if (file is None) == (not use_default):
        raise click.UsageError(state.zh("请给出规则文件，或用 --default", "Give a rules file, or --default"))
    records, file_note = ([r.as_record() for r in DEFAULT_RULES], "默认规则") if use_default else read_rules_file(file)  # type: ignore[arg-type]
    system = state.open()
    who = actor(state, system)
    version = system.app.set_scoring_rules(who, records, note or file_note)
    system.catch_up()
    done(state, "已记录积分规则第 {version} 版，自现在起的事件按此计分", "Scoring rules version {version} recorded; events from now on count by it",
         version=version)


# -- activities and adjustments ---------------------------------------------------------------------


@main.group("award")
def award_group() -> None:
    """标杆, "党建+" projects and service-team activities: what a branch did that earns points."""


def _activity(state: CliState, call: str, org: str, title: str, extra: str, on: str | None) -> UUID:
    system = state.open()
    who = actor(state, system)
    day = date.fromisoformat(on) if on else None
    result: UUID = getattr(system.app, call)(who, _org(state, org), title, extra, day)
    system.catch_up()
    return result


@command(award_group, "model")
@click.option("--org", required=True)
@click.option("--title", required=True, help="e.g. 样板标准化党支部")
@click.option("--category", default="", help="样板支部 / 精品工程 / 示范岗 …")
@click.option("--on", help="Date of the award (default today).")
def award_model(state: CliState, org: str, title: str, category: str, on: str | None) -> None:
    """标杆: a model-branch award."""
    done(state, "已认定标杆", "Model branch awarded", id=_activity(state, "award_model_branch", org, title, category, on))


@command(award_group, "party-plus")
@click.option("--org", required=True)
@click.option("--title", required=True)
@click.option("--direction", default="", help="One of the seven directions, e.g. 安全生产.")
@click.option("--on")
def award_party_plus(state: CliState, org: str, title: str, direction: str, on: str | None) -> None:
    """A "党建+" project recognised."""
    done(state, "已认定“党建+”项目", "\"党建+\" project recognised",
         id=_activity(state, "recognise_party_plus_project", org, title, direction, on))


@command(award_group, "service")
@click.option("--org", required=True)
@click.option("--title", required=True)
@click.option("--team", default="共产党员服务队")
@click.option("--on", help="The day it was held (default today).")
def award_service(state: CliState, org: str, title: str, team: str, on: str | None) -> None:
    """A service-team (共产党员服务队) activity."""
    done(state, "已记录服务队活动", "Service-team activity recorded", id=_activity(state, "record_service_activity", org, title, team, on))


@main.group("adjust")
def adjust_group() -> None:
    """Manual points adjustments: proposed with a reason, counted once someone else approves."""


@command(adjust_group, "propose")
@click.option("--org", required=True)
@click.option("--points", required=True, help="e.g. 2 or -1.5")
@click.option("--dimension", required=True, help="value_creation / professional / satisfaction (价值创造 / 专业管理 / 满意度).")
@click.option("--reason", required=True)
def adjust_propose(state: CliState, org: str, points: str, dimension: str, reason: str) -> None:
    system = state.open()
    who = actor(state, system)
    adjustment = system.app.propose_points_adjustment(who, _org(state, org), points, dimension, reason)
    system.catch_up()
    done(state, "已提出积分调整 {short}，待审批", "Adjustment {short} proposed, awaiting approval", short=adjustment.hex[:8], id=adjustment)


@command(adjust_group, "list")
@click.option("--status", type=click.Choice(["proposed", "approved", "rejected"]))
def adjust_list(state: CliState, status: str | None) -> None:
    """Adjustments and where they stand (proposed ones await someone else's approval)."""
    system = state.open()
    system.catch_up()
    with system.engine.connect() as conn:
        rows = [r for r in aq.adjustments(conn) if status is None or r["status"] == status]
    for row in rows:
        row["short"] = row["activity_id"][:8]
        row["status_label"] = term(row["status"], state.locale)
    emit(state, rows, [("short", "编号", "Id"), ("business_date", "日期", "Date"), ("name", "支部", "Branch"),
                       ("detail", "积分", "Points"), ("title", "理由", "Reason"), ("status_label", "状态", "Status")])


def _adjustment(state: CliState, ref: str) -> UUID:
    system = state.open()
    system.catch_up()
    with system.engine.connect() as conn:
        return UUID(aq.resolve_adjustment(conn, ref))


@command(adjust_group, "approve")
@click.argument("adjustment")
@click.option("--comment", default="")
def adjust_approve(state: CliState, adjustment: str, comment: str) -> None:
    system = state.open()
    who = actor(state, system)
    system.app.approve_points_adjustment(who, _adjustment(state, adjustment), comment)
    system.catch_up()
    done(state, "已批准积分调整", "Adjustment approved")


@command(adjust_group, "reject")
@click.argument("adjustment")
@click.option("--reason", required=True)
def adjust_reject(state: CliState, adjustment: str, reason: str) -> None:
    system = state.open()
    who = actor(state, system)
    system.app.reject_points_adjustment(who, _adjustment(state, adjustment), reason)
    system.catch_up()
    done(state, "已驳回积分调整", "Adjustment rejected")


# -- points, ranking ----------------------------------------------------------------------------------


@command(main, "points")
@click.option("--month", help="One month, YYYY-MM.")
@click.option("--year", type=int, help="A whole year, month by month (default: this year).")
@click.option("--org", help="One branch.")
@click.option("--detail", is_flag=True, help="Every point with the event that earned or cost it.")
@as_of_option
def points(state: CliState, month: str | None, year: int | None, org: str | None, detail: bool, as_of: str | None, today_text: str | None) -> None:
    """月积分: points per branch and month, down to the events."""
    with reading(state, as_of, today_text) as (conn, day):
        org_id = queries.resolve_org(conn, org) if org else None
        if detail or month:
            months = [aq.parse_month(month)] if month else aq.year_months(year or day.year)
            if detail:
                rows = aq.point_detail(conn, months, org_id)
                names = {b["org_id"]: b["name"] for b in aq.branches(conn)}
                for row in rows:
                    row["name"] = names.get(row["org_id"], row["org_id"][:8])
                    row["rule_label"] = _rule_name(state, row["rule"])
                    row["event"] = f"{row['event_type']} {row['originator_id'][:8]}@{row['originator_version']} #{row['notification_id']}"
                    row["because"] = "、".join(f"{s['event_type']} #{s['notification_id']}" for s in row["sources"])
                emit(state, _points_text(state, rows, "points"), [
                    ("business_date", "日期", "Date"), ("name", "支部", "Branch"), ("rule_label", "积分项目", "Rule"),
                    ("points", "积分", "Points"), ("rule_version", "规则版本", "Rules v."), ("event", "事件", "Event"),
                    ("because", "依据", "Based on"), ("note", "说明", "Note")])
                return
            rows = [r for r in aq.ranking(conn, months) if org_id is None or r["org_id"] == org_id]
            for row in rows:
                row["gains"] = _reasons(state, row["sources"])
                row["lost"] = _reasons(state, row["losses"])
            emit(state, _points_text(state, rows, "points"), [
                ("rank", "名次", "Rank"), ("name", "支部", "Branch"), ("points", "积分", "Points"),
                ("gains", "主要得分", "Top sources"), ("lost", "主要失分", "Top losses")], title=f"{months[0]}")
            return
        chosen = year or day.year
        rows = aq.monthly_points(conn, chosen, org_id)
    if state.as_json:
        emit(state, rows)
        return
    months = aq.year_months(chosen)
    table = [{"name": r["name"], "total": signed(r["total"]), **{m: signed(r["months"][m]) for m in months}} for r in rows]
    emit(state, table, [("name", "支部", "Branch"), *((m, m[5:], m[5:]) for m in months), ("total", "合计", "Total")],
         title=state.zh(f"{chosen} 年月积分", f"Monthly points {chosen}"))


@command(main, "ranking")
@click.option("--quarter", help="季度亮比, e.g. 2026Q3.")
@click.option("--month", help="One month, YYYY-MM.")
@click.option("--side", default=5, show_default=True, help="How many leading and lagging branches side by side.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), help="Also write the printable sheet (quarter only).")
@as_of_option
def ranking(state: CliState, quarter: str | None, month: str | None, side: int, html_path: Path | None, as_of: str | None, today_text: str | None) -> None:
    """季度亮比 / monthly ranking, with the reasons of the leading and the lagging branches."""
    if not (quarter or month):
        raise click.UsageError(state.zh("请给出 --quarter 2026Q3 或 --month 2026-10", "Give --quarter 2026Q3 or --month 2026-10"))
    with reading(state, as_of, today_text) as (conn, _):
        if quarter:
            year, number = aq.parse_quarter(quarter)
            result = aq.quarterly_comparison(conn, year, number, side)
            if html_path:
                from dutyloop.reports.quarterly import render_quarter_sheet

                html_path.write_text(render_quarter_sheet(conn, year, number, side), encoding="utf-8")
        else:
            rows = aq.ranking(conn, [aq.parse_month(month or "")])
            result = {"ranking": rows, "leading": rows[:side], "lagging": list(reversed(rows[-side:]))}
    if state.as_json:
        emit(state, result)
        return
    for row in result["ranking"]:
        row["gains"] = _reasons(state, row["sources"])
        row["lost"] = _reasons(state, row["losses"])
    columns = [("rank", "名次", "Rank"), ("name", "支部", "Branch"), ("points", "积分", "Points"),
               ("gains", "主要得分", "Top sources"), ("lost", "主要失分", "Top losses")]
    emit(state, _points_text(state, result["leading"], "points"), columns, title=state.zh("前列支部", "Leading branches"))
    emit(state, _points_text(state, result["lagging"], "points"), columns, title=state.zh("后进支部", "Lagging branches"))
    emit(state, _points_text(state, result["ranking"], "points"), columns[:3], title=state.zh("排名", "Ranking"))
    if html_path:
        click.echo(state.zh(f"已写出可打印的亮比表：{html_path}", f"Printable sheet written: {html_path}"))


# -- the annual 631 -------------------------------------------------------------------------------------


@main.group("assess")
def assess_group() -> None:
    """年考核 "631": weights, survey scores, the ranked result, publication, export."""


@command(assess_group, "weights")
@click.argument("year", type=int)
@click.option("--value-creation", default="60", show_default=True, help="价值创造 %.")
@click.option("--professional", default="30", show_default=True, help="专业管理 %.")
@click.option("--satisfaction", default="10", show_default=True, help="满意度 %.")
@click.option("--base", "base_score", default="80", show_default=True, help="Base score the year's points are added to.")
@click.option("--review-share", default="50", show_default=True, help="述职评议 % of satisfaction (the rest: the survey).")
def assess_weights(state: CliState, year: int, value_creation: str, professional: str, satisfaction: str, base_score: str, review_share: str) -> None:
    system = state.open()
    who = actor(state, system)
    system.app.set_assessment_weights(who, year, value_creation=value_creation, professional=professional,
                                      satisfaction=satisfaction, base_score=base_score, review_share=review_share)
    system.catch_up()
    done(state, "已设置 {year} 年度考核权重", "Weights for {year} set", year=year)


@command(assess_group, "survey")
@click.argument("year", type=int)
@click.option("--org", required=True)
@click.option("--score", required=True, help="满意度测评得分 0–100.")
def assess_survey(state: CliState, year: int, org: str, score: str) -> None:
    system = state.open()
    who = actor(state, system)
    system.app.score_satisfaction_survey(who, year, _org(state, org), score)
    system.catch_up()
    done(state, "已录入满意度测评", "Survey score entered")


RESULT_COLUMNS = [("rank", "名次", "Rank"), ("name", "支部", "Branch"), ("total", "综合得分", "Total"),
                  ("value_creation", "价值创造", "Value creation"), ("professional", "专业管理", "Professional"),
                  ("satisfaction", "满意度", "Satisfaction"), ("review", "述职评议", "Review"), ("survey_score", "测评", "Survey")]


@command(assess_group, "year")
@click.argument("year", type=int)
@click.option("--publish", is_flag=True, help="Publish the result as computed now (once; it is kept as published).")
@click.option("--published", "show_published", is_flag=True, help="Show what was published, not the result as computed now.")
@click.option("--org", help="Take one branch apart: dimensions → rules → events.")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the result to an Excel workbook.")
@as_of_option
def assess_year(
    state: CliState, year: int, publish: bool, show_published: bool, org: str | None, xlsx_path: Path | None,
    as_of: str | None, today_text: str | None,
) -> None:
    """The year's 631: ranked, explained, published, exported."""
    with reading(state, as_of, today_text) as (conn, _):
        weights = aq.weights_for(conn, year)
        published = aq.published_assessment(conn, year)
        if show_published:
            if published is None:
                raise DomainError("not_found", what=state.zh("已发布的考核结果", "published assessment"), key=year)
            results = published["results"]
        else:
            results = [s.as_record() for s in aq.assessment(conn, year)]
        tree = aq.breakdown(conn, year, queries.resolve_org(conn, org)) if org else None
    if publish:
        system = state.open()
        who = actor(state, system)
        system.app.publish_assessment(who, year, results)
        system.catch_up()
    if xlsx_path:
        from dutyloop.reports.assessment_book import write_assessment

        write_assessment(xlsx_path, year, results, weights, state.locale, published=publish or show_published)
    if tree is not None:
        _show_breakdown(state, tree)
        return
    if state.as_json:
        emit(state, {"year": year, "weights": weights.as_record(), "published": publish or show_published, "results": results})
        return
    for row in results:
        row["review"] = f"{row['review_score'] or '—'} {words(GRADE_LABELS, row['review_grade'], state.locale) if row['review_grade'] else ''}"
    w = weights
    emit(state, results, RESULT_COLUMNS, title=state.zh(
        f"{year} 年度“631”考核（价值创造 {w.value_creation}% · 专业管理 {w.professional}% · 满意度 {w.satisfaction}%）"
        + ("，已发布" if publish or show_published else "，按当前记录计算"),
        f"{year} annual 631 (value creation {w.value_creation}% · professional {w.professional}% · satisfaction {w.satisfaction}%)"
        + (", published" if publish or show_published else ", as the record stands now"),
    ))
    if publish:
        click.echo(state.zh("已发布；此后规则调整不会改变已发布的结果。", "Published; later rule changes do not change it."))
    if xlsx_path:
        click.echo(state.zh(f"已写出 {xlsx_path}", f"Wrote {xlsx_path}"))


def _show_breakdown(state: CliState, tree: dict[str, Any]) -> None:
    score = tree["score"]
    if state.as_json:
        emit(state, {"score": score.as_record(), "dimensions": tree["dimensions"]})
        return
    click.echo(f"{score.name}：{state.zh('综合', 'total')} {score.total}（{state.zh('第', 'rank ')}{score.rank}{state.zh('名', '')}）")
    for dimension, rules in tree["dimensions"].items():
        value = getattr(score, dimension)
        click.echo(f"  {words(DIMENSION_LABELS, dimension, state.locale)} {value}")
        for code, item in rules.items():
            click.echo(f"    {_rule_name(state, code)} {signed(item['points'])}")
            for event in item["events"]:
                click.echo(f"      {event['business_date']} {signed(event['points'])} {event['event_type']} "
                           f"{event['originator_id'][:8]}@{event['originator_version']} #{event['notification_id']} {event['note']}")
    if score.review_score is not None:
        click.echo(f"    {state.zh('述职评议', 'review')} {score.review_score} {words(GRADE_LABELS, score.review_grade or '', state.locale)}")
    if score.survey_score is not None:
        click.echo(f"    {state.zh('满意度测评', 'survey')} {score.survey_score}")


# -- what-if ------------------------------------------------------------------------------------------


@command(main, "whatif")
@click.option("--rules", "rules_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--from", "since", required=True, help="First month, YYYY-MM.")
@click.option("--to", "until", required=True, help="Last month, YYYY-MM.")
def whatif(state: CliState, rules_file: Path, since: str, until: str) -> None:
    """Points of a past period under a proposed rule set, beside the recorded ones. Records nothing."""
    from projections.whatif import replay_points

    records, _ = read_rules_file(rules_file)
    proposed = rules_from_records([r.as_record() for r in parse_rules(records)])
    system = state.open()
    rows = replay_points(system.views, proposed, aq.months_between(aq.parse_month(since), aq.parse_month(until)))
    if state.as_json:
        emit(state, rows)
        return
    for row in rows:
        row["why"] = "；".join(f"{_rule_name(state, k)} {signed(v)}" for k, v in row["by_rule"].items()) or "—"
    emit(state, _points_text(state, rows, "recorded", "proposed", "difference"), [
        ("name", "支部", "Branch"), ("recorded", "现行积分", "Recorded"), ("proposed", "按新规则", "Proposed"),
        ("difference", "差额", "Difference"), ("why", "差额来自", "Because of")],
        title=state.zh(f"{since} 至 {until} 按新规则重算（未记录任何内容）", f"{since} to {until} under the proposed rules (nothing recorded)"))


# -- 月度通报 -------------------------------------------------------------------------------------------


@main.group("bulletin")
def bulletin_group() -> None:
    """月度通报: the monthly bulletin as HTML and PDF."""


@command(bulletin_group, "render")
@click.option("--month", required=True, help="YYYY-MM")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, path_type=Path))
@as_of_option
def bulletin_render(state: CliState, month: str, html_path: Path | None, pdf_path: Path | None, as_of: str | None, today_text: str | None) -> None:
    """Render the month's bulletin: as it was issued (as of that moment) when it was, else as the
    record stands (what is overdue as of the month's end)."""
    from dutyloop.reports.bulletin import issued_at, render_bulletin
    from dutyloop.reports.pdf import html_to_pdf

    if not (html_path or pdf_path):
        raise click.UsageError(state.zh("请给出 --html 文件 或 --pdf 文件", "Give --html FILE and/or --pdf FILE"))
    chosen = aq.parse_month(month)
    issued = issued_at(state.open().app, chosen) if not (as_of or today_text) else None
    if issued is not None:
        issued = issued.astimezone(state.open().clock.tz)
        as_of = issued.isoformat()
    with reading(state, as_of, today_text) as (conn, day):
        judged = day if (today_text or as_of) else min(day, aq.month_end(chosen))
        system = state.open()
        head = sign_head(system.engine, system.settings.data_dir, f"bulletin {chosen}", system.clock.now())
        html = render_bulletin(conn, chosen, judged, issued, head.printed(state.locale.startswith("en")))
    if html_path:
        html_path.write_text(html, encoding="utf-8")
    if pdf_path:
        html_to_pdf(html, pdf_path)
    done(state, "已生成 {month} 月度通报" + ("（按发布时的记录）" if issued else ""),
         "Bulletin for {month} rendered" + (" (as issued)" if issued else ""), month=chosen,
         html=str(html_path) if html_path else None, pdf=str(pdf_path) if pdf_path else None)


"""年考核 commands: the year's 631 weights, the satisfaction survey scores, the year's computed and
published result with each branch's breakdown.

Every query answers ``--as-of`` a past moment like the other queries do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from domain.errors import DomainError
from domain.review import GRADE_LABELS
from domain.scoring import DIMENSION_LABELS, words
from dutyloop.cli.assess_support import emit, org_named, rule_name
from dutyloop.cli.base import YEARS, CliState, actor, command, done, main
from dutyloop.cli.queries import as_of_option, reading
from dutyloop.reports.rendering import signed
from projections import assessment_queries as aq
from projections import lookup


@main.group("assess")
def assess_group() -> None:
    """年考核 "631": weights, survey scores, the ranked result, publication, export."""


@command(assess_group, "weights")
@click.argument("year", type=YEARS)
@click.option("--value-creation", default="60", show_default=True, help="价值创造 %.")
@click.option("--professional", default="30", show_default=True, help="专业管理 %.")
@click.option("--satisfaction", default="10", show_default=True, help="满意度 %.")
@click.option("--base", "base_score", default="80", show_default=True, help="Base score the year's points are added to.")
@click.option("--review-share", default="50", show_default=True, help="述职评议's share of satisfaction in % (the rest: the survey).")
def assess_weights(state: CliState, year: int, value_creation: str, professional: str, satisfaction: str, base_score: str, review_share: str) -> None:
    """Set a year's 631 weights and base score."""
    system = state.open()
    who = actor(state, system)
    system.app.set_assessment_weights(who, year, value_creation=value_creation, professional=professional,
                                      satisfaction=satisfaction, base_score=base_score, review_share=review_share)
    system.catch_up()
    done(state, "已设置 {year} 年度考核权重", "Weights for {year} set", year=year)


@command(assess_group, "survey")
@click.argument("year", type=YEARS)
@click.option("--org", required=True)
@click.option("--score", required=True, help="满意度测评得分 0–100.")
def assess_survey(state: CliState, year: int, org: str, score: str) -> None:
    """Enter a branch's satisfaction survey score for the year."""
    system = state.open()
    who = actor(state, system)
    system.app.score_satisfaction_survey(who, year, org_named(state, org), score)
    system.catch_up()
    done(state, "已录入满意度测评", "Survey score entered")


RESULT_COLUMNS = [("rank", "名次", "Rank"), ("name", "支部", "Branch"), ("total", "综合得分", "Total"),
                  ("value_creation", "价值创造", "Value creation"), ("professional", "专业管理", "Professional"),
                  ("satisfaction", "满意度", "Satisfaction"), ("review", "述职评议", "Review"), ("survey_score", "测评", "Survey")]


@command(assess_group, "year")
@click.argument("year", type=YEARS)
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
        tree = aq.breakdown(conn, year, lookup.resolve_org(conn, org)) if org else None
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
            click.echo(f"    {rule_name(state, code)} {signed(item['points'])}")
            for event in item["events"]:
                click.echo(f"      {event['business_date']} {signed(event['points'])} {event['event_type']} "
                           f"{event['originator_id'][:8]}@{event['originator_version']} #{event['notification_id']} {event['note']}")
    if score.review_score is not None:
        click.echo(f"    {state.zh('述职评议', 'review')} {score.review_score} {words(GRADE_LABELS, score.review_grade or '', state.locale)}")
    if score.survey_score is not None:
        click.echo(f"    {state.zh('满意度测评', 'survey')} {score.survey_score}")

"""述责 · 述职评议 commands: the secretary files the yearly report; reviewers grade, publish, recall
or correct it.

Every query answers ``--as-of`` a past moment like the other queries do.
"""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import click

from domain.errors import term
from domain.review import GRADE_LABELS, review_id
from domain.scoring import words
from dutyloop.cli.assess_support import emit, org_named
from dutyloop.cli.base import YEARS, CliState, actor, command, done, main
from dutyloop.cli.queries import as_of_option, reading
from projections import assessment_queries as aq


@main.group("review")
def review_group() -> None:
    """述职评议: reports on both accounts, graded, published, recalled, corrected."""


def _review(state: CliState, org: str, year: int) -> UUID:
    return review_id(org_named(state, org), year)


@command(review_group, "file")
@click.option("--org", required=True, help="Your branch.")
@click.option("--year", type=YEARS, required=True)
@click.option("--business", "business", required=True, help="业务账: the business account (text, or @FILE).")
@click.option("--party", "party", required=True, help="党建账: the Party-building account (text, or @FILE).")
def review_file(state: CliState, org: str, year: int, business: str, party: str) -> None:
    """述职: the branch secretary files the year's report."""
    system = state.open()
    who = actor(state, system)
    org_id = org_named(state, org)
    rid = system.app.file_review_report(who, org_id, year, _text_or_file(business), _text_or_file(party))
    system.catch_up()
    done(state, "已提交 {year} 年度述职报告", "Filed the {year} report", year=year, id=rid)


def _text_or_file(value: str) -> str:
    if value.startswith("@"):
        return Path(value[1:]).read_text(encoding="utf-8")
    return value


@command(review_group, "grade")
@click.argument("org")
@click.option("--year", type=YEARS, required=True)
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
@click.option("--year", type=YEARS, required=True)
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
@click.option("--year", type=YEARS, required=True)
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
@click.option("--year", type=YEARS, required=True)
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
@click.option("--year", type=YEARS)
@as_of_option
def review_list(state: CliState, year: int | None, as_of: str | None, today_text: str | None) -> None:
    """A year's 述职评议 reports and where each stands."""
    with reading(state, as_of, today_text) as (conn, _):
        rows = aq.review_list(conn, year)
    for row in rows:
        row["status_label"] = term(row["status"], state.locale)
        row["grade_label"] = words(GRADE_LABELS, row["grade"], state.locale) if row["grade"] else ""
        row["reviewers"] = len(row["marks"])
    emit(state, rows, [("year", "年度", "Year"), ("name", "支部", "Branch"), ("status_label", "状态", "Status"),
                       ("reviewers", "评议人数", "Reviewers"), ("score", "得分", "Score"), ("grade_label", "等次", "Grade"),
                       ("published_on", "发布日期", "Published")])

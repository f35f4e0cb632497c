"""对标积分 rule commands: show the rules in force (or their history), set a new version, and replay
the record under other rules (what-if) without changing anything.
"""

from __future__ import annotations

from pathlib import Path

import click

from domain.scoring import (
    BASIS_LABELS,
    DEFAULT_RULES,
    DIMENSION_LABELS,
    parse_rules,
    rules_from_records,
    words,
)
from dutyloop.cli.assess_support import emit, points_text, rule_name
from dutyloop.cli.base import CliState, actor, command, done, main
from dutyloop.cli.queries import as_of_option, reading
from dutyloop.cli.rule_files import read_rules_file, rules_toml
from dutyloop.reports.rendering import signed
from projections import assessment_queries as aq


@main.group("rules")
def rules_group() -> None:
    """对标积分 rules: show the version in force (or the history), set a new version."""


@command(rules_group, "show")
@click.option("--history", is_flag=True, help="Every version, with who set it and when.")
@click.option("--toml", "as_toml", is_flag=True, help="Print the rules in force as a file to edit and load with rules set.")
@as_of_option
def rules_show(state: CliState, history: bool, as_toml: bool, as_of: str | None, today_text: str | None) -> None:
    """The 对标积分 rules in force; every version with --history, as a file to edit with --toml."""
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
        rows = [{**r, "rule": rule_name(state, r["code"]), "dimension_label": words(DIMENSION_LABELS, r["dimension"], state.locale),
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
        row["why"] = "；".join(f"{rule_name(state, k)} {signed(v)}" for k, v in row["by_rule"].items()) or "—"
    emit(state, points_text(state, rows, "recorded", "proposed", "difference"), [
        ("name", "支部", "Branch"), ("recorded", "现行积分", "Recorded"), ("proposed", "按新规则", "Proposed"),
        ("difference", "差额", "Difference"), ("why", "差额来自", "Because of")],
        title=state.zh(f"{since} 至 {until} 按新规则重算（未记录任何内容）", f"{since} to {until} under the proposed rules (nothing recorded)"))

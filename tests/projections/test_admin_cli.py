"""``dutyloop rebuild`` and ``dutyloop status`` through the real command line, on both backends."""

from __future__ import annotations

import json
import re
from uuid import UUID

from domain.vocabulary import InspectionKind, label
from dutyloop.wiring import System
from projections import lookup
from projections.runner import VIEW_NAMES
from views_support import Cli, differences, view_contents


def _rate(text: str, unit: str) -> float:
    match = re.search(rf"([\d,]+) {unit}", text)
    assert match, text
    return float(match.group(1).replace(",", ""))


def test_rebuild_all_prints_count_and_rate_and_changes_nothing(cli: Cli, recorded: System) -> None:
    head = recorded.views.head()
    before = view_contents(recorded.engine)
    result = cli("--as", "A001", "rebuild")
    assert result.exit_code == 0, result.output
    assert f"已重建 all：{head} 个事件" in result.stdout
    assert _rate(result.stdout, "事件/秒") > 0
    assert not differences(view_contents(recorded.engine), before)
    english = cli("--as", "A001", "--locale", "en", "rebuild")
    assert f"Rebuilt all: {head} events in" in english.stdout and _rate(english.stdout, "events/s") > 0


def test_rebuild_one_view(cli: Cli, recorded: System) -> None:
    head = recorded.views.head()
    before = view_contents(recorded.engine)
    result = cli("--as", "A001", "rebuild", "tasks")
    assert result.exit_code == 0, result.output
    assert f"已重建 tasks：{head} 个事件" in result.stdout and "事件/秒" in result.stdout
    data = json.loads(cli("--as", "A001", "--json", "rebuild", "tasks", "chains").stdout)
    assert data["ok"] is True and data["views"] == "tasks, chains" and data["count"] == head
    assert data["rate"] > 0 and data["seconds"] > 0
    assert not differences(view_contents(recorded.engine), before)
    unknown = cli("--as", "A001", "rebuild", "nosuchview")
    assert unknown.exit_code == 2 and "nosuchview" in unknown.output


def test_status_shows_every_view_and_its_lag(cli: Cli, recorded: System) -> None:
    head = recorded.views.head()
    rows = json.loads(cli("--json", "status").stdout)
    assert [r["name"] for r in rows] == list(VIEW_NAMES)
    assert all(r["position"] == head and r["lag"] == 0 for r in rows), rows
    table = cli("status").stdout
    assert "视图状态" in table and "滞后" in table and all(label(name) in table for name in VIEW_NAMES)

    # Events recorded, nobody caught up yet: every view lags by exactly those events.
    with recorded.engine.connect() as conn:
        dept = UUID(lookup.resolve_person(conn, "P001"))
        committee = UUID(lookup.resolve_org(conn, "公司党委"))
    recorded.app.conduct_inspection(dept, InspectionKind.SELF_CHECK, committee, "自查", ["问题一", "问题二"])
    added = recorded.views.head() - head
    assert added == 3
    rows = json.loads(cli("--json", "status").stdout)
    assert all(r["lag"] == added and r["position"] == head for r in rows), rows

    # A query catches the views up; status then shows no lag again.
    assert cli("board").exit_code == 0
    rows = json.loads(cli("--json", "status").stdout)
    assert all(r["lag"] == 0 for r in rows), rows


"""A year of four branches scored by hand (see year_world.py) against the real views, on SQLite
and PostgreSQL: monthly points, the quarter's ranking, the 631 totals, the breakdown down to
events, rule edits not changing the past, the what-if replay, and as-of equal to what was published."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from year_world import (
    BY_CURRENT_DEADLINE,
    RULES_V2,
    build_world,
    run_first_half,
    run_second_half,
)

from domain import ids
from domain.scoring import rules_from_records
from dutyloop.reports.bulletin import issued_at, render_bulletin
from dutyloop.wiring import System
from projections import assessment_queries as aq
from projections.whatif import replay_points
from scheduler.bulletin import check_bulletin

D = Decimal


def _by_name(rows: list[dict]) -> dict[str, dict]:
    return {r["name"]: r for r in rows}


def test_a_year_scored_by_hand(system: System) -> None:
    world = build_world(system.app, system.clock)
    run_first_half(world, lambda: check_bulletin(system.app, system.views, date(2026, 4, 1)))
    system.catch_up()
    assert world.march_bulletin_at is not None
    with system.views.as_of(world.march_bulletin_at).connect() as conn:
        march_as_published = aq.bulletin_lines(conn, "2026-03", world.march_bulletin_at.date())
    run_second_half(world)
    system.catch_up()

    with system.engine.connect() as conn:
        months = {r["name"]: {m: v for m, v in r["months"].items() if v} for r in aq.monthly_points(conn, 2026)}
        assert months == {
            "一支部": {"2026-01": D(2), "2026-04": D(5), "2026-07": D(1)},
            "二支部": {"2026-01": D("-0.5"), "2026-02": D(-1), "2026-04": D(3), "2026-05": D(1)},
            "三支部": {"2026-02": D(-3)},  # March: +1 −2 +1 = 0
            "四支部": {"2026-02": D(2), "2026-03": D(-3), "2026-05": D(2)},
        }
        q1 = aq.quarterly_comparison(conn, 2026, 1)
        assert [(r["rank"], r["name"], r["points"]) for r in q1["ranking"]] == [
            (1, "一支部", D(2)), (2, "四支部", D(-1)), (3, "二支部", D("-1.5")), (4, "三支部", D(-3)),
        ]
        assert [r["name"] for r in q1["leading"]] == ["一支部", "四支部"]
        assert [r["name"] for r in q1["lagging"]] == ["三支部", "二支部"]
        worst = q1["lagging"][0]
        assert worst["losses"][0] == {"rule": "finding_raised", "points": D(-2), "count": 2}

        scores = {s.name: s for s in aq.assessment(conn, 2026)}
        expected = {  # (value creation, professional, satisfaction, total, rank)
            "一支部": ("85.00", "83.00", "91.50", "85.05", 1),
            "二支部": ("84.00", "78.50", "82.50", "82.20", 2),
            "三支部": ("81.00", "76.00", "71.00", "78.50", 3),
            "四支部": ("80.00", "81.00", "60.00", "78.30", 4),
        }
        for name, (vc, pm, sat, total, rank) in expected.items():
            s = scores[name]
            assert (s.value_creation, s.professional, s.satisfaction, s.total, s.rank) == (D(vc), D(pm), D(sat), D(total), rank)
        assert scores["一支部"].review_grade == "excellent" and scores["一支部"].review_score == D("93.00")
        assert scores["四支部"].review_score == D("60.00") and scores["四支部"].review_grade == "fair"

        tree = aq.breakdown(conn, 2026, world.orgs["三"].hex)["dimensions"]
        overdue = tree["professional"]["rectification_overdue"]
        assert overdue["points"] == D(-2)
        [row] = overdue["events"]
        assert row["event_type"] == "RectificationCompletionReported" and row["rule_version"] == 1
        accepted = tree["professional"]["task_late"]["events"][0]
        assert accepted["event_type"] == "TaskAccepted"
        assert [s["event_type"] for s in accepted["sources"]] == ["TaskReportedDone"]
        july = [r for r in aq.point_detail(conn, ["2026-07"], world.orgs["一"].hex)]
        assert [(r["rule"], r["points"], r["rule_version"]) for r in july] == [("task_on_time", D(1), 2)]

        published = [s.as_record() for s in aq.assessment(conn, 2026)]
    world.at("2026-12-20")
    system.app.publish_assessment(world.admin, 2026, published)
    published_at = system.clock.now()

    world.at("2026-12-21")
    system.app.set_scoring_rules(world.admin, [{**r, "points": "10"} if r["code"] == "finding_raised" else r for r in RULES_V2])
    world.at("2026-12-22")
    system.app.award_model_branch(world.leader, world.orgs["四"], "名片党员责任区")
    system.catch_up()
    with system.engine.connect() as conn:
        assert aq.published_assessment(conn, 2026)["results"] == published
        live = {s.name: s for s in aq.assessment(conn, 2026)}
        assert live["四支部"].total == D("81.30") and live["四支部"].rank == 3  # 80+5 → 85 × 0.6
        assert aq.ranking(conn, ["2026-02"])[-1]["points"] == D(-3)  # the findings still cost −1 each
    with system.views.as_of(published_at).connect() as conn:
        assert aq.published_assessment(conn, 2026)["results"] == published
        assert [s.as_record() for s in aq.assessment(conn, 2026)] == published
    with system.views.as_of(world.march_bulletin_at).connect() as conn:
        assert aq.bulletin_lines(conn, "2026-03", world.march_bulletin_at.date()) == march_as_published
    with system.engine.connect() as conn:
        march_now = _by_name(aq.bulletin_lines(conn, "2026-03", world.march_bulletin_at.date()))
    assert _by_name(march_as_published)["三支部"]["points"] == "-1" and march_now["三支部"]["points"] == "0"
    issued = system.app.repository.get(ids.bulletin_id("2026-03"))
    standing = {line["org_name"]: (line["rank"], line["points"], line["year_to_date"]) for line in issued.lines}
    assert standing == {name: (line["rank"], line["points"], line["year_to_date"]) for name, line in _by_name(march_as_published).items()}
    assert standing["三支部"] == (3, "-1", "-4") and standing["一支部"] == (1, "0", "2")
    issued_moment = issued_at(system.app, "2026-03")
    assert issued_moment == world.march_bulletin_at
    local = issued_moment.astimezone(system.clock.tz)
    with system.views.as_of(issued_moment).connect() as conn:
        page = render_bulletin(conn, "2026-03", local.date(), local)
    assert "2026-04-01 09:00 发布" in page and "三支部" in page

    whatif = {r["name"]: r for r in replay_points(system.views, rules_from_records(BY_CURRENT_DEADLINE), aq.quarter_months(2026, 1))}
    assert whatif["三支部"]["recorded"] == D(-3) and whatif["三支部"]["proposed"] == D(0)
    assert whatif["三支部"]["difference"] == D(3)
    assert whatif["三支部"]["by_rule"] == {"task_late": D(1), "task_on_time": D(2)}
    assert all(whatif[n]["difference"] == 0 for n in ("一支部", "二支部", "四支部"))
    with system.engine.connect() as conn:
        assert aq.ranking(conn, aq.quarter_months(2026, 1))[-1]["points"] == D(-3)  # nothing was recorded


def test_dimensions_85_90_95_weigh_to_87_5() -> None:
    from domain.score_631 import Weights, weighted_total

    assert weighted_total(D(85), D(90), D(95), Weights()) == D("87.50")
    assert weighted_total(D(85), D(90), D(95), Weights.parse(value_creation="50", professional="40", satisfaction="10")) == D("88.00")


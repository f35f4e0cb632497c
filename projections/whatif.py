"""Replay a rule change: a past period's points under a proposed rule set, beside the recorded ones.

The proposed rules run through the very same points view, over the whole log, into a private
in-memory database; nothing is recorded and the live views are untouched.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from domain.scoring import Rule
from projections.assessment_queries import tallies
from projections.directory import DirectoryView
from projections.points import with_fixed_rules
from projections.runner import ProjectionRunner


def replay_points(runner: ProjectionRunner, rules: dict[str, Rule], months: list[str]) -> list[dict[str, Any]]:
    """Per branch: recorded points, points under ``rules``, and the difference, largest change first."""
    runner.catch_up()
    engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    try:
        private = ProjectionRunner(engine, runner.app, runner.batch_size, view_classes=(DirectoryView, with_fixed_rules(rules)))
        private.create_tables()
        private.catch_up()
        with engine.connect() as conn:
            proposed = tallies(conn, months)
    finally:
        engine.dispose()
    with runner.engine.connect() as conn:
        recorded = tallies(conn, months)
    rows = []
    for org_id, now in recorded.items():
        then = proposed.get(org_id)
        points = then.total if then else Decimal(0)
        rules_diff = {
            code: (then.rules.get(code, Decimal(0)) if then else Decimal(0)) - now.rules.get(code, Decimal(0))
            for code in {*now.rules, *(then.rules if then else {})}
        }
        rows.append({
            "org_id": org_id, "name": now.name, "recorded": now.total, "proposed": points,
            "difference": points - now.total, "by_rule": {k: v for k, v in sorted(rules_diff.items()) if v},
        })
    return sorted(rows, key=lambda r: (-abs(r["difference"]), r["name"]))

"""Questions of 述责 · 考责: points per month, the quarter's ranking, the year's "631", the
on-time rates, the review results — each answer able to name the events under its numbers.

Like ``queries``, every function takes a connection, so the live views and an as-of replay answer
the same way.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from domain.score_631 import BranchInputs, BranchScore, Weights, assess
from domain.errors import DomainError, NotFound
from domain.scoring import DIMENSIONS
from projections.points import IN_FORCE
from projections.lookup import id_prefix
from projections.points_tables import (
    activities,
    assessment_weights,
    point_rows,
    published_assessments,
    reviews,
    scoring_rules,
    survey_scores,
)
from projections.tables import organisations

ZERO = Decimal(0)
BRANCH_KINDS = ("branch", "temporary_branch")


# -- periods ---------------------------------------------------------------------------------------


def parse_month(text: str) -> str:
    try:
        year, month = (int(p) for p in text.strip().split("-"))
        return date(year, month, 1).strftime("%Y-%m")
    except ValueError:
        raise DomainError("invalid_value", field="month", value=text, allowed=["YYYY-MM"]) from None


def parse_quarter(text: str) -> tuple[int, int]:
    """``2026Q3`` (or ``2026-Q3``) → (2026, 3)."""
    cleaned = text.strip().upper().replace("-", "")
    try:
        year, quarter = cleaned.split("Q")
        number = int(quarter)
        if not 1 <= number <= 4:
            raise ValueError
        return int(year), number
    except ValueError:
        raise DomainError("invalid_value", field="quarter", value=text, allowed=["2026Q3"]) from None


def quarter_months(year: int, quarter: int) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(quarter * 3 - 2, quarter * 3 + 1)]


def year_months(year: int) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(1, 13)]


def month_end(month: str) -> date:
    year, number = (int(p) for p in month.split("-"))
    return date.fromordinal(date(year + (number == 12), number % 12 + 1, 1).toordinal() - 1)


def months_between(first: str, last: str) -> list[str]:
    year, month = (int(p) for p in first.split("-"))
    months = []
    while f"{year}-{month:02d}" <= last:
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# -- branches and rules -----------------------------------------------------------------------------


def branches(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(organisations.c.org_id, organisations.c.name, organisations.c.dissolved_on)
        .where(organisations.c.kind.in_(BRANCH_KINDS))
        .order_by(organisations.c.name)
    ).mappings()
    return [dict(r) for r in rows]


def rules_in_force(conn: Connection) -> dict[str, Any] | None:
    row = conn.execute(select(scoring_rules).where(scoring_rules.c.version == IN_FORCE)).mappings().first()
    if row is None:
        return None
    return {"version": row["rule_version"], "rules": json.loads(row["rules"]), "note": row["note"],
            "set_by": row["set_by"], "business_date": row["business_date"], "recorded_at": row["recorded_at"]}


def rules_history(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(select(scoring_rules).where(scoring_rules.c.version > IN_FORCE).order_by(scoring_rules.c.version))
    return [{"version": r["rule_version"], "rules": json.loads(r["rules"]), "note": r["note"], "set_by": r["set_by"],
             "business_date": r["business_date"], "recorded_at": r["recorded_at"]} for r in rows.mappings()]


# -- points -----------------------------------------------------------------------------------------


def point_detail(conn: Connection, months: list[str], org_id: str | None = None) -> list[dict[str, Any]]:
    """Every point row in the months, with the event that made it and the events it rests on."""
    query = select(point_rows).where(point_rows.c.month.in_(months))
    if org_id is not None:
        query = query.where(point_rows.c.org_id == org_id)
    rows = []
    for r in conn.execute(query.order_by(point_rows.c.notification_id, point_rows.c.rule)).mappings():
        row = dict(r)
        row["points"] = Decimal(row["points"])
        row["sources"] = [
            {"event_type": s[0], "originator_id": s[1], "originator_version": s[2], "notification_id": s[3]}
            for s in json.loads(row["sources"])
        ]
        rows.append(row)
    return rows


@dataclass
class Tally:
    """One branch's points over a period, by dimension, by rule and by month."""

    org_id: str
    name: str
    total: Decimal = ZERO
    dimensions: dict[str, Decimal] = field(default_factory=lambda: {d: ZERO for d in DIMENSIONS})
    rules: dict[str, Decimal] = field(default_factory=dict)
    months: dict[str, Decimal] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    placed: dict[str, Decimal] = field(default_factory=dict)
    """Points per ``dimension:rule`` (an adjustment's dimension is its own, so a rule code alone
    does not always say where its points went)."""

    def add(self, row: dict[str, Any]) -> None:
        points = Decimal(row["points"])
        self.total += points
        key = f"{row['dimension']}:{row['rule']}"
        self.placed[key] = self.placed.get(key, ZERO) + points
        self.dimensions[row["dimension"]] = self.dimensions.get(row["dimension"], ZERO) + points
        self.rules[row["rule"]] = self.rules.get(row["rule"], ZERO) + points
        self.months[row["month"]] = self.months.get(row["month"], ZERO) + points
        self.counts[row["rule"]] = self.counts.get(row["rule"], 0) + 1

    def sources(self, n: int = 3) -> list[dict[str, Any]]:
        """Where the points came from, largest first."""
        gains = sorted(((r, p) for r, p in self.rules.items() if p > 0), key=lambda x: (-x[1], x[0]))
        return [{"rule": r, "points": p, "count": self.counts[r]} for r, p in gains[:n]]

    def losses(self, n: int = 3) -> list[dict[str, Any]]:
        lost = sorted(((r, p) for r, p in self.rules.items() if p < 0), key=lambda x: (x[1], x[0]))
        return [{"rule": r, "points": p, "count": self.counts[r]} for r, p in lost[:n]]

    def as_dict(self) -> dict[str, Any]:
        return {"org_id": self.org_id, "name": self.name, "points": self.total, **self.dimensions,
                "sources": self.sources(), "losses": self.losses()}


def tallies(conn: Connection, months: list[str]) -> dict[str, Tally]:
    """Every branch (with or without points) and its tally over the months."""
    result = {b["org_id"]: Tally(b["org_id"], b["name"]) for b in branches(conn)}
    query = select(point_rows.c.org_id, point_rows.c.month, point_rows.c.rule, point_rows.c.dimension, point_rows.c.points)
    for row in conn.execute(query.where(point_rows.c.month.in_(months))).mappings():
        tally = result.get(row["org_id"])
        if tally is not None:
            tally.add(dict(row))
    return result


def ranked(tallies_: dict[str, Tally]) -> list[dict[str, Any]]:
    """By points, highest first; equal points share a rank (1, 2, 2, 4), then by name."""
    ordered = sorted(tallies_.values(), key=lambda t: (-t.total, t.name))
    rows: list[dict[str, Any]] = []
    for position, tally in enumerate(ordered, start=1):
        rank = rows[-1]["rank"] if rows and rows[-1]["points"] == tally.total else position
        rows.append({"rank": rank, **tally.as_dict()})
    return rows


def ranking(conn: Connection, months: list[str]) -> list[dict[str, Any]]:
    return ranked(tallies(conn, months))


def monthly_points(conn: Connection, year: int, org_id: str | None = None) -> list[dict[str, Any]]:
    """Each branch's points in each month of the year, and its year to date."""
    rows = []
    for tally in tallies(conn, year_months(year)).values():
        if org_id is not None and tally.org_id != org_id:
            continue
        rows.append({"org_id": tally.org_id, "name": tally.name, "total": tally.total,
                     "months": {m: tally.months.get(m, ZERO) for m in year_months(year)}})
    return sorted(rows, key=lambda r: r["name"])


def monthly_series(conn: Connection, year: int, org_id: str, until: str | None = None) -> dict[str, Any]:
    """A branch's points per month beside every branch's median that month (for the chart)."""
    months = [m for m in year_months(year) if until is None or m <= until]
    all_tallies = tallies(conn, months)
    if org_id not in all_tallies:
        raise DomainError("not_a_branch", org=org_id)
    medians = [statistics.median([t.months.get(m, ZERO) for t in all_tallies.values()]) for m in months]
    mine = all_tallies[org_id]
    return {"name": mine.name, "months": months, "points": [mine.months.get(m, ZERO) for m in months],
            "median": [Decimal(m) for m in medians]}


def quarterly_comparison(conn: Connection, year: int, quarter: int, n: int = 5) -> dict[str, Any]:
    """季度亮比: the ranking, and the leading and lagging branches side by side with their reasons."""
    rows = ranking(conn, quarter_months(year, quarter))
    count = min(n, len(rows) // 2) if len(rows) > 1 else len(rows)
    return {"quarter": f"{year}Q{quarter}", "months": quarter_months(year, quarter), "ranking": rows,
            "leading": rows[:count], "lagging": list(reversed(rows[-count:])) if count else []}


def on_time_rates(conn: Connection, months: list[str]) -> list[dict[str, Any]]:
    """Accepted tasks on time vs late per branch, as counted by the scoring rules in force."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"task_on_time": 0, "task_late": 0})
    query = select(point_rows.c.org_id, point_rows.c.rule).where(
        point_rows.c.month.in_(months), point_rows.c.rule.in_(("task_on_time", "task_late"))
    )
    for row in conn.execute(query):
        counts[row.org_id][row.rule] += 1
    result = []
    for branch in branches(conn):
        c = counts.get(branch["org_id"], {"task_on_time": 0, "task_late": 0})
        done = c["task_on_time"] + c["task_late"]
        rate = (Decimal(c["task_on_time"]) * 100 / done).quantize(Decimal("0.1")) if done else None
        result.append({"org_id": branch["org_id"], "name": branch["name"], "on_time": c["task_on_time"],
                       "late": c["task_late"], "rate": rate})
    return result


def branch_activities(conn: Connection, months: list[str], org_id: str | None = None) -> list[dict[str, Any]]:
    query = select(activities).where(activities.c.business_date >= f"{months[0]}-01", activities.c.business_date <= f"{months[-1]}-31")
    if org_id is not None:
        query = query.where(activities.c.org_id == org_id)
    return [dict(r) for r in conn.execute(query.order_by(activities.c.business_date)).mappings()]


def adjustments(conn: Connection) -> list[dict[str, Any]]:
    query = (
        select(activities, organisations.c.name)
        .join(organisations, organisations.c.org_id == activities.c.org_id)
        .where(activities.c.kind == "adjustment")
        .order_by(activities.c.business_date)
    )
    return [dict(r) for r in conn.execute(query).mappings()]


def resolve_adjustment(conn: Connection, text: str) -> str:
    """An adjustment by its id as printed (the first 6 or more hex digits are enough)."""
    key = id_prefix(text, "adjustment")
    rows = conn.execute(
        select(activities.c.activity_id).where(
            activities.c.kind == "adjustment", activities.c.activity_id.startswith(key, autoescape=True)
        ).limit(3)
    ).all()
    if len(rows) != 1:
        if rows:
            raise DomainError("ambiguous", what="adjustment", key=text, candidates=[r[0][:12] for r in rows])
        raise NotFound("adjustment", text)
    return str(rows[0][0])


# -- 述职评议 -----------------------------------------------------------------------------------------


def review_list(conn: Connection, year: int | None = None) -> list[dict[str, Any]]:
    query = select(reviews, organisations.c.name).join(organisations, organisations.c.org_id == reviews.c.org_id)
    if year is not None:
        query = query.where(reviews.c.year == year)
    rows = []
    for r in conn.execute(query.order_by(reviews.c.year, organisations.c.name)).mappings():
        row = dict(r)
        row["marks"] = json.loads(row["marks"])
        row["history"] = json.loads(row["history"])
        rows.append(row)
    return rows


# -- the annual "631" -------------------------------------------------------------------------------


def weights_for(conn: Connection, year: int) -> Weights:
    row = conn.execute(select(assessment_weights.c.weights).where(assessment_weights.c.year == year)).first()
    return Weights.from_record(json.loads(row[0])) if row else Weights()


def assessment_inputs(conn: Connection, year: int) -> list[BranchInputs]:
    year_tallies = tallies(conn, year_months(year))
    published = {r["org_id"]: r for r in review_list(conn, year) if r["score"] is not None}
    surveys = {
        r.org_id: Decimal(r.score)
        for r in conn.execute(select(survey_scores.c.org_id, survey_scores.c.score).where(survey_scores.c.year == year))
    }
    return [
        BranchInputs(
            org_id=t.org_id, name=t.name, points=dict(t.dimensions), rules=dict(sorted(t.placed.items())),
            review_score=Decimal(published[t.org_id]["score"]) if t.org_id in published else None,
            review_grade=published[t.org_id]["grade"] if t.org_id in published else None,
            survey_score=surveys.get(t.org_id),
        )
        for t in year_tallies.values()
    ]


def assessment(conn: Connection, year: int) -> list[BranchScore]:
    """The year's 631 as the record stands now (not necessarily what was published)."""
    return assess(assessment_inputs(conn, year), weights_for(conn, year))


def published_assessment(conn: Connection, year: int) -> dict[str, Any] | None:
    row = conn.execute(select(published_assessments).where(published_assessments.c.year == year)).mappings().first()
    if row is None:
        return None
    return {"year": year, "weights": json.loads(row["weights"]), "results": json.loads(row["results"]),
            "published_by": row["published_by"], "business_date": row["business_date"], "recorded_at": row["recorded_at"]}


def breakdown(conn: Connection, year: int, org_id: str) -> dict[str, Any]:
    """A branch's year taken apart: dimension → rule → the events that earned or cost the points."""
    rows = point_detail(conn, year_months(year), org_id)
    tree: dict[str, dict[str, dict[str, Any]]] = {d: {} for d in DIMENSIONS}
    for row in rows:
        rule = tree.setdefault(row["dimension"], {}).setdefault(row["rule"], {"points": ZERO, "events": []})
        rule["points"] += row["points"]
        rule["events"].append(row)
    scores = {s.org_id: s for s in assessment(conn, year)}
    if org_id not in scores:
        raise DomainError("not_a_branch", org=org_id)
    return {"score": scores[org_id], "dimensions": tree}


# -- 月度通报 ----------------------------------------------------------------------------------------


def standings(conn: Connection, month: str) -> dict[str, dict[str, Any]]:
    """Per branch, its 月积分 standing for the month as plain values (for a bulletin's lines): rank
    and points that month, points of the year to date, and the top sources and losses."""
    year = int(month[:4])
    to_date = tallies(conn, [m for m in year_months(year) if m <= month])
    return {
        row["org_id"]: {
            "rank": row["rank"], "points": str(row["points"]), "year_to_date": str(to_date[row["org_id"]].total),
            "sources": [{"rule": s["rule"], "points": str(s["points"])} for s in row["sources"]],
            "losses": [{"rule": s["rule"], "points": str(s["points"])} for s in row["losses"]],
        }
        for row in ranking(conn, [month])
    }


def bulletin_lines(conn: Connection, month: str, today: date) -> list[dict[str, Any]]:
    """One line per branch for the month's bulletin: its rank and points that month, the year to
    date, what it finished (accepted tasks, rectifications in time, activities) and what is
    overdue as of ``today``. Plain values only, so the lines can be recorded in the bulletin event."""
    from projections.task_queries import branch_summary

    standing = standings(conn, month)
    names = {b["org_id"]: b["name"] for b in branches(conn)}
    board = {r["org_id"]: r for r in branch_summary(conn, today)}
    lines = []
    for org_id, line in standing.items():
        counts = _month_counts(conn, month, org_id)
        summary = board.get(org_id, {})
        lines.append({
            "org_id": org_id, "name": names[org_id], **line,
            "tasks_done": counts.get("task_on_time", 0) + counts.get("task_late", 0),
            "tasks_late": counts.get("task_late", 0),
            "rectified": counts.get("rectification_on_time", 0),
            "activities": sum(counts.get(k, 0) for k in ("model_branch_award", "party_plus_project", "service_team_activity")),
            "tasks_overdue": int(summary.get("tasks_overdue", 0)),
            "rectifications_overdue": int(summary.get("rectifications_overdue", 0)),
        })
    return lines


def _month_counts(conn: Connection, month: str, org_id: str) -> dict[str, int]:
    query = select(point_rows.c.rule).where(point_rows.c.month == month, point_rows.c.org_id == org_id)
    counts: dict[str, int] = defaultdict(int)
    for row in conn.execute(query):
        counts[row.rule] += 1
    return counts

"""Tables of the 述责 · 考责 views: point rows, the state the scoring needs, reviews and assessments.

Points are kept as exact decimal text (``"-0.5"``) and summed as ``Decimal`` in Python, so SQLite
and PostgreSQL give the same totals to the cent.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, Text

from projections.tables import DAY, ID, MOMENT, metadata

POINTS = String(24)

point_rows = Table(
    "view_point_rows",
    metadata,
    Column("notification_id", BigInteger, primary_key=True, autoincrement=False),
    Column("rule", String(30), primary_key=True),
    Column("org_id", ID, nullable=False),
    Column("month", String(7), nullable=False),
    Column("business_date", DAY, nullable=False),
    Column("dimension", String(20), nullable=False),
    Column("points", POINTS, nullable=False),
    Column("rule_version", Integer, nullable=False),
    Column("event_type", String(60), nullable=False),
    Column("originator_id", ID, nullable=False),
    Column("originator_version", Integer, nullable=False),
    Column("subject_id", ID, nullable=False),
    Column("sources", Text, nullable=False),
    Column("note", Text, nullable=False),
)
Index("ix_point_rows_month", point_rows.c.month, point_rows.c.org_id)
Index("ix_point_rows_org", point_rows.c.org_id, point_rows.c.month)

scoring_rules = Table(
    "view_scoring_rules",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("rule_version", Integer, nullable=False),
    Column("rules", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("set_by", String(40), nullable=False),
    Column("business_date", DAY, nullable=False),
    Column("recorded_at", MOMENT, nullable=False),
    Column("notification_id", BigInteger, nullable=False),
)

scoring_subjects = Table(
    "view_scoring_subjects",
    metadata,
    Column("subject_id", ID, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("org_id", ID, nullable=False),
    Column("deadline", DAY),
    Column("original_deadline", DAY),
    Column("reported_on", DAY),
    Column("reported_event", Text),
    Column("charged", Integer, nullable=False),
    Column("detail", Text, nullable=False),
)
"""What scoring must remember between events: a task's or rectification's branch and deadlines,
when its work was last reported done (and by which event), whether its overdue has been charged;
an interview's branch; a pending adjustment."""

reviews = Table(
    "view_reviews",
    metadata,
    Column("review_id", ID, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("org_id", ID, nullable=False),
    Column("secretary_id", ID, nullable=False),
    Column("business_account", Text, nullable=False),
    Column("party_account", Text, nullable=False),
    Column("status", String(12), nullable=False),
    Column("marks", Text, nullable=False),
    Column("score", POINTS),
    Column("grade", String(12)),
    Column("published_on", DAY),
    Column("history", Text, nullable=False),
)
Index("ix_reviews_year", reviews.c.year, reviews.c.org_id)

assessment_weights = Table(
    "view_assessment_weights",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("weights", Text, nullable=False),
    Column("set_by", String(40), nullable=False),
)

survey_scores = Table(
    "view_survey_scores",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("org_id", ID, primary_key=True),
    Column("score", POINTS, nullable=False),
    Column("entered_by", String(40), nullable=False),
)

published_assessments = Table(
    "view_published_assessments",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("weights", Text, nullable=False),
    Column("results", Text, nullable=False),
    Column("published_by", String(40), nullable=False),
    Column("business_date", DAY, nullable=False),
    Column("recorded_at", MOMENT, nullable=False),
)

activities = Table(
    "view_branch_activities",
    metadata,
    Column("activity_id", ID, primary_key=True),
    Column("kind", String(30), nullable=False),
    Column("org_id", ID, nullable=False),
    Column("title", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("business_date", DAY, nullable=False),
    Column("actor", String(40), nullable=False),
    Column("status", String(12), nullable=False),
)
Index("ix_activities_org", activities.c.org_id, activities.c.business_date)

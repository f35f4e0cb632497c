"""The read-model tables, on the same database as the events.

Ids are stored as 32-character hex strings and dates as ISO text so that SQLite and PostgreSQL
hold the same values and every query compares them the same way.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

ID = String(32)
DAY = String(10)
MOMENT = String(32)

positions = Table(
    "projection_positions",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("updated_at", MOMENT, nullable=False),
)

view_failures = Table(
    "projection_failures",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("error", Text, nullable=False),
    Column("failed_at", MOMENT, nullable=False),
    Column("skipped", Boolean, nullable=False),
)
"""The last event each view could not apply: it stays just before it (``skipped``: it passed it
by, ``View.skips_failed_events``); the other views go on."""

organisations = Table(
    "view_organisations",
    metadata,
    Column("org_id", ID, primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("parent_id", ID),
    Column("dissolved_on", DAY),
)

people = Table(
    "view_people",
    metadata,
    Column("person_id", ID, primary_key=True),
    Column("name", Text, nullable=False),
    Column("staff_no", Text, nullable=False, unique=True),
    Column("org_id", ID, nullable=False),
    Column("email", Text, nullable=False),
    Column("phone", Text, nullable=False),
    Column("roles", Text, nullable=False),
    Column("liaison_org_ids", Text, nullable=False),
    Column("left_on", DAY),
)
Index("ix_people_org", people.c.org_id)
Index("ix_people_name", people.c.name)

saved_filters = Table(
    "view_saved_filters",
    metadata,
    Column("person_id", ID, primary_key=True),
    Column("list_name", String(20), primary_key=True),
    Column("filter_name", Text, primary_key=True),
    Column("query", Text, nullable=False),
    Column("saved_at", MOMENT, nullable=False),
)
"""The filters each person keeps for a list (FilterSaved, FilterDeleted in the person's stream)."""

role_assignments = Table(
    "view_role_assignments",
    metadata,
    Column("person_id", ID, primary_key=True),
    Column("role", String(30), primary_key=True),
    Column("org_id", ID, primary_key=True),
    Column("duty", Text, nullable=False),
    Column("field_org_ids", Text, nullable=False),
)
Index("ix_roles_org", role_assignments.c.org_id, role_assignments.c.role)

responsibility_lists = Table(
    "view_responsibility_lists",
    metadata,
    Column("list_id", ID, primary_key=True),
    Column("title", Text, nullable=False),
    Column("year", Integer, nullable=False),
    Column("org_id", ID, nullable=False),
)

responsibility_aspects = Table(
    "view_responsibility_aspects",
    metadata,
    Column("aspect_id", ID, primary_key=True),
    Column("list_id", ID, nullable=False),
    Column("title", Text, nullable=False),
)

responsibility_items = Table(
    "view_responsibility_items",
    metadata,
    Column("item_id", ID, primary_key=True),
    Column("list_id", ID, nullable=False),
    Column("aspect_id", ID, nullable=False),
    Column("text", Text, nullable=False),
    Column("responsible_role", String(30), nullable=False),
    Column("responsible_person_id", ID),
)

meetings = Table(
    "view_meetings",
    metadata,
    Column("meeting_id", ID, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("org_id", ID, nullable=False),
    Column("title", Text, nullable=False),
    Column("planned_on", DAY, nullable=False),
    Column("held_on", DAY),
    Column("attendees", Integer, nullable=False),
    Column("decisions", Text, nullable=False),
    Column("tasks_issued", Integer, nullable=False),
)
Index("ix_meetings_org", meetings.c.org_id, meetings.c.held_on)

meeting_attendees = Table(
    "view_meeting_attendees",
    metadata,
    Column("person_id", ID, primary_key=True),
    Column("meeting_id", ID, primary_key=True),
)
"""Who attended each meeting, from its minutes: the meetings list's person filter."""

tasks = Table(
    "view_tasks",
    metadata,
    Column("task_id", ID, primary_key=True),
    Column("title", Text, nullable=False),
    Column("requirements", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("org_id", ID, nullable=False),
    Column("owner_id", ID, nullable=False),
    Column("issued_by", String(40), nullable=False),
    Column("reviewer_id", String(40), nullable=False),
    Column("issued_on", DAY, nullable=False),
    Column("deadline", DAY, nullable=False),
    Column("original_deadline", DAY, nullable=False),
    Column("deadline_rule", Text, nullable=False),
    Column("meeting_id", ID),
    Column("parent_task_id", ID),
    Column("task_list_id", ID, nullable=False),
    Column("list_item_id", ID),
    Column("report_cycle", String(10), nullable=False),
    Column("last_progress_on", DAY),
    Column("reported_done_on", DAY),
    Column("accepted_on", DAY),
    Column("pending_extension", DAY),
    Column("return_count", Integer, nullable=False),
    Column("followers", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", MOMENT, nullable=False),
)
Index("ix_tasks_org_status", tasks.c.org_id, tasks.c.status)
Index("ix_tasks_owner_status", tasks.c.owner_id, tasks.c.status)
Index("ix_tasks_status_deadline", tasks.c.status, tasks.c.deadline)
Index("ix_tasks_deadline", tasks.c.deadline, tasks.c.task_id)
"""The task list's default order, so that its first page of a province's tasks is read, not sorted."""
Index("ix_tasks_meeting", tasks.c.meeting_id)
Index("ix_tasks_status_org_deadline", tasks.c.status, tasks.c.org_id, tasks.c.deadline)
"""Covers the board's count of unfinished and overdue tasks per branch without reading the rows."""
Index("ix_tasks_reviewer_status", tasks.c.reviewer_id, tasks.c.status)
"""A handover's look-up of the reviews someone owes."""
Index("ix_tasks_cycle_status", tasks.c.report_cycle, tasks.c.status)
"""The few tasks that report on a cycle, for the deadline job's late-report check."""

task_followers = Table(
    "view_task_followers",
    metadata,
    Column("person_id", ID, primary_key=True),
    Column("task_id", ID, primary_key=True),
)

branch_counts = Table(
    "view_branch_counts",
    metadata,
    Column("org_id", ID, primary_key=True),
    Column("done_on_time", Integer, nullable=False),
    Column("done_late", Integer, nullable=False),
)

findings = Table(
    "view_findings",
    metadata,
    Column("finding_id", ID, primary_key=True),
    Column("inspection_id", ID, nullable=False),
    Column("inspection_kind", String(20), nullable=False),
    Column("subject", Text, nullable=False),
    Column("org_id", ID, nullable=False),
    Column("description", Text, nullable=False),
    Column("raised_by", String(40), nullable=False),
    Column("raised_on", DAY, nullable=False),
)
Index("ix_findings_org", findings.c.org_id)

interviews = Table(
    "view_interviews",
    metadata,
    Column("interview_id", ID, primary_key=True),
    Column("interviewer_id", ID, nullable=False),
    Column("interviewee_id", ID, nullable=False),
    Column("org_id", ID, nullable=False),
    Column("reason", Text, nullable=False),
    Column("causes", Text, nullable=False),
    Column("planned_on", DAY, nullable=False),
    Column("held_on", DAY),
    Column("status", String(20), nullable=False),
    Column("rectification_deadline", DAY),
)

rectifications = Table(
    "view_rectifications",
    metadata,
    Column("rectification_id", ID, primary_key=True),
    Column("source_kind", String(20), nullable=False),
    Column("source_id", ID, nullable=False),
    Column("org_id", ID, nullable=False),
    Column("owner_id", ID, nullable=False),
    Column("raised_by", String(40), nullable=False),
    Column("checker_id", String(40), nullable=False),
    Column("requirement", Text, nullable=False),
    Column("status", String(24), nullable=False),
    Column("opened_on", DAY, nullable=False),
    Column("deadline", DAY, nullable=False),
    Column("original_deadline", DAY, nullable=False),
    Column("completion_reported_on", DAY),
    Column("verified_by", String(40)),
    Column("verified_on", DAY),
    Column("closed_on", DAY),
    Column("return_count", Integer, nullable=False),
    Column("version", Integer, nullable=False),
)
Index("ix_rect_org_status", rectifications.c.org_id, rectifications.c.status)
Index("ix_rect_status_deadline", rectifications.c.status, rectifications.c.deadline)
Index("ix_rect_owner", rectifications.c.owner_id)

chain_links = Table(
    "view_chain_links",
    metadata,
    Column("entity_id", ID, primary_key=True),
    Column("chain_id", ID, primary_key=True),
)
Index("ix_chain_links_chain", chain_links.c.chain_id)

chain_reminders = Table(
    "view_chain_reminders",
    metadata,
    Column("reminder_id", ID, primary_key=True),
    Column("target_id", ID, nullable=False),
)
"""Every reminder by what it was about, so that a chain formed later (an interview about an
overdue task) takes in the reminders that led to it."""
Index("ix_chain_reminders_target", chain_reminders.c.target_id)

trail = Table(
    "view_trail",
    metadata,
    Column("notification_id", BigInteger, primary_key=True, autoincrement=False),
    Column("recorded_at", MOMENT, nullable=False),
    Column("business_date", DAY, nullable=False),
    Column("actor", String(40), nullable=False),
    Column("event_type", String(60), nullable=False),
    Column("entity_kind", String(30), nullable=False),
    Column("entity_id", ID, nullable=False),
    Column("org_id", ID),
)
# By log position, the order the trail is read in: on (actor, recorded time) SQLite sorted every row
# of a supervisor to return the last 500 (102 ms at 213k events; 12.7 ms on these).
Index("ix_trail_actor_position", trail.c.actor, trail.c.notification_id)
Index("ix_trail_entity", trail.c.entity_id)
Index("ix_trail_org_position", trail.c.org_id, trail.c.notification_id)
Index("ix_trail_recorded", trail.c.recorded_at)

reminders = Table(
    "view_reminders",
    metadata,
    Column("reminder_id", ID, primary_key=True),
    Column("target_kind", String(20), nullable=False),
    Column("target_id", ID, nullable=False),
    Column("level", String(30), nullable=False),
    Column("step", Integer, nullable=False),
    Column("deadline", DAY, nullable=False),
    Column("recipient_id", ID, nullable=False),
    Column("org_id", ID, nullable=False),
    Column("recorded_on", DAY, nullable=False),
)
Index("ix_reminders_target", reminders.c.target_id)

calendar_loads = Table(
    "view_calendar_loads",
    metadata,
    Column("notification_id", BigInteger, primary_key=True, autoincrement=False),
    Column("year", Integer, nullable=False),
    Column("holidays", Text, nullable=False),
    Column("working_weekends", Text, nullable=False),
    Column("names", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("actor", String(40), nullable=False),
    Column("recorded_at", MOMENT, nullable=False),
)

work_prompts = Table(
    "view_work_prompts",
    metadata,
    Column("prompt_id", ID, primary_key=True),
    Column("org_id", ID, nullable=False),
    Column("title", Text, nullable=False),
    Column("content", Text, nullable=False),
    Column("sent_by", String(40), nullable=False),
    Column("sent_on", DAY, nullable=False),
)

trail_actors = Table(
    "view_trail_actors",
    metadata,
    Column("person_id", ID, primary_key=True),
    Column("name", Text, nullable=False),
    Column("roles", Text, nullable=False),
)

trail_actor_changes = Table(
    "view_trail_actor_changes",
    metadata,
    Column("person_id", ID, primary_key=True),
    Column("notification_id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("roles", Text, nullable=False),
)

trail_entities = Table(
    "view_trail_entities",
    metadata,
    Column("entity_id", ID, primary_key=True),
    Column("kind", String(30), nullable=False),
    Column("org_id", ID),
)

warning_policy = Table(
    "view_warning_policy",
    metadata,
    Column("policy", String(10), primary_key=True),
    Column("due_soon", Integer, nullable=False),
    Column("serious", Integer, nullable=False),
    Column("escalation_grace", Text, nullable=False),
    Column("set_by", String(40), nullable=False),
    Column("recorded_at", MOMENT, nullable=False),
)

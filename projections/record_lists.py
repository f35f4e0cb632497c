"""The lists of findings (发现问题), interviews (约谈), rectifications (整改) and meetings (会议),
each described once — which rows, named how, who may see them, what they are filtered and sorted
by — and answered by one query builder, as the task list is (projections/task_finder.py): the
same rows for the web pages, their .xlsx/CSV exports and the API (/api/v1/lists/…).

Every list filters by organisation (and those below it), by a person, by status, by a date range
and by what fits it (the kind of inspection, where a rectification comes from, overdue)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, case, func, literal, or_, select

from domain.vocabulary import InspectionKind, MeetingKind
from projections.chain_queries import OPEN_RECTIFICATION
from projections.listing import Page, Paging, fetch
from projections.tables import findings, interviews, meeting_attendees, meetings, organisations, people, rectifications
from projections.task_finder import Seeing, organisation_tree

UNRECTIFIED = "unrectified"
"""A finding no rectification has been opened for."""


@dataclass(frozen=True)
class Choice:
    """A filter particular to one list: the values it takes and the condition each stands for."""

    zh: str
    en: str
    values: tuple[str, ...]
    condition: Callable[[str, str], Any]
    """(value, today as ISO) → a condition on the list's rows."""
    labels: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Words for values the domain has none for."""


@dataclass(frozen=True)
class RecordList:
    name: str
    zh: str
    en: str
    key: Any
    counted: Callable[[], Any]
    """What the conditions are on: the table, or the table with the join its status needs."""
    named: Callable[[], Any]
    org: Any
    naming: Callable[[str], Any]
    """The rows that name a person: what the person filter keeps."""
    status: Any
    statuses: tuple[str, ...]
    day: Any
    day_zh: str
    day_en: str
    sorts: Mapping[str, Any]
    default_sort: str
    descending: bool = True
    choices: Mapping[str, Choice] = field(default_factory=dict)
    seen_when_named: bool = True
    """A row naming the person is theirs to see, whatever its organisation (a meeting is not:
    its page is its organisation's)."""


@dataclass(frozen=True)
class Wanted:
    """What the person asked of a list. Empty fields filter nothing."""

    paging: Paging
    org_id: str | None = None
    below: bool = True
    among: tuple[str, ...] | None = None
    """Only these organisations themselves (the branches a board shows)."""
    work_of: tuple[tuple[str, ...], str] | None = None
    """A person's own work as home counts it: their branches' rows, and those naming them."""
    person_id: str | None = None
    statuses: tuple[str, ...] = ()
    day_from: date | None = None
    day_to: date | None = None
    chosen: tuple[tuple[str, str], ...] = ()
    """The list's own filters, as (name, value)."""


def find(conn: Connection, kind: RecordList, wanted: Wanted, seeing: Seeing, today: date, *, every: bool = False) -> Page:
    """One page of the rows asked for that the person may see, and their total."""
    conditions: list[Any] = []
    if seeing.orgs is not None:
        mine = kind.org.in_(sorted(seeing.orgs))
        conditions.append(or_(mine, kind.naming(seeing.person_id)) if kind.seen_when_named else mine)
    if wanted.org_id:
        conditions.append(kind.org.in_(organisation_tree(conn, wanted.org_id) if wanted.below else [wanted.org_id]))
    if wanted.among is not None:
        conditions.append(kind.org.in_(list(wanted.among)))
    if wanted.work_of is not None:
        branches, person = wanted.work_of
        conditions.append(or_(kind.org.in_(list(branches)), kind.naming(person)))
    if wanted.person_id:
        conditions.append(kind.naming(wanted.person_id))
    if wanted.statuses:
        conditions.append(kind.status.in_(list(wanted.statuses)))
    if wanted.day_from:
        conditions.append(kind.day >= wanted.day_from.isoformat())
    if wanted.day_to:
        conditions.append(kind.day <= wanted.day_to.isoformat())
    for name, value in wanted.chosen:
        conditions.append(kind.choices[name].condition(value, today.isoformat()))
    return fetch(conn, kind.counted(), kind.named(), conditions, kind.sorts, wanted.paging, (kind.key,), every=every)


_org = organisations.c.name.label("org_name")
_owner = people.alias("owner")
_interviewer = people.alias("interviewer")
_interviewee = people.alias("interviewee")
_source_finding = findings.alias("source_finding")
_source_interview = interviews.alias("source_interview")
_finding_status = func.coalesce(rectifications.c.status, literal(UNRECTIFIED))
_meeting_status = case((meetings.c.held_on.is_(None), "planned"), else_="held")


def _findings_joined() -> Any:
    return findings.outerjoin(rectifications, rectifications.c.source_id == findings.c.finding_id)


def _findings_named() -> Any:
    return (
        select(findings, _org, _finding_status.label("status"), rectifications.c.rectification_id, _owner.c.name.label("owner_name"))
        .select_from(_findings_joined())
        .join(organisations, organisations.c.org_id == findings.c.org_id)
        .outerjoin(_owner, _owner.c.person_id == rectifications.c.owner_id)
    )


def _interviews_named() -> Any:
    return (
        select(interviews, _org, _interviewer.c.name.label("interviewer_name"), _interviewee.c.name.label("interviewee_name"))
        .join(organisations, organisations.c.org_id == interviews.c.org_id)
        .join(_interviewer, _interviewer.c.person_id == interviews.c.interviewer_id)
        .join(_interviewee, _interviewee.c.person_id == interviews.c.interviewee_id)
    )


def _rectifications_named() -> Any:
    """Each rectification with the finding or the interview it comes from: many share one
    requirement's wording, their sources tell them apart."""
    return (
        select(
            rectifications, _org, _owner.c.name.label("owner_name"),
            func.coalesce(_source_finding.c.description, _source_interview.c.reason).label("source_text"),
        )
        .join(organisations, organisations.c.org_id == rectifications.c.org_id)
        .join(_owner, _owner.c.person_id == rectifications.c.owner_id)
        .outerjoin(_source_finding, _source_finding.c.finding_id == rectifications.c.source_id)
        .outerjoin(_source_interview, _source_interview.c.interview_id == rectifications.c.source_id)
    )


def _meetings_named() -> Any:
    return select(meetings, _org, _meeting_status.label("status")).join(organisations, organisations.c.org_id == meetings.c.org_id)


def _rect_open(value: str, today: str) -> Any:
    return rectifications.c.status != "closed"


def _rect_overdue(value: str, today: str) -> Any:
    """Overdue on the owner, as the board counts it: still to be reported complete, past the deadline."""
    return and_(rectifications.c.status.in_(OPEN_RECTIFICATION), rectifications.c.deadline < today)


def _attended(person: str) -> Any:
    return meetings.c.meeting_id.in_(select(meeting_attendees.c.meeting_id).where(meeting_attendees.c.person_id == person))


YES = {"1": ("是", "yes")}

FINDINGS = RecordList(
    name="findings", zh="发现问题", en="Findings", key=findings.c.finding_id,
    counted=_findings_joined, named=_findings_named, org=findings.c.org_id,
    naming=lambda person: rectifications.c.owner_id == person,
    status=_finding_status,
    statuses=(UNRECTIFIED, "opened", "returned", "completion_reported", "verified", "closed"),
    day=findings.c.raised_on, day_zh="发现日期", day_en="Raised",
    sorts={"raised_on": findings.c.raised_on, "description": findings.c.description, "org": organisations.c.name,
           "subject": findings.c.subject, "status": _finding_status},
    default_sort="raised_on",
    choices={"inspection": Choice("检查方式", "Inspection", tuple(k.value for k in InspectionKind),
                                  lambda value, today: findings.c.inspection_kind == value)},
)

INTERVIEWS = RecordList(
    name="interviews", zh="约谈", en="Interviews", key=interviews.c.interview_id,
    counted=lambda: interviews, named=_interviews_named, org=interviews.c.org_id,
    naming=lambda person: or_(interviews.c.interviewer_id == person, interviews.c.interviewee_id == person),
    status=interviews.c.status, statuses=("scheduled", "held"),
    day=interviews.c.planned_on, day_zh="计划日期", day_en="Planned",
    sorts={"planned_on": interviews.c.planned_on, "held_on": interviews.c.held_on, "reason": interviews.c.reason,
           "org": organisations.c.name, "interviewee": _interviewee.c.name, "status": interviews.c.status,
           "rectification_deadline": interviews.c.rectification_deadline},
    default_sort="planned_on",
)

RECTIFICATIONS = RecordList(
    name="rectifications", zh="整改", en="Rectifications", key=rectifications.c.rectification_id,
    counted=lambda: rectifications, named=_rectifications_named, org=rectifications.c.org_id,
    naming=lambda person: rectifications.c.owner_id == person,
    status=rectifications.c.status, statuses=("opened", "returned", "completion_reported", "verified", "closed"),
    day=rectifications.c.deadline, day_zh="时限", day_en="Deadline",
    sorts={"deadline": rectifications.c.deadline, "opened_on": rectifications.c.opened_on,
           "requirement": rectifications.c.requirement, "org": organisations.c.name, "owner": _owner.c.name,
           "status": rectifications.c.status},
    default_sort="deadline", descending=False,
    choices={
        "source": Choice("来源", "From", ("finding", "interview"), lambda value, today: rectifications.c.source_kind == value),
        "open": Choice("未销号", "Not closed", ("1",), _rect_open, YES),
        "overdue": Choice("逾期", "Overdue", ("1",), _rect_overdue, YES),
    },
)

MEETINGS = RecordList(
    name="meetings", zh="会议", en="Meetings", key=meetings.c.meeting_id,
    counted=lambda: meetings, named=_meetings_named, org=meetings.c.org_id, naming=_attended, seen_when_named=False,
    status=_meeting_status, statuses=("planned", "held"),
    day=meetings.c.planned_on, day_zh="计划日期", day_en="Planned",
    sorts={"planned_on": meetings.c.planned_on, "held_on": meetings.c.held_on, "title": meetings.c.title,
           "org": organisations.c.name, "tasks_issued": meetings.c.tasks_issued, "status": _meeting_status},
    default_sort="planned_on",
    choices={"type": Choice("会议类型", "Kind", tuple(k.value for k in MeetingKind),
                            lambda value, today: meetings.c.kind == value)},
)

LISTS: dict[str, RecordList] = {kind.name: kind for kind in (FINDINGS, INTERVIEWS, RECTIFICATIONS, MEETINGS)}

"""The shapes the JSON API reads and writes, as pydantic models: they validate what a program
sends (a missing or malformed field is named before any command runs) and describe both
directions in the OpenAPI document. Ids are UUIDs (the views keep them as 32 hex digits); days
are ISO dates in Asia/Shanghai business time; recorded moments are UTC."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from domain.commands.task_lists import TaskSpec
from domain.ranges import DEADLINE_WORKING_DAYS
from domain.task import Deadline
from domain.vocabulary import InspectionKind, MeetingKind, ReportCycle

# -- values ----------------------------------------------------------------------------------------

MESSAGES = {
    "iso_day": ("应为日期，格式 YYYY-MM-DD（如 2026-06-30）", "must be a day written YYYY-MM-DD (e.g. 2026-06-30)"),
    "not_null": ("不能为 null；不需要时省略该项", "must not be null; leave it out instead"),
    "one_deadline": (
        "截止日期（deadline）与工作日数（working_days）须填且只填一项",
        "give exactly one of deadline and working_days",
    ),
}
"""The refusals these models raise themselves, in zh-CN and en (the API's caller reads its own
language; pydantic's own texts are English only)."""

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_HEX_ID = re.compile(r"[0-9a-f]{32}")


def _iso_day(value: Any) -> Any:
    """Only a day written as a day: pydantic alone reads ``0`` as 1970-01-01 and a number as
    seconds since then, which no caller means."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
        return value
    raise PydanticCustomError("iso_day", MESSAGES["iso_day"][1])


def _dashed(value: Any) -> Any:
    """A person's id as the rest of the API spells it (the views keep 32 hex digits); an actor
    that is not a person (``system:scheduler``) stays as it is."""
    return str(UUID(value)) if isinstance(value, str) and _HEX_ID.fullmatch(value) else value


def _not_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("not_null", MESSAGES["not_null"][1])
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]
OmittableDay = Annotated[date | None, BeforeValidator(_iso_day), WithJsonSchema({"type": "string", "format": "date"})]
"""A day that may be left out, but is never null (one of two fields where exactly one is given:
a null would count as given in the document and as missing here)."""
Actor = Annotated[str, BeforeValidator(_dashed)]
"""Who did something: a person's id (a UUID like every other id) or ``system:…``."""

# -- reads -----------------------------------------------------------------------------------------


class Row(BaseModel):
    """A row of a view; columns the model does not name are left out."""

    model_config = ConfigDict(extra="ignore")


class RoleHeld(BaseModel):
    role: str
    org_id: UUID


class Person(Row):
    person_id: UUID
    name: str
    staff_no: str
    org_id: UUID
    roles: list[RoleHeld]
    csrf_token: str | None = Field(None, description="With a browser session only: send it as X-CSRF-Token on writes")


class Task(Row):
    task_id: UUID
    title: str
    requirements: str
    status: str
    org_id: UUID
    org_name: str
    owner_id: UUID
    owner_name: str
    issued_by: Actor
    issued_on: date
    deadline: date
    original_deadline: date
    deadline_rule: str
    meeting_id: UUID | None = None
    meeting_title: str | None = None
    parent_task_id: UUID | None = None
    pending_extension: date | None = None
    reported_done_on: date | None = None
    accepted_on: date | None = None
    return_count: int
    version: int = Field(description="Send as expected_version with a command to refuse a stale edit")
    level: str | None = Field(None, description="Deadline warning: due_soon, due_today, overdue, seriously_overdue")


class TrailEntry(Row):
    notification_id: int
    recorded_at: str
    business_date: date
    actor: Actor
    actor_name: str
    actor_roles: list[str]
    event_type: str
    entity_kind: str
    entity_id: UUID
    org_id: UUID | None = None
    details: dict[str, Any]
    via: str = ""
    """Where the command came from beyond the person named: ``cli:<OS user>@<host>`` for the
    command line (run by whoever can open the database); empty for the web and the scheduler."""


class TaskDetail(Task):
    list_item: str | None = None
    timeline: list[TrailEntry]


class Warning(Row):
    kind: str = Field(description="task or rectification")
    id: UUID
    title: str
    deadline: date
    original_deadline: date
    status: str
    org_id: UUID
    org_name: str
    owner_id: UUID
    owner_name: str
    level: str
    working_days_left: int | None


class Rectification(Row):
    rectification_id: UUID
    source_kind: str
    source_id: UUID
    org_id: UUID
    org_name: str | None = None
    owner_id: UUID
    owner_name: str | None = None
    raised_by: Actor
    requirement: str
    status: str
    opened_on: date
    deadline: date
    original_deadline: date
    completion_reported_on: date | None = None
    verified_on: date | None = None
    closed_on: date | None = None
    return_count: int
    version: int


class OpenChain(Rectification):
    age_days: int
    overdue: bool
    level: str | None = None


class MyWork(BaseModel):
    today: date
    warnings: list[Warning]
    tasks: list[Task]
    rectifications: list[OpenChain]


class BoardRow(Row):
    org_id: UUID
    name: str
    kind: str
    tasks_open: int
    tasks_overdue: int
    done_on_time: int
    done_late: int
    awaiting_acceptance: int
    rectifications_open: int
    rectifications_closed: int
    rectifications_overdue: int
    last_meeting: date | None = None


class Board(BaseModel):
    today: date
    branches: list[BoardRow]


class Finding(Row):
    finding_id: UUID
    inspection_id: UUID
    inspection_kind: str
    subject: str
    org_id: UUID
    description: str
    raised_by: Actor
    raised_on: date


class Interview(Row):
    interview_id: UUID
    interviewer_id: UUID
    interviewee_id: UUID
    org_id: UUID
    reason: str
    planned_on: date
    held_on: date | None = None
    status: str
    rectification_deadline: date | None = None


class Chain(BaseModel):
    chain_ids: list[UUID]
    findings: list[Finding]
    interviews: list[Interview]
    rectifications: list[Rectification]
    timeline: list[TrailEntry]


class Meeting(Row):
    meeting_id: UUID
    kind: str
    org_id: UUID
    org_name: str
    title: str
    planned_on: date
    held_on: date | None = None
    attendees: int
    tasks_issued: int


class ViewState(BaseModel):
    name: str
    position: int
    lag: int
    updated_at: str | None = None
    failed_event: int | None = None
    """The event this view could not apply (it stands just before it); none while it is well."""
    failed_event_type: str = ""
    failure: str = ""


class Status(BaseModel):
    today: date
    events: int
    views: list[ViewState]
    calendar_warning: str | None


# -- commands --------------------------------------------------------------------------------------


class Versioned(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expected_version: int | None = Field(
        None, ge=1, description="The version you read; if it changed since, the command is refused with 409"
    )


class Note(Versioned):
    note: str


class Reason(Versioned):
    reason: str


class Comment(Versioned):
    comment: str = ""


class Opinion(Versioned):
    opinion: str = ""


class Plan(Versioned):
    plan: str


class EvidenceFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="The file's name; its ending decides the type (pdf, png, jpg, docx, xlsx, pptx)")
    content_base64: str = Field(description="The file's bytes, base64-encoded")


class Evidence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = ""
    links: list[str] = []
    files: list[EvidenceFile] = []


class Report(Versioned):
    note: str = ""
    evidence: Evidence


class ExtensionRequest(Versioned):
    deadline: Day
    reason: str


class FollowRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _exactly_one_deadline(schema: dict[str, Any]) -> None:
    """Says in the document what ``_one`` checks: one of the two, not both, not neither (and
    neither has a default: left out is not the same as null)."""
    for name in ("deadline", "working_days"):
        schema["properties"][name].pop("default", None)
    schema["oneOf"] = [
        {"required": ["deadline"], "not": {"required": ["working_days"]}},
        {"required": ["working_days"], "not": {"required": ["deadline"]}},
    ]


class DeadlineIn(BaseModel):
    """A date, or a number of working days counted by the official calendar from the day the
    command runs (fixed then, never moved by a later calendar change): exactly one of the two."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_exactly_one_deadline)

    deadline: OmittableDay = Field(None, description="The deadline; or give working_days instead")
    working_days: Annotated[
        int | None,
        BeforeValidator(_not_null),
        WithJsonSchema(
            {"type": "integer", "minimum": DEADLINE_WORKING_DAYS.low, "maximum": DEADLINE_WORKING_DAYS.high}
        ),
    ] = Field(
        None,
        ge=DEADLINE_WORKING_DAYS.low,
        le=DEADLINE_WORKING_DAYS.high,
        description="Working days from today; or give deadline instead",
    )

    @model_validator(mode="after")
    def _one(self) -> DeadlineIn:
        if (self.deadline is None) == (self.working_days is None):
            raise PydanticCustomError("one_deadline", MESSAGES["one_deadline"][1])
        return self

    def domain(self) -> Deadline:
        return Deadline(on=self.deadline, working_days=self.working_days)


class TaskLine(DeadlineIn):
    title: str
    org_id: UUID
    owner_id: UUID
    requirements: str = ""
    report_cycle: ReportCycle = ReportCycle.NONE
    follower_ids: list[UUID] = []

    def spec(self) -> TaskSpec:
        return TaskSpec(
            title=self.title, org_id=self.org_id, owner_id=self.owner_id, deadline=self.domain(),
            requirements=self.requirements, report_cycle=self.report_cycle, follower_ids=tuple(self.follower_ids),
        )


class TaskLines(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tasks: list[TaskLine] = Field(min_length=1, max_length=500)


class MeetingPlan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: MeetingKind
    org_id: UUID
    title: str
    planned_on: Day


class Minutes(BaseModel):
    model_config = ConfigDict(extra="forbid")

    held_on: Day
    attendee_ids: list[UUID] = []
    decisions: list[str] = []
    summary: str = ""


class InspectionRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: InspectionKind
    org_id: UUID
    subject: str
    findings: list[str] = []
    conducted_on: Day | None = None


class RectificationOpening(DeadlineIn):
    owner_id: UUID
    requirement: str


class InterviewPlan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    interviewer_id: UUID
    interviewee_id: UUID
    reason: str
    planned_on: Day
    task_ids: list[UUID] = []
    finding_ids: list[UUID] = []


class InterviewHeld(DeadlineIn):
    held_on: Day
    minutes: str
    commitments: list[str] = []
    requirement: str


class Done(BaseModel):
    """What a command did: the id of what it made or changed, and that thing's version now (with
    the ids of what it made besides: a task list's tasks, a break-down's)."""

    ok: bool = True
    id: UUID
    ids: list[UUID] = []
    version: int


class Made(BaseModel):
    """What a command made that has no version of its own: an inspection, with its findings."""

    ok: bool = True
    id: UUID
    ids: list[UUID] = []


class CalendarLoadRow(BaseModel):
    year: int
    source: str
    actor: str
    actor_name: str
    recorded_at: str
    changes: str
    diff: dict[str, list[date]]


class CalendarState(BaseModel):
    today: date
    known_years: list[int]
    builtin_years: list[int]
    loaded_years: list[int]
    loads: list[CalendarLoadRow]
    warning: str | None = Field(description="From 1 November while next year's schedule is missing")


class ScheduleFile(BaseModel):
    """A year's schedule file as ``dutyloop calendar load`` reads it (see docs/calendar.md); the
    name's ending (.txt, .csv, .xlsx) decides the format."""

    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=1900, le=2200)
    filename: str
    content_base64: str


class ScheduleLoad(ScheduleFile):
    source: str = Field(description="Where the schedule comes from, e.g. the notice's number")
    replace_known: bool = Field(False, description="Needed to change a year already known (built in or loaded)")


class SchedulePreview(BaseModel):
    ok: bool = True
    year: int
    replaces: str | None = Field(description="null: the year is unknown; builtin; loaded")
    changed: bool
    diff: dict[str, list[date]]
    recorded: bool = False

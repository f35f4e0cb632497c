"""The one command API that the CLI, the web and the scheduler all call.

Each command names its actor, loads what it needs, lets the aggregates check the rules, and
saves every resulting event in one atomic write. A version conflict (someone else changed the
same aggregate between our read and our write) reruns the whole command against fresh state, so
the other change is neither lost nor silently overwritten; after a few attempts it is reported.
"""

from __future__ import annotations

import functools
import random
import threading
import time
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, ParamSpec, TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application, LRUCache
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Recording

from domain import ids
from domain.authority import Authority, SystemAuthority
from domain.calendar import HolidaySchedule, WorkingCalendar
from domain.clock import Clock, SystemClock, today
from domain.context import Context
from domain.errors import ConcurrentEdit, DomainError, NotFound, NotPermitted
from domain.holiday_calendar import HOLIDAY_CALENDAR_ID, HolidayCalendar
from domain.inspection import Finding, Inspection, WorkPrompt
from domain.interview import Interview
from domain.meeting import Meeting
from domain.organisation import Organisation
from domain.people import Person
from domain.rectification import Rectification
from domain.bulletin import Bulletin
from domain.ranges import OVERDUE_DAYS, POINTS, REMINDER_STEP, YEAR
from domain.recording import prepare
from domain.reminder import REMINDER_TARGETS, Reminder
from domain.responsibility import ResponsibilityList
from domain.task import Deadline, Task
from domain.transcodings import DateAsISO
from domain.warning_policy import WARNING_POLICY_ID, WarningPolicy
from domain.activities import ModelBranchAward, PartyPlusProject, PointsAdjustment, ServiceTeamActivity
from domain.assessment import AnnualAssessment, Weights, assessment_id, parse_score
from domain.review import AnnualReview, parse_mark, review_id
from domain.scoring import SCORING_RULES_ID, ScoringRules, parse_dimension, parse_rules
from domain.vocabulary import InspectionKind, MeetingKind, OrgKind, ReminderLevel, ReportCycle, Role, parse

P = ParamSpec("P")
R = TypeVar("R")
A = TypeVar("A", bound=Aggregate)

CONFLICT_ATTEMPTS = 12
CACHE_CATCH_UP_LIMIT = 5000
"""Beyond this many events written elsewhere since the cache was last brought up to date, the
whole cache is dropped rather than the events read to find what they changed."""
_IN_COMMAND: ContextVar[bool] = ContextVar("dutyloop_in_command", default=False)
SYSTEM_ACTORS = ("init", "scheduler", "demo")

Actor = UUID | str
"""A person's id, or ``"system:<name>"`` for the scheduler and set-up."""


@dataclass(frozen=True)
class TaskSpec:
    """One line of a task list: what, who, by when, against which list item."""

    title: str
    org_id: UUID
    owner_id: UUID
    deadline: Deadline
    requirements: str = ""
    list_item: tuple[UUID, UUID] | None = None
    report_cycle: ReportCycle = ReportCycle.NONE
    follower_ids: tuple[UUID, ...] = field(default_factory=tuple)


def command(method: Callable[P, R]) -> Callable[P, R]:
    """Rerun the command on a version conflict, after a short random pause that grows with each
    attempt (so two busy writers stop colliding); report it clearly if it keeps happening."""

    @functools.wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        app = args[0]
        assert isinstance(app, DutyLoop)
        for attempt in range(CONFLICT_ATTEMPTS):
            app.sync_cache()
            entered = _IN_COMMAND.set(True)
            try:
                return method(*args, **kwargs)
            except IntegrityError:
                time.sleep(random.uniform(0, 0.005 * (attempt + 1)))
            finally:
                _IN_COMMAND.reset(entered)
        raise DomainError("busy", what=method.__name__)

    return run


class DutyLoop(Application[UUID]):
    """党建责任闭环: every command of the closed loop, as one event-sourced application."""

    name = "DutyLoop"
    env = {"AGGREGATE_CACHE_MAXSIZE": "10000", "AGGREGATE_CACHE_FASTFORWARD": "n"}
    """Cached aggregates are not fast-forwarded one read at a time (a query per aggregate a
    command reads); ``sync_cache`` instead reads once what was written elsewhere since."""

    def __init__(self, env: dict[str, str] | None = None, clock: Clock | None = None) -> None:
        super().__init__(env)
        self.clock: Clock = clock or SystemClock()
        self._sync_lock = threading.Lock()
        self._synced_head = self.recorder.max_notification_id() or 0
        self._parents: dict[UUID, UUID | None] = {}
        self._builtin_calendar = WorkingCalendar.builtin()
        self._calendar_cache: tuple[int, WorkingCalendar] | None = None
        self._calendar_absent_at: int | None = None
        self.origin = ""
        """Where commands come from, stamped on each event (``domain.recording``): the CLI sets it."""

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """Every write checks and stamps its new events (``domain.recording``) and tells the
        recorder when it happened by our clock (for the audit ledger)."""
        kwargs.setdefault("recorded_at", self.clock.now())
        prepare(objs, self.origin)
        recordings = super().save(*objs, **kwargs)
        if recordings:
            first, last = recordings[0].notification.id, recordings[-1].notification.id
            with self._sync_lock:
                # Our events follow directly on what the cache knew: it is still the whole truth
                # (the library put the saved aggregates in it; a stale one would have conflicted).
                if first == self._synced_head + 1 and last - first + 1 == len(recordings):
                    self._synced_head = last
        return recordings

    def sync_cache(self) -> None:
        """Bring the aggregate cache up to the head of the log in one read: aggregates that other
        processes changed since are forgotten (and read afresh when next needed). Every command
        starts with this, and so does every read outside a command; a command's own reads then
        come from the cache with no query each. Something written after this check is caught as
        a version conflict when the command saves, and the command reruns."""
        cache = self.repository.cache
        if cache is None:
            return
        head = self.recorder.max_notification_id() or 0
        with self._sync_lock:
            synced = self._synced_head
            if head <= synced:
                return
            if head - synced > CACHE_CATCH_UP_LIMIT:
                self.repository.cache = LRUCache(maxsize=cache.maxsize) if isinstance(cache, LRUCache) else type(cache)()
            else:
                written = self.recorder.select_notifications(
                    start=synced, limit=head - synced, stop=head, inclusive_of_start=False
                )
                for notification in written:
                    try:
                        cache.get(notification.originator_id, evict=True)
                    except KeyError:
                        pass
            self._synced_head = head

    # -- reading aggregates --------------------------------------------------------------------

    def get(self, cls: type[A], aggregate_id: UUID, what: str, *, copy: bool = True) -> A:
        if not _IN_COMMAND.get():
            self.sync_cache()
        try:
            aggregate: Any = self.repository.get(aggregate_id, deepcopy_from_cache=copy)
        except AggregateNotFoundError:
            raise NotFound(what, aggregate_id) from None
        if not isinstance(aggregate, cls):
            raise NotFound(what, aggregate_id)
        return aggregate

    def look(self, cls: type[A], aggregate_id: UUID, what: str) -> A:
        """An aggregate a command only looks at (an actor's roles, a parent, a task's owner):
        the cached one itself, without the copy a command that changes it needs. Never change
        what this returns."""
        return self.get(cls, aggregate_id, what, copy=False)

    def organisation(self, org_id: UUID) -> Organisation:
        return self.get(Organisation, org_id, "organisation")

    def person(self, person_id: UUID) -> Person:
        return self.get(Person, person_id, "person")

    def task(self, task_id: UUID) -> Task:
        return self.get(Task, task_id, "task")

    def meeting(self, meeting_id: UUID) -> Meeting:
        return self.get(Meeting, meeting_id, "meeting")

    def rectification(self, rectification_id: UUID) -> Rectification:
        return self.get(Rectification, rectification_id, "rectification")

    def interview(self, interview_id: UUID) -> Interview:
        return self.get(Interview, interview_id, "interview")

    def finding(self, finding_id: UUID) -> Finding:
        return self.get(Finding, finding_id, "finding")

    def ancestry(self, org_id: UUID) -> list[UUID]:
        """The organisation and its parents up to the company committee (parents never change)."""
        chain = [org_id]
        current: UUID | None = org_id
        while current is not None:
            if current not in self._parents:
                self._parents[current] = self.look(Organisation, current, "organisation").parent_id
            current = self._parents[current]
            if current is not None:
                chain.append(current)
        return chain

    def is_under(self, org_id: UUID, ancestor_id: UUID) -> bool:
        return ancestor_id in self.ancestry(org_id)

    # -- who and when ----------------------------------------------------------------------------

    def context(self, actor: Actor) -> Context:
        now = self.clock.now()
        return Context(who=self.authority(actor), today=today(self.clock), now=now)

    def authority(self, actor: Actor) -> Authority:
        if isinstance(actor, str) and actor.startswith("system:"):
            name = actor.removeprefix("system:")
            if name not in SYSTEM_ACTORS:
                raise NotFound("person", actor)
            return SystemAuthority(name)
        person_id = actor if isinstance(actor, UUID) else _uuid(actor, "person")
        return Authority(self.look(Person, person_id, "person"), self.ancestry)

    def calendar(self) -> WorkingCalendar:
        """The working-day calendar as known now: built-in years overlaid with loaded ones.
        That none was loaded is remembered until the log moves (a missing aggregate is not
        cached, and a task list asks once per task)."""
        synced = self._synced_head
        if self._calendar_absent_at == synced:
            return self._builtin_calendar
        try:
            loaded = self.get(HolidayCalendar, HOLIDAY_CALENDAR_ID, "calendar_year")
        except NotFound:
            self._calendar_absent_at = synced
            return self._builtin_calendar
        if self._calendar_cache is None or self._calendar_cache[0] != loaded.version:
            self._calendar_cache = (loaded.version, loaded.overlay(self._builtin_calendar))
        return self._calendar_cache[1]

    def _resolve_deadline(self, deadline: Deadline, issued_on: date) -> tuple[date, str]:
        return deadline.resolve(issued_on, self.calendar().add_working_days)

    # -- 明责: organisations, people, the responsibility list --------------------------------------

    @command
    def bootstrap(self, committee_name: str, admin_name: str, admin_staff_no: str) -> tuple[UUID, UUID]:
        """Create the company committee and its first administrator on an empty system (the one
        way to the first administrator: once anything is recorded, it is refused)."""
        if self.recorder.max_notification_id():
            raise DomainError("already_initialised")
        ctx = self.context("system:init")
        committee = Organisation(
            id=ids.organisation_id(committee_name), name=_required(committee_name, "name"),
            kind=OrgKind.COMMITTEE.value, parent_id=None, **ctx.stamp(),
        )
        admin = Person(
            id=ids.person_id(admin_staff_no), name=_required(admin_name, "name"),
            staff_no=_required(admin_staff_no, "staff_no"), org_id=committee.id, email="", phone="",
            **ctx.stamp(),
        )
        admin.assign_role(Role.ADMIN, committee.id, "", [], ctx)
        self._save_new(ctx, committee, admin, what="organisation", key=committee_name)
        return committee.id, admin.id

    @command
    def register_organisation(self, actor: Actor, name: str, kind: OrgKind, parent_id: UUID) -> UUID:
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin, "register", "reason_admin_only")
        parent = self.organisation(parent_id)
        if not parent.active:
            raise DomainError("wrong_state", what="organisation", state="dissolved", action="register")
        if kind == OrgKind.COMMITTEE:
            raise DomainError("invalid_value", field="kind", value=kind.value, allowed=["branch", "temporary_branch"])
        org = Organisation(
            id=ids.organisation_id(name), name=_required(name, "name"), kind=kind.value,
            parent_id=parent_id, **ctx.stamp(),
        )
        self._save_new(ctx, org, what="organisation", key=name)
        return org.id

    @command
    def rename_organisation(self, actor: Actor, org_id: UUID, name: str) -> None:
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin, "register", "reason_admin_only")
        org = self.organisation(org_id)
        org.rename(_required(name, "name"), ctx)
        self.save(org)

    @command
    def dissolve_organisation(self, actor: Actor, org_id: UUID, reason: str) -> None:
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin, "dissolve", "reason_admin_only")
        org = self.organisation(org_id)
        org.dissolve(_required(reason, "reason"), ctx)
        self.save(org)

    @command
    def register_person(
        self, actor: Actor, name: str, staff_no: str, org_id: UUID, email: str = "", phone: str = ""
    ) -> UUID:
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin, "register", "reason_admin_only")
        self.organisation(org_id)
        person = Person(
            id=ids.person_id(staff_no), name=_required(name, "name"), staff_no=_required(staff_no, "staff_no"),
            org_id=org_id, email=email.strip(), phone=phone.strip(), **ctx.stamp(),
        )
        self._save_new(ctx, person, what="person", key=staff_no)
        return person.id

    @command
    def assign_role(
        self,
        actor: Actor,
        person_id: UUID,
        role: Role,
        org_id: UUID,
        duty: str = "",
        field_org_ids: Sequence[UUID] = (),
    ) -> None:
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin, "assign_role", "reason_admin_only")
        self.organisation(org_id)
        for field_org in field_org_ids:
            if not self.is_under(field_org, org_id):
                raise DomainError("org_not_under", child=self.organisation(field_org).name, parent=self.organisation(org_id).name)
        person = self.person(person_id)
        person.assign_role(role, org_id, duty.strip(), list(field_org_ids), ctx)
        self.save(person)

    @command
    def revoke_role(self, actor: Actor, person_id: UUID, role: Role, org_id: UUID) -> None:
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin, "assign_role", "reason_admin_only")
        person = self.person(person_id)
        person.revoke_role(role, org_id, ctx)
        self.save(person)

    @command
    def link_liaison_point(self, actor: Actor, person_id: UUID, org_id: UUID) -> None:
        """联系点: a leader is linked to a grassroots unit to supervise it."""
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin, "assign_role", "reason_admin_only")
        self.organisation(org_id)
        person = self.person(person_id)
        person.link_liaison_point(org_id, ctx)
        self.save(person)

    @command
    def update_contact(self, actor: Actor, person_id: UUID, email: str, phone: str) -> None:
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin or ctx.who.is_person(person_id), "register", "reason_self_or_admin")
        person = self.person(person_id)
        person.update_contact(email.strip(), phone.strip(), ctx)
        self.save(person)

    @command
    def draft_responsibility_list(self, actor: Actor, title: str, year: int, org_id: UUID) -> UUID:
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin or ctx.who.leads(org_id), "manage_list", "reason_not_leader")
        self.organisation(org_id)
        rlist = ResponsibilityList(title=_required(title, "title"), year=YEAR.check("year", year), org_id=org_id, **ctx.stamp())
        self.save(rlist)
        return rlist.id

    def _responsibility_list(self, list_id: UUID) -> ResponsibilityList:
        return self.get(ResponsibilityList, list_id, "responsibility_list")

    @command
    def add_responsibility_aspect(self, actor: Actor, list_id: UUID, title: str) -> UUID:
        ctx = self.context(actor)
        rlist = self._responsibility_list(list_id)
        ctx.require(ctx.who.is_admin or ctx.who.leads(rlist.org_id), "manage_list", "reason_not_leader")
        aspect_id = rlist.add_aspect(title.strip(), ctx)
        self.save(rlist)
        return aspect_id

    @command
    def add_responsibility_item(
        self,
        actor: Actor,
        list_id: UUID,
        aspect_id: UUID,
        text: str,
        responsible_role: Role,
        responsible_person_id: UUID | None = None,
    ) -> UUID:
        ctx = self.context(actor)
        rlist = self._responsibility_list(list_id)
        ctx.require(ctx.who.is_admin or ctx.who.leads(rlist.org_id), "manage_list", "reason_not_leader")
        if responsible_person_id is not None:
            self.person(responsible_person_id)
        item_id = rlist.add_item(aspect_id, text.strip(), responsible_role.value, responsible_person_id, ctx)
        self.save(rlist)
        return item_id

    @command
    def load_holiday_schedule(self, actor: Actor, schedule: HolidaySchedule, source: str) -> None:
        """Load (or correct) a year's official schedule. Issued deadlines keep their dates."""
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin, "load_calendar", "reason_admin_only")
        try:
            holder = self.get(HolidayCalendar, HOLIDAY_CALENDAR_ID, "calendar_year")
        except NotFound:
            holder = HolidayCalendar(**ctx.stamp())
        holder.load(schedule, _required(source, "source"), ctx)
        self.save(holder)

    @command
    def set_warning_thresholds(self, actor: Actor, due_soon: int, serious: int, escalation_grace: Sequence[int]) -> None:
        """How many working days ahead a deadline warns, when overdue is serious, and how long
        each escalation step waits before going one level up."""
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin, "set_thresholds", "reason_admin_only")
        try:
            policy = self.get(WarningPolicy, WARNING_POLICY_ID, "warning_policy")
        except NotFound:
            WarningPolicy.check(due_soon, serious, list(escalation_grace))
            policy = WarningPolicy(due_soon=due_soon, serious=serious, escalation_grace=list(escalation_grace), **ctx.stamp())
        else:
            policy.change(due_soon, serious, list(escalation_grace), ctx)
        self.save(policy)

    # -- 履责: meetings and task lists ------------------------------------------------------------

    @command
    def plan_meeting(self, actor: Actor, kind: MeetingKind, org_id: UUID, title: str, planned_on: date) -> UUID:
        ctx = self.context(actor)
        ctx.require(ctx.who.may_run_meetings(org_id), "plan_meeting", "reason_not_leader")
        self.organisation(org_id)
        meeting = Meeting(
            kind=kind.value, org_id=org_id, title=_required(title, "title"), planned_on=planned_on, **ctx.stamp()
        )
        self.save(meeting)
        return meeting.id

    @command
    def record_minutes(
        self,
        actor: Actor,
        meeting_id: UUID,
        held_on: date,
        attendee_ids: Sequence[UUID],
        decisions: Sequence[str],
        summary: str = "",
    ) -> None:
        ctx = self.context(actor)
        meeting = self.meeting(meeting_id)
        ctx.require(ctx.who.may_run_meetings(meeting.org_id), "record_minutes", "reason_not_leader")
        for person_id in attendee_ids:
            self.person(person_id)
        meeting.record_minutes(held_on, list(attendee_ids), list(decisions), summary.strip(), ctx)
        self.save(meeting)

    def _new_task(
        self, ctx: Context, spec: TaskSpec, task_list_id: UUID, meeting_id: UUID | None, parent: Task | None
    ) -> Task:
        title = _required(spec.title, "title")
        owner = self.look(Person, spec.owner_id, "person")
        org = self.look(Organisation, spec.org_id, "organisation")
        if not org.active:
            raise DomainError("wrong_state", what="organisation", state="dissolved", action="issue_tasks")
        if owner.org_id != spec.org_id and spec.org_id not in owner.orgs_with(*Role):
            raise DomainError("owner_not_in_org", person=owner.name, org=org.name)
        list_id, item_id = spec.list_item if spec.list_item else (None, None)
        if list_id is not None and item_id is not None:
            self._responsibility_list(list_id).require_item(item_id)
        deadline, rule = self._resolve_deadline(spec.deadline, ctx.today)
        if parent is not None and deadline > parent.deadline:
            raise DomainError("deadline_after_parent", deadline=deadline, parent_deadline=parent.deadline)
        return Task(
            task_list_id=task_list_id,
            meeting_id=meeting_id,
            parent_task_id=parent.id if parent else None,
            responsibility_list_id=list_id,
            list_item_id=item_id,
            title=title,
            requirements=spec.requirements.strip(),
            org_id=spec.org_id,
            owner_id=spec.owner_id,
            deadline=deadline,
            deadline_rule=rule,
            report_cycle=spec.report_cycle.value,
            follower_ids=list(spec.follower_ids),
            **ctx.stamp(),
        )

    @command
    def issue_task_list(self, actor: Actor, meeting_id: UUID, tasks: Sequence[TaskSpec]) -> list[UUID]:
        """分级下达: the task list decided in a meeting's minutes, all tasks in one write."""
        ctx = self.context(actor)
        meeting = self.meeting(meeting_id)
        ctx.require(ctx.who.may_run_meetings(meeting.org_id), "issue_tasks", "reason_not_leader")
        if meeting.held_on is None:
            raise DomainError("minutes_required")
        if not tasks:
            raise DomainError("empty_task_list")
        task_list_id = uuid4()
        created = []
        for spec in tasks:
            if not self.is_under(spec.org_id, meeting.org_id):
                raise DomainError(
                    "org_not_under", child=self.organisation(spec.org_id).name, parent=self.organisation(meeting.org_id).name
                )
            created.append(self._new_task(ctx, spec, task_list_id, meeting.id, None))
        self.save(*created)
        return [t.id for t in created]

    @command
    def break_down_task(self, actor: Actor, task_id: UUID, tasks: Sequence[TaskSpec]) -> list[UUID]:
        """A committee task broken down into branch tasks, one level down."""
        ctx = self.context(actor)
        parent = self.task(task_id)
        if not tasks:
            raise DomainError("empty_task_list")
        task_list_id = uuid4()
        children = []
        for spec in tasks:
            if not self.is_under(spec.org_id, parent.org_id):
                raise DomainError(
                    "org_not_under", child=self.organisation(spec.org_id).name, parent=self.organisation(parent.org_id).name
                )
            children.append(self._new_task(ctx, spec, task_list_id, parent.meeting_id, parent))
        parent.record_breakdown([c.id for c in children], ctx)
        self.save(parent, *children)
        return [c.id for c in children]

    def _on_task(self, actor: Actor, task_id: UUID, expected_version: int | None, act: Callable[[Task, Context], None]) -> None:
        ctx = self.context(actor)
        task = self.task(task_id)
        _check_version(task, expected_version, "task")
        act(task, ctx)
        self.save(task)

    @command
    def sign_for_task(self, actor: Actor, task_id: UUID, expected_version: int | None = None) -> None:
        self._on_task(actor, task_id, expected_version, lambda t, c: t.sign_for(c))

    @command
    def report_task_progress(self, actor: Actor, task_id: UUID, note: str, expected_version: int | None = None) -> None:
        self._on_task(actor, task_id, expected_version, lambda t, c: t.report_progress(note, c))

    @command
    def report_task_done(
        self,
        actor: Actor,
        task_id: UUID,
        evidence: Sequence[dict[str, str]],
        note: str = "",
        expected_version: int | None = None,
    ) -> None:
        self._on_task(actor, task_id, expected_version, lambda t, c: t.report_done(list(evidence), note, c))

    @command
    def accept_task(self, actor: Actor, task_id: UUID, comment: str = "", expected_version: int | None = None) -> None:
        self._on_task(actor, task_id, expected_version, lambda t, c: t.accept(comment, c))

    @command
    def return_task(self, actor: Actor, task_id: UUID, reason: str, expected_version: int | None = None) -> None:
        self._on_task(actor, task_id, expected_version, lambda t, c: t.return_work(reason, c))

    @command
    def request_extension(
        self, actor: Actor, task_id: UUID, deadline: date, reason: str, expected_version: int | None = None
    ) -> None:
        def act(task: Task, ctx: Context) -> None:
            self.calendar().is_working_day(deadline)
            task.request_extension(deadline, reason, ctx)

        self._on_task(actor, task_id, expected_version, act)

    @command
    def approve_extension(self, actor: Actor, task_id: UUID, expected_version: int | None = None) -> None:
        self._on_task(actor, task_id, expected_version, lambda t, c: t.approve_extension(c))

    @command
    def refuse_extension(self, actor: Actor, task_id: UUID, reason: str, expected_version: int | None = None) -> None:
        self._on_task(actor, task_id, expected_version, lambda t, c: t.refuse_extension(reason, c))

    @command
    def cancel_task(self, actor: Actor, task_id: UUID, reason: str, expected_version: int | None = None) -> None:
        self._on_task(actor, task_id, expected_version, lambda t, c: t.cancel(reason, c))

    @command
    def follow_task(self, actor: Actor, task_id: UUID, person_id: UUID | None = None) -> None:
        def act(task: Task, ctx: Context) -> None:
            follower = person_id or _uuid(ctx.actor, "person")
            self.person(follower)
            task.follow(follower, ctx)

        self._on_task(actor, task_id, None, act)

    @command
    def unfollow_task(self, actor: Actor, task_id: UUID, person_id: UUID | None = None) -> None:
        self._on_task(actor, task_id, None, lambda t, c: t.unfollow(person_id or _uuid(c.actor, "person"), c))

    # -- 指导检查: inspections, findings, work prompts --------------------------------------------

    @command
    def conduct_inspection(
        self,
        actor: Actor,
        kind: InspectionKind,
        org_id: UUID,
        subject: str,
        findings: Sequence[str],
        conducted_on: date | None = None,
    ) -> tuple[UUID, list[UUID]]:
        ctx = self.context(actor)
        ctx.require(ctx.who.may_inspect(org_id), "inspect", "reason_not_inspector")
        self.organisation(org_id)
        on = conducted_on or ctx.today
        if on > ctx.today:
            raise DomainError("date_in_future", field="conducted_on", value=on, today=ctx.today)
        inspection_id = uuid4()
        subject = _required(subject, "subject")
        raised = [
            Finding(
                inspection_id=inspection_id, inspection_kind=kind.value, subject=subject, org_id=org_id,
                description=text.strip(), **ctx.stamp(on),
            )
            for text in findings
            if text.strip()
        ]
        inspection = Inspection(
            id=inspection_id, kind=kind.value, org_id=org_id, subject=subject,
            finding_ids=[f.id for f in raised], **ctx.stamp(on),
        )
        self.save(inspection, *raised)
        return inspection.id, [f.id for f in raised]

    @command
    def send_work_prompt(self, actor: Actor, org_id: UUID, title: str, content: str) -> UUID:
        ctx = self.context(actor)
        ctx.require(ctx.who.may_inspect(org_id), "send_prompt", "reason_not_inspector")
        self.organisation(org_id)
        prompt = WorkPrompt(org_id=org_id, title=_required(title, "title"), content=content.strip(), **ctx.stamp())
        self.save(prompt)
        return prompt.id

    # -- 约谈 and 整改 ---------------------------------------------------------------------------

    @command
    def schedule_interview(
        self,
        actor: Actor,
        interviewer_id: UUID,
        interviewee_id: UUID,
        reason: str,
        planned_on: date,
        task_ids: Sequence[UUID] = (),
        finding_ids: Sequence[UUID] = (),
    ) -> UUID:
        ctx = self.context(actor)
        if interviewer_id == interviewee_id:
            raise DomainError("self_interview")
        interviewee = self.person(interviewee_id)
        interviewer = Authority(self.person(interviewer_id), self.ancestry)
        if not interviewer.has_authority_over(interviewee.org_id):
            raise DomainError(
                "no_authority", actor=interviewer.describe(), org=self.organisation(interviewee.org_id).name
            )
        ctx.require(
            ctx.who.is_person(interviewer_id) or ctx.who.may_record_interviews(interviewee.org_id),
            "interview_someone",
            "reason_not_interviewer",
        )
        for task_id in task_ids:
            self.task(task_id)
        for finding_id in finding_ids:
            self.finding(finding_id)
        interview = Interview(
            interviewer_id=interviewer_id, interviewee_id=interviewee_id, org_id=interviewee.org_id,
            reason=_required(reason, "reason"), task_ids=list(task_ids), finding_ids=list(finding_ids),
            planned_on=planned_on, **ctx.stamp(),
        )
        self.save(interview)
        return interview.id

    @command
    def hold_interview(
        self,
        actor: Actor,
        interview_id: UUID,
        held_on: date,
        minutes: str,
        commitments: Sequence[str],
        deadline: Deadline,
        requirement: str,
    ) -> UUID:
        """The interview ends in 限期整改: its rectification opens in the same write."""
        ctx = self.context(actor)
        interview = self.interview(interview_id)
        ctx.require(
            ctx.who.is_person(interview.interviewer_id) or ctx.who.may_record_interviews(interview.org_id),
            "interview_someone",
            "reason_not_interviewer",
        )
        due, rule = self._resolve_deadline(deadline, held_on)
        interview.hold(held_on, minutes, list(commitments), due, ctx)
        rectification = Rectification(
            id=ids.rectification_id(interview.id), source_kind="interview", source_id=interview.id,
            org_id=interview.org_id, owner_id=interview.interviewee_id, raised_by=str(interview.interviewer_id),
            requirement=_required(requirement, "requirement"), deadline=due, deadline_rule=rule,
            **ctx.stamp(held_on),
        )
        self.save(interview, rectification)
        return rectification.id

    @command
    def open_rectification(
        self, actor: Actor, finding_id: UUID, owner_id: UUID, requirement: str, deadline: Deadline
    ) -> UUID:
        ctx = self.context(actor)
        finding = self.finding(finding_id)
        ctx.require(
            ctx.actor == finding.raised_by or ctx.who.may_inspect(finding.org_id) or ctx.who.has_authority_over(finding.org_id),
            "open_rectification",
            "reason_not_inspector",
        )
        owner = self.person(owner_id)
        if not self.is_under(owner.org_id, finding.org_id) and finding.org_id not in owner.orgs_with(*Role):
            raise DomainError("owner_not_in_org", person=owner.name, org=self.organisation(finding.org_id).name)
        due, rule = self._resolve_deadline(deadline, ctx.today)
        rectification = Rectification(
            id=ids.rectification_id(finding.id), source_kind="finding", source_id=finding.id, org_id=finding.org_id,
            owner_id=owner_id, raised_by=finding.raised_by, requirement=_required(requirement, "requirement"),
            deadline=due, deadline_rule=rule, **ctx.stamp(),
        )
        self._save_new(ctx, rectification, what="rectification", key=finding.description)
        return rectification.id

    def _on_rectification(
        self, actor: Actor, rectification_id: UUID, expected_version: int | None, act: Callable[[Rectification, Context], None]
    ) -> None:
        ctx = self.context(actor)
        rectification = self.rectification(rectification_id)
        _check_version(rectification, expected_version, "rectification")
        act(rectification, ctx)
        self.save(rectification)

    @command
    def submit_rectification_plan(self, actor: Actor, rectification_id: UUID, plan: str, expected_version: int | None = None) -> None:
        self._on_rectification(actor, rectification_id, expected_version, lambda r, c: r.submit_plan(plan, c))

    @command
    def note_rectification_progress(
        self, actor: Actor, rectification_id: UUID, note: str, expected_version: int | None = None
    ) -> None:
        self._on_rectification(actor, rectification_id, expected_version, lambda r, c: r.note_progress(note, c))

    @command
    def report_rectification_completion(
        self,
        actor: Actor,
        rectification_id: UUID,
        evidence: Sequence[dict[str, str]],
        note: str = "",
        expected_version: int | None = None,
    ) -> None:
        self._on_rectification(
            actor, rectification_id, expected_version, lambda r, c: r.report_completion(list(evidence), note, c)
        )

    @command
    def verify_rectification(
        self, actor: Actor, rectification_id: UUID, opinion: str = "", expected_version: int | None = None
    ) -> None:
        self._on_rectification(actor, rectification_id, expected_version, lambda r, c: r.verify(opinion, c))

    @command
    def return_rectification(
        self, actor: Actor, rectification_id: UUID, reason: str, expected_version: int | None = None
    ) -> None:
        self._on_rectification(actor, rectification_id, expected_version, lambda r, c: r.return_work(reason, c))

    @command
    def close_rectification(self, actor: Actor, rectification_id: UUID, expected_version: int | None = None) -> None:
        self._on_rectification(actor, rectification_id, expected_version, lambda r, c: r.close(c))

    # -- reminders ---------------------------------------------------------------------------------

    def record_reminder(
        self,
        actor: Actor,
        target_kind: str,
        target_id: UUID,
        level: str,
        deadline: date,
        recipient_id: UUID,
        org_id: UUID,
        overdue_working_days: int = 0,
        step: int = 0,
    ) -> UUID | None:
        """Record that someone was reminded; ``None`` when exactly this reminder exists already.

        ``step`` counts escalation up the organisation (0: the person responsible; 1, 2, …: one
        level up each time, the last being discipline inspection)."""
        ctx = self._reminder_context(actor)
        reminder = self._reminder(
            ctx, set(), target_kind=target_kind, target_id=target_id, level=level, deadline=deadline,
            recipient_id=recipient_id, org_id=org_id, overdue_working_days=overdue_working_days, step=step,
        )
        try:
            self.save(reminder)
        except IntegrityError:
            return None
        return reminder.id

    def record_reminders(self, actor: Actor, reminders: Sequence[dict[str, Any]]) -> list[UUID]:
        """Record many reminders (each given as ``record_reminder``'s keyword arguments) in one
        write: a scan that finds thousands due must not pay a transaction for each. If one of them
        exists already (recorded meanwhile elsewhere), they are recorded one by one instead, so
        the others are not lost; returns the ids of those recorded now. All are checked first:
        one bad reminder records none."""
        ctx = self._reminder_context(actor)
        checked: set[UUID] = set()
        made = [self._reminder(ctx, checked, **fields) for fields in reminders]
        if not made:
            return []
        try:
            self.save(*made)
        except IntegrityError:
            # The failed write took the new events out of these aggregates: make them afresh.
            recorded = []
            for each in reminders:
                reminder = self._reminder(ctx, checked, **each)
                try:
                    self.save(reminder)
                except IntegrityError:
                    continue
                recorded.append(reminder.id)
            return recorded
        return [reminder.id for reminder in made]

    def _reminder_context(self, actor: Actor) -> Context:
        ctx = self.context(actor)
        ctx.require(ctx.actor == "system:scheduler" or ctx.who.is_admin, "record_reminder", "reason_scheduler_only")
        return ctx

    def _reminder(
        self, ctx: Context, checked: set[UUID], *, target_kind: str, target_id: UUID, level: str, deadline: date, recipient_id: UUID,
        org_id: UUID, overdue_working_days: int = 0, step: int = 0,
    ) -> Reminder:
        """``checked``: recipients already found to exist (each look-up is a read of the store)."""
        level = parse(ReminderLevel, level, "level").value
        if target_kind not in REMINDER_TARGETS:
            raise DomainError("invalid_value", field="target_kind", value=target_kind, allowed=list(REMINDER_TARGETS))
        REMINDER_STEP.check("step", step)
        OVERDUE_DAYS.check("overdue_working_days", overdue_working_days)
        if recipient_id not in checked:
            self.person(recipient_id)
            checked.add(recipient_id)
        return Reminder(
            id=ids.reminder_id(target_id, f"{level}:{step}" if step else level, deadline, recipient_id),
            target_kind=target_kind, target_id=target_id, level=level, step=step, deadline=deadline,
            recipient_id=recipient_id, org_id=org_id, overdue_working_days=overdue_working_days, **ctx.stamp(),
        )

    @command
    def issue_monthly_bulletin(self, actor: Actor, month: str, lines: Sequence[dict[str, Any]], summary: str) -> UUID | None:
        """一月一通报: the month's bulletin, once per month (``None`` if it was issued already)."""
        ctx = self.context(actor)
        ctx.require(ctx.actor == "system:scheduler" or ctx.who.is_admin, "publish_bulletin", "reason_scheduler_only")
        try:
            year, number = (int(part) for part in month.split("-"))
            date(year, number, 1)
        except ValueError:
            raise DomainError("invalid_value", field="month", value=month, allowed=["YYYY-MM"]) from None
        bulletin = Bulletin(id=ids.bulletin_id(month), month=month, lines=list(lines), summary=summary, **ctx.stamp())
        if bulletin.id in self.repository:
            return None
        self.save(bulletin)
        return bulletin.id

    # -- helpers -----------------------------------------------------------------------------------

    def _save_new(self, ctx: Context, *aggregates: Aggregate, what: str, key: str) -> None:
        """Creating something whose identity comes from its key: a second create is a duplicate."""
        first = aggregates[0]
        if first.id in self.repository:
            raise DomainError("duplicate", what=what, key=key)
        self.save(*aggregates)

    # -- 述责 · 考责: 述职评议, scoring rules, activities, adjustments, the annual "631" ----------------

    def _branch(self, org_id: UUID) -> Organisation:
        org = self.organisation(org_id)
        if org.kind not in (OrgKind.BRANCH.value, OrgKind.TEMPORARY_BRANCH.value):
            raise DomainError("not_a_branch", org=org.name)
        return org

    @command
    def set_scoring_rules(self, actor: Actor, rules: Sequence[dict[str, Any]], note: str = "") -> int:
        """A new version of the 对标积分 rules; it counts for events recorded from now on. Returns the version."""
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin, "set_rules", "reason_admin_only")
        parsed = parse_rules(list(rules))
        try:
            holder = self.get(ScoringRules, SCORING_RULES_ID, "scoring_rules")
        except NotFound:
            holder = ScoringRules(rules=[r.as_record() for r in parsed], note=note.strip(), **ctx.stamp())
        else:
            holder.change(parsed, note.strip(), ctx)
        self.save(holder)
        return holder.version

    @command
    def file_review_report(self, actor: Actor, org_id: UUID, year: int, business_account: str, party_account: str) -> UUID:
        """述职: the branch secretary reports on both accounts, once a year."""
        ctx = self.context(actor)
        self._branch(org_id)
        if ctx.actor.startswith("system:"):
            raise NotPermitted(ctx.who.describe(), "file_review", "reason_not_secretary")
        secretary = self.person(_uuid(ctx.actor, "person"))
        ctx.require(secretary.has_role(Role.BRANCH_SECRETARY, org_id), "file_review", "reason_not_secretary")
        review = AnnualReview(
            id=review_id(org_id, year), year=YEAR.check("year", year), org_id=org_id, secretary_id=secretary.id,
            business_account=_required(business_account, "business_account"),
            party_account=_required(party_account, "party_account"), **ctx.stamp(),
        )
        self._save_new(ctx, review, what="review", key=f"{year} {self.organisation(org_id).name}")
        return review.id

    def review(self, review_id_: UUID) -> AnnualReview:
        return self.get(AnnualReview, review_id_, "review")

    def _on_review(self, actor: Actor, review_id_: UUID, act: Callable[[AnnualReview, Context], None]) -> None:
        ctx = self.context(actor)
        review = self.review(review_id_)
        act(review, ctx)
        self.save(review)

    @command
    def grade_review(
        self, actor: Actor, review_id_: UUID, grade: str | None = None, score: str | Decimal | None = None, comment: str = ""
    ) -> None:
        """评议: a reviewer gives a grade (好/较好/一般/差) or a score that the bands map to one."""
        value, chosen = parse_mark(grade, score)
        self._on_review(actor, review_id_, lambda r, c: r.mark(value, chosen, comment, c))

    @command
    def publish_review(self, actor: Actor, review_id_: UUID) -> None:
        self._on_review(actor, review_id_, lambda r, c: r.publish(c))

    @command
    def recall_review(self, actor: Actor, review_id_: UUID, reason: str) -> None:
        self._on_review(actor, review_id_, lambda r, c: r.recall(reason, c))

    @command
    def correct_review(
        self, actor: Actor, review_id_: UUID, reason: str, grade: str | None = None, score: str | Decimal | None = None
    ) -> None:
        value, chosen = parse_mark(grade, score)
        self._on_review(actor, review_id_, lambda r, c: r.correct(value, chosen, reason, c))

    @command
    def award_model_branch(self, actor: Actor, org_id: UUID, title: str, category: str = "", on: date | None = None) -> UUID:
        """标杆计划: a model-branch award, decided by leaders above the branch."""
        ctx = self.context(actor)
        ctx.require(ctx.who.may_publish_results(org_id), "award", "reason_not_publisher")
        self._branch(org_id)
        award = ModelBranchAward(
            org_id=org_id, title=_required(title, "title"), category=category.strip(), **ctx.stamp(_not_future(on, ctx)),
        )
        self.save(award)
        return award.id

    @command
    def recognise_party_plus_project(
        self, actor: Actor, org_id: UUID, title: str, direction: str = "", on: date | None = None
    ) -> UUID:
        ctx = self.context(actor)
        ctx.require(ctx.who.may_publish_results(org_id), "award", "reason_not_publisher")
        self._branch(org_id)
        project = PartyPlusProject(
            org_id=org_id, title=_required(title, "title"), direction=direction.strip(), **ctx.stamp(_not_future(on, ctx)),
        )
        self.save(project)
        return project.id

    @command
    def record_service_activity(self, actor: Actor, org_id: UUID, title: str, team: str = "", on: date | None = None) -> UUID:
        """共产党员服务队: the branch records its team's activity (its leaders may too)."""
        ctx = self.context(actor)
        ctx.require(ctx.who.works_in(org_id) or ctx.who.leads(org_id), "record_activity", "reason_not_owner")
        self._branch(org_id)
        activity = ServiceTeamActivity(
            org_id=org_id, title=_required(title, "title"), team=team.strip(), **ctx.stamp(_not_future(on, ctx)),
        )
        self.save(activity)
        return activity.id

    @command
    def propose_points_adjustment(self, actor: Actor, org_id: UUID, points: str | Decimal, dimension: str, reason: str) -> UUID:
        """A manual adjustment counts only once someone else with the authority approves it."""
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin or ctx.who.leads(org_id), "propose_adjustment", "reason_not_leader")
        self._branch(org_id)
        value = _points(points)
        adjustment = PointsAdjustment(
            org_id=org_id, points=value, dimension=parse_dimension(dimension), reason=_required(reason, "reason"), **ctx.stamp(),
        )
        self.save(adjustment)
        return adjustment.id

    def _adjustment(self, adjustment_id: UUID) -> PointsAdjustment:
        return self.get(PointsAdjustment, adjustment_id, "adjustment")

    @command
    def approve_points_adjustment(self, actor: Actor, adjustment_id: UUID, comment: str = "") -> None:
        ctx = self.context(actor)
        adjustment = self._adjustment(adjustment_id)
        adjustment.approve(comment, ctx)
        self.save(adjustment)

    @command
    def reject_points_adjustment(self, actor: Actor, adjustment_id: UUID, reason: str) -> None:
        ctx = self.context(actor)
        adjustment = self._adjustment(adjustment_id)
        adjustment.reject(reason, ctx)
        self.save(adjustment)

    def _assessment_year(self, ctx: Context, year: int) -> AnnualAssessment:
        YEAR.check("year", year)
        try:
            return self.get(AnnualAssessment, assessment_id(year), "assessment")
        except NotFound:
            return AnnualAssessment(id=assessment_id(year), year=year, **ctx.stamp())

    @command
    def set_assessment_weights(self, actor: Actor, year: int, **weights: Any) -> None:
        """The year's 631 weights (percent), base score and 述职评议 share of satisfaction."""
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin, "assess", "reason_admin_only")
        parsed = Weights.parse(**weights)
        assessment = self._assessment_year(ctx, year)
        assessment.set_weights(parsed, ctx)
        self.save(assessment)

    @command
    def score_satisfaction_survey(self, actor: Actor, year: int, org_id: UUID, score: str | Decimal) -> None:
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin or ctx.who.may_publish_results(org_id), "assess", "reason_not_publisher")
        self._branch(org_id)
        assessment = self._assessment_year(ctx, year)
        assessment.score_survey(org_id, parse_score(score, "score"), ctx)
        self.save(assessment)

    def assessment_weights(self, year: int) -> Weights:
        try:
            return self.get(AnnualAssessment, assessment_id(year), "assessment").weights
        except NotFound:
            return Weights()

    @command
    def publish_assessment(self, actor: Actor, year: int, results: Sequence[dict[str, Any]]) -> None:
        """Publish the year's ranked result as computed from the record; it is kept as published."""
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin, "assess", "reason_admin_only")
        assessment = self._assessment_year(ctx, year)
        assessment.publish([dict(r) for r in results], ctx)
        self.save(assessment)


def _points(value: str | Decimal) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise DomainError("invalid_value", field="points", value=value, allowed=["-3", "0.5", "5"]) from None
    if not number.is_finite() or number == 0:
        raise DomainError("invalid_value", field="points", value=value, allowed=["-3", "0.5", "5"])
    return POINTS.check("points", number)


def _not_future(on: date | None, ctx: Context) -> date:
    day = on or ctx.today
    if day > ctx.today:
        raise DomainError("date_in_future", field="on", value=day, today=ctx.today)
    return day


def _required(value: str, field_name: str) -> str:
    if not value or not value.strip():
        raise DomainError("required", field=field_name)
    return value.strip()


def _uuid(value: str, what: str) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise NotFound(what, value) from None


def _check_version(aggregate: Aggregate, expected: int | None, what: str) -> None:
    if expected is not None and aggregate.version != expected:
        raise ConcurrentEdit("concurrent_edit", what=what, actual=aggregate.version, expected=expected)

"""What every command shares: the event store, the aggregate cache, the clock, and the atomic save
that a version conflict reruns.

Each command names its actor, loads what it needs, lets the aggregates check the rules, and
saves every resulting event in one atomic write. A version conflict (someone else changed the
same aggregate between our read and our write) reruns the whole command against fresh state, so
the other change is neither lost nor silently overwritten; after a few attempts it is reported.
The commands themselves live beside this module, one module per concept of the loop.
"""

from __future__ import annotations

import functools
import random
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import replace
from datetime import date
from typing import Any, ParamSpec, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, LRUCache
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Recording

from domain.authority import Authority, SystemAuthority
from domain.base import Begun
from domain.calendar import WorkingCalendar
from domain.clock import Clock, SystemClock, today
from domain.commands.checks import check_version, person_uuid
from domain.context import Context
from domain.errors import DomainError, NotFound
from domain.holiday_calendar import HOLIDAY_CALENDAR_ID, HolidayCalendar
from domain.inspection import Finding
from domain.interview import Interview
from domain.meeting import Meeting
from domain.organisation import Organisation
from domain.people import Person
from domain.recording import prepare
from domain.rectification import Rectification
from domain.responsibility import ResponsibilityList
from domain.task import Deadline, Task
from domain.transcodings import DateAsISO
from domain.vocabulary import OrgKind
from domain.warning_policy import DEFAULT_BACK_ENTRY_DAYS, WARNING_POLICY_ID, WarningPolicy

P = ParamSpec("P")
R = TypeVar("R")
A = TypeVar("A", bound=Aggregate)

CONFLICT_ATTEMPTS = 12
CACHE_CATCH_UP_LIMIT = 5000
"""Beyond this many events written elsewhere since the cache was last brought up to date, the
whole cache is dropped rather than the events read to find what they changed."""
_IN_COMMAND: ContextVar[bool] = ContextVar("dutyloop_in_command", default=False)
SYSTEM_ACTORS = ("init", "scheduler", "demo", "directory")
DIRECTORY_ACTOR = "system:directory"
"""Who gives the roles the company directory's groups map to, at a directory sign-in."""

Actor = UUID | str
"""A person's id, or ``"system:<name>"`` for the scheduler and set-up."""


def command(method: Callable[P, R]) -> Callable[P, R]:
    """Rerun the command on a version conflict, after a short random pause that grows with each
    attempt (so two busy writers stop colliding); report it clearly if it keeps happening."""

    @functools.wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        app = args[0]
        assert isinstance(app, CommandCore)
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


def not_before_start(aggregate: Aggregate, on: date | None, what: str) -> None:
    """A back-entry (补录) is never dated before the work it is about began."""
    if on is not None and isinstance(aggregate, Begun) and on < aggregate.begun_on:
        raise DomainError("back_entry_before_start", value=on, what=what, start=aggregate.begun_on, field="on")


class CommandCore(Application[UUID]):
    """The event-sourced application under every command module."""

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

    def _save_new(self, *aggregates: Aggregate, what: str, key: str) -> None:
        """Creating something whose identity comes from its key: a second create is a duplicate."""
        if aggregates[0].id in self.repository:
            raise DomainError("duplicate", what=what, key=key)
        self.save(*aggregates)

    def _act_on(
        self, actor: Actor, cls: type[A], what: str, aggregate_id: UUID, expected_version: int | None,
        act: Callable[[A, Context], None], on: date | None = None,
    ) -> None:
        """The shape of most commands: load one aggregate (refusing a stale form's edit), let it
        decide, save what it decided — as of ``on`` for a back-entry (补录)."""
        ctx = self.context(actor, on)
        aggregate = self.get(cls, aggregate_id, what)
        check_version(aggregate, expected_version, what)
        not_before_start(aggregate, on, what)
        act(aggregate, ctx)
        self.save(aggregate)

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

    def _responsibility_list(self, list_id: UUID) -> ResponsibilityList:
        return self.get(ResponsibilityList, list_id, "responsibility_list")

    def _branch(self, org_id: UUID) -> Organisation:
        org = self.organisation(org_id)
        if org.kind not in (OrgKind.BRANCH.value, OrgKind.TEMPORARY_BRANCH.value):
            raise DomainError("not_a_branch", org=org.name)
        return org

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

    def context(self, actor: Actor, on: date | None = None) -> Context:
        """Who acts and when. A back-entry (补录, ``on`` before today) is judged and recorded as of
        its business day, keeping the real recorded time beside it; it is never in the future,
        and only an administrator enters one more working days back than the thresholds allow."""
        now = self.clock.now()
        ctx = Context(who=self.authority(actor), today=today(self.clock), now=now)
        if on is None or on == ctx.today:
            return ctx
        if on > ctx.today:
            raise DomainError("date_in_future", field="on", value=on, today=ctx.today)
        limit = self.back_entry_days()
        if not ctx.who.is_admin and self.calendar().working_days_between(on, ctx.today) > limit:
            raise DomainError("back_entry_too_old", value=on, limit=limit, field="on")
        return replace(ctx, today=on)

    def back_entry_days(self) -> int:
        try:
            return self.look(WarningPolicy, WARNING_POLICY_ID, "warning_policy").back_entry_days
        except NotFound:
            return DEFAULT_BACK_ENTRY_DAYS

    def authority(self, actor: Actor) -> Authority:
        if isinstance(actor, str) and actor.startswith("system:"):
            name = actor.removeprefix("system:")
            if name not in SYSTEM_ACTORS:
                raise NotFound("person", actor)
            return SystemAuthority(name)
        person_id = actor if isinstance(actor, UUID) else person_uuid(actor)
        person = self.look(Person, person_id, "person")
        if not person.active:
            raise DomainError("person_left", name=person.name, staff_no=person.staff_no, on=person.left_on)
        return Authority(person, self.ancestry)

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

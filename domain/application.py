"""The one command API that the CLI, the web and the scheduler all call.

``DutyLoop`` is one event-sourced application: one store, one aggregate cache, one clock, one
atomic save that reruns on a version conflict (domain/commands/core.py). Its commands are written
one module per concept of the loop in domain/commands/ and joined here, so callers keep calling
``app.sign_for_task(...)`` whichever module holds it.
"""

from __future__ import annotations

from domain.commands.annual_assessment import AnnualAssessments
from domain.commands.bulletins import Bulletins
from domain.commands.calendar_and_thresholds import CalendarAndThresholds
from domain.commands.follow_ups import FollowUps
from domain.commands.handovers import Handovers
from domain.commands.inspections import Inspections
from domain.commands.interviews import Interviews
from domain.commands.meetings import Meetings
from domain.commands.organisation_and_people import OrganisationAndPeople
from domain.commands.points import Points
from domain.commands.rectifications import Rectifications
from domain.commands.reminders import Reminders
from domain.commands.responsibility_lists import ResponsibilityLists
from domain.commands.reviews import Reviews
from domain.commands.roster import Rosters
from domain.commands.saved_filters import SavedFilters
from domain.commands.task_lists import TaskLists
from domain.commands.tasks import Tasks


class DutyLoop(
    Rosters,
    OrganisationAndPeople,
    ResponsibilityLists,
    CalendarAndThresholds,
    Meetings,
    TaskLists,
    FollowUps,
    Tasks,
    Inspections,
    Interviews,
    Rectifications,
    Handovers,
    Reminders,
    Bulletins,
    Reviews,
    Points,
    AnnualAssessments,
    SavedFilters,
):
    """党建责任闭环: every command of the closed loop, as one event-sourced application."""

    name = "DutyLoop"

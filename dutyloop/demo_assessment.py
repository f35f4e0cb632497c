"""述责 · 考责 in the demo year: 述职评议 filed, graded and published, awards and activities through
the year, one approved points adjustment, and the satisfaction survey."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from uuid import UUID

from domain.application import DutyLoop
from domain.calendar import WorkingCalendar
from dutyloop.demo_people import DemoPeople
from dutyloop.demo_time import Agenda, next_working, working_day_on_or_after
from dutyloop.demo_words import MODELS, PARTY_PLUS, SERVICE


def report_and_assess(
    app: DutyLoop, agenda: Agenda, people: DemoPeople, branches: list[UUID], diligence: dict[UUID, float],
    start: date, end: date, calendar: WorkingCalendar, seed: int,
) -> None:
    """述责 · 考责 in the demo: last year's 述职评议 graded and published in January, model-branch
    awards, "党建+" projects and service-team activities through the year, one approved points
    adjustment, and this year's satisfaction survey. Its own random stream leaves the rest of the
    demo as it was."""
    rng = random.Random(seed + 1)
    leader, dept = people.committee_secretary, people.party_dept
    rounds = ((start.year - 1, start + timedelta(days=7)), (end.year, end - timedelta(days=12)))
    for (year, day), org in itertools.product(rounds, branches):
        def review(o: UUID = org, y: int = year) -> None:
            secretary = people.secretaries[o]
            rid = app.file_review_report(secretary, o, y, "全年业务指标完成情况、重点工作推进情况", "落实党建责任、三会一课、发展党员情况")
            base = 50 + 48 * diligence[o]
            app.grade_review(leader, rid, score=f"{min(base + rng.uniform(-3, 3), 99):.1f}", comment="述职评议")
            app.grade_review(dept[0], rid, score=f"{min(base + rng.uniform(-4, 2), 99):.1f}")
            app.publish_review(leader, rid)

        agenda.at(working_day_on_or_after(calendar, day), review, hour=15)
    steady = sorted(branches, key=lambda o: -diligence[o])
    for n, org in enumerate(steady[:3]):
        title, category = MODELS[n % len(MODELS)]
        agenda.at(working_day_on_or_after(calendar, start + timedelta(days=120 + 40 * n)),
                  lambda o=org, t=title, c=category: app.award_model_branch(leader, o, t, c), hour=11)
    for n, org in enumerate(rng.sample(steady[:12], k=4)):
        title, direction = PARTY_PLUS[n]
        agenda.at(working_day_on_or_after(calendar, start + timedelta(days=90 + 50 * n)),
                  lambda o=org, t=title, d=direction: app.recognise_party_plus_project(leader, o, t, d), hour=11)
    for org in rng.sample(branches, k=min(6, len(branches))):
        for month in range(1, 12, rng.choice((2, 3))):
            day = working_day_on_or_after(calendar, start + timedelta(days=30 * month + rng.randint(0, 10)))
            agenda.at(day, lambda o=org: app.record_service_activity(people.secretaries[o], o, rng.choice(SERVICE), "共产党员服务队"), hour=16)
    adjusted = steady[len(steady) // 2]
    proposed_on = working_day_on_or_after(calendar, start + timedelta(days=200))

    def adjust() -> None:
        adjustment = app.propose_points_adjustment(dept[0], adjusted, "2", "professional", "迎峰度夏保电党员突击队表现突出")
        agenda.at(next_working(calendar, proposed_on, 1), lambda: app.approve_points_adjustment(leader, adjustment, "同意"), hour=10)

    agenda.at(proposed_on, adjust, hour=10)
    surveyed_on = working_day_on_or_after(calendar, end - timedelta(days=10))
    for org in branches:
        agenda.at(surveyed_on, lambda o=org: app.score_satisfaction_survey(
            people.admin, end.year, o, f"{min(60 + 38 * diligence[o] + rng.uniform(-4, 4), 100):.1f}"), hour=17)

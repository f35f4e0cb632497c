"""补录, given events / when a command / then events: a step entered later keeps the business day it
happened and its real recorded time; it is never before the item began nor in the future, and
only an administrator enters one further back than the thresholds allow."""

from __future__ import annotations

from datetime import date, datetime

from test_domain_rules import World, names, refused, w, when  # noqa: F401  (w is the shared fixture)

from domain.task import Deadline
from domain.vocabulary import InspectionKind, Role

EVIDENCE = [{"kind": "text", "value": "纸质记录已扫描"}]


def test_a_back_entered_report_keeps_its_business_day_and_its_recorded_time(w: World) -> None:
    task = w.issue(days=3)
    w.clock.set(datetime(2025, 4, 8, 10, 0))
    [signed] = when(w, lambda: w.app.sign_for_task(w.secretary, task, on=date(2025, 3, 31)))
    [reported] = when(w, lambda: w.app.report_task_done(w.secretary, task, EVIDENCE, on=date(2025, 4, 2)))
    assert names([signed, reported]) == ["TaskSignedFor", "TaskReportedDone"]
    assert (signed.on, reported.on) == (date(2025, 3, 31), date(2025, 4, 2))
    assert reported.timestamp == w.clock.now() and reported.actor == str(w.secretary)
    assert w.app.task(task).reported_done_on == date(2025, 4, 2)
    [accepted] = when(w, lambda: w.app.accept_task(w.dept, task, on=date(2025, 4, 3)))
    assert accepted.on == date(2025, 4, 3)


def test_every_rectification_step_can_be_back_entered(w: World) -> None:
    _, [finding] = w.app.conduct_inspection(w.flexible, InspectionKind.RANDOM, w.branch, "组织生活", ["记录不全"])
    rect = w.app.open_rectification(w.flexible, finding, w.secretary, "补齐记录", Deadline(working_days=5))
    w.clock.set(datetime(2025, 4, 10, 9, 0))
    steps = [
        (lambda: w.app.submit_rectification_plan(w.secretary, rect, "两周内补齐", on=date(2025, 3, 31)), date(2025, 3, 31)),
        (lambda: w.app.note_rectification_progress(w.secretary, rect, "已补一半", on=date(2025, 4, 1)), date(2025, 4, 1)),
        (lambda: w.app.report_rectification_completion(w.secretary, rect, EVIDENCE, on=date(2025, 4, 2)), date(2025, 4, 2)),
        (lambda: w.app.return_rectification(w.flexible, rect, "不彻底", on=date(2025, 4, 3)), date(2025, 4, 3)),
        (lambda: w.app.report_rectification_completion(w.secretary, rect, EVIDENCE, on=date(2025, 4, 7)), date(2025, 4, 7)),
        (lambda: w.app.verify_rectification(w.flexible, rect, "到位", on=date(2025, 4, 8)), date(2025, 4, 8)),
        (lambda: w.app.close_rectification(w.dept, rect, on=date(2025, 4, 9)), date(2025, 4, 9)),
    ]
    for step, day in steps:
        [event] = when(w, step)
        assert event.on == day and event.timestamp == w.clock.now()


def test_a_back_entry_is_refused_before_the_item_began_in_the_future_or_too_far_back(w: World) -> None:
    task = w.issue(days=20)
    w.clock.set(datetime(2025, 4, 1, 9, 0))
    refused(w, lambda: w.app.sign_for_task(w.secretary, task, on=date(2025, 3, 27)), "back_entry_before_start")
    w.clock.set(datetime(2025, 4, 30, 9, 0))
    refused(w, lambda: w.app.sign_for_task(w.secretary, task, on=date(2025, 5, 6)), "date_in_future")
    # 2025-04-01 is 20 working days before 2025-04-30, beyond the default of 10
    error = refused(w, lambda: w.app.sign_for_task(w.secretary, task, on=date(2025, 4, 1)), "back_entry_too_old")
    assert "超过 10 个工作日" in error.message()
    w.app.set_back_entry_limit(w.admin, 25)
    assert names(when(w, lambda: w.app.sign_for_task(w.secretary, task, on=date(2025, 4, 1)))) == ["TaskSignedFor"]
    w.app.set_back_entry_limit(w.admin, 2)
    refused(w, lambda: w.app.report_task_progress(w.secretary, task, "进展", on=date(2025, 4, 2)), "back_entry_too_old")
    refused(w, lambda: w.app.set_back_entry_limit(w.dept, 30), "not_permitted")
    refused(w, lambda: w.app.set_back_entry_limit(w.admin, -1), "out_of_range")
    refused(w, lambda: w.app.set_back_entry_limit(w.admin, 251), "out_of_range")


def test_an_administrator_enters_paper_records_from_further_back(w: World) -> None:
    task = w.issue()
    w.app.assign_role(w.admin, w.admin, Role.PARTY_DEPT, w.committee)
    w.clock.set(datetime(2025, 6, 30, 9, 0))
    [cancelled] = when(w, lambda: w.app.cancel_task(w.admin, task, "并入其他任务", on=date(2025, 4, 1)))
    assert cancelled.on == date(2025, 4, 1) and cancelled.timestamp == w.clock.now()

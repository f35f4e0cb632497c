"""交接, given events / when a command / then events: a secretary's open work passes to the new
secretary, one event per item with the reason; what is finished stays where it was."""

from __future__ import annotations

from uuid import UUID

from test_domain_rules import World, names, refused, w, when  # noqa: F401  (w is the shared fixture)

from domain.commands.handovers import OpenWork
from domain.task import Deadline
from domain.vocabulary import InspectionKind, Role


def successor(w: World) -> UUID:
    new = w.app.register_person(w.admin, "陈新书记", "S010", w.branch)
    w.app.assign_role(w.admin, new, Role.BRANCH_SECRETARY, w.branch)
    return new


def test_a_secretarys_open_work_is_handed_over_one_event_per_item(w: World) -> None:
    open_task, done_task = w.issue(), w.issue()
    w.app.sign_for_task(w.secretary, done_task)
    w.app.report_task_done(w.secretary, done_task, [{"kind": "text", "value": "已完成"}])
    w.app.accept_task(w.dept, done_task)
    other_task = w.issue(owner=w.worker)
    w.app.follow_task(w.secretary, other_task)
    _, [finding] = w.app.conduct_inspection(w.flexible, InspectionKind.RANDOM, w.branch, "组织生活", ["记录不全"])
    rect = w.app.open_rectification(w.flexible, finding, w.secretary, "补齐记录", Deadline(working_days=5))
    new = successor(w)
    work = OpenWork(task_ids=(open_task, done_task), rectification_ids=(rect,), followed_task_ids=(other_task,))

    listed = w.app.hand_over(w.dept, w.secretary, new, "换届", work, record=False)
    assert [(m.kind, m.item_id) for m in listed] == [("task", open_task), ("rectification", rect), ("following", other_task)]

    events = when(w, lambda: w.app.hand_over(w.dept, w.secretary, new, "换届", work, record=True))
    assert names(events) == ["TaskHandedOver", "RectificationHandedOver", "TaskFollowingHandedOver"]
    assert all(e.reason == "换届" and e.actor == str(w.dept) for e in events)
    assert events[0].from_owner_id == w.secretary and events[0].owner_id == new
    assert w.app.task(open_task).owner_id == new and w.app.task(done_task).owner_id == w.secretary
    assert w.app.rectification(rect).owner_id == new
    assert w.app.task(other_task).follower_ids == [new]
    # the new secretary now answers for it; the old one no longer can act as its owner
    w.app.sign_for_task(new, open_task)


def test_a_handover_is_refused_clearly_and_records_nothing(w: World) -> None:
    task = w.issue()
    new = successor(w)
    work = OpenWork(task_ids=(task,))
    refused(w, lambda: w.app.hand_over(w.dept, w.secretary, w.secretary, "换届", work, record=True), "same_holder")
    refused(w, lambda: w.app.hand_over(w.dept, w.secretary, new, " ", work, record=True), "required")
    refused(w, lambda: w.app.hand_over(w.other_secretary, w.secretary, new, "换届", work, record=True), "not_permitted")
    refused(w, lambda: w.app.hand_over(w.dept, w.secretary, w.other_secretary, "换届", work, record=True), "owner_not_in_org")
    refused(w, lambda: w.app.hand_over(w.dept, w.worker, new, "换届", work, record=True), "nothing_to_hand_over")
    w.app.record_leaving(w.admin, new, "辞职")
    refused(w, lambda: w.app.hand_over(w.dept, w.secretary, new, "换届", work, record=True), "person_left")


def test_someone_who_left_keeps_their_open_work_until_it_is_handed_over(w: World) -> None:
    task = w.issue()
    w.app.record_leaving(w.admin, w.secretary, "退休")
    assert w.app.task(task).owner_id == w.secretary, "nothing vanishes when someone leaves"
    new = successor(w)
    assert names(when(w, lambda: w.app.hand_over(w.admin, w.secretary, new, "离职交接", OpenWork(task_ids=(task,)), record=True))) == [
        "TaskHandedOver"
    ]

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


def test_the_reviews_a_leaving_officer_owes_pass_to_their_successor(w: World) -> None:
    """Given tasks the party department's officer issued (one reported done, awaiting acceptance)
    and a rectification the flexible team raised (completion reported, awaiting verification),
    when they hand over to successors without any role, then one event per open item moves the
    review, and the successors may accept and verify what only the old holders could."""
    waiting, working, finished = w.issue(), w.issue(), w.issue()
    for task in (waiting, finished):
        w.app.sign_for_task(w.secretary, task)
        w.app.report_task_done(w.secretary, task, [{"kind": "text", "value": "已完成"}])
    w.app.accept_task(w.dept, finished)
    _, [finding] = w.app.conduct_inspection(w.flexible, InspectionKind.RANDOM, w.branch, "组织生活", ["记录不全"])
    rect = w.app.open_rectification(w.flexible, finding, w.secretary, "补齐记录", Deadline(working_days=5))
    w.app.report_rectification_completion(w.secretary, rect, [{"kind": "text", "value": "已补齐"}])
    new_officer = w.app.register_person(w.admin, "钱接任", "P010", w.committee)
    new_checker = w.app.register_person(w.admin, "冯接任", "F010", w.committee)
    refused(w, lambda: w.app.accept_task(new_officer, waiting), "not_permitted")

    work = OpenWork(reviewed_task_ids=(waiting, working, finished))
    events = when(w, lambda: w.app.hand_over(w.admin, w.dept, new_officer, "调离", work, record=True))
    assert names(events) == ["TaskReviewHandedOver", "TaskReviewHandedOver"]
    assert [e.originator_id for e in events] == [waiting, working]
    assert all(e.reason == "调离" and e.from_reviewer == str(w.dept) and e.reviewer_id == new_officer for e in events)
    assert w.app.task(finished).reviewer == str(w.dept), "finished work keeps who reviewed it"

    [moved] = when(w, lambda: w.app.hand_over(w.admin, w.flexible, new_checker, "调整分工",
                                               OpenWork(checked_rectification_ids=(rect,)), record=True))
    assert names([moved]) == ["RectificationCheckHandedOver"] and moved.checker_id == new_checker
    assert moved.from_checker == str(w.flexible) and w.app.rectification(rect).raised_by == str(w.flexible)

    assert names(when(w, lambda: w.app.accept_task(new_officer, waiting))) == ["TaskAccepted"]
    assert names(when(w, lambda: w.app.verify_rectification(new_checker, rect))) == ["RectificationVerified"]


def test_a_review_never_passes_to_the_one_who_does_the_work(w: World) -> None:
    theirs = w.issue(owner=w.worker)
    others = w.issue()
    work = OpenWork(reviewed_task_ids=(theirs, others))
    listed = w.app.hand_over(w.admin, w.dept, w.worker, "换届", work, record=False)
    assert [(m.kind, m.item_id) for m in listed] == [("task_review", others)]
    refused(w, lambda: w.app.hand_over(w.admin, w.dept, w.worker, "换届", OpenWork(reviewed_task_ids=(theirs,)), record=True),
            "nothing_to_hand_over")

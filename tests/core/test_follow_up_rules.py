"""催办, comments with @mentions and 转办, given events / when a command / then events; every refusal
records nothing and says why in zh-CN and English (the world of test_domain_rules)."""

from __future__ import annotations

from domain.task import Deadline
from domain.vocabulary import InspectionKind
from test_domain_rules import World, names, refused, w, when  # noqa: F401  (w is the fixture)


def test_a_supervisor_or_discipline_officer_urges_an_unfinished_task(w: World) -> None:
    task = w.issue()
    urged = when(w, lambda: w.app.urge_task(w.dept, task, "请本周内报送"))
    assert names(urged) == ["TaskUrged"]
    assert (urged[0].note, urged[0].owner_id, urged[0].actor) == ("请本周内报送", w.secretary, str(w.dept))
    assert names(when(w, lambda: w.app.urge_task(w.discipline, task, "纪检督促"))) == ["TaskUrged"]
    refused(w, lambda: w.app.urge_task(w.secretary, task, "自己催自己"), "not_permitted")
    refused(w, lambda: w.app.urge_task(w.other_secretary, task, "别的支部"), "not_permitted")
    refused(w, lambda: w.app.urge_task(w.dept, task, "  "), "required")
    w.app.cancel_task(w.dept, task, "重复")
    refused(w, lambda: w.app.urge_task(w.dept, task, "已撤销"), "wrong_state")


def test_a_comment_reaches_those_mentioned(w: World) -> None:
    task = w.issue()
    said = when(w, lambda: w.app.comment_on_task(w.secretary, task, "@W001 请补充照片", [w.worker, w.worker]))
    assert names(said) == ["TaskCommented"]
    assert (said[0].text, said[0].mentioned_ids, said[0].mentioned) == ("@W001 请补充照片", [w.worker], "孙丽（W001）")
    assert names(when(w, lambda: w.app.comment_on_task(w.dept, task, "收到"))) == ["TaskCommented"]
    refused(w, lambda: w.app.comment_on_task(w.other_secretary, task, "路过"), "not_permitted")
    refused(w, lambda: w.app.comment_on_task(w.secretary, task, ""), "required")
    refused(w, lambda: w.app.comment_on_task(w.secretary, task, "找不到的人", [w.branch]), "not_found")


def test_reassigning_moves_the_task_to_its_new_owner(w: World) -> None:
    task = w.issue()
    w.app.sign_for_task(w.secretary, task)
    moved = when(w, lambda: w.app.reassign_task(w.dept, task, w.other_secretary, "职责调整，改由营销部办理"))
    assert names(moved) == ["TaskReassigned"]
    fact = moved[0]
    assert (fact.previous_owner_id, fact.previous_org_id, fact.owner_id, fact.org_id) == (
        w.secretary, w.branch, w.other_secretary, w.other_branch)
    assert fact.handover == "王芳（变电运维室党支部）→ 赵敏（营销部党支部）" and fact.reason == "职责调整，改由营销部办理"
    moved_task = w.app.task(task)
    assert (moved_task.owner_id, moved_task.status, moved_task.deadline) == (w.other_secretary, "issued", moved_task.original_deadline)
    refused(w, lambda: w.app.sign_for_task(w.secretary, task), "not_permitted")
    assert names(when(w, lambda: w.app.sign_for_task(w.other_secretary, task))) == ["TaskSignedFor"]
    refused(w, lambda: w.app.reassign_task(w.other_secretary, task, w.secretary, "推回去"), "not_permitted")
    refused(w, lambda: w.app.reassign_task(w.dept, task, w.other_secretary, "原地"), "reassign_same_owner")
    refused(w, lambda: w.app.reassign_task(w.dept, task, w.secretary, ""), "required")
    refused(w, lambda: w.app.reassign_task(w.dept, task, w.secretary, "不在该组织", org_id=w.other_branch), "owner_not_in_org")


def test_a_rectification_is_urged_and_commented_on(w: World) -> None:
    _, [finding] = w.app.conduct_inspection(w.flexible, InspectionKind.RANDOM, w.branch, "组织生活", ["记录不全"])
    rect = w.app.open_rectification(w.flexible, finding, w.secretary, "补齐记录", Deadline(working_days=5))
    assert names(when(w, lambda: w.app.urge_rectification(w.flexible, rect, "请尽快提交方案"))) == ["RectificationUrged"]
    assert names(when(w, lambda: w.app.urge_rectification(w.discipline, rect, "纪检督促"))) == ["RectificationUrged"]
    refused(w, lambda: w.app.urge_rectification(w.secretary, rect, "自己"), "not_permitted")
    said = when(w, lambda: w.app.comment_on_rectification(w.secretary, rect, "方案已在起草", [w.flexible]))
    assert names(said) == ["RectificationCommented"] and said[0].mentioned_ids == [w.flexible]
    refused(w, lambda: w.app.comment_on_rectification(w.other_secretary, rect, "路过"), "not_permitted")
    w.app.report_rectification_completion(w.secretary, rect, [{"kind": "text", "value": "已补齐"}])
    refused(w, lambda: w.app.urge_rectification(w.flexible, rect, "已报完成"), "wrong_state")

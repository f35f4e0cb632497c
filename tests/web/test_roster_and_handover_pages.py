"""An administrator on the web: a roster uploaded, its difference and refused rows previewed, then
confirmed; a secretary's open work shown before it is handed over, then handed over."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from web_support import Browserless, World
from domain.vocabulary import Role
from projections import directory_queries


def test_a_roster_is_previewed_then_recorded(world: World, login_as: Callable[[str], Browserless]) -> None:
    admin = login_as(world.staff_no(world.demo.people.admin))
    assert 'href="/admin/roster"' in admin.get("/admin").text
    template = admin.get("/admin/roster/template")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    with world.system.engine.connect() as conn:
        committee = next(o["name"] for o in directory_queries.organisation_list(conn) if o["parent_id"] is None)
    roster = f"组织名称,上级组织,类型\n网页新建党支部,{committee},党支部\n孤儿支部,不存在的党委,党支部\n".encode()
    before = world.events()
    preview = admin.post("/admin/roster/preview", files={"file": ("组织.csv", roster, "text/csv")}, page="/admin/roster")
    assert preview.status_code == 200
    assert "网页新建党支部" in preview.text and "登记组织" in preview.text
    assert "“组织”表第 3 行“上级组织”：找不到组织“不存在的党委”" in preview.text
    assert world.events() == before, "a preview records nothing"
    content = preview.text.split('name="content" value="')[1].split('"')[0]
    refused = admin.post("/admin/roster/import", {"filename": "组织.csv", "content": content}, page="/admin/roster")
    assert refused.status_code == 422 and "名册有 1 处错误" in refused.text and world.events() == before
    recorded = admin.post("/admin/roster/import", {"filename": "组织.csv", "content": content, "apply_valid": "1"}, page="/admin/roster")
    assert "已记录 1 项变更" in recorded.text
    assert world.events() == before + 1


def test_a_handover_is_shown_before_it_is_confirmed(world: World, login_as: Callable[[str], Browserless]) -> None:
    task = world.overdue_secretary_task()
    app = world.system.app
    admin_id = world.demo.people.admin
    branch = app.task(UUID(task["id"])).org_id
    successor = app.register_person(admin_id, "网页接任书记", "W-NEW-1", branch)
    app.assign_role(admin_id, successor, Role.BRANCH_SECRETARY, branch)
    world.system.catch_up()
    old = world.staff_no(UUID(task["owner_id"]))
    admin = login_as(world.staff_no(admin_id))
    page = admin.get(f"/admin/handover?from_person={old}&to_person=W-NEW-1")
    assert page.status_code == 200 and task["title"] in page.text and 'id="handover-confirm"' in page.text
    before = world.events()
    handed = admin.post("/admin/handover", {"from_person": old, "to_person": "W-NEW-1", "reason": "换届"}, page="/admin/handover")
    assert "已交接" in handed.text and world.events() > before
    world.system.catch_up()
    assert world.system.app.task(UUID(task["id"])).owner_id == successor



def test_the_reviews_an_officer_owes_are_shown_and_handed_over(world: World, login_as: Callable[[str], Browserless]) -> None:
    task = world.overdue_secretary_task()
    app = world.system.app
    admin_id = world.demo.people.admin
    reviewer = UUID(app.task(UUID(task["id"])).reviewer)
    successor = app.register_person(admin_id, "网页接任干事", "W-NEW-2", app.person(reviewer).org_id)
    world.system.catch_up()
    old = world.staff_no(reviewer)
    admin = login_as(world.staff_no(admin_id))
    page = admin.get(f"/admin/handover?from_person={old}&to_person=W-NEW-2")
    assert page.status_code == 200 and "待验收任务" in page.text and task["title"] in page.text
    handed = admin.post("/admin/handover", {"from_person": old, "to_person": "W-NEW-2", "reason": "调离"}, page="/admin/handover")
    assert "已交接" in handed.text
    assert app.task(UUID(task["id"])).reviewer == str(successor)

"""Administrators: organisations, people, roles and accounts from the web; the audit shows the
integrity check, the projections' status and a chain as of a past day. Nobody else gets in."""

from __future__ import annotations

import re
from collections.abc import Callable

from web_support import Browserless, World
from dutyloop.web.accounts import Accounts
from projections import lookup


def test_an_admin_registers_a_person_gives_a_role_and_an_account(world: World, login_as: Callable[[str], Browserless], web_app) -> None:  # type: ignore[no-untyped-def]
    admin = login_as(world.staff_no(world.demo.people.admin))
    branch = world.demo.branches[2]
    registered = admin.post("/admin/people", {"name": "新书记", "staff_no": "S9001", "org_id": branch.hex}, page="/admin")
    assert "已登记人员：新书记" in registered.text
    world.system.catch_up()
    with world.system.engine.connect() as conn:
        person = lookup.resolve_person(conn, "S9001")
    admin.post(f"/admin/people/{person}/roles", {"role": "party_worker", "org_id": branch.hex}, page="/admin")
    short = admin.post(f"/admin/people/{person}/password", {"password": "short"}, page="/admin")
    assert short.status_code == 422 and "password" in short.text
    admin.post(f"/admin/people/{person}/password", {"password": "a-long-password"}, page="/admin")
    from fastapi.testclient import TestClient

    newcomer = Browserless(TestClient(web_app))
    assert newcomer.login("S9001", "a-long-password").url.path == "/"
    assert "党务工作者" in newcomer.get("/").text
    admin.post(f"/admin/people/{person}/account/remove", {}, page="/admin")
    assert newcomer.get("/").url.path == "/login"
    assert Accounts(world.system.engine).current(person) is None


def test_the_audit_checks_the_record_and_shows_a_chain_as_it_stood(world: World, login_as: Callable[[str], Browserless]) -> None:
    admin = login_as(world.staff_no(world.demo.people.admin))
    checked = admin.get("/audit?check=1")
    assert "记录完整" in checked.text
    assert re.search(r"已核验 (\d+) 个事件", checked.text).group(1) == str(world.events())
    chain = world.demo.sample_chain.hex
    opened = world.system.app.rectification(world.demo.sample_chain).opened_on
    past = admin.get(f"/audit?chain={chain}&as_of={opened.isoformat()}")
    assert past.status_code == 200
    assert "启动整改" in past.text
    assert "整改销号" not in past.text.split("历史视图")[1]


def test_nobody_else_reaches_administration(world: World, login_as: Callable[[str], Browserless]) -> None:
    for person in (world.demo.people.discipline, world.demo.people.party_dept[0], world.demo.people.secretaries[world.demo.branches[0]]):
        visitor = login_as(world.staff_no(person))
        before = world.events()
        assert visitor.get("/admin").status_code == 403
        assert visitor.get("/audit").status_code == 403
        refused = visitor.post("/admin/people", {"name": "冒名", "staff_no": "X1", "org_id": world.demo.branches[0].hex})
        assert refused.status_code == 403
        assert world.events() == before
        assert 'href="/admin"' not in visitor.get("/").text

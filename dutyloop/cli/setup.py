"""明责 commands: the organisation tree, people and roles, 联系点, the responsibility list."""

from __future__ import annotations

from uuid import UUID

import click

from domain.vocabulary import OrgKind, Role, label, parse
from dutyloop.audit.signing import signing_key
from dutyloop.cli.base import YEARS, CliState, actor, command, done, emit, main
from projections import directory_queries, lookup


@command(main, "init")
@click.option("--committee", default="公司党委", show_default=True, help="Name of the company committee.")
@click.option("--admin-name", required=True, help="The first administrator's name.")
@click.option("--admin-staff-no", required=True, help="The first administrator's staff number (工号).")
def init(state: CliState, committee: str, admin_name: str, admin_staff_no: str) -> None:
    """Create the company committee and the first administrator on an empty system."""
    system = state.open()
    committee_id, admin_id = system.app.bootstrap(committee, admin_name, admin_staff_no)
    system.catch_up()
    signing_key(system.settings.data_dir)
    done(state, "已创建{committee}，管理员 {admin}（工号 {staff_no}）", "Created {committee}; administrator {admin} (staff no {staff_no})",
         committee=committee, admin=admin_name, staff_no=admin_staff_no, committee_id=committee_id, admin_id=admin_id)


@main.group("org")
def org_group() -> None:
    """组织：党委、党支部、临时党支部 (organisations)."""


@command(org_group, "add")
@click.argument("name")
@click.option("--kind", default="branch", show_default=True, help="branch (党支部) or temporary_branch (临时党支部).")
@click.option("--parent", required=True, help="Parent organisation (name or id).")
def org_add(state: CliState, name: str, kind: str, parent: str) -> None:
    """Register an organisation under its parent."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        parent_id = UUID(lookup.resolve_org(conn, parent))
    org_id = system.app.register_organisation(who, name, parse(OrgKind, kind, "kind"), parent_id)
    system.catch_up()
    done(state, "已登记组织 {name}", "Registered {name}", name=name, id=org_id)


@command(org_group, "list")
def org_list(state: CliState) -> None:
    """Every organisation with its kind and parent."""
    system = state.open()
    system.catch_up()
    with system.engine.connect() as conn:
        rows = directory_queries.organisation_list(conn)
    for row in rows:
        row["kind_label"] = label(row["kind"], state.locale)
    emit(state, rows, [("name", "名称", "Name"), ("kind_label", "类型", "Kind"), ("parent_name", "上级", "Parent"),
                       ("dissolved_on", "撤销日期", "Dissolved"), ("org_id", "编号", "Id")])


@command(org_group, "rename")
@click.argument("org")
@click.argument("name")
def org_rename(state: CliState, org: str, name: str) -> None:
    """Rename an organisation."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        org_id = UUID(lookup.resolve_org(conn, org))
    system.app.rename_organisation(who, org_id, name)
    system.catch_up()
    done(state, "已更名为 {name}", "Renamed to {name}", name=name)


@command(org_group, "dissolve")
@click.argument("org")
@click.option("--reason", required=True)
def org_dissolve(state: CliState, org: str, reason: str) -> None:
    """Dissolve an organisation, with the reason."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        org_id = UUID(lookup.resolve_org(conn, org))
    system.app.dissolve_organisation(who, org_id, reason)
    system.catch_up()
    done(state, "已撤销组织 {org}", "Dissolved {org}", org=org)


@main.group("person")
def person_group() -> None:
    """人员与角色 (people and roles)."""


@command(person_group, "add")
@click.argument("name")
@click.option("--staff-no", required=True, help="工号, unique.")
@click.option("--org", required=True, help="Home organisation (name or id).")
@click.option("--email", default="")
@click.option("--phone", default="")
@click.option("--role", "roles", multiple=True, help="A role at the home organisation, e.g. branch_secretary or 支部书记.")
def person_add(state: CliState, name: str, staff_no: str, org: str, email: str, phone: str, roles: tuple[str, ...]) -> None:
    """Register a person at their home organisation, with their roles there."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        org_id = UUID(lookup.resolve_org(conn, org))
    parsed = [parse(Role, r, "role") for r in roles]
    person_id = system.app.register_person(who, name, staff_no, org_id, email, phone)
    for role in parsed:
        system.app.assign_role(who, person_id, role, org_id)
    system.catch_up()
    done(state, "已登记 {name}（{staff_no}）", "Registered {name} ({staff_no})", name=name, staff_no=staff_no, id=person_id)


@command(person_group, "list")
@click.option("--org", help="Only this organisation.")
def person_list(state: CliState, org: str | None) -> None:
    """People and their organisations."""
    system = state.open()
    system.catch_up()
    with system.engine.connect() as conn:
        rows = directory_queries.people_list(conn, lookup.resolve_org(conn, org) if org else None)
    for row in rows:
        row["role_labels"] = [label(r, state.locale) for r in row["roles"]]
    emit(state, rows, [("staff_no", "工号", "Staff no"), ("name", "姓名", "Name"), ("org_name", "组织", "Organisation"),
                       ("role_labels", "角色", "Roles"), ("email", "邮箱", "Email")])


@command(person_group, "contact")
@click.argument("person")
@click.option("--email", default="")
@click.option("--phone", default="")
def person_contact(state: CliState, person: str, email: str, phone: str) -> None:
    """Change a person's email or phone."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        person_id = UUID(lookup.resolve_person(conn, person))
    system.app.update_contact(who, person_id, email, phone)
    system.catch_up()
    done(state, "已更新联系方式", "Contact details updated")


@command(person_group, "move")
@click.argument("person")
@click.option("--to", "org", required=True, help="The organisation they now belong to (name or id).")
@click.option("--reason", required=True, help="Why, e.g. 调任.")
def person_move(state: CliState, person: str, org: str, reason: str) -> None:
    """调离: the person now belongs to another organisation; their open work waits for a handover."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        person_id = UUID(lookup.resolve_person(conn, person))
        org_id = UUID(lookup.resolve_org(conn, org))
    system.app.move_person(who, person_id, org_id, reason)
    system.catch_up()
    done(state, "已记录调离：{person} 调至 {org}", "Recorded the move of {person} to {org}", person=person, org=org)


@command(person_group, "leave")
@click.argument("person")
@click.option("--reason", required=True, help="Why, e.g. 退休 or 辞职.")
def person_leave(state: CliState, person: str, reason: str) -> None:
    """离职: the person's roles end and they can no longer act; their open work waits for a handover."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        person_id = UUID(lookup.resolve_person(conn, person))
    system.app.record_leaving(who, person_id, reason)
    system.catch_up()
    done(state, "已记录离职：{person}", "Recorded that {person} left", person=person)


@main.group("role")
def role_group() -> None:
    """分配或撤销角色 (assign or revoke roles)."""


@command(role_group, "assign")
@click.argument("person")
@click.argument("role")
@click.option("--org", required=True, help="Where the role is held.")
@click.option("--duty", default="", help="一岗双责: the business post this team member also answers for.")
@click.option("--field", "fields", multiple=True, help="责任田: a branch a flexible-team member mentors (repeat).")
def role_assign(state: CliState, person: str, role: str, org: str, duty: str, fields: tuple[str, ...]) -> None:
    """Give a person a role at an organisation."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        person_id = UUID(lookup.resolve_person(conn, person))
        org_id = UUID(lookup.resolve_org(conn, org))
        field_ids = [UUID(lookup.resolve_org(conn, f)) for f in fields]
    system.app.assign_role(who, person_id, parse(Role, role, "role"), org_id, duty, field_ids)
    system.catch_up()
    done(state, "已分配角色", "Role assigned")


@command(role_group, "revoke")
@click.argument("person")
@click.argument("role")
@click.option("--org", required=True)
def role_revoke(state: CliState, person: str, role: str, org: str) -> None:
    """Take a person's role at an organisation away."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        person_id = UUID(lookup.resolve_person(conn, person))
        org_id = UUID(lookup.resolve_org(conn, org))
    system.app.revoke_role(who, person_id, parse(Role, role, "role"), org_id)
    system.catch_up()
    done(state, "已撤销角色", "Role revoked")


@command(main, "liaison")
@click.argument("person")
@click.argument("org")
def liaison(state: CliState, person: str, org: str) -> None:
    """联系点: link a leader to the grassroots unit they supervise."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        person_id = UUID(lookup.resolve_person(conn, person))
        org_id = UUID(lookup.resolve_org(conn, org))
    system.app.link_liaison_point(who, person_id, org_id)
    system.catch_up()
    done(state, "已建立联系点", "Liaison point linked")


@main.group("duties")
def duties_group() -> None:
    """主体责任清单 (the responsibility list)."""


@command(duties_group, "draft")
@click.argument("title")
@click.option("--year", type=YEARS, required=True)
@click.option("--org", required=True)
def duties_draft(state: CliState, title: str, year: int, org: str) -> None:
    """Draft an organisation's responsibility list for a year."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        org_id = UUID(lookup.resolve_org(conn, org))
    list_id = system.app.draft_responsibility_list(who, title, year, org_id)
    system.catch_up()
    done(state, "已创建责任清单 {id}", "Drafted responsibility list {id}", id=list_id)


@command(duties_group, "aspect")
@click.argument("list_id")
@click.argument("title")
def duties_aspect(state: CliState, list_id: str, title: str) -> None:
    """Add an aspect (方面) to a responsibility list."""
    system = state.open()
    who = actor(state, system)
    aspect_id = system.app.add_responsibility_aspect(who, lookup.resolve_id(list_id, "responsibility_list"), title)
    system.catch_up()
    done(state, "已添加责任方面 {id}", "Added aspect {id}", id=aspect_id)


@command(duties_group, "item")
@click.argument("list_id")
@click.argument("aspect_id")
@click.argument("text")
@click.option("--role", required=True, help="Responsible role, e.g. committee_secretary / 党委书记.")
@click.option("--person", help="Responsible person, if one is named.")
def duties_item(state: CliState, list_id: str, aspect_id: str, text: str, role: str, person: str | None) -> None:
    """Add an item to an aspect, with its responsible role."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        person_id = UUID(lookup.resolve_person(conn, person)) if person else None
    item_id = system.app.add_responsibility_item(
        who, lookup.resolve_id(list_id, "responsibility_list"), lookup.resolve_id(aspect_id, "aspect"), text,
        parse(Role, role, "role"), person_id,
    )
    system.catch_up()
    done(state, "已添加清单事项 {id}", "Added item {id}", id=item_id)


@command(duties_group, "show")
def duties_show(state: CliState) -> None:
    """The responsibility lists with their aspects and items."""
    system = state.open()
    system.catch_up()
    with system.engine.connect() as conn:
        rows = directory_queries.responsibility_list(conn)
    for row in rows:
        row["role_label"] = label(row["responsible_role"], state.locale)
    emit(state, rows, [("year", "年度", "Year"), ("aspect", "方面", "Aspect"), ("text", "事项", "Item"),
                       ("role_label", "责任主体", "Responsible"), ("responsible_person", "责任人", "Person"),
                       ("item_id", "编号", "Id")])

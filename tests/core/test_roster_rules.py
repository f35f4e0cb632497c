"""明责 at a company's scale, given events / when a command / then events: a roster synced, people
moving and leaving. In memory (the library's POPO store)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import pytest

from domain import ids
from domain.application import DutyLoop
from domain.clock import ManualClock
from domain.errors import DomainError
from domain.people import Person
from domain.roster import OrgRow, PersonRow, Recorded, RoleRow, Roster
from domain.vocabulary import OrgKind, Role


class Company:
    def __init__(self) -> None:
        self.clock = ManualClock(datetime(2025, 3, 28, 9))
        self.app = DutyLoop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=self.clock)
        self.committee, self.admin = self.app.bootstrap("公司党委", "管理员", "A001")
        self.orgs: list[UUID] = [self.committee]
        self.people: list[UUID] = [self.admin]

    def recorded(self) -> Recorded:
        return Recorded(tuple(self.orgs), tuple(self.people))

    def head(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def events_since(self, position: int) -> list[tuple[str, str]]:
        """(event name, the aggregate's name) for each event recorded after ``position``."""
        found = []
        for n in self.app.recorder.select_notifications(start=position + 1, limit=10000):
            event = self.app.mapper.to_domain_event(n)
            aggregate = self.app.repository.get(event.originator_id)
            found.append((type(event).__qualname__.split(".")[-1], getattr(aggregate, "name", "")))
        return found

    def sync(self, roster: Roster, *, record: bool = True, apply_valid: bool = False):  # type: ignore[no-untyped-def]
        outcome = self.app.sync_roster(self.admin, roster, self.recorded(), record=record, apply_valid=apply_valid)
        if outcome.recorded:
            for change in outcome.changes:
                if change.event == "OrganisationRegistered":
                    self.orgs.append(ids.organisation_id(change.subject))
                if change.event == "PersonRegistered":
                    self.people.append(ids.person_id(change.subject.split("（")[1].rstrip("）")))
        return outcome


FIRST = Roster(
    organisations=(OrgRow(2, "公司党委", "", "公司党委"), OrgRow(3, "营销部党支部", "公司党委", "党支部"),
                   OrgRow(4, "客服班党小组支部", "营销部党支部", "党支部"), OrgRow(5, "变电运维室党支部", "公司党委", "党支部")),
    people=(PersonRow(2, "S1", "王芳", "营销部党支部", "wf@example.cn"), PersonRow(3, "S2", "李强", "变电运维室党支部"),
            PersonRow(4, "S3", "赵敏", "公司党委")),
    roles=(RoleRow(2, "S1", "支部书记", "营销部党支部"), RoleRow(3, "S2", "党务工作者", "变电运维室党支部"),
           RoleRow(4, "S3", "柔性团队成员", "公司党委", "", ("营销部党支部", "变电运维室党支部"))),
)


@pytest.fixture
def company() -> Company:
    return Company()


def test_a_first_roster_records_the_company_as_the_single_commands_would(company: Company) -> None:
    before = company.head()
    outcome = company.sync(FIRST)
    assert outcome.recorded and not outcome.problems
    events = company.events_since(before)
    assert [e for e, _ in events].count("OrganisationRegistered") == 3
    assert [e for e, _ in events].count("PersonRegistered") == 3
    assert [e for e, _ in events].count("RoleAssigned") == 3
    # parents before children, though the file could list them in any order
    assert events.index(("OrganisationRegistered", "营销部党支部")) < events.index(("OrganisationRegistered", "客服班党小组支部"))
    flexible = company.app.person(company.people[-1])
    assert flexible.name == "赵敏" and len(flexible.field_org_ids) == 2


def test_the_same_roster_again_records_nothing(company: Company) -> None:
    company.sync(FIRST)
    before = company.head()
    outcome = company.sync(FIRST)
    assert outcome.changes == [] and company.head() == before


def test_a_changed_roster_records_exactly_the_differences(company: Company) -> None:
    company.sync(FIRST)
    changed = Roster(
        organisations=(OrgRow(2, "营销服务中心党支部", "公司党委", "党支部", "营销部党支部"),
                       OrgRow(3, "变电运维室党支部", "公司党委", "党支部")),
        people=(PersonRow(2, "S1", "王芳", "变电运维室党支部", "", "13800000000"), PersonRow(3, "S2", "李小强", "变电运维室党支部"),
                PersonRow(4, "S4", "孙丽", "营销服务中心党支部")),
        roles=(RoleRow(2, "S1", "支部书记", "变电运维室党支部"), RoleRow(3, "S2", "党务工作者", "变电运维室党支部"),
               RoleRow(4, "S4", "支部书记", "营销服务中心党支部")),
    )
    before = company.head()
    outcome = company.sync(changed)
    assert not outcome.problems
    assert sorted((c.event, c.subject) for c in outcome.changes) == sorted([
        ("OrganisationRenamed", "营销服务中心党支部"),
        ("PersonMoved", "王芳（S1）"),
        ("ContactUpdated", "王芳（S1）"),
        ("RoleRevoked", "王芳（S1）"),
        ("RoleAssigned", "王芳（S1）"),
        ("PersonRenamed", "李小强（S2）"),
        ("PersonRegistered", "孙丽（S4）"),
        ("RoleAssigned", "孙丽（S4）"),
        ("PersonLeft", "赵敏（S3）"),
    ])
    assert len(company.events_since(before)) == 9
    wang = company.app.person(company.people[1])
    assert wang.email == "wf@example.cn" and wang.phone == "13800000000", "a blank cell keeps what is recorded"
    zhao = company.app.person(company.people[3])
    assert not zhao.active and zhao.assignments == []
    assert company.app.person(company.admin).active, "an administrator never leaves by a roster"


def test_a_roster_with_errors_records_nothing_and_names_each_row(company: Company) -> None:
    bad = Roster(
        organisations=(OrgRow(2, "一支部", "公司党委", "党支部"), OrgRow(3, "二支部", "不存在的党委", "党支部"),
                       OrgRow(4, "三支部", "公司党委", "党小组"), OrgRow(5, "一支部", "公司党委", "党支部")),
        people=(PersonRow(2, "S1", "王芳", "一支部"), PersonRow(3, "", "无工号", "一支部"), PersonRow(4, "S5", "钱七", "二支部")),
        roles=(RoleRow(2, "S1", "支书", "一支部"), RoleRow(3, "S9", "支部书记", "一支部"), RoleRow(4, "S1", "系统管理员", "一支部")),
    )
    before = company.head()
    outcome = company.sync(bad)
    assert not outcome.recorded and company.head() == before
    where = {(p.sheet, p.row, p.column) for p in outcome.problems}
    assert where == {
        ("organisations", 3, "parent"), ("organisations", 4, "kind"), ("organisations", 5, "name"),
        ("people", 3, "staff_no"), ("people", 4, "org"),
        ("roles", 2, "role"), ("roles", 3, "staff_no"), ("roles", 4, "role"),
    }
    messages = [p.describe() for p in outcome.problems]
    assert "“组织”表第 3 行“上级组织”：找不到组织“不存在的党委”：既未登记，也不在组织表中" in messages
    assert "“组织”表第 5 行“组织名称”：与第 2 行重复" in messages
    assert any(m.startswith("“角色”表第 4 行“角色”：系统管理员角色不通过名册分配") for m in messages)
    assert all(p.describe("en").startswith("sheet “") for p in outcome.problems)

    applied = company.sync(bad, apply_valid=True)
    assert applied.recorded
    assert sorted((c.event, c.subject) for c in applied.changes) == [
        ("OrganisationRegistered", "一支部"), ("PersonRegistered", "王芳（S1）"),
    ], "the valid rows only; a person with a refused role row keeps the roles recorded"


def test_a_roster_cannot_reparent_nor_change_a_kind(company: Company) -> None:
    company.sync(FIRST)
    outcome = company.sync(Roster(organisations=(
        OrgRow(2, "客服班党小组支部", "公司党委", "党支部"), OrgRow(3, "变电运维室党支部", "公司党委", "临时党支部"),
        OrgRow(4, "第二党委", "", "公司党委"),
    )), record=False)
    assert [(p.row, p.error.code) for p in outcome.problems] == [
        (2, "roster_parent_fixed"), (3, "roster_kind_fixed"), (4, "roster_second_committee"),
    ]


def test_only_an_administrator_imports_a_roster(company: Company) -> None:
    company.sync(FIRST)
    with pytest.raises(DomainError) as refused:
        company.app.sync_roster(company.people[1], FIRST, company.recorded(), record=True)
    assert refused.value.code == "not_permitted"


def test_a_person_moves_and_leaves_as_events_and_a_leaver_can_no_longer_act(company: Company) -> None:
    app = company.app
    branch = app.register_organisation(company.admin, "一支部", OrgKind.BRANCH, company.committee)
    other = app.register_organisation(company.admin, "二支部", OrgKind.BRANCH, company.committee)
    secretary = app.register_person(company.admin, "王芳", "S1", branch)
    app.assign_role(company.admin, secretary, Role.BRANCH_SECRETARY, branch)
    before = company.head()
    app.move_person(company.admin, secretary, other, "调任二支部")
    [(moved, _)] = company.events_since(before)
    assert moved == "PersonMoved"
    person = app.person(secretary)
    assert person.org_id == other and person.has_role(Role.BRANCH_SECRETARY, branch), "roles stay until handed over"
    with pytest.raises(DomainError) as same:
        app.move_person(company.admin, secretary, other, "再次调任")
    assert same.value.code == "same_org"

    app.record_leaving(company.admin, secretary, "退休")
    leaver: Person = app.person(secretary)
    assert leaver.left_on is not None and leaver.assignments == []
    with pytest.raises(DomainError) as gone:
        app.update_contact(secretary, secretary, "x@example.cn", "")
    assert gone.value.code == "person_left" and "已于 2025-03-28 离职" in gone.value.message()
    with pytest.raises(DomainError) as twice:
        app.record_leaving(company.admin, secretary, "退休")
    assert twice.value.code == "person_left"

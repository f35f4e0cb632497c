"""明责 at a company's scale: the roster (花名册) of organisations, people and roles as a file
gives it, the rows it refuses and why, and the differences a sync records.

A roster is read into these plain rows by whoever reads the file (dutyloop/roster_files.py);
the sync (domain/commands/roster.py) compares them with what is recorded. The words of the
sheets and columns live here because a refused row is named by them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from domain.errors import DomainError

SHEETS: dict[str, tuple[str, str]] = {
    "organisations": ("组织", "organisations"),
    "people": ("人员", "people"),
    "roles": ("角色", "roles"),
}

COLUMNS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "organisations": (
        ("name", "组织名称", "name"),
        ("parent", "上级组织", "parent"),
        ("kind", "类型", "kind"),
        ("former_name", "原名称", "former name"),
    ),
    "people": (
        ("staff_no", "工号", "staff no"),
        ("name", "姓名", "name"),
        ("org", "所属组织", "organisation"),
        ("email", "邮箱", "email"),
        ("phone", "电话", "phone"),
    ),
    "roles": (
        ("staff_no", "工号", "staff no"),
        ("role", "角色", "role"),
        ("org", "组织", "organisation"),
        ("duty", "一岗双责", "business post"),
        ("field", "责任田", "mentored branches"),
    ),
}
REQUIRED_COLUMNS = {"organisations": ("name",), "people": ("staff_no", "name", "org"), "roles": ("staff_no", "role", "org")}
LEFT_REASON = "名册中已无此人"
"""The reason a sync records for someone recorded who is no longer on the roster."""


@dataclass(frozen=True)
class OrgRow:
    row: int
    name: str
    parent: str = ""
    kind: str = "党支部"
    former_name: str = ""


@dataclass(frozen=True)
class PersonRow:
    row: int
    staff_no: str
    name: str
    org: str
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class RoleRow:
    row: int
    staff_no: str
    role: str
    org: str
    duty: str = ""
    field: tuple[str, ...] = ()


@dataclass(frozen=True)
class Roster:
    organisations: tuple[OrgRow, ...] = ()
    people: tuple[PersonRow, ...] = ()
    roles: tuple[RoleRow, ...] = ()


@dataclass(frozen=True)
class Recorded:
    """Everything the directory holds, by id: the sync reads each from the event store, and a
    recorded person missing from the roster has left."""

    org_ids: tuple[UUID, ...]
    person_ids: tuple[UUID, ...]


@dataclass(frozen=True)
class RowProblem:
    """A refused row: where it is (sheet, row number as the spreadsheet counts, column) and why."""

    sheet: str
    row: int
    column: str
    error: DomainError

    def describe(self, locale: str = "zh-CN") -> str:
        english = locale.lower().startswith("en")
        sheet = SHEETS[self.sheet][1 if english else 0]
        column = next((c[2 if english else 1] for c in COLUMNS[self.sheet] if c[0] == self.column), self.column)
        if english:
            return f"sheet “{sheet}” row {self.row}, column “{column}”: {self.error.message(locale)}"
        return f"“{sheet}”表第 {self.row} 行“{column}”：{self.error.message(locale)}"


@dataclass(frozen=True)
class RosterChange:
    """One difference the sync records, as the event it becomes: who or what, and before → after
    (names; ``role`` is the role's stored value)."""

    event: str
    subject: str
    before: str = ""
    after: str = ""
    role: str = ""


@dataclass
class RosterOutcome:
    changes: list[RosterChange] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    recorded: bool = False

    def count(self, event: str) -> int:
        return sum(1 for c in self.changes if c.event == event)

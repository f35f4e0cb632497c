"""Turning what a form sends into domain values, refusing clearly what is not one."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.errors import TERMS, DomainError, NotFound

FIELD_LABELS: dict[str, tuple[str, str]] = {
    "apply_valid": ("只记录有效行", "apply the valid rows"),
    "attendees": ("参会人员", "attendees"),
    "business": ("业务日期", "business date"),
    "conducted_on": ("检查日期", "inspection date"),
    "deadline": ("完成时限", "deadline"),
    "expected_version": ("页面版本", "page version"),
    "filename": ("文件名", "file name"),
    "findings": ("发现的问题", "findings"),
    "from_person": ("原责任人", "previous holder"),
    "grade": ("等次", "grade"),
    "held_on": ("召开日期", "date held"),
    "interviewee": ("约谈对象", "interviewee"),
    "interviewer": ("约谈人", "interviewer"),
    "kind": ("类别", "kind"),
    "known": ("已知年份", "known year"),
    "link": ("链接", "link"),
    "locale": ("语言", "language"),
    "next": ("返回页面", "return page"),
    "org": ("组织", "organisation"),
    "org_id": ("组织", "organisation"),
    "owner": ("责任人", "owner"),
    "page": ("页码", "page"),
    "parent_id": ("上级组织", "parent organisation"),
    "party": ("所属组织", "organisation"),
    "password": ("密码", "password"),
    "planned_on": ("计划日期", "planned date"),
    "replace_known": ("替换已知年份", "replace a known year"),
    "text": ("文字说明", "text"),
    "to_person": ("接任人", "successor"),
}
"""The form fields' names as the form's own labels say them, for a refusal that names a field."""


def field_label(name: str, english: bool) -> str:
    pair = FIELD_LABELS.get(name) or TERMS.get(name) or (name, name)
    return pair[1] if english else pair[0]


def parse_day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise DomainError("invalid_value", field=field, value=value, allowed=["YYYY-MM-DD"]) from None


def business_day(value: str) -> date | None:
    """A step form's 业务日期 (补录, as the CLI's ``--on``): blank is today. A day the rules refuse
    comes back beside this field (the refusal names the field ``on``)."""
    return parse_day(value, "on") if value.strip() else None


def parse_id(value: str, what: str) -> UUID:
    try:
        return UUID(value.strip())
    except ValueError:
        raise NotFound(what, value) from None


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse_page(value: str) -> int:
    """A page number of a list: 1, 2, 3 …"""
    if not value.strip().isdigit() or int(value) < 1:
        raise DomainError("invalid_value", field="page", value=value, allowed=["1, 2, 3 …"])
    return int(value)

"""对标积分: the rules that turn recorded work into points, and the "631" dimension each belongs to.

The rule set is edited by an admin and every edit is an event, so which version applied to an
event is part of the record: points are always counted by the rules in force when the event that
earned or cost them was recorded, and a later edit changes only what comes after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import DutyAggregate
from domain.context import Context
from domain.errors import DomainError
from domain.ranges import POINTS
from domain.ids import NAMESPACE

SCORING_RULES_ID: UUID = uuid5(NAMESPACE, "scoring-rules")

DIMENSIONS = ("value_creation", "professional", "satisfaction")
"""党建价值创造能力, 党建专业管理能力, 党建工作满意度 — the three parts of "631"."""

BASES = ("original", "current")
"""Whether on time is judged against the task's original deadline or the one in force (extended)."""

RULE_CODES = (
    "task_on_time",
    "task_late",
    "task_returned",
    "finding_raised",
    "rectification_on_time",
    "rectification_overdue",
    "interview_held",
    "model_branch_award",
    "party_plus_project",
    "service_team_activity",
)
JUDGED_BY_DEADLINE = ("task_on_time", "task_late")

RULE_LABELS: dict[str, tuple[str, str]] = {
    "task_on_time": ("任务按时完成", "task done on time"),
    "task_late": ("任务逾期完成", "task done late"),
    "task_returned": ("任务被退回", "work returned"),
    "finding_raised": ("检查发现问题", "finding raised"),
    "rectification_on_time": ("问题按期整改", "rectified in time"),
    "rectification_overdue": ("整改逾期", "rectification overdue"),
    "interview_held": ("被约谈", "interview held"),
    "model_branch_award": ("标杆支部", "model-branch award"),
    "party_plus_project": ("“党建+”项目", "\"党建+\" project"),
    "service_team_activity": ("服务队活动", "service-team activity"),
    "manual_adjustment": ("人工调整", "manual adjustment"),
}
DIMENSION_LABELS: dict[str, tuple[str, str]] = {
    "value_creation": ("党建价值创造能力", "value creation"),
    "professional": ("党建专业管理能力", "professional management"),
    "satisfaction": ("党建工作满意度", "satisfaction"),
}
WEIGHT_LABELS: dict[str, tuple[str, str]] = {
    **{name: (f"{zh}（%）", f"{en} (%)") for name, (zh, en) in DIMENSION_LABELS.items()},
    "base_score": ("基础分", "base score"), "review_share": ("述职评议占满意度（%）", "review share of satisfaction (%)"),
}
BASIS_LABELS: dict[str, tuple[str, str]] = {"original": ("原时限", "original deadline"), "current": ("现行时限", "current deadline")}


def parse_dimension(text: str) -> str:
    """The stored word, or the dimension's name as people write it (价值创造, 专业管理, 满意度)."""
    key = text.strip()
    for code, (zh, en) in DIMENSION_LABELS.items():
        if key in (code, zh, en) or (len(key) >= 3 and key in zh):
            return code
    raise DomainError("invalid_value", field="dimension", value=text, allowed=[f"{c}({z})" for c, (z, _) in DIMENSION_LABELS.items()])


def words(table: dict[str, tuple[str, str]], key: str, locale: str = "zh-CN") -> str:
    zh, en = table.get(key, (key, key))
    return en if locale.lower().startswith("en") else zh


@dataclass(frozen=True)
class Rule:
    code: str
    points: Decimal
    dimension: str
    basis: str = "current"

    def as_record(self) -> dict[str, str]:
        record = {"code": self.code, "points": str(self.points), "dimension": self.dimension}
        if self.code in JUDGED_BY_DEADLINE:
            record["basis"] = self.basis
        return record


def _rule(code: str, points: str, dimension: str, basis: str = "current") -> Rule:
    return Rule(code, Decimal(points), dimension, basis)


DEFAULT_RULES: tuple[Rule, ...] = (
    _rule("task_on_time", "1", "professional", "original"),
    _rule("task_late", "-1", "professional", "original"),
    _rule("task_returned", "-0.5", "professional"),
    _rule("finding_raised", "-1", "professional"),
    _rule("rectification_on_time", "0.5", "professional"),
    _rule("rectification_overdue", "-2", "professional"),
    _rule("interview_held", "-3", "professional"),
    _rule("model_branch_award", "5", "value_creation"),
    _rule("party_plus_project", "3", "value_creation"),
    _rule("service_team_activity", "1", "value_creation"),
)
"""A starting rule set shaped like the seed's 对标积分管理办法; admins replace it with their own."""


def parse_rules(records: list[dict[str, Any]], recorded: bool = False) -> list[Rule]:
    """Check a proposed rule set; every problem names the rule and the field. A ``recorded`` set
    (read back from its event) takes points beyond their range at the bound instead."""
    rules: list[Rule] = []
    seen: set[str] = set()
    for record in records:
        code = str(record.get("code", "")).strip()
        if code not in RULE_CODES:
            raise DomainError("invalid_value", field="rule", value=code or "?", allowed=list(RULE_CODES))
        if code in seen:
            raise DomainError("duplicate", what="rule", key=code)
        seen.add(code)
        try:
            points = Decimal(str(record.get("points", "")).strip())
        except InvalidOperation:
            raise DomainError("invalid_value", field=f"{code}.points", value=record.get("points"), allowed=["-3", "0.5", "5"]) from None
        if not points.is_finite():
            raise DomainError("invalid_value", field=f"{code}.points", value=record.get("points"), allowed=["-3", "0.5", "5"])
        points = POINTS.clamp(points) if recorded else POINTS.check(f"{code}.points", points)
        try:
            dimension = parse_dimension(str(record.get("dimension", "")))
        except DomainError:
            raise DomainError(
                "invalid_value", field=f"{code}.dimension", value=record.get("dimension") or "?", allowed=list(DIMENSIONS)
            ) from None
        basis = str(record.get("basis", "current")).strip()
        if basis not in BASES:
            raise DomainError("invalid_value", field=f"{code}.basis", value=basis, allowed=list(BASES))
        rules.append(Rule(code, points, dimension, basis))
    if not rules:
        raise DomainError("required", field="rules")
    return rules


def rules_from_records(records: list[dict[str, Any]]) -> dict[str, Rule]:
    """A recorded rule set (as stored in its event) by code."""
    return {r.code: r for r in parse_rules(records, recorded=True)}


class ScoringRules(DutyAggregate):
    """The one rule set; each version is an event of its own."""

    @staticmethod
    def create_id() -> UUID:
        return SCORING_RULES_ID

    @event("ScoringRulesSet")
    def __init__(self, *, rules: list[dict[str, str]], note: str, actor: str, on: date, timestamp: datetime) -> None:
        self.rules = list(rules)

    def change(self, rules: list[Rule], note: str, ctx: Context) -> None:
        self._changed(rules=[r.as_record() for r in rules], note=note, **ctx.stamp())

    @event("ScoringRulesChanged")
    def _changed(self, *, rules: list[dict[str, str]], note: str, actor: str, on: date, timestamp: datetime) -> None:
        self.rules = list(rules)

"""The annual 631 as a workbook to file: the ranking, each branch's points by rule, the weights."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from domain.score_631 import Weights
from domain.review import GRADE_LABELS
from domain.scoring import DIMENSION_LABELS, RULE_LABELS, WEIGHT_LABELS, words
from projections.export import Sheet, write_xlsx

RANKING_COLUMNS = [
    ("rank", "名次", "Rank"), ("name", "支部", "Branch"), ("total", "综合得分", "Total"),
    ("value_creation", "价值创造（60%）", "Value creation"), ("professional", "专业管理（30%）", "Professional"),
    ("satisfaction", "满意度（10%）", "Satisfaction"), ("review_score", "述职评议得分", "Review score"),
    ("review_grade_label", "述职评议等次", "Review grade"), ("survey_score", "满意度测评", "Survey"),
]
RULE_COLUMNS = [
    ("name", "支部", "Branch"), ("dimension_label", "维度", "Dimension"), ("rule_label", "积分项目", "Rule"),
    ("points", "积分", "Points"),
]
WEIGHT_COLUMNS = [("item", "项目", "Item"), ("value", "取值", "Value")]


def _number(value: Any) -> Any:
    """Scores are exact decimals; a spreadsheet keeps numbers, so they go in as numbers."""
    if value is None:
        return None
    return float(Decimal(str(value)))


def write_assessment(path: Path, year: int, results: list[dict[str, Any]], weights: Weights, locale: str, published: bool) -> int:
    ranking_rows = [
        {**r, **{k: _number(r[k]) for k in ("total", "value_creation", "professional", "satisfaction", "review_score", "survey_score")},
         "review_grade_label": words(GRADE_LABELS, r["review_grade"], locale) if r["review_grade"] else None}
        for r in results
    ]
    rule_rows = []
    for r in results:
        for placed, points in sorted(r["rules"].items()):
            dimension, _, code = placed.partition(":")
            rule_rows.append({"name": r["name"], "dimension_label": words(DIMENSION_LABELS, dimension, locale),
                              "rule_label": words(RULE_LABELS, code, locale), "points": _number(points)})
    weight_rows = [{"item": words(WEIGHT_LABELS, k, locale), "value": _number(v)} for k, v in weights.as_record().items()]
    state = ("published" if published else "computed now, not published") if locale.startswith("en") else ("已发布" if published else "当前计算，未发布")
    sheets = [
        Sheet(f"{year}年度631考核（{state}）", f"{year} 631 ({state})", RANKING_COLUMNS, ranking_rows),
        Sheet("积分明细", "Points by rule", RULE_COLUMNS, rule_rows),
        Sheet("权重", "Weights", WEIGHT_COLUMNS, weight_rows),
    ]
    write_xlsx(path, sheets, locale, title=f"{year} 631")
    return len(ranking_rows)


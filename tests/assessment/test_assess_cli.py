"""述责 · 考责 through the real command line on the demo year: rules, awards and adjustments, points
down to events, the quarter's sheet, the 631 published and exported, the what-if, the bulletin as
HTML and PDF (its first page rendered to PNG and looked at), and refusals that record nothing."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from domain.clock import ManualClock
from dutyloop.cli import main

END = "2026-11-24"
NOW = ManualClock(datetime(2026, 11, 25, 10, 0))
"""The commands after the demo year run on the day after it, whatever day the suite runs on."""
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Run:
    data = tmp_path_factory.mktemp("demo")
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(main, ["--data-dir", str(data), *args], obj=NOW, catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    code, out, err = run("demo", "--branches", "8", "--end", END)
    assert code == 0, err
    return run


def _staff(run: Run, role: str) -> str:
    people = json.loads(run("--json", "person", "list")[1])
    return next(p["staff_no"] for p in people if role in json.dumps(p, ensure_ascii=False))


def _position(run: Run) -> int:
    return max(v["position"] for v in json.loads(run("--json", "status")[1]))


def test_rules_awards_adjustments_and_points_down_to_events(cli: Run, tmp_path: Path) -> None:
    chief, dept, secretary = _staff(cli, "committee_secretary"), _staff(cli, "party_dept"), _staff(cli, "branch_secretary")
    shown = json.loads(cli("--json", "rules", "show")[1])
    assert shown[0]["version"] == 1 and {r["code"] for r in shown[0]["rules"]} >= {"task_on_time", "interview_held"}

    before = _position(cli)
    code, _, err = cli("--as", secretary, "rules", "set", "--default")
    assert code == 2 and "仅系统管理员" in err and _position(cli) == before
    rules = tmp_path / "rules.toml"
    rules.write_text(cli("rules", "show", "--toml")[1].replace('points = -1\ndimension = "professional"  # 党建专业管理能力\nbasis', 'points = -4\ndimension = "professional"  # 党建专业管理能力\nbasis'), encoding="utf-8")
    code, out, _ = cli("--json", "whatif", "--rules", str(rules), "--from", "2026-01", "--to", "2026-06")
    rows = json.loads(out)
    assert code == 0 and any(r["difference"] != "0" for r in rows) and _position(cli) == before
    late = [r for r in rows if r["by_rule"]]
    assert all(set(r["by_rule"]) == {"task_late"} for r in late)

    code, out, err = cli("--as", chief, "--json", "award", "model", "--org", "办公室党支部", "--title", "样板标准化党支部", "--on", "2026-11-20")
    assert code == 0, err
    code, out, err = cli("--as", dept, "--json", "adjust", "propose", "--org", "办公室党支部", "--points", "1.5", "--dimension", "满意度", "--reason", "群众来信表扬")
    adjustment = json.loads(out)["id"][:8]
    code, _, err = cli("--as", dept, "adjust", "approve", adjustment)
    assert code == 2 and "审批" in err
    assert cli("--as", chief, "adjust", "approve", adjustment, "--comment", "同意")[0] == 0
    detail = json.loads(cli("--json", "points", "--month", "2026-11", "--org", "办公室党支部", "--detail")[1])
    award = next(r for r in detail if r["rule"] == "model_branch_award")
    assert award["points"] == "5" and award["event_type"] == "ModelBranchAwarded" and award["business_date"] == "2026-11-20"
    approved = next(r for r in detail if r["rule"] == "manual_adjustment")
    assert approved["dimension"] == "satisfaction" and approved["sources"][0]["event_type"] == "PointsAdjustmentProposed"
    year = json.loads(cli("--json", "points", "--year", "2026", "--org", "办公室党支部")[1])
    assert year[0]["months"]["2026-11"] == str(sum(float(r["points"]) for r in detail)).removesuffix(".0")


def test_quarter_sheet_and_the_631_published_and_exported(cli: Run, tmp_path: Path) -> None:
    sheet = tmp_path / "q3.html"
    code, out, err = cli("ranking", "--quarter", "2026Q3", "--html", str(sheet))
    assert code == 0, err
    html = sheet.read_text(encoding="utf-8")
    assert "季度亮比" in html and "前列支部" in html and "后进支部" in html
    ranking = json.loads(cli("--json", "ranking", "--quarter", "2026Q3")[1])
    assert [r["rank"] for r in ranking["ranking"]][0] == 1 and ranking["leading"][0]["name"] in html

    computed = json.loads(cli("--json", "assess", "year", "2026")[1])
    totals = [float(r["total"]) for r in computed["results"]]
    assert totals == sorted(totals, reverse=True) and computed["published"] is False
    first = computed["results"][0]
    assert float(first["total"]) == pytest.approx(
        0.6 * float(first["value_creation"]) + 0.3 * float(first["professional"]) + 0.1 * float(first["satisfaction"]), abs=0.005
    )
    book = tmp_path / "631.xlsx"
    code, out, err = cli("--as", "A0001", "assess", "year", "2026", "--publish", "--xlsx", str(book))
    assert code == 0, err
    rows = list(load_workbook(book).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("名次", "支部", "综合得分") and len(rows) == len(computed["results"]) + 1
    assert rows[1][1] == first["name"] and rows[1][2] == pytest.approx(float(first["total"]))
    code, _, err = cli("--as", "A0001", "assess", "year", "2026", "--publish")
    assert code == 2 and "已发布" in err
    published = json.loads(cli("--json", "assess", "year", "2026", "--published")[1])
    assert published["results"] == computed["results"]
    explained = json.loads(cli("--json", "assess", "year", "2026", "--org", first["name"])[1])
    assert explained["score"]["total"] == first["total"] and "professional" in explained["dimensions"]


def test_review_commands(cli: Run) -> None:
    chief = _staff(cli, "committee_secretary")
    reviews = json.loads(cli("--json", "review", "list", "--year", "2025")[1])
    assert reviews and all(r["status"] == "published" for r in reviews)
    name = reviews[0]["name"]
    assert cli("--as", chief, "review", "recall", name, "--year", "2025", "--reason", "复核")[0] == 0
    assert cli("--as", chief, "review", "grade", name, "--year", "2025", "--grade", "较好")[0] == 0
    code, out, err = cli("--as", chief, "review", "publish", name, "--year", "2025")
    assert code == 0 and "已发布" in out, err
    code, _, err = cli("--as", chief, "--locale", "en", "review", "grade", name, "--year", "2025", "--grade", "好", "--score", "90")
    assert code == 2 and "either a grade or a score" in err


@pytest.mark.skipif(shutil.which("chromium") is None, reason="the PDF is printed by Chromium (.ci/run installs it)")
def test_the_bulletin_of_a_demo_month_as_html_and_pdf(cli: Run, tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    html, pdf = tmp_path / "bulletin.html", tmp_path / "bulletin.pdf"
    code, out, err = cli("bulletin", "render", "--month", "2026-10", "--html", str(html), "--pdf", str(pdf))
    assert code == 0, err
    page = html.read_text(encoding="utf-8")
    assert "党建工作月度通报" in page and "2026 年 10 月" in page and page.count("<svg") == 3
    document = pdfium.PdfDocument(str(pdf))
    try:
        first = document[0]
        text = first.get_textpage().get_text_range().replace(" ", "")
        assert "党建工作月度通报" in text and "前列支部" in text  # Chinese text, with its fonts, in the PDF
        image = first.render(scale=1).to_pil().convert("L")
    finally:
        document.close()
    inked = sum(image.histogram()[:200])
    assert inked / (image.width * image.height) > 0.02, "the first page is (nearly) blank"

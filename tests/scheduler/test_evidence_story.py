"""What a 纪检 officer hands over: the chain of an overdue task with every reminder that led to
its interview (level, recipient, business day), every actor named as a person, the chain as of
past days, the trail by an 8-digit prefix, and the exports read back with openpyxl; and the
ladder after downtime, which never escalates behind the responsible person's back."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from evidence_story import CLOSED, DEADLINE, INTERVIEW_HELD, INTERVIEW_PLANNED, VERIFIED, tell
from openpyxl import load_workbook
from scheduler_support import Cli, build_org, issue, reminder_rows

from domain.clock import ManualClock
from dutyloop.wiring import System
from scheduler.deadlines import check_deadlines


def _expected_reminders(system: System) -> list[tuple[str, str, str]]:
    calendar = system.app.calendar()
    after = calendar.add_working_days
    return [
        ("2025-04-03", "即将到期", "陈干事（W001）"),  # 3 working days left: 04-07, 04-08, 04-09
        (DEADLINE.isoformat(), "今日到期", "陈干事（W001）"),
        (after(DEADLINE, 1).isoformat(), "已逾期", "陈干事（W001）"),
        (after(DEADLINE, 5).isoformat(), "严重逾期", "陈干事（W001）"),
        (after(DEADLINE, 7).isoformat(), "逾期升级 第1级", "王书记（S001）"),
        (after(DEADLINE, 10).isoformat(), "逾期升级 第2级", "赵书记（L001）"),
    ]


def test_the_chain_tells_the_whole_story(system: System, clock: ManualClock, cli: Cli, tmp_path: Path) -> None:
    story = tell(system, clock)
    expected = _expected_reminders(system)
    assert expected[0][0] == "2025-04-03" and expected[-1][0] == "2025-04-23"  # Qingming (04-04..06) skipped

    shown = json.loads(cli("--json", "chain", story.task.hex[:8]).stdout)
    assert [(r["recorded_on"], r["level_label"], r["recipient"]) for r in shown["reminders"]] == expected
    assert {r["target"] for r in shown["reminders"]} == {"任务“完成支部标准化建设自查”"}
    assert [(r["business_date"], r["event_type"]) for r in shown["timeline"]][:2] == [
        ("2025-04-01", "TaskIssued"), ("2025-04-03", "ReminderRecorded")]
    # The same chain from any id in it, the rectification's, the interview's, a reminder's.
    for other in (story.rectification.hex[:8], story.interview.hex[:6], shown["reminders"][0]["reminder_id"][:8]):
        assert json.loads(cli("--json", "chain", other).stdout)["chain_ids"] == shown["chain_ids"]

    sentences = [r["sentence"] for r in shown["timeline"] if r["event_type"] == "ReminderRecorded"]
    assert [s.split("，时限")[0] for s in sentences] == [
        f"{day} 向 {recipient} 发出“{level}”提醒：任务“完成支部标准化建设自查”" for day, level, recipient in expected]
    actors = {(r["actor"], r["actor_name"], r["actor_staff_no"], tuple(r["actor_roles"])) for r in shown["timeline"]}
    assert actors == {
        (str(story.org.dept), "李强", "P001", ("party_dept",)), (str(story.org.leader), "赵书记", "L001", ("committee_secretary",)),
        (str(story.org.worker), "陈干事", "W001", ("party_worker",)), ("system:scheduler", "system:scheduler", "", ()),
    }
    table = cli("chain", story.rectification.hex[:8]).stdout
    for actor in ("李强（P001，党建部）", "赵书记（L001，党委书记）", "陈干事（W001，党务工作者）", "系统（定时提醒）"):
        assert actor in table
    assert "system:scheduler" not in table and "逾期升级 第2级" in table

    before = cli("chain", story.task.hex[:8], "--as-of", (INTERVIEW_PLANNED.replace(day=20)).isoformat())
    assert before.exit_code == 2
    assert "截至2025-04-20，任务 " + story.task.hex[:8] + " 尚未进入整改链条" in before.stderr
    not_yet = cli("chain", story.rectification.hex[:8], "--as-of", "2025-04-21")
    assert not_yet.exit_code == 2 and "截至2025-04-21，编号" in not_yet.stderr and "尚无任何记录" in not_yet.stderr
    held = json.loads(cli("--json", "chain", story.task.hex[:8], "--as-of", INTERVIEW_HELD.isoformat()).stdout)
    assert [r["status"] for r in held["rectifications"]] == ["opened"]
    assert [(r["recorded_on"], r["level_label"], r["recipient"]) for r in held["reminders"]] == expected[:5]
    verified = json.loads(cli("--json", "chain", story.task.hex[:8], "--as-of", VERIFIED.isoformat()).stdout)
    assert [r["status"] for r in verified["rectifications"]] == ["verified"]
    assert [(r["recorded_on"], r["level_label"]) for r in verified["reminders"]] == [e[:2] for e in expected]

    trail = json.loads(cli("--json", "trail", "--entity", story.rectification.hex[:8]).stdout)
    assert [r["event_type"] for r in reversed(trail)] == [
        "RectificationOpened", "RectificationPlanSubmitted", "RectificationCompletionReported", "RectificationVerified",
        "RectificationClosed"]
    assert [(r["actor_name"], r["actor_staff_no"]) for r in reversed(trail)] == [
        ("赵书记", "L001"), ("陈干事", "W001"), ("陈干事", "W001"), ("赵书记", "L001"), ("赵书记", "L001")]
    unknown = cli("trail", "--entity", "abcdef12")
    assert unknown.exit_code == 2 and "找不到" in unknown.stderr

    out = tmp_path / "链条.xlsx"
    assert cli("--as", "J001", "export", "chain", story.task.hex[:8], "--out", str(out)).exit_code == 0
    book = load_workbook(out)
    timeline = book["全过程"]
    assert timeline["A1"].value == f"整改链条 {story.task.hex[:8]} — 全过程"
    assert timeline["A2"].value.startswith("组织：全部组织｜截至：") and "导出人：纪检员（J001）" in timeline["A2"].value
    assert timeline["A3"].value.startswith("记录链头：第 ") and "签名：" in timeline["A3"].value
    header = [c.value for c in timeline[4]]
    assert header == ["序号", "记录时间", "业务日期", "补录", "操作人", "角色", "事项", "对象类别", "对象编号", "组织", "详情"]
    body = list(timeline.iter_rows(min_row=5))
    assert all(r[1].is_date and r[2].is_date and r[2].number_format == "yyyy-mm-dd" for r in body)
    assert body[0][2].value == datetime(2025, 4, 1) and isinstance(body[0][0].value, int)
    details = [r[10].value or "" for r in body]
    assert all("{" not in d and "_id" not in d and not any(len(w) == 32 for w in d.split()) for d in details)
    assert details[1] == "2025-04-03 向 陈干事（W001） 发出“即将到期”提醒：任务“完成支部标准化建设自查”，时限 2025-04-09。"
    assert all(len(str(r[8].value)) == 8 for r in body)
    reminders = book["提醒"]
    assert [(r[0].value.date().isoformat(), r[1].value, r[2].value) for r in reminders.iter_rows(min_row=5)] == expected
    assert CLOSED.isoformat() in [r[2].value.date().isoformat() for r in body]

    csv_out = tmp_path / "chain.csv"
    assert cli("export", "chain", story.task.hex[:8], "--out", str(csv_out)).exit_code == 0
    lines = csv_out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("序号,") and ",2025-04-01," in lines[1]


def test_after_downtime_the_owner_hears_before_or_with_the_escalation(system: System, clock: ManualClock) -> None:
    app = system.app
    org = build_org(app)
    clock.set_day(date(2025, 5, 6))
    (task,) = issue(app, clock, org, date(2025, 5, 20))
    first_look = date(2025, 7, 31)  # months of downtime: long past every rung of the ladder
    clock.set_day(first_look)
    check_deadlines(app, system.views, first_look)
    rows = reminder_rows(system, task)
    assert sorted((day, level, step, who) for day, level, step, who, _ in rows) == [
        ("2025-07-31", "escalated", 3, org.discipline.hex), ("2025-07-31", "seriously_overdue", 0, org.worker.hex)]
    system.catch_up()
    with system.engine.connect() as conn:
        order = conn.exec_driver_sql(
            "SELECT level FROM view_reminders r JOIN view_trail t ON t.entity_id = r.reminder_id ORDER BY t.notification_id"
        ).scalars().all()
    assert order == ["seriously_overdue", "escalated"]

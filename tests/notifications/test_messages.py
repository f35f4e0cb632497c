"""Every kind of message, to the right people, in Chinese by default and in English when asked;
an administrator's template used instead of the built-in one, and a broken one never stops the
notifier."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from notify_support import RobotServer, build_org, issue_task
from sqlalchemy import select

from domain.clock import ManualClock
from domain.task import Deadline
from domain.vocabulary import InspectionKind
from dutyloop.wiring import System
from notifications.config import NotifyConfig
from notifications.routing import set_route
from notifications.service import Notifier
from notifications.tables import messages

EVIDENCE = [{"kind": "text", "value": "已完成，附台账"}]


def _messages(system: System) -> list[tuple[str, str, str, str]]:
    with system.engine.connect() as conn:
        rows = conn.execute(select(messages.c.kind, messages.c.recipient_kind, messages.c.recipient_id,
                                   messages.c.subject).order_by(messages.c.notification_id, messages.c.recipient_kind.desc()))
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_each_event_reaches_who_it_concerns(system: System, clock: ManualClock, robot: RobotServer) -> None:
    app = system.app
    notifier = Notifier(system, NotifyConfig())
    org = build_org(app)
    system.catch_up()
    set_route(system.engine, "org", org.branch.hex, "wecom", robot.url("/wecom/b"), "", org.admin.hex, datetime(2025, 5, 1))
    clock.set_day(date(2025, 5, 6))
    task = issue_task(app, clock, org, date(2025, 5, 20))
    app.sign_for_task(org.worker, task)
    app.report_task_done(org.worker, task, EVIDENCE)
    app.return_task(org.dept, task, "佐证材料不全，请补充会议记录")
    app.schedule_interview(org.discipline, org.leader, org.secretary, "任务逾期未完成", date(2025, 5, 9))
    _, (finding,) = app.conduct_inspection(org.dept, InspectionKind.RANDOM, org.branch, "组织生活", ["三会一课记录不全"])
    rect = app.open_rectification(org.dept, finding, org.secretary, "补齐三会一课记录", Deadline(working_days=5))
    app.report_rectification_completion(org.secretary, rect, EVIDENCE)
    app.return_rectification(org.dept, rect, "记录仍缺两次")
    app.report_rectification_completion(org.secretary, rect, EVIDENCE)
    app.verify_rectification(org.dept, rect, "整改到位")
    app.close_rectification(org.dept, rect)
    app.issue_monthly_bulletin("system:scheduler", "2025-05", [
        {"org_id": org.branch.hex, "org_name": "变电运维室党支部", "rank": 1, "points": "12.5", "tasks_done": 3, "tasks_overdue": 1,
         "rectifications_overdue": 0}], "五月全公司完成任务 3 项，逾期 1 项。")
    notifier.run_once()

    w, s, branch = org.worker.hex, org.secretary.hex, org.branch.hex
    got = _messages(system)
    assert [(kind, who) for kind, _, who, _ in got] == [
        ("task_issued", w), ("task_issued", branch),
        ("task_returned", w),
        ("interview_scheduled", s),
        ("rectification_opened", s), ("rectification_opened", branch),
        ("rectification_returned", s), ("rectification_returned", branch),
        ("rectification_verified", s), ("rectification_verified", branch),
        ("rectification_closed", s), ("rectification_closed", branch),
        ("monthly_bulletin", s), ("monthly_bulletin", branch),
    ]
    subjects = {kind: subject for kind, _, _, subject in got}
    assert subjects["task_returned"] == "【任务退回】完成支部标准化建设自查"
    assert subjects["interview_scheduled"] == "【约谈通知】2025年5月9日 赵书记约谈"
    assert subjects["rectification_opened"].startswith("【整改通知】补齐三会一课记录（2025年5月")
    assert subjects["rectification_returned"] == "【整改退回】补齐三会一课记录"
    assert subjects["rectification_verified"] == "【整改验收通过】补齐三会一课记录"
    assert subjects["rectification_closed"] == "【整改销号】补齐三会一课记录"
    assert subjects["monthly_bulletin"] == "【月度通报】2025年5月党建工作通报"
    with system.engine.connect() as conn:
        bodies = dict(conn.execute(select(messages.c.kind, messages.c.body).where(messages.c.recipient_kind == "person")).all())
    assert "退回原因：佐证材料不全，请补充会议记录" in bodies["task_returned"]
    assert "赵书记定于 2025年5月9日星期五 与您进行约谈" in bodies["interview_scheduled"]
    assert "变电运维室党支部本月情况：排名第 1，积分 12.5，完成任务 3 项，逾期未完成任务 1 项" in bodies["monthly_bulletin"]
    assert "1. 变电运维室党支部：积分 12.5，完成 3 项，逾期 1 项" in bodies["monthly_bulletin"]
    assert len(robot.at("/wecom/b")) == 6  # one per message to the branch


def test_english_when_the_locale_is_en(system: System, clock: ManualClock) -> None:
    notifier = Notifier(system, NotifyConfig(locale="en"))
    org = build_org(system.app)
    clock.set_day(date(2025, 5, 6))
    issue_task(system.app, clock, org, date(2025, 5, 20))
    notifier.run_once()
    ((_, _, _, subject),) = _messages(system)
    assert subject == "[Task issued] 完成支部标准化建设自查 (due May 20, 2025)"


def test_an_administrators_template_is_used_and_a_broken_one_falls_back(system: System, clock: ManualClock, tmp_path: Path) -> None:
    own = tmp_path / "templates" / "zh-CN"
    own.mkdir(parents=True)
    (own / "task_issued.j2").write_text(
        '{% set subject %}请办理：{{ title }}，{{ deadline | day }}截止{% endset %}\n'
        '{% set body %}{{ recipient }}：{{ title }}{% endset %}\n{% set markdown %}**{{ title }}**{% endset %}\n',
        encoding="utf-8")
    (own / "reminder.j2").write_text("{% set subject %}{{ no_such_value.missing }}{% endset %}", encoding="utf-8")
    (own / "task_returned.j2").write_text("{% set subject %}退回{% endset %}", encoding="utf-8")  # no body, no markdown
    notifier = Notifier(system, NotifyConfig(template_dir=tmp_path / "templates"))
    org = build_org(system.app)
    clock.set_day(date(2025, 5, 6))
    task = issue_task(system.app, clock, org, date(2025, 5, 20))
    system.app.record_reminder("system:scheduler", "task", task, "due_soon", date(2025, 5, 20), org.worker, org.branch)
    system.app.sign_for_task(org.worker, task)
    system.app.report_task_done(org.worker, task, EVIDENCE)
    system.app.return_task(org.dept, task, "佐证不全")
    notifier.run_once()
    issued, reminded, returned = _messages(system)
    assert issued[3] == "请办理：完成支部标准化建设自查，2025年5月20日截止"
    assert reminded[3] == "【即将到期】任务“完成支部标准化建设自查”将于2025年5月20日到期"
    assert returned[3] == "【任务退回】完成支部标准化建设自查"
    assert notifier.renderer.check() == []  # they compile; they fail only when rendered

"""User text reaches the markdown robots inert: a title, requirement or reason written as a link,
an image, an HTML tag, emphasis, a heading or a bare address arrives as plain words in WeCom and
DingTalk, judged by a CommonMark parser over the webhook bodies the robots received; only the
template's own markup (its heading, quotes and colours) is markup."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from markdown_it import MarkdownIt
from markdown_it.token import Token
from notify_support import Org, RobotServer, build_org, issue_task

from domain.clock import ManualClock
from domain.task import Deadline
from domain.vocabulary import InspectionKind
from dutyloop.wiring import System
from notifications.config import NotifyConfig
from notifications.routing import set_route
from notifications.service import Notifier

WHEN = datetime(2025, 5, 1)
PHISH = "[点此领取补贴](http://evil.example/phish)"
TITLE = f"{PHISH} ![图](http://evil.example/p.png) <a href='http://evil.example/a'>点我</a> **紧急** `通知`"
REASON = "补贴见 http://evil.example/bare 或 www.evil.example\n# 假标题\n> 假引用 [再点](http://evil.example/2)"
EVIDENCE = [{"kind": "text", "value": "已完成"}]


def _tokens(markdown: str) -> list[Token]:
    flat: list[Token] = []
    for token in MarkdownIt("commonmark").parse(markdown):
        flat.append(token)
        flat.extend(token.children or [])
    return flat


def _task_for_robots(system: System, clock: ManualClock, robot: RobotServer, *kinds: str) -> tuple[Notifier, Org, UUID]:
    """A branch whose robots of these kinds hear of it, and a task with the hostile title issued to it."""
    notifier = Notifier(system, NotifyConfig())
    org = build_org(system.app)
    system.catch_up()
    for kind in kinds:
        set_route(system.engine, "org", org.branch.hex, kind, robot.url(f"/{kind}/b"), "", org.admin.hex, WHEN)
    clock.set_day(date(2025, 5, 6))
    return notifier, org, issue_task(system.app, clock, org, date(2025, 5, 20), title=TITLE)


def test_user_text_is_no_markup_in_wecom_or_dingtalk(system: System, clock: ManualClock, robot: RobotServer) -> None:
    app = system.app
    notifier, org, task = _task_for_robots(system, clock, robot, "wecom", "dingtalk")
    app.sign_for_task(org.worker, task)
    app.report_task_done(org.worker, task, EVIDENCE)
    app.return_task(org.dept, task, REASON)
    _, (finding,) = app.conduct_inspection(org.dept, InspectionKind.RANDOM, org.branch, TITLE, [TITLE])
    rectification = app.open_rectification(org.dept, finding, org.secretary, REASON, Deadline(working_days=5))
    app.report_rectification_completion(org.secretary, rectification, EVIDENCE)
    app.return_rectification(org.dept, rectification, REASON)
    app.record_reminder("system:scheduler", "task", task, "overdue", date(2025, 5, 20), org.worker, org.branch)
    assert notifier.run_once().tally.failed == 0

    bodies = [hit.payload["markdown"]["content"] for hit in robot.at("/wecom/b")]
    bodies += [hit.payload["markdown"]["text"] for hit in robot.at("/dingtalk/b")]
    assert len(bodies) >= 8
    for markdown in bodies:
        tokens = _tokens(markdown)
        kinds = [t.type for t in tokens]
        assert "link_open" not in kinds and "image" not in kinds, markdown
        assert not {"strong_open", "em_open", "code_inline", "code_block"} & set(kinds), markdown
        assert kinds.count("heading_open") == 1, markdown
        tags = {t.content for t in tokens if t.type in ("html_inline", "html_block")}
        assert tags <= {'<font color="warning">', "</font>", '<font color="info">', '<font color="comment">'}, markdown
        assert "://" not in markdown and "www." not in markdown, markdown
        assert "evil" not in markdown or "点此领取补贴" in markdown or "补贴见" in markdown, markdown
    shown = "\n".join(bodies)
    assert "［点此领取补贴］（http：//evil.example/phish）" in shown
    assert "补贴见 http：//evil.example/bare" in shown


def test_plain_text_channels_keep_the_words_as_typed(system: System, clock: ManualClock, robot: RobotServer) -> None:
    """Email, the inbox and Feishu's plain-text post show what the person typed, unchanged."""
    notifier, _, _ = _task_for_robots(system, clock, robot, "feishu")
    notifier.run_once()
    (feishu,) = robot.at("/feishu/b")
    post = feishu.payload["content"]["post"]["zh_cn"]
    assert TITLE in post["title"]
    assert all(part["tag"] == "text" for line in post["content"] for part in line)

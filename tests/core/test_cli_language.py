"""The command line speaks Chinese under zh-CN — click's own words (用法, 选项, usage errors) and the
help of every command, walked from the tree so that a new command or option is covered without
being listed here — and English under ``--locale en``, one after the other in the same process.

The translations are in ``dutyloop/cli/locale/zh_CN/LC_MESSAGES/dutyloop.po`` (msgid: the text as
written in the code). After editing it, recompile the ``.mo`` next to it and commit both:
``pybabel compile -D dutyloop -d dutyloop/cli/locale -l zh_CN``."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import click
import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner, Result

from domain.clock import ManualClock
from dutyloop.cli import main
from dutyloop.cli.help_layout import columns, wrap
from dutyloop.cli.language import (
    CATALOG_LANGUAGE,
    DOMAIN,
    LOCALE_DIR,
    Text,
    invoked,
    texts,
)

CATALOG = LOCALE_DIR / CATALOG_LANGUAGE / "LC_MESSAGES" / DOMAIN
RECOMPILE = "pybabel compile -D dutyloop -d dutyloop/cli/locale -l zh_CN"


def subcommands(group: click.Group) -> dict[str, click.Command]:
    """A group's commands as a run finds them: the top-level group imports each from the index."""
    ctx = click.Context(group)
    found = {name: group.get_command(ctx, name) for name in group.list_commands(ctx)}
    return {name: command for name, command in found.items() if command is not None}


def command_lines(command: click.Command = main, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    lines = [path]
    if isinstance(command, click.Group):
        for name, sub in subcommands(command).items():
            lines += command_lines(sub, (*path, name))
    return lines


def every_text() -> list[Text]:
    return [text for path in command_lines() for text in texts(invoked(main, list(path))[-1])]


def subcommand_names(path: tuple[str, ...]) -> list[str]:
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        command = subcommands(command)[name]
    return list(subcommands(command)) if isinstance(command, click.Group) else []


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """``dutyloop ARGS`` in this process, as a user types it, with no language from the environment."""
    monkeypatch.delenv("DUTYLOOP_LOCALE", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    clock = ManualClock(datetime(2026, 11, 24, 10, 0))

    def invoke(*args: str, typed: str | None = None) -> Result:
        return CliRunner().invoke(main, list(args), input=typed, prog_name="dutyloop", obj=clock)

    return invoke


SYNTAX = (
    r"dutyloop(?: [-A-Za-z0-9_.@/:=|\[\]]+)*",  # a command to type, and the usage line
    r"(?<![A-Za-z0-9_-])--?[A-Za-z][\w-]*",  # option names
    r"\[[^\]\s]*\|[^\]\s]*\]|\{[^}\s]*\|[^}\s]*\}",  # a choice's values
    r"DUTYLOOP_[A-Z_]+",  # environment variables
    r"(?:https?|postgresql)://\S+",  # URLs
    r"'[!-~]+'",  # a value to type, quoted
    r"\[默认：[^\]]*\]|(?:[\d.]+<=?)?x(?:[<>]=?[\d.]+)",  # a default value, a range of numbers
    r"[\w./-]*\.(?:xlsx|csv|txt|md|zip|pem|toml|html|pdf)\b",  # file names and extensions
    r"YYYY-MM(?:-DD)?(?:\[THH:MM\])?|\d{4}Q[1-4]|\d+wd|[A-Z]\d{3,}|[0-9a-f]{6,}|\d+",  # dates, 10wd, staff numbers, ids, numbers
)
"""What a Chinese help may hold in Latin letters: what the user types, and data."""
ALLOWED = re.compile("|".join(SYNTAX))
NAMES = {"SQLite", "PostgreSQL", "JSON", "HTML", "PDF", "Excel", "CSV", "SMTP", "HTTPS", "TLS", "API", "PEM", "Markdown", "TOML", "Ctrl-C"}
"""Formats and products that Chinese software text writes in Latin letters too."""
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'-]*")


def english_words(help_text: str, path: tuple[str, ...]) -> list[str]:
    for name in subcommand_names(path):
        help_text = re.sub(rf"(?m)^  {re.escape(name)}(?=\s|$)", "", help_text)
    usage, _, rest = help_text.partition("\n\n")  # words click wrapped: the usage anywhere, the rest at a hyphen
    help_text = re.sub(r"\n\s+", "", usage) + "\n\n" + re.sub(r"(?<=-)\n\s+", "", rest)
    words = set(WORD.findall(ALLOWED.sub(" ", help_text))) - NAMES
    return sorted(words)


@pytest.mark.parametrize("path", command_lines(), ids=lambda path: " ".join(("dutyloop", *path)))
def test_every_help_reads_in_chinese(run: Callable[..., Result], path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("用法: dutyloop") and "选项:" in result.output and "显示本帮助并退出。" in result.output
    assert english_words(result.output, path) == [], result.output
    too_wide = [line for line in result.output.splitlines() if columns(line) > 80 and " " in line.strip() and not line.startswith("  dutyloop ")]
    assert too_wide == [], "wider than the terminal's 80 columns (a Chinese character takes two)"


@pytest.mark.parametrize("path", command_lines(), ids=lambda path: " ".join(("dutyloop", *path)))
def test_every_help_reads_in_english_under_en(run: Callable[..., Result], path: tuple[str, ...]) -> None:
    result = run("--locale", "en", *path, "--help")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: dutyloop") and "Options:" in result.output and "Show this message and exit." in result.output
    assert not {"用法", "选项", "命令", "文本", "显示本帮助并退出"} & set(re.findall(r"[\u4e00-\u9fff]+", result.output)), result.output


def test_dutyloop_locale_in_the_environment_chooses_the_language(run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUTYLOOP_LOCALE", "en")
    assert run("tasks", "--help").output.startswith("Usage: dutyloop tasks [OPTIONS]")
    assert run("--locale", "zh-CN", "tasks", "--help").output.startswith("用法: dutyloop tasks [选项]")


def test_every_help_text_and_metavar_has_a_translation() -> None:
    with open(f"{CATALOG}.po", "rb") as po:
        catalog = read_po(po)
    untranslated = sorted({
        f"{text.where} ({text.attribute}): {text.msgid!r}"
        for text in every_text() if not (catalog.get(text.msgid) and catalog.get(text.msgid).string)
    })
    assert untranslated == [], f"add these to {CATALOG}.po, then `{RECOMPILE}`:\n" + "\n".join(untranslated)


def test_the_committed_mo_is_the_compiled_po() -> None:
    with open(f"{CATALOG}.po", "rb") as po:
        compiled = io.BytesIO()
        write_mo(compiled, read_po(po))
    compiled.seek(0)
    with open(f"{CATALOG}.mo", "rb") as mo:
        committed = read_mo(mo)
    expected = read_mo(compiled)
    assert {str(m.id): m.string for m in committed} == {str(m.id): m.string for m in expected}, f"recompile: {RECOMPILE}"


@pytest.mark.parametrize(("args", "message"), [
    (("task", "sign"), "错误：缺少参数 '任务'"),
    (("nosuch",), "错误：没有命令 'nosuch'。"),
    (("export", "board", "--format", "pdf"), "错误：'--format' 的值无效：'pdf' 不是可选值 'xlsx', 'csv' 之一。"),
    (("tasks", "--limit", "many"), "错误：'--limit' 的值无效：'many' 不是有效的数字。"),
    (("--locale", "fr", "tasks"), "错误：'--locale' 的值无效：'fr' 不是可选值 'zh-CN', 'en' 之一。"),
])
def test_a_usage_error_is_told_in_chinese_with_exit_code_2(run: Callable[..., Result], args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr and "查看帮助。" in result.stderr and result.stderr.startswith("用法: dutyloop"), result.stderr


def test_under_en_help_and_errors_are_english_and_zh_comes_back_after(run: Callable[..., Result]) -> None:
    before = [(text.where, text.attribute, text.msgid) for text in every_text()]
    chinese = run("task", "sign", "--help").output
    english = run("--locale", "en", "task", "sign", "--help").output
    assert english.startswith("Usage: dutyloop task sign [OPTIONS] TASK") and "Options:" in english
    assert "Show this message and exit." in english and "补录: the business day it happened" in english
    assert not {"用法", "选项", "文本", "显示本帮助"} & set(re.findall(r"[\u4e00-\u9fff]+", english))
    error = run("--locale", "en", "task", "sign")
    assert error.exit_code == 2 and "Error: Missing argument 'TASK'." in error.stderr and "Try 'dutyloop task sign --help' for help." in error.stderr
    assert run("task", "sign", "--help").output == chinese
    assert [(text.where, text.attribute, text.msgid) for text in every_text()] == before


def test_click_prompts_ask_in_chinese_and_an_unanswered_one_aborts_in_chinese(run: Callable[..., Result], tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert run(*data, "init", "--admin-name", "管理员", "--admin-staff-no", "A1").exit_code == 0
    mismatched = run(*data, "--as", "A1", "account", "set-password", "A1", typed="long-secret-1\nlong-secret-2\n")
    assert "新密码" in mismatched.output and "再输入一次以确认" in mismatched.output
    assert "错误：两次输入不一致。" in mismatched.output
    assert mismatched.exit_code == 1 and "已中止！" in mismatched.output


def test_chinese_wraps_between_characters_within_the_columns_and_punctuation_stays_on_its_line() -> None:
    text = "补录：实际发生的业务日期（YYYY-MM-DD），用于事后录入纸质记录；默认今天。不得早于事项开始。"
    lines = wrap(text, 20)
    assert "".join(lines) == text and len(lines) > 1
    assert all(columns(line) <= 20 for line in lines) and not [line for line in lines if line[0] in "，。；）"]
    assert wrap("Who acts: staff number, name or person id.", 20) == ["Who acts: staff", "number, name or", "person id."]

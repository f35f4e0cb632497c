"""Working-day calendar commands: load a year's official schedule, see what is known, count days.

Deadlines in working days are fixed when a task or rectification is issued, so a load only affects
what is issued after it; still, changing a year people already count with is worth a second look,
which is why a load shows its difference first and asks before it changes a known year.
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click

from domain.calendar import HolidaySchedule, WorkingCalendar
from domain.errors import CalendarYearMissing
from dutyloop.calendar_files import ScheduleFileError, read_schedule
from dutyloop.calendar_status import (
    builtin, builtin_names, calendar_status, diff_jsonable, diff_lines, diff_summary, loads, package_version, preview, weekday, who,
    year_ranges,
)
from domain.ranges import DEADLINE_WORKING_DAYS
from dutyloop.cli.base import YEARS, CliState, actor, back_entry_option, command, emit, main, parse_date, to_jsonable
from dutyloop.cli.queries import as_of_option, local_time, reading
from projections import deadline_queries


@main.group("calendar")
def calendar_group() -> None:
    """节假日安排：工作日日历 (working-day calendar): load, show, status, workdays."""


# -- what is built in, what was loaded -------------------------------------------------------------


def _name(state: CliState, day: date, loaded_names: dict[date, str] | None = None) -> str:
    if loaded_names and day in loaded_names:
        return loaded_names[day]
    names = builtin_names().get(day)
    if names is None:
        return ""
    return state.zh(*names)


def _working_days_in(schedule: HolidaySchedule) -> int:
    day, count = date(schedule.year, 1, 1), 0
    while day.year == schedule.year:
        count += schedule.is_working_day(day)
        day += timedelta(days=1)
    return count


def _kind(state: CliState, holiday: bool) -> str:
    return state.zh("节假日", "holiday") if holiday else state.zh("调休上班", "working weekend")


# -- load ------------------------------------------------------------------------------------------


@command(calendar_group, "load")
@click.argument("year", type=YEARS)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", default="", help="Where the schedule comes from, e.g. the notice's number 国办发明电〔2026〕X号 (required to load).")
@click.option("--dry-run", is_flag=True, help="Only show what would change; record nothing.")
@click.option("--yes", "-y", is_flag=True, help="Change a year that is already known without asking.")
@back_entry_option
def calendar_load(state: CliState, year: int, file: Path, source: str, dry_run: bool, yes: bool, on: date | None) -> None:
    """导入节假日安排: load YEAR's official schedule from FILE (.txt, .csv or .xlsx; see docs/calendar.md).

    The difference against the calendar known now is shown first; changing a year that is
    already known (built in or loaded before) needs --yes or a confirmation. With --on D (补录)
    the load is recorded as put in force on D, beside the real time it was entered."""
    try:
        schedule = read_schedule(file, year)
    except ScheduleFileError as error:
        click.echo(error.message(state.locale), err=True)
        sys.exit(2)
    system = state.open()
    system.catch_up()
    with system.engine.connect() as conn:
        change = preview(conn, system.app.calendar(), schedule)
    replaces, earlier, diff, changed = change.replaces, change.earlier, change.diff, change.changed
    result: dict[str, Any] = {
        "year": year, "file": str(file), "source": source.strip(), "replaces": replaces, "changed": changed,
        "diff": diff_jsonable(diff), "dry_run": dry_run, "recorded": False,
    }
    if not state.as_json:
        _print_diff(state, year, replaces, earlier, diff, schedule)
    if dry_run:
        _finish(state, result, "预览（--dry-run）：未记录任何内容。", "Preview (--dry-run): nothing was recorded.")
        return
    if not change.needs_load:
        _finish(state, result, f"与当前已知的 {year} 年安排相同，无需导入，未记录。",
                f"Same as the {year} schedule already known; nothing recorded.")
        return
    if not source.strip():
        raise click.UsageError(state.zh("请用 --source 注明来源（例如通知文号）", "Say where the schedule comes from with --source (e.g. the notice's number)"))
    who = actor(state, system)
    ctx = system.app.context(who, on)
    ctx.require(ctx.who.is_admin, "load_calendar", "reason_admin_only")
    if replaces is not None and not yes:
        _confirm(state, year)
    system.app.load_holiday_schedule(who, schedule, source, on=on)
    system.catch_up()
    result["recorded"] = True
    _finish(state, result, f"已导入 {year} 年节假日安排（来源：{source.strip()}）。已下达任务的时限不变。",
            f"Loaded the {year} holiday schedule (source: {source.strip()}). Deadlines already issued keep their dates.")


def _print_diff(
    state: CliState, year: int, replaces: str | None, earlier: list[dict[str, Any]], diff: dict[str, list[date]],
    schedule: HolidaySchedule,
) -> None:
    if replaces is None:
        click.echo(state.zh(f"{year} 年目前没有节假日安排，将新增：", f"No schedule is known for {year}; this adds:"))
    elif replaces == "builtin":
        click.echo(state.zh(f"与内置的 {year} 年安排（chinese-calendar {package_version()}）相比：",
                            f"Against the built-in {year} schedule (chinese-calendar {package_version()}):"))
    else:
        last = earlier[-1]
        click.echo(state.zh(f"与已导入的 {year} 年安排（来源：{last['source']}，{who(last)}，{local_time(state, last['recorded_at'])}）相比：",
                            f"Against the {year} schedule loaded before (source: {last['source']}, {who(last)}, {local_time(state, last['recorded_at'])}):"))
    names = {day: _name(state, day, dict(schedule.names)) for key in diff for day in diff[key]}
    for line in diff_lines(diff, state.locale, names):
        click.echo(line)
    click.echo(diff_summary(diff, state.locale))


def _confirm(state: CliState, year: int) -> None:
    question = state.zh(f"这将改变已知的 {year} 年安排（之后下达的时限按新安排计算），确认导入？",
                        f"This changes the known {year} schedule (deadlines issued from now on use it). Load it?")
    try:
        agreed = click.confirm(question, default=False, err=True)
    except click.Abort:
        click.echo(state.zh("未确认，未导入。改变已有年份需要确认；非交互运行时请加 --yes。",
                            "Not confirmed; nothing loaded. Changing a known year needs confirmation: add --yes when not interactive."), err=True)
        sys.exit(1)
    if not agreed:
        click.echo(state.zh("已取消，未导入。", "Cancelled; nothing loaded."), err=True)
        sys.exit(1)


def _finish(state: CliState, result: dict[str, Any], zh: str, en: str) -> None:
    if state.as_json:
        emit(state, {"ok": True, **result})
    else:
        click.echo(state.zh(zh, en))


# -- show ------------------------------------------------------------------------------------------


@command(calendar_group, "show")
@click.argument("year", type=YEARS)
@click.option("--as-of", "as_of", help="The calendar as known at this moment (YYYY-MM-DD[THH:MM]).")
def calendar_show(state: CliState, year: int, as_of: str | None) -> None:
    """查看节假日安排: YEAR's holidays and working weekends as known, built-in or loaded."""
    with reading(state, as_of, None) as (conn, _):
        known = deadline_queries.calendar_known(conn)
        year_loads = [r for r in loads(conn) if r["year"] == year]
    schedule = known.schedule(year)
    if schedule is None:
        raise CalendarYearMissing(year)
    built_in = builtin().get(year)
    loaded_names = {date.fromisoformat(d): n for d, n in json.loads(year_loads[-1]["names"]).items()} if year_loads else {}
    rows: list[dict[str, Any]] = []
    removed_h = (built_in.holidays - schedule.holidays) if built_in and year_loads else frozenset()
    removed_w = (built_in.working_weekends - schedule.working_weekends) if built_in and year_loads else frozenset()
    for day in sorted(schedule.holidays | schedule.working_weekends | removed_h | removed_w):
        holiday = day in schedule.holidays or day in removed_h
        in_force = day in schedule.holidays or day in schedule.working_weekends
        if not year_loads:
            origin, origin_label = "builtin", state.zh("内置", "built-in")
        elif not in_force:
            origin, origin_label = "builtin_removed", state.zh("内置（已被导入取消）", "built-in (removed by the load)")
        elif built_in and day in (built_in.holidays if holiday else built_in.working_weekends):
            origin, origin_label = "builtin_and_loaded", state.zh("内置，导入相同", "built-in, same in the load")
        else:
            origin, origin_label = "loaded", state.zh("导入", "loaded")
        rows.append({
            "date": day, "weekday": weekday(day, state.locale), "kind": "holiday" if holiday else "workday",
            "kind_label": _kind(state, holiday), "name": _name(state, day, loaded_names), "origin": origin,
            "origin_label": origin_label, "in_force": in_force,
        })
    working_days = _working_days_in(schedule)
    history = [
        {"source": r["source"], "actor": r["actor"], "actor_name": who(r), "recorded_at": local_time(state, r["recorded_at"])}
        for r in year_loads
    ]
    if state.as_json:
        emit(state, {"year": year, "origin": "loaded" if year_loads else "builtin", "working_days": working_days,
                     "loads": history, "days": rows})
        return
    if year_loads:
        last = history[-1]
        origin = state.zh(f"导入（来源：{last['source']}，{last['actor_name']}，{last['recorded_at']}），替代内置数据" if builtin().get(year)
                          else f"导入（来源：{last['source']}，{last['actor_name']}，{last['recorded_at']}）",
                          f"loaded (source: {last['source']}, {last['actor_name']}, {last['recorded_at']})"
                          + (", replacing the built-in data" if builtin().get(year) else ""))
    else:
        origin = state.zh(f"内置（chinese-calendar {package_version()}）", f"built in (chinese-calendar {package_version()})")
    emit(state, rows, [("date", "日期", "Date"), ("weekday", "星期", "Day"), ("kind_label", "类型", "Kind"),
                       ("name", "名称", "Name"), ("origin_label", "来源", "Origin")],
         title=state.zh(f"{year} 年节假日安排", f"{year} holiday schedule"))
    click.echo(state.zh(f"数据来源：{origin}", f"Data: {origin}"))
    click.echo(state.zh(f"全年工作日 {working_days} 天", f"{working_days} working days in {year}"))


# -- status ----------------------------------------------------------------------------------------


@command(calendar_group, "status")
@as_of_option
def calendar_status_command(state: CliState, as_of: str | None, today_text: str | None) -> None:
    """日历状态: which years are known, every load (who, when, source), and a warning from
    1 November while next year's schedule is missing."""
    with reading(state, as_of, today_text) as (conn, day):
        known = deadline_queries.calendar_known(conn)
        status = calendar_status(conn, known, day, state.locale)
    builtin_years, loaded_years, warning = status.builtin_years, status.loaded_years, status.warning
    history = [{**row, "recorded_at": local_time(state, row["recorded_at"])} for row in status.history]
    if state.as_json:
        emit(state, {"today": day, "known_years": known.years, "builtin_years": builtin_years,
                     "loaded_years": loaded_years, "loads": history, "warning": warning})
        return
    click.echo(state.zh(f"今天：{day.isoformat()}", f"Today: {day.isoformat()}"))
    click.echo(state.zh(f"内置年份：{year_ranges(builtin_years)}（chinese-calendar {package_version()}）",
                        f"Built-in years: {year_ranges(builtin_years)} (chinese-calendar {package_version()})"))
    click.echo(state.zh(f"已导入年份：{year_ranges(loaded_years) or '无'}", f"Loaded years: {year_ranges(loaded_years) or 'none'}"))
    click.echo(state.zh(f"已知年份：{year_ranges(known.years)}", f"Known years: {year_ranges(known.years)}"))
    if history:
        emit(state, history, [("year", "年份", "Year"), ("source", "来源", "Source"), ("actor_name", "导入人", "Loaded by"),
                              ("recorded_at", "导入时间", "When"), ("changes", "变化", "Changes")],
             title=state.zh("导入记录", "Loads"))
    if warning:
        click.echo(click.style(state.zh("提醒：", "Warning: ") + warning, fg="yellow"))
    else:
        click.echo(state.zh("日历无缺失年份提醒。", "No calendar year is missing."))


# -- workdays --------------------------------------------------------------------------------------


@command(calendar_group, "workdays")
@click.argument("start")
@click.argument("days", type=click.IntRange(-DEADLINE_WORKING_DAYS.high, DEADLINE_WORKING_DAYS.high))
@click.option("--as-of", "as_of", help="Count with the calendar as known at this moment (YYYY-MM-DD[THH:MM]).")
def calendar_workdays(state: CliState, start: str, days: int, as_of: str | None) -> None:
    """推算工作日: the date DAYS working days after START, as a deadline issued on START would be."""
    begin = parse_date(start, "start")
    with reading(state, as_of, None) as (conn, _):
        known = deadline_queries.calendar_known(conn)
    result = known.add_working_days(begin, days)
    skipped, made_working = _between(known, begin, result)
    if state.as_json:
        emit(state, to_jsonable({"start": begin, "working_days": days, "date": result,
                                 "holidays_between": skipped, "working_weekends_between": made_working}))
        return
    click.echo(state.zh(f"{begin.isoformat()}（{weekday(begin)}）之后第 {days} 个工作日：{result.isoformat()}（{weekday(result)}）",
                        f"{days} working days after {begin.isoformat()} ({weekday(begin, 'en')}): {result.isoformat()} ({weekday(result, 'en')})"))
    if skipped:
        click.echo(state.zh("期间节假日（工作日休息）：", "Holidays on weekdays in between: ") + ", ".join(d.isoformat() for d in skipped))
    if made_working:
        click.echo(state.zh("期间调休上班（周末上班）：", "Working weekend days in between: ") + ", ".join(d.isoformat() for d in made_working))


def _between(calendar: WorkingCalendar, start: date, end: date) -> tuple[list[date], list[date]]:
    """Weekdays off and weekend days on between ``start`` (exclusive) and ``end``: why the
    answer is not simply counting Mondays to Fridays."""
    skipped: list[date] = []
    made_working: list[date] = []
    day = start + timedelta(days=1)
    while day <= end:
        working = calendar.is_working_day(day)
        if day.weekday() < 5 and not working:
            skipped.append(day)
        elif day.weekday() >= 5 and working:
            made_working.append(day)
        day += timedelta(days=1)
    return skipped, made_working

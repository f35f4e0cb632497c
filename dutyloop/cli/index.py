"""The command line's index: the module that holds each command and the command's line in the
commands list, so that a run imports only the module of the command it runs (SQLAlchemy, the
event store and the domain load with it) and ``dutyloop --help`` imports none of them."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from gettext import gettext

import click


@dataclass
class Entry:
    modules: tuple[str, ...]
    """Under ``dutyloop.cli``: importing the first adds the command to the top-level group, the
    others add their subcommands to it."""
    line: str
    """The command's line in the commands list (English; the catalog holds the Chinese)."""


INDEX: dict[str, Entry] = {
    "account": Entry(("web", "tokens"), "Web sign-in accounts: set a password, list, remove."),
    "adjust": Entry(("awards",), "Manual points adjustments, approved by someone else."),
    "assess": Entry(("assess",), 'The annual "631" assessment: weights, scores, ranking.'),
    "audit": Entry(("audit",), "Audit bundles verifiable without the system, and keys."),
    "awaiting-handover": Entry(("handovers",), "People who left or moved and still hold open work."),
    "award": Entry(("awards",), 'Benchmarks, "党建+" projects and service-team activities.'),
    "board": Entry(("queries",), "Per branch: tasks, rectifications and the last meeting."),
    "bulletin": Entry(("bulletin",), "The monthly bulletin (月度通报) as HTML and PDF."),
    "calendar": Entry(("calendar",), "The working-day calendar: load, show, status, count."),
    "chain": Entry(("queries",), "A rectification chain end to end, with who and when."),
    "chains": Entry(("queries",), "Open rectification chains with their age."),
    "counts": Entry(("queries",), "Task counts per organisation, person, meeting or status."),
    "deliveries": Entry(("notify",), "Every delivery: queued, sent, failed, retried, given up."),
    "demo": Entry(("demo",), "Build and show a year of realistic demonstration data."),
    "duties": Entry(("setup",), "The responsibility list (主体责任清单)."),
    "events": Entry(("admin",), "The event catalogue: every kind of fact recorded."),
    "export": Entry(("export",), "Export ledgers (.xlsx) of the board, warnings, trail."),
    "findings": Entry(("queries",), "Findings of inspections, with their rectification state."),
    "follow": Entry(("admin",), "Keep the views current until interrupted."),
    "handover": Entry(("handovers",), "Hand a person's open work over to their successor."),
    "inbox": Entry(("notify",), "Your messages (the --as person)."),
    "init": Entry(("setup",), "Create the company committee and the first administrator."),
    "inspect": Entry(("inspections",), "Record an inspection of a branch and its findings."),
    "interview": Entry(("inspections",), "Interviews (约谈): schedule, hold, record."),
    "interviews": Entry(("queries",), "Interviews planned and held: who, with whom, when."),
    "liaison": Entry(("setup",), "Link a leader to the grassroots unit they supervise."),
    "meeting": Entry(("meetings",), "Meetings (例会): plan, minutes, task lists."),
    "mywork": Entry(("queries",), "A secretary's home: my warnings, open tasks, rectifications."),
    "notify": Entry(("notify",), "Turn new events into messages and deliver what is due."),
    "notify-route": Entry(("notify",), "Which channels reach a person or an organisation."),
    "notify-test": Entry(("notify",), "Send one test message through a channel now."),
    "org": Entry(("setup",), "Organisations: committees, branches, temporary branches."),
    "person": Entry(("setup",), "People and their roles."),
    "points": Entry(("points",), "Monthly points per branch, down to the events."),
    "prompt": Entry(("inspections",), "Send a work prompt (工作提示) to a branch."),
    "ranking": Entry(("points",), "Quarterly and monthly ranking, with the reasons."),
    "rebuild": Entry(("admin",), "Drop the views and replay every event into them."),
    "rectify": Entry(("inspections", "follow_ups"), "Rectifications: open, plan, progress, complete, verify, close."),
    "remind": Entry(("scheduling",), "Run the deadline, meeting and bulletin checks once now."),
    "reminders": Entry(("scheduling",), "Reminders recorded by the scheduler: who, about what."),
    "review": Entry(("reviews",), "Secretaries' yearly reports (述职评议): graded, published."),
    "role": Entry(("setup",), "Assign or revoke roles."),
    "roster": Entry(("roster",), "The roster: organisations, people and roles in one import."),
    "rules": Entry(("rules",), "Points rules: the version in force, its history, a new one."),
    "search": Entry(("search",), "Full-text search: dutyloop search 整改 台账"),
    "serve": Entry(("web",), "Start the web application."),
    "serve-scheduler": Entry(("scheduling",), "Run the scheduler until Ctrl-C."),
    "status": Entry(("admin",), "Each view's position in the event log and its lag."),
    "task": Entry(("tasks", "follow_ups"), "Tasks: sign, report, accept, return, extend, cancel, follow."),
    "tasks": Entry(("queries",), "The task status board, filtered as asked."),
    "thresholds": Entry(("admin",), "The warning thresholds in force; an admin may change them."),
    "trail": Entry(("queries",), "Who did what: every action with its actor and time."),
    "verify": Entry(("admin",), "Walk the hash chain over every event; name the first altered."),
    "warnings": Entry(("queries",), "Deadline warnings: due soon, today, overdue, seriously."),
    "whatif": Entry(("rules",), "Points of a past period under a proposed rule set."),
}



class IndexedGroup(click.Group):
    """A group whose commands are imported when first named (``get_command``); its commands list
    is read from the index, without importing any."""

    index: dict[str, Entry] = INDEX

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.index) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = self.index.get(cmd_name)
        if cmd_name not in self.commands and entry is not None:
            for module in entry.modules:
                importlib.import_module(f"dutyloop.cli.{module}")
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, self.index[name].line) for name in self.list_commands(ctx) if name in self.index]
        if rows:
            with formatter.section(gettext("Commands")):
                formatter.write_dl(rows)

"""The command line imports only the module of the command it runs (``dutyloop.cli.index``):
``--help`` starts without the database layer, and a command named first in a fresh process has
all its subcommands, as when every module is loaded."""

from __future__ import annotations

import json
import subprocess
import sys

import click

from dutyloop.cli import main
from dutyloop.cli.index import INDEX

HEAVY = ("sqlalchemy", "eventsourcing", "psycopg", "openpyxl", "rich", "dutyloop.wiring", "domain.application")

SUBCOMMANDS = """
import json, sys, click
from dutyloop.cli import main
found = {}
for name in sys.argv[1:]:
    command = main.get_command(click.Context(main), name)
    found[name] = sorted(command.commands) if isinstance(command, click.Group) else None
print(json.dumps(found))
"""


def _every_command() -> dict[str, click.Command]:
    ctx = click.Context(main)
    return {name: main.get_command(ctx, name) for name in main.list_commands(ctx)}  # type: ignore[misc]


def test_help_starts_without_the_database_layer() -> None:
    probe = (
        "import sys\nfrom dutyloop.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print('loaded:', sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert "loaded: []" in out, out
    assert "命令:" in out and "任务：签收" in out, "the commands list is read from the index, in Chinese"


def test_every_command_is_in_the_index_and_its_modules_give_all_its_subcommands() -> None:
    everything = _every_command()
    assert set(everything) == set(INDEX) and None not in everything.values()
    groups = [name for name, command in everything.items() if isinstance(command, click.Group)]
    runs = [subprocess.Popen([sys.executable, "-c", SUBCOMMANDS, name], stdout=subprocess.PIPE, text=True) for name in groups]
    alone = {}
    for run in runs:
        out, _ = run.communicate(timeout=120)
        alone.update(json.loads(out))
    loaded_together = {name: sorted(everything[name].commands) for name in groups}  # type: ignore[attr-defined]
    assert alone == loaded_together

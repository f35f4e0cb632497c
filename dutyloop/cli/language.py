"""The command line's own words in the user's language: click's (Usage:, Options, "Missing
argument", "Aborted!") and our help texts and metavars, from the gettext catalog
``locale/zh_CN/LC_MESSAGES/dutyloop.mo``.

The language has to be known before click parses the arguments, since ``--help`` and usage errors
are printed while parsing, before any command runs; so the top-level group (``LocalizedGroup``)
chooses it in ``main()``, which the console script and click's ``CliRunner`` both call. Click looks
its words up with the stdlib ``gettext.gettext`` (text domain and ``LANGUAGE``); our help texts live
on the command objects, translated in place for the run and put back afterwards, so that a process
running the CLI in both languages one after another (the tests) gets each right.
"""

from __future__ import annotations

import gettext
import inspect
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import click

from dutyloop.cli.help_layout import ColumnsFormatter, first_sentence
from dutyloop.cli.index import IndexedGroup
from dutyloop.settings import Settings

DOMAIN = "dutyloop"
LOCALE_DIR = Path(__file__).parent / "locale"
CATALOG_LANGUAGE = "zh_CN"


def english(locale: str) -> bool:
    """Whether a ``--locale`` / ``DUTYLOOP_LOCALE`` value asks for English; anything else is Chinese."""
    return locale.lower().startswith("en")


@cache
def catalog() -> gettext.GNUTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[CATALOG_LANGUAGE])  # type: ignore[return-value]


class LocalizedGroup(click.Group):
    """The top-level group: speaks the language of ``--locale`` or ``DUTYLOOP_LOCALE`` from the
    first word it prints."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        contexts = invoked(self, sys.argv[1:] if args is None else list(args))
        locale = contexts[0].params.get("locale") or os.environ.get("DUTYLOOP_LOCALE") or Settings.locale
        with speaking(contexts, locale):
            return super().main(args, *rest, **kwargs)


def invoked(root: click.Command, args: list[str]) -> list[click.Context]:
    """The contexts of the commands ``args`` name, ``root``'s first, parsed by click leniently
    (as its shell completion does) so that a mistyped command is still reported in the chosen
    language. Only groups are parsed, to find the next command; a command's own arguments are
    left to the real run."""
    contexts: list[click.Context] = []
    args = list(args)  # click's parser takes the words it reads out of the list
    command: click.Command | None = root
    name: str | None = "dutyloop"
    parent = None
    while command is not None:
        ctx = command.context_class(command, info_name=name, parent=parent, resilient_parsing=True, **command.context_settings)
        contexts.append(ctx)
        if not isinstance(command, click.Group):
            break
        with ctx.scope(cleanup=False):
            rest = click.Command.parse_args(command, ctx, args)
            name, command, args = command.resolve_command(ctx, rest) if rest else (None, None, [])
        parent = ctx
    return contexts


@contextmanager
def speaking(contexts: list[click.Context], locale: str) -> Iterator[None]:
    """Within: click's words and the help of the commands of ``contexts`` in ``locale``."""
    if english(locale):
        yield
        return
    translate = catalog().gettext
    undo = list(_translated([text for ctx in contexts for text in texts(ctx)], translate))
    undo.append((click.Context, "formatter_class", click.Context.formatter_class))
    click.Context.formatter_class = ColumnsFormatter
    domain = gettext.textdomain()
    language = os.environ.get("LANGUAGE")
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = CATALOG_LANGUAGE
    try:
        yield
    finally:
        gettext.textdomain(domain)
        if language is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = language
        for obj, attribute, value in reversed(undo):
            setattr(obj, attribute, value)


@dataclass(frozen=True)
class Text:
    """One translatable piece of a command: the attribute of the command or parameter that holds
    it, its msgid, and how a translation becomes the attribute's value."""

    where: str
    owner: object
    attribute: str
    msgid: str
    shape: Callable[[str], Any] = str


def texts(ctx: click.Context) -> Iterator[Text]:
    """What ``ctx``'s command shows of itself — its help, usage pieces, options and metavars
    (``ctx`` gives its help option its names, ``-h``) — and, of a group, the line of each of its
    commands in the commands list. A help is taken as click shows it (the docstring cleaned)."""
    command, where = ctx.command, ctx.command_path
    yield from _helps(command, where)
    if command.options_metavar:
        yield Text(where, command, "options_metavar", command.options_metavar)
    if isinstance(command, click.Group):
        yield Text(where, command, "subcommand_metavar", command.subcommand_metavar)
        for name, sub in command.commands.items():
            yield from _helps(sub, f"{where} {name}")
    if isinstance(command, IndexedGroup):
        for name, entry in command.index.items():
            yield Text(f"{where} {name}", entry, "line", entry.line)
    for param in command.get_params(ctx):
        name = f"{where} {param.opts[0] if isinstance(param, click.Option) else param.name}"
        if isinstance(param, click.Option) and param.help:
            yield Text(name, param, "help", param.help)
        word = metavar_word(param)
        if word:
            shown = param.make_metavar(ctx)
            yield Text(name, param, "metavar", word, lambda translated, shown=shown, word=word: shown.replace(word, translated, 1))


def _helps(command: click.Command, where: str) -> Iterator[Text]:
    """A command's help and its line in the commands list: its short help, or else its help's
    first sentence."""
    if command.help:
        help_text = inspect.cleandoc(command.help)
        yield Text(where, command, "help", help_text)
        if not command.short_help:
            yield Text(where, command, "short_help", help_text, first_sentence)
    if command.short_help:
        yield Text(where, command, "short_help", inspect.cleandoc(command.short_help))


def _translated(texts: list[Text], translate: Callable[[str], str]) -> Iterator[tuple[object, str, Any]]:
    """Puts the translation of each text in place, giving back what it replaced."""
    for text in texts:
        translated = translate(text.msgid)
        if translated != text.msgid:
            yield text.owner, text.attribute, getattr(text.owner, text.attribute)
            setattr(text.owner, text.attribute, text.shape(translated))


def metavar_word(param: click.Parameter) -> str | None:
    """The word of a parameter's metavar to translate — its own (``STAFF_NO``) or its type's
    (``TEXT``, ``INTEGER``); none for a flag, or a choice or date format, whose values are typed
    as they are."""
    if isinstance(param, click.Option) and (param.is_flag or param.count):
        return None
    if param.metavar:
        return param.metavar
    if isinstance(param.type, (click.Choice, click.DateTime)):
        return None
    return (param.name or "").upper() if isinstance(param, click.Argument) else param.type.name.upper()

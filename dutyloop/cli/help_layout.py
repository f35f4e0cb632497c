"""Help laid out by terminal columns, for Chinese: click measures and wraps text by characters
between spaces, but a Chinese character takes two columns and a Chinese sentence has no spaces, so
its lines ran to twice the width and its option column came out of line."""

from __future__ import annotations

import re
from collections.abc import Iterable
from gettext import gettext
from unicodedata import east_asian_width

import click

_PIECE = re.compile(r"\s+|\[[^\s\]]{1,24}\]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+|.")
"""A run of spaces, a short bracket (``[默认：50]``), a run of other text that has no break inside
(a word, an option, a date), or one wide character, after which a line may break."""
_NO_LINE_START = "，。、；：！？）》」』】〕…—·,.;:!?)]"
"""Punctuation that stays on the line of what it follows."""


def columns(text: str) -> int:
    return sum(2 if east_asian_width(character) in "WF" else 1 for character in text)


_WORD = re.compile(r"\s+|\S+")
"""A run of spaces or a word: where a usage line may break."""


SHORT_HELP = 56
"""Terminal columns of a command's line in the commands list: what is left of 80 beside the names."""


def first_sentence(text: str) -> str:
    """A command's line in the commands list: its help up to the first full stop, cut at a clause
    if that is too wide — click's own shortening counts words between spaces, which Chinese has
    none of, and takes a character for a column, where a Chinese one takes two."""
    sentence = "".join(text.partition("\n\n")[0].splitlines()).partition("。")[0]
    used = 0
    for end, character in enumerate(sentence):
        used += columns(character)
        if used > SHORT_HELP:
            clause = max(sentence.rfind(mark, 0, end) for mark in "；，")
            return sentence[:clause] if clause > 0 else sentence[: end - 1] + "…"
    return sentence


def wrap(text: str, width: int, pieces: re.Pattern[str] = _PIECE) -> list[str]:
    """Lines of at most ``width`` columns (a piece wider than that alone on its line)."""
    held: list[str] = []
    for piece in pieces.findall(" ".join(line.strip() for line in text.splitlines())):
        if held and piece[0] in _NO_LINE_START and not held[-1].isspace():
            held[-1] += piece
        else:
            held.append(piece)
    lines: list[str] = []
    line, used = "", 0
    for piece in held:
        size = columns(piece)
        if used + size > width and line.strip() and not piece.isspace():
            lines.append(line.rstrip())
            line, used = "", 0
        if line or not piece.isspace():
            line, used = line + piece, used + size
    if line.strip():
        lines.append(line.rstrip())
    return lines


class ColumnsFormatter(click.HelpFormatter):
    """click's help formatter measuring in columns: the same layout for English, Chinese that fits."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = f"{gettext('Usage:')} " if prefix is None else prefix
        usage = f"{prefix:>{self.current_indent}}{prog} "
        lines = wrap(args, max(self.width - self.current_indent - columns(usage), 20), _WORD) or [""]
        self.write(usage + ("\n" + " " * columns(usage)).join(lines) + "\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        paragraphs = []
        for paragraph in text.split("\n\n"):
            if paragraph.startswith("\b\n"):
                paragraphs.append("\n".join(indent + line for line in paragraph[2:].splitlines()))
            else:
                paragraphs.append("\n".join(indent + line for line in wrap(paragraph, self.width - self.current_indent)))
        self.write("\n\n".join(paragraphs) + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((columns(term) for term, _ in rows), default=0), col_max) + col_spacing
        for term, definition in rows:
            self.write(f"{'':>{self.current_indent}}{term}")
            if not definition:
                self.write("\n")
                continue
            if columns(term) <= first_col - col_spacing:
                self.write(" " * (first_col - columns(term)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(definition, max(self.width - first_col - 2, 10)) or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")

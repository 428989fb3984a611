"""Plain lines out, answers in: the one place plain mode writes and reads.

Everything printed goes through `safe` (a module or a save could hold an escape sequence,
and a screen reader would read it out or the terminal obey it) and is wrapped to the
terminal's width, or 80 columns when there is no terminal. A line of a list keeps its
hanging indent when it wraps, so that a screen reader's line-by-line reading and a braille
display's row both start where the item's text does. Nothing else is written: no colour,
no cursor movement, no box drawing.
"""

from __future__ import annotations

import os
import re
import textwrap
from typing import TextIO

from trainer.sanitise import safe

DEFAULT_WIDTH = 80
"""Lines are wrapped at this width when there is no terminal to ask."""
NARROWEST = 20
"""A width below this (a COLUMNS typed by mistake) is taken as the default."""

_LIST_ITEM = re.compile(r"^(\s*)((?:\d+\.|•|-|—|\[[ x]\]|[✓✗~▶]|Panel \d+ · yours \S+)\s+)")
"""The start of a list item: its text's first character is where wrapped lines continue."""


def terminal_width(stream: TextIO) -> int:
    """The width to wrap at: COLUMNS if set, else the terminal's, else 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) >= NARROWEST:
        return int(columns)
    try:
        descriptor = stream.fileno()
        if os.isatty(descriptor):
            width = os.get_terminal_size(descriptor).columns
            return width if width >= NARROWEST else DEFAULT_WIDTH
    except (AttributeError, OSError, ValueError):
        pass
    return DEFAULT_WIDTH


def wrap(text: str, width: int) -> list[str]:
    """Text as lines of at most `width` characters: each line of the text wrapped on its
    own (blank lines kept), a list item's continuation under its text."""
    out: list[str] = []
    for line in text.expandtabs(4).splitlines() or [""]:
        line = line.rstrip()
        if len(line) <= width:
            out.append(line)
            continue
        item = _LIST_ITEM.match(line)
        indent = " " * len(item.group(0)) if item else re.match(r"\s*", line).group(0)  # type: ignore[union-attr]
        if len(indent) > width // 2:
            indent = ""
        out += textwrap.wrap(
            line,
            width,
            subsequent_indent=indent,
            break_on_hyphens=False,
            drop_whitespace=True,
        ) or [""]
    return out


class EndOfInput(Exception):
    """Standard input has ended: save and quit."""


class PlainConsole:
    """Writes wrapped, escaped text to one stream and reads answers from another."""

    def __init__(self, stdin: TextIO, stdout: TextIO, width: int | None = None) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.width = width or terminal_width(stdout)

    def say(self, text: str = "") -> None:
        """Print text (which may span lines), every unsafe character escaped, wrapped."""
        for line in wrap(safe(text, newlines=True), self.width):
            self.stdout.write(line + "\n")

    def blank(self) -> None:
        """One empty line: screens are separated by one."""
        self.stdout.write("\n")

    def read(self) -> str:
        """The next line typed (without its line ending).

        Raises:
            EndOfInput: standard input has ended.
        """
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise EndOfInput
        return line.rstrip("\r\n")

    def ask(self, prompt: str) -> str:
        """Print the prompt (one line, wrapped if it must be) and read the answer, trimmed.

        Raises:
            EndOfInput: standard input has ended.
        """
        self.say(prompt)
        return self.read().strip()

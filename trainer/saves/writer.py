"""A save's text, made again at each write from what changed since the last.

A save is written after every move and holds every answer of every attempt, and the
module's findings. Made whole each time (`SaveFile.dumps`), its text cost a move more the
longer the module (the figures are in docs/performance.md). An answer never
changes once given, nor does the module's part while a save is open, so `SaveWriter`
keeps the text of each (by the object it was made from) and makes only the rest again:
each attempt's few lines of position and lists. What it writes is `SaveFile.dumps`'s text,
byte for byte (tested): TOML's tables are written one after another, so the text of the
whole is the texts of its parts in order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import tomli_w

if TYPE_CHECKING:
    from trainer.engine import Answer
    from trainer.saves.attempt import Attempt
    from trainer.saves.format import LearnerInfo, ModuleInfo, SaveFile

_ANSWER_PREFIX = "[[attempts]]\n\n"
"""What comes before an answer's own text when it is written inside an attempt of its own."""


def _toml(data: dict[str, object]) -> str:
    return tomli_w.dumps(data, multiline_strings=True)


def answer_text(answer: Answer) -> str:
    """An answer's part of a save's text: its `[[attempts.answers]]` table."""
    text = _toml({"attempts": [{"answers": [answer.to_data()]}]})
    assert text.startswith(_ANSWER_PREFIX)
    return text[len(_ANSWER_PREFIX) :]


class SaveWriter:
    """Makes one save's text again and again as it changes, keeping the parts that did not.

    Parts are kept by the objects they were made from, all of them frozen (answers, the
    learner, the module's record): a list an attempt has only added to since the last text
    (its answers, the stages and feedback moved past) has the lines of what was added put
    after those already made; any other list is made afresh.
    """

    def __init__(self) -> None:
        self._head_of: tuple[int, str, LearnerInfo, ModuleInfo] | None = None
        self._head = ""
        self._lists: dict[tuple[str, str], tuple[list[Any], str]] = {}
        """Each attempt's lists (by registration and name), as last written, and their text."""
        self._lines: dict[str, str] = {}

    def text(self, save: SaveFile) -> str:
        """The save's text, as `save.dumps()` makes it."""
        if not save.attempts:  # `attempts = []` is then a line among the first
            return save.dumps()
        head_of = (save.format, save.app, save.learner, save.module)
        if self._head_of is None or any(
            a is not b for a, b in zip(head_of, self._head_of, strict=True)
        ):
            self._head_of = head_of
            self._head = _toml(save.head_data())
        parts = [self._head]
        lists: dict[tuple[str, str], tuple[list[Any], str]] = {}
        for attempt in save.attempts:
            parts += ("\n", self._attempt_head(attempt, lists))
            if attempt.answers:
                parts.append(self._grown(attempt, "answers", attempt.answers, _answer_part, lists))
            if attempt.opened:  # after the answers, as tomli_w writes the attempt's tables
                opened = [item.to_data() for item in attempt.opened]
                parts.append("\n" + _toml({"attempts": {"opened": opened}}))
        self._lists = lists
        return "".join(parts)

    def _grown(
        self,
        attempt: Attempt,
        name: str,
        items: list[Any],
        part: Callable[[Any], str],
        lists: dict[tuple[str, str], tuple[list[Any], str]],
    ) -> str:
        """The text of a list of an attempt's, each item's `part` in turn: the text last made
        for it, with the parts of any items added since."""
        key = (attempt.registration, name)
        before, text = self._lists.get(key, ([], ""))
        if items[: len(before)] != before:  # compared by identity first: quick
            before, text = [], ""
        if len(items) > len(before):
            text += "".join(map(part, items[len(before) :]))
        lists[key] = (list(items), text)
        return text

    def _attempt_head(
        self, attempt: Attempt, lists: dict[tuple[str, str], tuple[list[Any], str]]
    ) -> str:
        """An attempt's `[[attempts]]` table and its draft, without its answers (or with
        `answers = []` where it has none, as a line among its own). The lists of stages and
        feedback moved past, most of its lines, are made as they grow (`_grown`)."""
        parts = [_ATTEMPT]
        tables = []
        for key, value in attempt.to_data(answers=not attempt.answers).items():
            if key == "opened":
                continue  # a list of tables, written after the answers (`text`)
            if isinstance(value, Mapping):  # written after every other line, as tomli_w does
                tables.append("\n" + _toml({"attempts": {key: value}}))
            elif key in _ID_LISTS and isinstance(value, list) and value:
                lines = self._grown(attempt, key, value, self._line, lists)
                parts.append(f"{key} = [\n{lines}]\n")
            else:
                parts.append(_toml({key: value}))
        return "".join(parts + tables)

    def _line(self, item: str) -> str:
        """An id's line in a list: `    "s1",` and a newline."""
        line = self._lines.get(item)
        if line is None:
            text = _toml({"x": [item]})
            line = self._lines[item] = text[len("x = [\n") : -len("]\n")]
        return line


def _answer_part(answer: Answer) -> str:
    """An answer's part of its attempt's text: a blank line, then its table."""
    return "\n" + answer_text(answer)


_ID_LISTS = frozenset({"stages_done", "feedback_seen"})
"""An attempt's lists of ids, written a line an id, as tomli_w writes a list."""
_ATTEMPT = "[[attempts]]\n"

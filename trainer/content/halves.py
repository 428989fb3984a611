"""A large module parsed in two halves at once: the first here, the second in a forked child.

A module is mostly its `[[stages]]`, each a table header at the start of a line. Cut at such a
header near the middle, the file is two TOML documents: the first holds the module's own
keys and the stages before the cut, the second the stages after it and whatever follows
(findings, sources, the case file). Parsed apart and put together, they are the document
parsed whole, provided nothing in the second half meets anything in the first, which is
checked, not assumed:

- the first half parses: so the cut is at the start of a line outside any string, array or
  inline table (one cut inside them leaves the first half unclosed), and the header there is
  a real `[[stages]]` header;
- `stages` in the first half, if any, is an array of tables, as the second half's header
  appends to: not a table, and not an array written as a value (`stages = [...]`, which is
  only possible among the keys before the first header, parsed on their own to see);
- no other key of the top level is in both halves (a table defined in one and added to in
  the other would need TOML's rules for both at once).

Whenever any of this fails, or either half does not parse (the error must be the whole
file's, with its line), or the child fails, the caller parses the file whole, as
`tomli.loads` would have: the result is the same dictionary, key for key and in the same
order, either way.
"""

from __future__ import annotations

import re
from typing import Any

import tomli

from trainer.content.forked import alongside

_HEADER = re.compile(r"^\[\[stages\]\]\r?$", re.MULTILINE)
_FIRST_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)


def parse_in_halves(text: str) -> dict[str, Any] | None:
    """The document `text` parsed in two halves at once; None when it must be parsed whole
    (no `[[stages]]` header past its middle, the halves might not add up, or either half
    or the child failed)."""
    cut = _HEADER.search(text, len(text) // 2)
    if cut is None:
        return None
    first_text, second_text = text[: cut.start()], text[cut.start() :]
    first: list[dict[str, Any]] = []

    def parse_first() -> None:
        try:
            parsed = tomli.loads(first_text)
        except (tomli.TOMLDecodeError, RecursionError):
            return  # the file is parsed whole, for its own error and line
        first.append(parsed)

    ran, second = alongside(lambda: tomli.loads(second_text), parse_first)
    if not ran or not first or not _adds_up(first_text, first[0], second):
        return None
    document = first[0]
    stages = second.pop("stages")
    document.setdefault("stages", []).extend(stages)
    document.update(second)
    return document


def _adds_up(first_text: str, first: dict[str, Any], second: Any) -> bool:
    """Whether the halves, each parsed, are the whole document parsed (the module's
    docstring says why these tests suffice)."""
    if not isinstance(second, dict) or not isinstance(second.get("stages"), list):
        return False
    if any(key in first for key in second if key != "stages"):
        return False
    if "stages" not in first:
        return True
    if not isinstance(first["stages"], list):
        return False
    # The keys before the first header: an array written as a value is only possible there.
    header = _FIRST_HEADER.search(first_text)
    top = first_text if header is None else first_text[: header.start()]
    try:
        return "stages" not in tomli.loads(top)
    except (tomli.TOMLDecodeError, RecursionError):
        return False

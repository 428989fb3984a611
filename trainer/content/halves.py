"""A large module parsed and key-checked in two halves at once: the first here, the second in
a forked child.

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

The child also runs the key pass (`key_checks`) over its half, numbering its stages from
the number of `[[stages]]` headers before the cut (the first half's stages are counted once
parsed, to be sure), and sends back only what that pass keeps and finds; the parent puts it
where the pass over the whole file has it (`key_checks.join_halves`), having run its own
over the first half meanwhile.

Whenever any of this fails, or either half does not parse (the error must be the whole
file's, with its line), or the child fails, the caller parses and checks the file whole:
the report is the same either way.
"""

from __future__ import annotations

import re
from typing import Any

import tomli

from trainer.content import schema
from trainer.content.checking import Reporter, Table
from trainer.content.forked import alongside
from trainer.content.key_checks import (
    FirstHalf,
    KeyChecker,
    SecondHalf,
    check_first_half,
    check_second_half,
    join_halves,
)

_HEADER = re.compile(r"^\[\[stages\]\]\r?$", re.MULTILINE)
_FIRST_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)


def check_in_halves(text: str) -> tuple[KeyChecker, Table] | None:
    """The file parsed and key-checked in two halves at once, the second in a child: the key
    checker (its reporter holding the problems so far, its texts) and the module's sound
    keys, as the key pass over the whole file leaves them; None when the file must be parsed
    and checked whole (no `[[stages]]` header past its middle, the halves might not add up,
    or either half or the child failed)."""
    cut = _HEADER.search(text, len(text) // 2)
    if cut is None:
        return None
    first_text, second_text = text[: cut.start()], text[cut.start() :]
    # The stages before the cut, as the child numbers its own from: counted by their headers
    # here, and checked against the first half's once it is parsed.
    offset = len(_HEADER.findall(first_text))
    here: list[tuple[dict[str, Any], KeyChecker, FirstHalf]] = []

    def first_half() -> None:
        try:
            document = tomli.loads(first_text)
        except (tomli.TOMLDecodeError, RecursionError):
            return  # the file is parsed whole, for its own error and line
        keys = KeyChecker(Reporter(text, _version(document)), document, text)
        here.append((document, keys, check_first_half(keys, document)))

    ran, second = alongside(lambda: _second_half(text, second_text, offset), first_half)
    if not ran or second is None or not here:
        return None
    names, version, checked = second
    document, keys, own = here[0]
    if (
        len(document.get("stages", ())) != offset
        or version != keys.reporter.version
        or not _adds_up(first_text, document, names)
    ):
        return None
    clean = join_halves(keys, document, own, checked)
    return None if clean is None else (keys, clean)


def _version(top: dict[str, Any]) -> Any:
    """The format a file is checked as, as the validator finds it from its top level."""
    declared = top.get("format")
    return declared if declared in schema.FORMATS else 1


def _second_half(
    text: str, second_text: str, offset: int
) -> tuple[list[str], Any, SecondHalf] | None:
    """In the child: the second half parsed and key-checked, with the names of its keys of
    the top level and the format it was checked as; None where its key pass could not stand
    for the whole file's."""
    document = tomli.loads(second_text)
    if not isinstance(document.get("stages"), list):
        return None
    header = _FIRST_HEADER.search(text)
    # The keys of the top level, `format` among them, are all before the first header.
    version = _version(tomli.loads(text if header is None else text[: header.start()]))
    checked = check_second_half(Reporter(text, version), document, text, offset)
    return None if checked is None else (list(document), version, checked)


def _adds_up(first_text: str, first: dict[str, Any], second: list[str]) -> bool:
    """Whether the halves, each parsed (the second known by its keys of the top level), are
    the whole document parsed (the module's docstring says why these tests suffice)."""
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

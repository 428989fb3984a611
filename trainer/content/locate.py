"""Find the line of each key in a TOML text, for diagnostics.

The TOML parser gives positions only for syntax errors, so this second pass reads the
text line by line, follows the table headers (`[[stages]]`,
`[[stages.decisions]]`, ...) and records where each key path starts. A path
that cannot be found falls back to its nearest located ancestor; a line is
never invented. It runs only for a module with problems, and then reads closely only
the lines of the tables they are in.
"""

from __future__ import annotations

import re
from collections.abc import Collection

Path = tuple[str | int, ...]

_ARRAY_HEADER = re.compile(r"^\[\[\s*(.+?)\s*\]\]\s*(#.*)?$")
_TABLE_HEADER = re.compile(r"^\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
# A value that ends on its line and leaves no bracket open: a one-line string, a bare word
# (number, boolean, date), or an array of those on the line.
_SCALAR = r"""(?:"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[A-Za-z0-9_:+.-]+)"""
# Most lines of a module: a bare key and such a value, perhaps with a comment after it. The
# key is found and the value read past without a loop over its characters (a large module
# has about 130,000 lines, and a narrative can be a thousand characters on one).
_KEY_VALUE = (
    rf"([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:{_SCALAR}|\[[ \t]*(?:{_SCALAR}[ \t]*,[ \t]*)*"
    rf"(?:{_SCALAR}[ \t]*)?\])"
)
# Matched against the line as it is (\s is what strip() removes). No two parts of the
# patterns here can match the same spaces: a line that fails costs time linear in its length.
_SIMPLE_LINE = re.compile(rf"\s*{_KEY_VALUE}\s*(?:#.*)?")
# Lines each blank, a comment, or such a key and value, each ending in a newline (in a text
# whose only line breaks are newlines).
_RUN = re.compile(rf"(?:[ \t]*(?:{_KEY_VALUE.replace('(', '(?:', 1)}[ \t]*(?:#.*)?|#.*)?\n)+")
_RUN_KEY = re.compile(r"^[ \t]*([A-Za-z0-9_-]+)", re.MULTILINE)
# The line breaks of str.splitlines other than the newline.
_OTHER_BREAKS = re.compile("[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


# One part of a dotted key, with the blanks around it: quoted (taken as written, without
# escapes) or bare.
_KEY_PART = re.compile(r"""[ \t]*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))[ \t]*""")


def _split_key(text: str) -> list[str] | None:
    """The parts of a (possibly dotted, possibly quoted) key, or None if it is not a key."""
    parts: list[str] = []
    i, n = 0, len(text)
    while i < n:
        part = _KEY_PART.match(text, i)
        if part is None:
            if text[i:].strip(" \t"):
                return None
            break  # only blanks are left
        parts.append(part.group(part.lastindex or 0))
        i = part.end()
        if i < n:
            if text[i] != ".":
                return None
            i += 1
    return parts or None


def _scan_value(line: str, start: int, depth: int) -> tuple[int, str | None]:
    """Bracket depth after reading `line[start:]`, and an unclosed multi-line string opener."""
    i, n = start, len(line)
    while i < n:
        ch = line[i]
        if ch == "#":
            break
        if ch in "\"'":
            i, opener = _past_string(line, i)
            if opener is not None:
                return depth, opener
            continue
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        i += 1
    return depth, None


def _past_string(line: str, i: int) -> tuple[int, str | None]:
    """Where the string that opens at `line[i]` ends (past its closing quote); and the opener
    of a multi-line string that the line leaves open."""
    quote = line[i : i + 3]
    if quote in ('"""', "'''"):
        end = line.find(quote, i + 3)
        return (i, quote) if end < 0 else (end + 3, None)
    if line[i] == "'":
        end = line.find("'", i + 1)
        return (len(line) if end < 0 else end + 1), None
    i += 1
    while i < len(line) and line[i] != '"':
        i += 2 if line[i] == "\\" else 1
    return i + 1, None


def _key_part(line: str) -> tuple[str, int] | None:
    """The key text before `=` on a line (outside strings), and where the value starts."""
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch in "\"'":
            end = line.find(ch, i + 1)
            if end < 0:
                return None
            i = end + 1
            continue
        if ch == "=":
            return line[:i], i + 1
        if ch == "#":
            return None
        i += 1
    return None


def locate_keys(text: str, tables: Collection[Path] | None = None) -> dict[Path, int]:
    """Map each key path found in the text to its 1-based line number.

    With `tables`, the keys of other tables may be left out: every table header is located,
    and every key of the tables named (a problem's key path needs those of the tables it
    lies in). Runs of lines that only hold keys with one-line values, blanks and comments
    are passed over by one pattern, and a multi-line string by one search, unless a key of
    theirs is wanted.
    """
    reader = _Reader(tables)
    if _OTHER_BREAKS.search(text) is not None:
        # Lines end where str.splitlines ends them; the runs below know only newlines.
        for number, raw in enumerate(text.splitlines(), start=1):
            reader.line(raw, number)
    else:
        _read(reader, text)
    return reader.lines


def _read(reader: _Reader, text: str) -> None:
    """Read a text whose only line breaks are newlines: runs of simple lines by one pattern,
    the rest of a multi-line string by one search, any other line by itself."""
    position, number, size = 0, 1, len(text)
    while position < size:
        if reader.in_string is not None:
            closing = text.find(reader.in_string, position)
            if closing < 0:
                return  # the string runs to the end: no key is left to find
            number += text.count("\n", position, closing)
            position = closing
        elif reader.depth == 0:
            run = _RUN.match(text, position)
            if run is not None:
                reader.keys(text, position, run.end(), number)
                number += text.count("\n", position, run.end())
                position = run.end()
                continue
        end = text.find("\n", position)
        if end < 0:
            end = size
        if reader.in_string is not None:
            reader.close_string(text[position:end])
        else:
            reader.line(text[position:end], number)
        position, number = end + 1, number + 1


class _Reader:
    """What the lines read so far say: the table they are in, and whether a multi-line
    string or bracket is open; and the lines of the keys found."""

    def __init__(self, tables: Collection[Path] | None) -> None:
        self.tables = tables
        self.lines: dict[Path, int] = {}
        self.counters: dict[Path, int] = {}
        self.table: Path = ()
        self.in_string: str | None = None
        self.depth = 0
        self.headers: dict[str, tuple[list[str] | None, bool] | None] = {}
        """Each table header written, read once: a module repeats a few thousands of times."""

    def keys(self, text: str, start: int, end: int, number: int) -> None:
        """The keys of a run of simple lines (text[start:end]), the first on line `number`,
        where they are wanted."""
        if self.tables is not None and self.table not in self.tables:
            return
        at = start
        for found in _RUN_KEY.finditer(text, start, end):
            number += text.count("\n", at, found.start())
            at = found.start()
            self.lines.setdefault(self.table + (found.group(1),), number)

    def close_string(self, line: str) -> None:
        """The line that closes the open multi-line string (it starts with the closing)."""
        assert self.in_string is not None
        tail = line[len(self.in_string) :]
        self.in_string = None
        self.depth, self.in_string = _scan_value(tail, 0, self.depth)

    def line(self, raw: str, number: int) -> None:
        """Read one line."""
        if self.in_string or self.depth > 0:
            self.inside_value(raw)
            return
        simple = _SIMPLE_LINE.fullmatch(raw)
        if simple is not None:
            if self.tables is None or self.table in self.tables:
                self.lines.setdefault(self.table + (simple.group(1),), number)
            return
        line = raw.strip()
        if not line or line.startswith("#"):
            return
        if line.startswith("[") and self.header(line, number):
            return
        self.key_line(line, number)

    def inside_value(self, raw: str) -> None:
        """A line inside a multi-line string or an array or inline table left open."""
        if not self.in_string:
            self.depth, self.in_string = _scan_value(raw.strip(), 0, self.depth)
            return
        line = raw.strip()
        if self.in_string in line:
            self.close_string(line[line.index(self.in_string) :])

    def header(self, line: str, number: int) -> bool:
        """Whether the line is a table header (a header that is no key changes nothing);
        from a header on, the lines are in its table."""
        if line not in self.headers:
            self.headers[line] = _header(line)
        header = self.headers[line]
        if header is None:
            return False
        parts, array = header
        if parts is None:
            return True
        self.table = _resolve(parts, array, self.counters)
        self.lines.setdefault(self.table, number)
        if array:  # the array itself starts at its first element
            self.lines.setdefault(self.table[:-1], number)
        return True

    def key_line(self, line: str, number: int) -> None:
        """A line holding a key that is not simple: dotted or quoted, or a value that goes on
        past the line."""
        found = _key_part(line)
        if found is None:
            return
        key_text, value_start = found
        key = _split_key(key_text)
        if key is None:
            return
        self.lines.setdefault(self.table + tuple(key), number)
        self.depth, self.in_string = _scan_value(line, value_start, 0)


def _header(line: str) -> tuple[list[str] | None, bool] | None:
    """The key parts of a table header line (None if they are not a key) and whether it is an
    array's (`[[...]]`); None if the line is no header."""
    header = _ARRAY_HEADER.match(line) or _TABLE_HEADER.match(line)
    if header is None:
        return None
    return _split_key(header.group(1)), line.startswith("[[")


def _resolve(parts: list[str], array: bool, counters: dict[Path, int]) -> Path:
    """The concrete path of a table header, with array indexes (`stages[2].decisions[0]`)."""
    path: Path = ()
    for position, part in enumerate(parts):
        prefix = path + (part,)
        last = position == len(parts) - 1
        if last and array:
            index = counters.get(prefix, -1) + 1
            counters[prefix] = index
            # The arrays nested in the new element start afresh: their paths hold its index,
            # and those of the elements before it are never looked up again.
            path = prefix + (index,)
        elif prefix in counters:
            path = prefix + (counters[prefix],)
        else:
            path = prefix
    return path


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of a key path, else of its nearest located ancestor, else None."""
    for end in range(len(path), 0, -1):
        found = lines.get(path[:end])
        if found is not None:
            return found
    return None


def format_path(path: Path) -> str:
    """`stages[3].decisions[0].options[1].findings[0]` for a key path."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += part if not out else f".{part}"
    return out

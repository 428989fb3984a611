"""Find the line of each key in a TOML text, for diagnostics.

The TOML parser gives positions only for syntax errors, so this second pass reads the
text line by line, follows the table headers (`[[stages]]`,
`[[stages.decisions]]`, ...) and records where each key path starts. A path
that cannot be found falls back to its nearest located ancestor; a line is
never invented.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_ARRAY_HEADER = re.compile(r"^\[\[\s*(.+?)\s*\]\]\s*(#.*)?$")
_TABLE_HEADER = re.compile(r"^\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
# A value that ends on its line and leaves no bracket open: a one-line string, a bare word
# (number, boolean, date), or an array of those on the line.
_SCALAR = r"""(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_:+.-]+)"""
# Most lines of a module: a bare key and such a value, perhaps with a comment after it. The
# key is found and the value read past without a loop over its characters (a large module
# has about 130,000 lines, and a narrative can be a thousand characters on one).
# Matched against the line as it is (\s is what strip() removes).
_SIMPLE_LINE = re.compile(
    rf"\s*([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:{_SCALAR}|\[[ \t]*(?:{_SCALAR}[ \t]*,[ \t]*)*"
    rf"(?:{_SCALAR}[ \t]*)?\])[ \t]*(?:#.*)?\s*"
)


def _split_key(text: str) -> list[str] | None:
    """The parts of a (possibly dotted, possibly quoted) key, or None if it is not a key."""
    parts: list[str] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t":
            i += 1
        if i >= n:
            break
        if text[i] in "\"'":
            quote = text[i]
            end = text.find(quote, i + 1)
            if end < 0:
                return None
            parts.append(text[i + 1 : end])
            i = end + 1
        else:
            match = _BARE.match(text, i)
            if not match:
                return None
            parts.append(match.group())
            i = match.end()
        while i < n and text[i] in " \t":
            i += 1
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
        if line.startswith('"""', i) or line.startswith("'''", i):
            quote = line[i : i + 3]
            end = line.find(quote, i + 3)
            if end < 0:
                return depth, quote
            i = end + 3
            continue
        if ch == '"':
            i += 1
            while i < n and line[i] != '"':
                i += 2 if line[i] == "\\" else 1
            i += 1
            continue
        if ch == "'":
            end = line.find("'", i + 1)
            i = n if end < 0 else end + 1
            continue
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        i += 1
    return depth, None


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


def locate_keys(text: str) -> dict[Path, int]:
    """Map each key path found in the text to its 1-based line number."""
    lines: dict[Path, int] = {}
    counters: dict[Path, int] = {}
    table: Path = ()
    in_string: str | None = None
    depth = 0
    headers: dict[str, tuple[list[str] | None, bool] | None] = {}
    """Each table header written, read once: a module repeats a few of them thousands of times."""
    for number, raw in enumerate(text.splitlines(), start=1):
        if in_string:
            line = raw.strip()
            if in_string in line:
                tail = line[line.index(in_string) + 3 :]
                in_string = None
                depth, in_string = _scan_value(tail, 0, depth)
            continue
        if depth > 0:
            depth, in_string = _scan_value(raw.strip(), 0, depth)
            continue
        simple = _SIMPLE_LINE.fullmatch(raw)
        if simple is not None:
            lines.setdefault(table + (simple.group(1),), number)
            continue
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            if line not in headers:
                headers[line] = _header(line)
            header = headers[line]
        else:
            header = None
        if header is not None:
            parts, array = header
            if parts is None:
                continue
            table = _resolve(parts, array, counters)
            lines.setdefault(table, number)
            if array:  # the array itself starts at its first element
                lines.setdefault(table[:-1], number)
            continue
        found = _key_part(line)
        if found is None:
            continue
        key_text, value_start = found
        parts = _split_key(key_text)
        if parts is None:
            continue
        path = table + tuple(parts)
        lines.setdefault(path, number)
        depth, in_string = _scan_value(line, value_start, 0)
    return lines


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

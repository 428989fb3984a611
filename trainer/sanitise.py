"""Text from files, made safe to show: no control character, escape sequence or invisible
format character reaches a terminal raw.

Anyone in a cohort can write a save or a module, and the facilitator's terminal reads what
is printed from them: an ESC starts a sequence that can set the window title or the
clipboard (OSC 0, OSC 52), a C1 character (U+009B) is a CSI on some terminals, a bidi
override (U+202E) reorders what follows, and zero-width characters hide text. `safe`
replaces each such character with a visible escape in Python's spelling (`\\x1b`,
`\\u202e`, `\\U000e0041`), leaving all other text as it is.

Escaped: the C0 controls (newline and tab kept only where a value may span lines), DEL,
the C1 controls, lone surrogates (a file name that is not UTF-8), and every format,
line-separator and paragraph-separator character (Unicode categories Cc, Cf, Cs, Zl, Zp):
the bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), the marks
LRM, RLM and ALM, zero-width spaces and joiners, the BOM, soft hyphens and tag characters.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, ParamSpec

if TYPE_CHECKING:
    from rich.text import Text

UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Control, format, surrogate, line and paragraph separator characters."""

_CANDIDATE = re.compile("[^\x20-\x7e\xa0-\xac\xae-\u05ff]")
"""Printable ASCII and Latin to Hebrew (less the soft hyphen) hold no unsafe character:
everything else is looked up, so characters a newer Unicode adds are judged by category."""

P = ParamSpec("P")


def unsafe(char: str) -> bool:
    """Whether a character is a control, format or separator character (see the module)."""
    return unicodedata.category(char) in UNSAFE_CATEGORIES


SHORT_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def escaped(char: str) -> str:
    """A character as Python would spell it in a string literal: `\\n`, `\\x1b`, `\\u202e`."""
    if char in SHORT_ESCAPES:
        return SHORT_ESCAPES[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _shown(char: str, newlines: bool) -> str:
    if newlines and char in "\n\t":
        return char
    return escaped(char) if unsafe(char) else char


def safe(text: str, *, newlines: bool = False) -> str:
    """`text` with every unsafe character replaced by its escape.

    Newlines and tabs are escaped too (a value shown on one line cannot break it, and a
    message stays one line), unless `newlines` is set for a value that may span lines.
    """
    return _CANDIDATE.sub(lambda match: _shown(match.group(), newlines), text)


def json_safe(document: str) -> str:
    """JSON text (as `json.dumps(..., ensure_ascii=False)` writes it) with every unsafe
    character inside its strings written as a JSON escape (`\\u001b`, `\\u202e`): the same
    data for a JSON reader, nothing raw for a terminal. Newlines between values are kept."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char == "\n" or not unsafe(char):
            return char
        code = ord(char)
        if code < 0x10000:
            return f"\\u{code:04x}"
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"

    return _CANDIDATE.sub(escape, document)


def warn(message: str) -> None:
    """`trainer: MESSAGE` on stderr, as one safe line."""
    print(f"trainer: {safe(message)}", file=sys.stderr)


def safe_text(text: Text) -> Text:
    """A Rich `Text` with every unsafe character escaped (newlines and tabs kept), its styles
    on the same characters as before. (Rich passes ESC, C1 and bidi controls through to
    the terminal, and so does Textual.)"""
    plain = text.plain
    if not any(_shown(m.group(), True) != m.group() for m in _CANDIDATE.finditer(plain)):
        return text
    from rich.text import Span

    pieces: list[str] = []
    where: list[int] = []  # where each old character starts in the new text
    length = 0
    for char in plain:
        where.append(length)
        piece = _shown(char, True)
        pieces.append(piece)
        length += len(piece)
    where.append(length)
    out = text.blank_copy("".join(pieces))
    end = len(plain)
    out.spans = [
        Span(where[min(span.start, end)], where[min(span.end, end)], span.style)
        for span in text.spans
    ]
    return out


def safe_output(function: Callable[P, Text]) -> Callable[P, Text]:
    """A function that builds Rich `Text` from module or save text, made to return it safe."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Text:
        return safe_text(function(*args, **kwargs))

    return wrapper

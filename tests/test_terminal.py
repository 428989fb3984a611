"""trainer.sanitise: text from files shown safely, in plain lines, JSON and the app's Rich Text."""

from __future__ import annotations

import io
import json
import sys
import unicodedata

import pytest
from rich.console import Console
from rich.text import Text

from tests.cohort.conftest import ATTACK, TUTORIAL
from tests.records import replace
from trainer.content import load_module
from trainer.sanitise import json_safe, safe, safe_output, safe_text, warn

UNSAFE = {"Cc", "Cf", "Cs", "Zl", "Zp"}
EVERY_CHARACTER = "".join(map(chr, range(sys.maxunicode + 1)))


def unsafe_in(text: str, allowed: str = "") -> set[str]:
    return {c for c in text if c not in allowed and unicodedata.category(c) in UNSAFE}


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),  # OSC 0: the window title
        ("\x1b]52;c;aGk=\x07", "\\x1b]52;c;aGk=\\x07"),  # OSC 52: the clipboard
        ("\x1b[2J", "\\x1b[2J"),
        ("\x9b31m", "\\x9b31m"),  # C1 CSI
        ("a\x00b\x7fc", "a\\x00b\\x7fc"),
        ("\u202eevil\u202c", "\\u202eevil\\u202c"),
        ("\u2066x\u2069", "\\u2066x\\u2069"),
        ("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c"),  # LRM, RLM, ALM
        ("zero\u200bwidth\u200d\ufeff\u00ad", "zero\\u200bwidth\\u200d\\ufeff\\xad"),
        ("line\u2028para\u2029", "line\\u2028para\\u2029"),
        ("tag\U000e0041", "tag\\U000e0041"),
        ("not utf-8 \udcff", "not utf-8 \\udcff"),  # a file name decoded with surrogateescape
        ("one\ntwo\tthree\rfour", "one\\ntwo\\tthree\\rfour"),
    ],
)
def test_safe_shows_each_unsafe_character_as_its_escape(raw, shown):
    assert safe(raw) == shown


def test_safe_leaves_ordinary_text_alone():
    for text in (
        "Zoë O'Brien",
        "Łódź",
        "日本語",
        "مرحبا",
        "שלום",
        "👩🏽",
        "<b>&amp;",
        "C:\\Users\\x",
    ):
        assert safe(text) == text


def test_newlines_and_tabs_are_kept_only_when_asked():
    assert safe("a\nb\tc\r\x1b", newlines=True) == "a\nb\tc\\r\\x1b"


def test_nothing_unsafe_is_left_anywhere_in_unicode():
    shown = safe(EVERY_CHARACTER)
    assert not unsafe_in(shown)
    assert safe(shown) == shown  # escapes are plain ASCII: showing again changes nothing
    assert not unsafe_in(safe(EVERY_CHARACTER, newlines=True), allowed="\n\t")


def test_json_safe_writes_json_escapes_that_read_back_the_same():
    # A high surrogate before a low one reads back as one character, as with any JSON escape;
    # a name that is not UTF-8 decodes to low surrogates alone.
    every = "".join(c for c in EVERY_CHARACTER if not "\ud800" <= c <= "\udbff")
    value = {"every": every, "attack": ATTACK}
    document = json_safe(json.dumps(value, ensure_ascii=False, indent=2))
    assert not unsafe_in(document, allowed="\n")
    assert json.loads(document) == value
    assert "\\u001b]0;pwned\\u0007" in document and "\\udb40\\udc41" in document


def test_warn_prints_one_safe_line(capsys):
    warn("skipped \x1b]0;pwned\x07.toml\nsecond")
    assert capsys.readouterr().err == "trainer: skipped \\x1b]0;pwned\\x07.toml\\nsecond\n"


def test_safe_text_keeps_each_style_on_its_characters():
    text = Text("a", style="dim")
    text.append("\x1b]0;t\x00", style="bold")
    text.append("b\u202ec\n", style="red")
    shown = safe_text(text)
    assert shown.plain == "a\\x1b]0;t\\x00b\\u202ec\n" and shown.style == "dim"
    assert [(shown.plain[s.start : s.end], s.style) for s in shown.spans] == [
        ("\\x1b]0;t\\x00", "bold"),
        ("b\\u202ec\n", "red"),
    ]
    clean = Text("nothing to do")
    assert safe_text(clean) is clean


def test_safe_output_makes_a_builders_text_safe():
    @safe_output
    def build(value: str) -> Text:
        return Text(value, style="bold")

    # Rich itself drops BEL, backspace, CR, VT and FF; the rest are shown as escapes.
    assert build(ATTACK).plain == safe(ATTACK.replace("\x07", ""), newlines=True)
    assert build.__name__ == "build"


# -- the app's text -------------------------------------------------------------------------


def hostile_module():
    """The tutorial with hostile text in a stage title, options, the glossary and the support
    text, as a module built in memory (the validator refuses control characters in files)."""
    module = load_module(TUTORIAL)
    stage = module.stages[0]
    decision = stage.decisions[0]
    options = tuple(replace(o, text=f"{o.text} {ATTACK}") for o in decision.options)
    decision = replace(decision, options=options)
    stage = replace(
        stage, title=f"Title {ATTACK}", decisions=(decision, *stage.decisions[1:])
    )
    glossary = tuple(
        replace(e, term=f"{e.term} {ATTACK}", definition=ATTACK)
        for e in module.glossary
    )
    return replace(
        module,
        stages=(stage, *module.stages[1:]),
        glossary=glossary,
        support=f"Support {ATTACK}",
    )


def test_the_apps_text_builders_show_module_and_save_text_escaped():
    from trainer.tui import render

    module = hostile_module()
    stage = module.stages[0]
    decision = stage.decisions[0]
    from trainer.engine import Draft
    from trainer.tui.widgets.steps import AnswerSoFar

    def plain(renderable) -> str:
        """A renderable's text (the help's key table, the answer's box), as drawn."""
        console = Console(width=400, record=True, file=io.StringIO())
        console.print(renderable)
        return console.export_text()

    written = replace(decision, kind="text")
    built = [
        render.heading(ATTACK).plain,
        render.verdict_text(ATTACK).plain,
        render.stage_header(module, stage).plain,
        render.glossary_text(module).plain,
        plain(render.help_text(module)),
        plain(AnswerSoFar(decision, Draft(decision.id, choice=(decision.options[0].id,))).content),
        plain(AnswerSoFar(written, Draft(decision.id, text=ATTACK)).content),
    ]
    for text in built:
        assert not unsafe_in(text, allowed="\n\t"), text
        assert "\\x1b]0;pwned " in text and "\\x9b31m\\x85" in text

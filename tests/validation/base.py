"""A small valid module as text, and helpers to break it one rule at a time."""

BASE = """format = 1
id = "base"
title = "Base"
version = "1"
summary = "A module for validator tests."

[[sources]]
id = "src"
title = "A source"

[[findings]]
id = "f1"
text = "A finding."
source = "src"
quote = "a quote"
locator = "para 1"

[[glossary]]
term = "referral"
definition = "A request for help."

[[stages]]
id = "s1"
title = "One"
narrative = "A referral arrives."
outcome = "It was handled."
outcome_findings = ["f1"]

[[stages.decisions]]
id = "d1"
prompt = "What now?"
kind = "single"

[[stages.decisions.options]]
id = "a"
text = "Act"
verdict = "aligned"
feedback = "Yes."
findings = ["f1"]

[[stages.decisions.options]]
id = "b"
text = "Wait"
verdict = "contrary"
feedback = "No."
findings = ["f1"]

[[stages]]
id = "s2"
title = "Two"
narrative = "Later."

[[stages.decisions]]
id = "d2"
prompt = "Write."
kind = "text"

[[stages.decisions.rubric]]
id = "c1"
label = "Child"
any = ["child*"]
finding = "f1"
"""


def line_with(text: str, fragment: str, occurrence: int = 1) -> int:
    """The 1-based line number of the n-th line containing `fragment`."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{fragment!r} not in text")


def swap(old: str, new: str, text: str = BASE, count: int = 1) -> str:
    """BASE with one fragment replaced (it must be there)."""
    assert old in text, old
    return text.replace(old, new, count)

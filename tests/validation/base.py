"""Small valid modules as text (formats 1 and 2), and helpers to break them one rule at a time."""

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

BASE2 = """format = 2
id = "base2"
title = "Base two"
version = "1"
summary = "A format 2 module for validator tests."

[[sources]]
id = "src"
kind = "review"
title = "A source"

[[findings]]
id = "f1"
text = "A finding."
source = "src"
voice = "review"
quote = "a quote"
locator = "para 1"
reveals = "2020-01"

[[findings]]
id = "f2"
text = "A later finding."
source = "src"
voice = "comment"
said_by = "a charity"
reveals = "2020-03-15"

[[stages]]
id = "s1"
title = "One"
date = "2020-01-10"
date_label = "January 2020"
narrative = "A referral arrives."
outcome = "It was handled."
outcome_findings = ["f2"]

[[stages.decisions]]
id = "d1"
prompt = "What now?"
kind = "single"

[[stages.decisions.options]]
id = "a"
text = "Visit"
verdict = "aligned"
feedback = "Yes."
findings = ["f1"]
happened = true

[[stages.decisions.options]]
id = "b"
text = "Wait a week"
verdict = "contrary"
feedback = "No."
findings = ["f1"]

[[stages.decisions]]
id = "d2"
prompt = "Order these."
kind = "rank"

[[stages.decisions.options]]
id = "r1"
text = "See"
rank = 1
feedback = "First."
findings = ["f1"]

[[stages.decisions.options]]
id = "r2"
text = "Check"
rank = 2
feedback = "Second."

[[stages.decisions.options]]
id = "r3"
text = "Write"
rank = 3
feedback = "Third."

[[stages]]
id = "s2"
title = "Two"
date = "2020-04"
narrative = "Later."

[[stages.decisions]]
id = "d3"
prompt = "Write."
kind = "text"

[[stages.decisions.rubric]]
id = "c1"
label = "Child"
any = ["child*"]
finding = "f2"
"""
"""A small strict-clean format 2 module: kinds, voices, dates, happened, a rank decision."""


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

"""Small valid modules as text (formats 1, 2 and 3), and helpers to break them one rule at a time."""

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

CASE_FILE = """
[[chronology]]
id = "birth"
date = "2019-06"
agency = "hospital"
event = "Baby born at full term."
from_stage = "s1"

[[chronology]]
id = "call"
date = "2020-01-09"
date_label = "9 January"
agency = "health visiting"
event = "Health visitor rings about a bruise."
from_stage = "s1"
source = "src"
key = true

[[chronology]]
id = "visit"
date = "2020-03"
agency = "children's social care"
event = "Home visit: a man leaves as the social worker arrives."
from_stage = "s2"

[[people]]
id = "mother"
label = "Ms A: the mother"
sex = "female"
household = true
from_stage = "s1"

[[people]]
id = "baby"
label = "B: the baby"
sex = "male"
born = 2019
child = true
household = true
from_stage = "s1"

[[people]]
id = "man"
label = "A man: his coat in the hall; name not known"
sex = "male"
identified = false
from_stage = "s1"

[[people]]
id = "man"
label = "Mr C: Ms A's partner; stays most nights"
sex = "male"
household = true
from_stage = "s2"

[[relations]]
from = "mother"
to = "baby"
kind = "parent"
from_stage = "s1"

[[relations]]
from = "mother"
to = "man"
kind = "friend"
from_stage = "s1"

[[relations]]
from = "mother"
to = "man"
kind = "partner"
note = "since the summer"
from_stage = "s2"

[[documents]]
id = "referral"
title = "Health visitor's referral"
kind = "referral"
agency = "health visiting"
date = "2020-01-09"
text = "Bruise on the cheek, about 1 cm."
from_stage = "s1"
key = true
source = "src"
reconstructed = true
"""
"""The case file of BASE3: a chronology, people (one stated again), relations (one stated
again) and a document."""

BASE3 = (
    BASE2.replace("format = 2", "format = 3", 1).replace('id = "base2"', 'id = "base3"', 1)
    + CASE_FILE
)
"""A small strict-clean format 3 module: BASE2 with a case file."""


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

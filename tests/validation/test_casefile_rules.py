"""Format 3, the case file: one test per validation rule, each with its code, line and key path."""

from __future__ import annotations

import pytest

from tests.validation.base import BASE, BASE2, BASE3, CASE_FILE, line_with
from trainer.content import validate_text


def swap3(old: str, new: str, text: str = BASE3, count: int = 1) -> str:
    """BASE3 with one fragment of its case file replaced (it must be there)."""
    head, tail = text[: text.index("[[chronology]]")], text[text.index("[[chronology]]") :]
    assert old in tail, old
    return head + tail.replace(old, new, count)


def problems(text: str):
    return validate_text(text, "m.toml").problems


def found(text: str, code: str, key: str):
    report = validate_text(text, "m.toml")
    hits = [p for p in report.problems if p.code == code and p.key == key]
    assert hits, report.lines()
    return hits[0], report


MAN_AT_S1 = 'identified = false\nfrom_stage = "s1"'
FRIEND = 'to = "man"\nkind = "friend"\nfrom_stage = "s1"'
BIRTH = 'event = "Baby born at full term."\nfrom_stage = "s1"'
REFERRAL = 'title = "Health visitor\'s referral"\nkind = "referral"'


def test_the_format_3_base_module_is_strict_clean_and_builds_its_case_file():
    report = validate_text(BASE3, "m.toml")
    assert report.problems == [], report.lines()
    module = report.module
    assert module.format == 3
    assert [c.id for c in module.chronology] == ["birth", "call", "visit"]
    assert [p.id for p in module.people] == ["mother", "baby", "man", "man"]
    assert [(r.from_person, r.to_person, r.kind) for r in module.relations] == [
        ("mother", "baby", "parent"),
        ("mother", "man", "friend"),
        ("mother", "man", "partner"),
    ]
    (document,) = module.documents
    assert document.reconstructed and document.key and document.source == "src"
    assert module.people[2].identified is False and module.people[3].identified is True


@pytest.mark.parametrize(("base", "format"), [(BASE2, 2), (BASE, 1)], ids=["format 2", "format 1"])
def test_the_case_file_in_an_older_format_is_one_error_naming_format_3(base, format):
    text = base + CASE_FILE
    report = validate_text(text, "m.toml")
    assert [p.code for p in report.problems] == ["E103"], report.lines()
    (problem,) = report.problems
    assert problem.key == "chronology"
    assert problem.message == (
        "the case file (chronology, people, relations, documents) needs format = 3; "
        f"this file says format = {format}"
    )
    assert "unknown key" not in problem.message
    assert problem.line == line_with(text, "[[chronology]]")


# (name, broken text, code, line fragment (a missing key: the line below its header), key
# path, words in the message)
CASES = [
    (
        "unknown from_stage in the chronology",
        swap3(BIRTH, 'event = "Baby born at full term."\nfrom_stage = "s-1"'),
        "E207",
        'from_stage = "s-1"',
        "chronology[0].from_stage",
        "unknown stage 's-1'; did you mean 's1'?",
    ),
    (
        "unknown from_stage of a person",
        swap3('household = true\nfrom_stage = "s1"', 'household = true\nfrom_stage = "s3"'),
        "E207",
        'from_stage = "s3"',
        "people[0].from_stage",
        "known: s1, s2",
    ),
    (
        "unknown from_stage of a relation",
        swap3(FRIEND, FRIEND.replace('"s1"', '"later"')),
        "E207",
        'from_stage = "later"',
        "relations[1].from_stage",
        "unknown stage 'later'",
    ),
    (
        "unknown from_stage of a document",
        swap3(
            'about 1 cm."\nfrom_stage = "s1"',
            'about 1 cm."\nfrom_stage = "s01"',
        ),
        "E207",
        'from_stage = "s01"',
        "documents[0].from_stage",
        "did you mean 's1'?",
    ),
    (
        "unknown person in a relation",
        swap3('to = "baby"', 'to = "bab"'),
        "E208",
        'to = "bab"',
        "relations[0].to",
        "unknown person 'bab'; did you mean 'baby'?",
    ),
    (
        "a relation of a person to themselves",
        swap3('to = "baby"', 'to = "mother"'),
        "E313",
        'to = "mother"',
        "relations[0].to",
        "from and to are both 'mother'",
    ),
    (
        "duplicate chronology id",
        swap3('id = "visit"', 'id = "birth"'),
        "E202",
        ('id = "birth"', 2),
        "chronology[2].id",
        "duplicate chronology id 'birth'",
    ),
    (
        "duplicate document id",
        BASE3
        + '\n[[documents]]\nid = "referral"\ntitle = "Again"\ntext = "T."\nfrom_stage = "s2"\n',
        "E202",
        ('id = "referral"', 2),
        "documents[1].id",
        "duplicate document id 'referral'",
    ),
    (
        "a person stated again at the same stage",
        swap3('household = true\nfrom_stage = "s2"', 'household = true\nfrom_stage = "s1"'),
        "E202",
        ('id = "man"', 2),
        "people[3].id",
        "duplicate person id 'man': a person is stated again only at a later stage",
    ),
    (
        "a person stated again at an earlier stage",
        swap3(
            'household = true\nfrom_stage = "s2"',
            'household = true\nfrom_stage = "s1"',
            swap3(MAN_AT_S1, 'identified = false\nfrom_stage = "s2"'),
        ),
        "E202",
        ('id = "man"', 2),
        "people[3].id",
        "(stated at stage 's2', here at 's1')",
    ),
    (
        "a relation stated again at the same stage",
        swap3(
            'note = "since the summer"\nfrom_stage = "s2"',
            'note = "since the summer"\nfrom_stage = "s1"',
        ),
        "E202",
        ("[[relations]]", 3),
        "relations[2]",
        "duplicate relation between 'mother' and 'man': two people have one relation at a time",
    ),
    (
        "a sex the format does not know",
        swap3('sex = "female"', 'sex = "femail"'),
        "E106",
        'sex = "femail"',
        "people[0].sex",
        "sex 'femail' is not one of female, male, unknown; did you mean 'female'?",
    ),
    (
        "a relation kind the format does not know",
        swap3('kind = "partner"', 'kind = "partners"'),
        "E106",
        'kind = "partners"',
        "relations[2].kind",
        "did you mean 'partner'?",
    ),
    (
        "a document kind the format does not know",
        swap3('kind = "referral"', 'kind = "form"'),
        "E106",
        'kind = "form"',
        "documents[0].kind",
        "kind 'form' is not one of referral, record, minutes, report, letter, plan, assessment, other",
    ),
    (
        "a year of birth that is no year",
        swap3("born = 2019", "born = 20190"),
        "E106",
        "born = 20190",
        "people[1].born",
        "born 20190 is not a year from 1850 to 2100",
    ),
    (
        "a chronology date that is not ISO",
        swap3('date = "2019-06"', 'date = "June 2019"'),
        "E107",
        'date = "June 2019"',
        "chronology[0].date",
        "'June 2019' is not an ISO date",
    ),
    (
        "a document date that is not a real day",
        swap3('date = "2020-01-09"\ntext', 'date = "2020-01-32"\ntext'),
        "E107",
        'date = "2020-01-32"',
        "documents[0].date",
        "is not an ISO date",
    ),
    (
        "a chronology entry without its agency",
        swap3('agency = "hospital"\n', ""),
        "E101",
        None,
        "chronology[0].agency",
        "missing required key 'agency'",
    ),
    (
        "a person without a label",
        swap3('label = "Ms A: the mother"\n', ""),
        "E101",
        None,
        "people[0].label",
        "missing required key 'label'",
    ),
    (
        "a relation without its stage",
        swap3('kind = "parent"\nfrom_stage = "s1"\n', 'kind = "parent"\n'),
        "E101",
        None,
        "relations[0].from_stage",
        "missing required key 'from_stage'",
    ),
    (
        "a reconstructed document without its source",
        swap3('source = "src"\nreconstructed = true', "reconstructed = true"),
        "E101",
        None,
        "documents[0].source",
        "a reconstructed document says which source it is written from",
    ),
    (
        "an unknown source in the chronology",
        swap3('source = "src"\nkey = true', 'source = "sorce"\nkey = true'),
        "E203",
        'source = "sorce"',
        "chronology[1].source",
        "unknown source 'sorce'; did you mean 'src'?",
    ),
    (
        "a chronology entry dated after its stage",
        swap3('date = "2020-01-09"\ndate_label', 'date = "2020-02"\ndate_label'),
        "E311",
        'date = "2020-02"',
        "chronology[1].date",
        "dated 2020-02, after stage 's1' (2020-01-10) where it enters the case file",
    ),
    (
        "a document dated after its stage",
        swap3('date = "2020-01-09"\ntext', 'date = "2020-01-11"\ntext'),
        "E311",
        'date = "2020-01-11"',
        "documents[0].date",
        "give it a later from_stage",
    ),
    (
        "a relation entering before a person it names",
        swap3(FRIEND, 'to = "uncle"\nkind = "friend"\nfrom_stage = "s1"')
        + '\n[[people]]\nid = "uncle"\nlabel = "Mr D"\nfrom_stage = "s2"\n',
        "E312",
        'to = "uncle"',
        "relations[1].to",
        "person 'uncle' enters the case file later (stated from stage 's2') than this relation (stage 's1')",
    ),
]


@pytest.mark.parametrize(
    ("text", "code", "fragment", "key", "words"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_case_file_rule(text, code, fragment, key, words):
    problem, report = found(text, code, key)
    assert problem.severity == "error"
    assert words in problem.message, problem.message
    if fragment is None:
        # A missing key is reported on the header of the table that should hold it.
        table = key.rsplit(".", 1)[0]
        kind, index = table.rstrip("]").split("[")
        headers = [n for n, row in enumerate(text.splitlines(), 1) if row == f"[[{kind}]]"]
        assert problem.line == headers[int(index)]
    else:
        fragment, nth = fragment if isinstance(fragment, tuple) else (fragment, 1)
        assert problem.line == line_with(text, fragment, occurrence=nth)
    assert report.module is None


def test_a_date_within_its_stage_month_is_not_after_it():
    # Dates compare at the coarser precision: 2020-01 is not after 2020-01-10.
    text = swap3('date = "2020-01-09"\ndate_label', 'date = "2020-01"\ndate_label')
    assert validate_text(text, "m.toml").problems == []


def test_an_entry_at_an_undated_stage_is_not_compared():
    # A stage without decisions need not be dated; its entries cannot be too late.
    text = BASE3.replace('date = "2020-04"\n', "", 1).replace(
        '[[stages.decisions]]\nid = "d3"', '[[stages.decisions]]\nid = "d3"', 1
    )
    text = (
        text[: text.index('[[stages.decisions]]\nid = "d3"')]
        + text[text.index("\n[[chronology]]") :]
    )
    text = swap3('date = "2020-03"', 'date = "2031"', text)
    report = validate_text(text, "m.toml")
    assert report.problems == [], report.lines()
    assert report.module.stages[1].date is None and report.module.chronology[2].date == "2031"


# -- E312 on paths that branch ------------------------------------------------------

BRANCHING = """format = 3
id = "branching"
title = "Branching"
version = "1"
summary = "Two paths meet again."

[[stages]]
id = "start"
title = "Start"
date = "2020-01"
narrative = "N."

[[stages.decisions]]
id = "which"
prompt = "P?"
kind = "single"
scored = false

[[stages.decisions.options]]
id = "a"
text = "A"
feedback = "F."
next = "left"

[[stages.decisions.options]]
id = "b"
text = "B"
feedback = "F."
next = "right"

[[stages]]
id = "left"
title = "Left"
date = "2020-02"
narrative = "N."
next = "meet"

[[stages]]
id = "right"
title = "Right"
date = "2020-02"
narrative = "N."

[[stages]]
id = "meet"
title = "Meet"
date = "2020-03"
narrative = "N."

[[people]]
id = "mother"
label = "Ms A"
from_stage = "start"

[[people]]
id = "man"
label = "A man"
from_stage = "left"

[[relations]]
from = "mother"
to = "man"
kind = "friend"
from_stage = "meet"
"""


def test_a_person_from_one_branch_is_not_known_where_the_paths_meet():
    problem, report = found(BRANCHING, "E312", "relations[0].to")
    assert problem.message == (
        "person 'man' is not in the case file on every path to stage 'meet' (stated from "
        "stage 'left', which a path can skip): a relation enters no earlier than its "
        "people, on every path"
    )
    assert problem.line == line_with(BRANCHING, 'to = "man"')
    assert [p.code for p in report.problems] == ["E312"]


def test_a_person_stated_on_each_branch_is_known_where_the_paths_meet():
    text = BRANCHING + '\n[[people]]\nid = "man"\nlabel = "A man, again"\nfrom_stage = "right"\n'
    assert validate_text(text, "m.toml").problems == []


def test_a_person_stated_where_the_relation_enters_is_known_there():
    text = BRANCHING + '\n[[people]]\nid = "man"\nlabel = "Mr B"\nfrom_stage = "meet"\n'
    assert validate_text(text, "m.toml").problems == []


def test_a_relation_at_a_stage_no_path_reaches_is_left_to_w403():
    text = BRANCHING.replace('next = "meet"', 'next = "end"').replace(
        'title = "Right"', 'title = "Right"\nnext = "end"'
    )
    assert [p.code for p in problems(text)] == ["W403"]


def test_known_on_every_path_is_linear_in_the_stages():
    # 2,000 stages, each branching two ways (2**1000 paths), people stated on alternate
    # stages, and a relation at the last stage naming each of them.
    import time

    stages, people, relations = [], [], []
    count = 2000
    for n in range(count):
        following = f"s{n + 2}" if n + 2 < count else "end"
        stages.append(
            f'[[stages]]\nid = "s{n}"\ntitle = "T"\ndate = "2020"\nnarrative = "N"\n'
            f'[[stages.decisions]]\nid = "d{n}"\nprompt = "P"\nkind = "single"\nscored = false\n'
            f'[[stages.decisions.options]]\nid = "a"\ntext = "A"\nfeedback = "F"\n'
            f'[[stages.decisions.options]]\nid = "b"\ntext = "B"\nfeedback = "F"\nnext = "{following}"\n'
        )
        if n % 2 == 0 and n < 400:
            people.append(f'[[people]]\nid = "p{n}"\nlabel = "P"\nfrom_stage = "s{n}"\n')
            relations.append(
                f'[[relations]]\nfrom = "p0"\nto = "p{n}"\nkind = "sibling"\nfrom_stage = "s{count - 1}"\n'
            )
    head = 'format = 3\nid = "big"\ntitle = "Big"\nversion = "1"\nsummary = "S"\n'
    relations = relations[1:]  # p0 and itself
    text = head + "\n".join(stages + people + relations)
    started = time.perf_counter()
    report = validate_text(text, "big.toml")
    assert time.perf_counter() - started < 10
    # Every other stage can be skipped: only p0 (the first stage) is on every path.
    assert {p.code for p in report.problems} == {"E312"}
    assert len(report.problems) == 199


# -- hindsight --------------------------------------------------------------------

# (name, text, line fragment, key path, words in the message)
HINDSIGHT = [
    (
        "a chronology entry telling of a later event",
        swap3(
            BIRTH, 'event = "Baby born at full term; seen again in March 2020."\nfrom_stage = "s1"'
        ),
        "seen again in March 2020",
        "chronology[0].event",
        "hindsight: mentions 'March 2020', later than stage 's1' (2020-01-10) where it enters the case file",
    ),
    (
        "a person's label telling of a later event",
        swap3(
            'label = "Mr C: Ms A\'s partner; stays most nights"',
            'label = "Mr C: Ms A\'s partner; convicted in 2021"',
        ),
        "convicted in 2021",
        "people[3].label",
        "mentions '2021', later than stage 's2' (2020-04)",
    ),
    (
        "a relation's note telling of a later event",
        swap3('note = "since the summer"', 'note = "until 12 May 2020"'),
        "until 12 May 2020",
        "relations[2].note",
        "mentions '12 May 2020', later than stage 's2' (2020-04)",
    ),
    (
        "a document telling of a later event",
        swap3(
            'text = "Bruise on the cheek, about 1 cm."',
            'text = "Bruise on the cheek (see the 2020-02-01 medical)."',
        ),
        "see the 2020-02-01 medical",
        "documents[0].text",
        "mentions '2020-02-01'",
    ),
]


@pytest.mark.parametrize(
    ("text", "fragment", "key", "words"),
    [case[1:] for case in HINDSIGHT],
    ids=[case[0] for case in HINDSIGHT],
)
def test_case_file_hindsight(text, fragment, key, words):
    problem, report = found(text, "W407", key)
    assert problem.severity == "warning" and words in problem.message, problem.message
    assert problem.line == line_with(text, fragment)
    assert report.errors == 0 and report.module is not None


@pytest.mark.parametrize(
    "event",
    [
        "Seen in January 2020, and in 2019.",  # the stage's own month, and earlier
        "Paid £2020 in rent; reference 2020/77.",  # an amount and a reference, not years
        "Bruise on 9 Jan 2020.",  # before the stage's day
    ],
)
def test_dates_no_later_than_the_stage_are_no_hindsight(event):
    text = swap3(BIRTH, f'event = "{event}"\nfrom_stage = "s1"')
    assert validate_text(text, "m.toml").problems == []


def test_a_source_named_only_in_the_case_file_is_referenced():
    text = BASE3.replace(
        "[[findings]]",
        '[[sources]]\nid = "record"\nkind = "inquiry"\ntitle = "Records"\n\n[[findings]]',
        1,
    )
    assert [p.code for p in problems(text)] == ["W402"]
    assert (
        problems(swap3('source = "src"\nreconstructed', 'source = "record"\nreconstructed', text))
        == []
    )

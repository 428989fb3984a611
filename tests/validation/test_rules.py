"""One test per validation rule: the code, the line and the key path of each problem."""

from __future__ import annotations

import pytest

from tests.validation.base import BASE, line_with, swap
from trainer.content import validate_text


def problems(text: str):
    return validate_text(text, "m.toml").problems


def find(text: str, code: str):
    found = [p for p in problems(text) if p.code == code]
    assert found, f"no {code} in {[p.format('m.toml') for p in problems(text)]}"
    return found


def test_the_base_module_is_clean():
    report = validate_text(BASE, "m.toml")
    assert report.problems == []
    assert report.module is not None and report.module.decision_count == 2


# (name, broken text, code, line fragment, key path, words in the message)
CASES = [
    (
        "syntax",
        swap('title = "Base"', 'title = "Base'),
        "E001",
        'title = "Base',
        "",
        "TOML syntax error at column",
    ),
    (
        "unsupported format",
        swap("format = 1", "format = 2"),
        "E010",
        "format = 2",
        "format",
        "not supported",
    ),
    (
        "missing top-level key",
        swap('summary = "A module for validator tests."\n', ""),
        "E101",
        None,
        "summary",
        "missing required key 'summary'",
    ),
    (
        "missing key in a table",
        swap('prompt = "What now?"\n', ""),
        "E101",
        "[[stages.decisions]]",
        "stages[0].decisions[0].prompt",
        "missing",
    ),
    (
        "wrong type",
        swap('version = "1"', "version = 1"),
        "E102",
        "version = 1",
        "version",
        "should be text, not a whole number",
    ),
    (
        "wrong type in a list",
        swap('outcome_findings = ["f1"]', 'outcome_findings = ["f1", 3]'),
        "E102",
        "outcome_findings",
        "stages[0].outcome_findings[1]",
        "should be text",
    ),
    (
        "a table where a list is due",
        swap("[[glossary]]", "[glossary]"),
        "E102",
        "[glossary]",
        "glossary",
        "array of tables",
    ),
    (
        "boolean type",
        swap('kind = "single"', 'kind = "single"\nscored = "yes"'),
        "E102",
        'scored = "yes"',
        "stages[0].decisions[0].scored",
        "true or false",
    ),
    (
        "unknown key with a suggestion",
        swap('narrative = "Later."', 'narative = "Later."'),
        "E103",
        "narative",
        "stages[1].narative",
        "did you mean 'narrative'",
    ),
    (
        "empty required text",
        swap('title = "One"', 'title = "  "'),
        "E104",
        'title = "  "',
        "stages[0].title",
        "empty",
    ),
    (
        "control character",
        swap('narrative = "Later."', 'narrative = "Later.\\u001b[31m"'),
        "E105",
        "Later.",
        "stages[1].narrative",
        "U+001B",
    ),
    (
        "bidi control character",
        swap('text = "Act"', 'text = "A\\u202ect"'),
        "E105",
        "A\\u202ect",
        "stages[0].decisions[0].options[0].text",
        "U+202E",
    ),
    (
        "bad language tag",
        swap('version = "1"', 'version = "1"\nlanguage = "english please"'),
        "E106",
        "language",
        "language",
        "BCP 47",
    ),
    (
        "bad kind",
        swap('kind = "single"', 'kind = "singel"'),
        "E106",
        "singel",
        "stages[0].decisions[0].kind",
        "did you mean 'single'",
    ),
    (
        "bad verdict",
        swap('verdict = "contrary"', 'verdict = "wrong"'),
        "E106",
        '"wrong"',
        "stages[0].decisions[0].options[1].verdict",
        "aligned, partial, contrary",
    ),
    (
        "estimated minutes",
        swap('version = "1"', 'version = "1"\nestimated_minutes = 0'),
        "E106",
        "estimated_minutes",
        "estimated_minutes",
        "positive",
    ),
    (
        "bad id",
        swap('id = "s2"', 'id = "Stage Two"'),
        "E201",
        "Stage Two",
        "stages[1].id",
        "bad id",
    ),
    (
        "duplicate stage id",
        swap('id = "s2"', 'id = "s1"'),
        "E202",
        ('id = "s1"', 2),
        "stages[1].id",
        "duplicate stage id",
    ),
    (
        "duplicate decision id",
        swap('id = "d2"', 'id = "d1"'),
        "E202",
        ('id = "d1"', 2),
        "stages[1].decisions[0].id",
        "duplicate decision id",
    ),
    (
        "duplicate option id",
        swap('id = "b"', 'id = "a"'),
        "E202",
        ('id = "a"', 2),
        "stages[0].decisions[0].options[1].id",
        "duplicate option id",
    ),
    (
        "duplicate glossary term",
        BASE + '\n[[glossary]]\nterm = "Referral"\ndefinition = "Again."\n',
        "E202",
        'term = "Referral"',
        "glossary[1].term",
        "duplicate glossary term",
    ),
    (
        "unknown source",
        swap('source = "src"', 'source = "scr"'),
        "E203",
        'source = "scr"',
        "findings[0].source",
        "unknown source 'scr'",
    ),
    (
        "unknown finding in an option",
        swap('"Yes."\nfindings = ["f1"]', '"Yes."\nfindings = ["foster-care"]'),
        "E204",
        "foster-care",
        "stages[0].decisions[0].options[0].findings[0]",
        'unknown finding "foster-care"'.replace('"', "'"),
    ),
    (
        "unknown finding in a rubric",
        swap('finding = "f1"', 'finding = "f11"'),
        "E204",
        'finding = "f11"',
        "stages[1].decisions[0].rubric[0].finding",
        "did you mean 'f1'",
    ),
    (
        "unknown next",
        swap('narrative = "A referral arrives."', 'narrative = "A referral arrives."\nnext = "s3"'),
        "E205",
        'next = "s3"',
        "stages[0].next",
        "unknown stage 's3'",
    ),
    (
        "self next",
        swap('narrative = "A referral arrives."', 'narrative = "A referral arrives."\nnext = "s1"'),
        "E206",
        'next = "s1"',
        "stages[0].next",
        "its own stage",
    ),
    (
        "backward next",
        swap('narrative = "Later."', 'narrative = "Later."\nnext = "s1"'),
        "E206",
        'next = "s1"',
        "stages[1].next",
        "earlier stage",
    ),
    (
        "one option",
        swap(
            '[[stages.decisions.options]]\nid = "b"\ntext = "Wait"\nverdict = "contrary"\nfeedback = "No."\nfindings = ["f1"]\n',
            "",
        ),
        "E301",
        "[[stages.decisions]]",
        "stages[0].decisions[0]",
        "at least two options",
    ),
    (
        "no aligned option",
        swap('verdict = "aligned"', 'verdict = "partial"'),
        "E302",
        "[[stages.decisions]]",
        "stages[0].decisions[0]",
        "no option is 'aligned'",
    ),
    (
        "text without rubric",
        swap(
            '[[stages.decisions.rubric]]\nid = "c1"\nlabel = "Child"\nany = ["child*"]\nfinding = "f1"\n',
            "",
        ),
        "E303",
        ("[[stages.decisions]]", 2),
        "stages[1].decisions[0]",
        "needs a rubric",
    ),
    (
        "text with options",
        BASE
        + '\n[[stages.decisions.options]]\nid = "x"\ntext = "X"\nverdict = "aligned"\nfeedback = "f"\n',
        "E304",
        ("[[stages.decisions.options]]", 3),
        "stages[1].decisions[0].options",
        "takes no options",
    ),
    (
        "no stages",
        "stages = []\n" + BASE.split("[[stages]]")[0],
        "E305",
        "stages = []",
        "stages",
        "at least one stage",
    ),
]


@pytest.mark.parametrize(
    ("text", "code", "fragment", "key", "words"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_rule(text, code, fragment, key, words):
    found = find(text, code)
    problem = found[0]
    assert problem.severity == "error"
    assert problem.key == key
    assert words in problem.message
    fragment, nth = fragment if isinstance(fragment, tuple) else (fragment, 1)
    expected_line = 1 if fragment is None else line_with(text, fragment, occurrence=nth)
    assert problem.line == expected_line
    assert validate_text(text, "m.toml").module is None


WARNINGS = [
    (
        "finding never referenced",
        BASE + '\n[[findings]]\nid = "f2"\ntext = "t"\nsource = "src"\n',
        "W401",
        "findings[1]",
        "'f2' is never referenced",
    ),
    (
        "source never referenced",
        BASE + '\n[[sources]]\nid = "s9"\ntitle = "Unused"\n',
        "W402",
        "sources[1]",
        "'s9' is never referenced",
    ),
    (
        "unreachable stage",
        swap(
            'narrative = "A referral arrives."', 'narrative = "A referral arrives."\nnext = "end"'
        ),
        "W403",
        "stages[1]",
        "no play-through reaches stage 's2'",
    ),
    (
        "option without feedback",
        swap('feedback = "No."\n', ""),
        "W404",
        "stages[0].decisions[0].options[1]",
        "'b' has no feedback",
    ),
    (
        "glossary term in no text",
        swap('term = "referral"', 'term = "care order"'),
        "W405",
        "glossary[0]",
        "'care order' appears in no other text",
    ),
    (
        "decision with no finding",
        swap('finding = "f1"\n', ""),
        "W406",
        "stages[1].decisions[0]",
        "'d2' has no finding",
    ),
]


@pytest.mark.parametrize(
    ("text", "code", "key", "words"),
    [case[1:] for case in WARNINGS],
    ids=[case[0] for case in WARNINGS],
)
def test_warning(text, code, key, words):
    report = validate_text(text, "m.toml")
    found = [p for p in report.problems if p.code == code]
    assert found, report.lines()
    assert found[0].severity == "warning" and found[0].key == key and words in found[0].message
    assert found[0].line is not None
    assert report.module is not None, "warnings do not stop the module loading"


def test_every_problem_in_one_run():
    text = swap('version = "1"', "version = 1")
    text = swap('kind = "single"', 'kind = "singel"', text)
    text = swap('source = "src"', 'source = "nope"', text)
    text = swap('"Yes."\nfindings = ["f1"]', '"Yes."\nfindings = ["zz"]', text)
    codes = {p.code for p in problems(text)}
    assert {"E102", "E106", "E203", "E204"} <= codes


def test_a_branch_that_always_names_its_target_hides_the_fallback():
    # Every option of the last decision names "end", so s2 cannot be reached.
    text = swap('"Yes."\nfindings = ["f1"]\n', '"Yes."\nfindings = ["f1"]\nnext = "end"\n')
    text = swap('feedback = "No."\n', 'feedback = "No."\nnext = "end"\n', text)
    assert [p.key for p in problems(text) if p.code == "W403"] == ["stages[1]"]
    # One option without next keeps the following stage reachable.
    text = swap('"Yes."\nfindings = ["f1"]\n', '"Yes."\nfindings = ["f1"]\nnext = "end"\n')
    assert not [p for p in problems(text) if p.code == "W403"]


def test_reachability_is_linear_not_exponential():
    # 300 stages, each with a decision whose options branch two ways: 2**300 play-throughs.
    stages = []
    for n in range(300):
        following = f"s{n + 2}" if n + 2 < 300 else "end"
        stages.append(
            f'[[stages]]\nid = "s{n}"\ntitle = "T"\nnarrative = "N"\n'
            f'[[stages.decisions]]\nid = "d{n}"\nprompt = "P"\nkind = "single"\n'
            f'[[stages.decisions.options]]\nid = "a"\ntext = "A"\nverdict = "aligned"\n'
            f'feedback = "F"\nfindings = ["f1"]\n'
            f'[[stages.decisions.options]]\nid = "b"\ntext = "B"\nverdict = "contrary"\n'
            f'feedback = "F"\nfindings = ["f1"]\nnext = "{following}"\n'
        )
    head = BASE.split("[[glossary]]")[0]
    report = validate_text(head + "\n".join(stages), "big.toml")
    assert report.errors == 0 and report.module is not None


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "E004"),
        (b"   \n\n", "E004"),
        (b"\xff\xfe\x00\x00", "E002"),
        (b'title = "caf\xe9"', "E002"),
        (b"format = 1\x00", "E002"),
        (b"a = " + b"[" * 5000 + b"]" * 5000, None),
    ],
)
def test_files_that_are_not_modules(data, code):
    report = validate_text(data, "x.toml")
    assert report.errors >= 1 and report.module is None
    if code:
        assert report.problems[0].code == code


def test_a_large_file_is_refused_unread():
    report = validate_text(b"# " + b"x" * (6 * 1024 * 1024), "huge.toml")
    assert [p.code for p in report.problems] == ["E003"]


def test_a_byte_order_mark_is_accepted():
    assert validate_text("\ufeff" + BASE, "m.toml").problems == []


def test_text_shown_literally_is_allowed():
    # Markup-like text is plain text: allowed, and kept exactly.
    text = swap('narrative = "Later."', 'narrative = "[bold]Later[/bold] \\t tab"')
    report = validate_text(text, "m.toml")
    assert report.problems == []
    assert report.module.stages[1].narrative == "[bold]Later[/bold] \t tab"

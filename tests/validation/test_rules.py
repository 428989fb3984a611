"""One test per validation rule: the code, the line and the key path of each problem."""

from __future__ import annotations

import pytest

from tests.validation.base import BASE, BASE2, line_with, swap
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
        swap("format = 1", "format = 4"),
        "E010",
        "format = 4",
        "format",
        "not supported; use format = 1, 2 or 3 (a later format needs a newer trainer)",
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
        "id with a trailing newline",
        swap('id = "s2"', 'id = "s2\\n"'),
        "E201",
        'id = "s2\\n"',
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


# -- format 2 -------------------------------------------------------------------


def swap2(old: str, new: str, text: str = BASE2, count: int = 1) -> str:
    """BASE2 with one fragment replaced (it must be there)."""
    return swap(old, new, text, count)


OPTION_B = 'id = "b"\ntext = "Wait a week"\nverdict = "contrary"\n'
RANK_R1 = 'id = "r1"\ntext = "See"\nrank = 1\n'
RANK_R3 = (
    '\n[[stages.decisions.options]]\nid = "r3"\ntext = "Write"\nrank = 3\nfeedback = "Third."\n'
)


def test_the_format_2_base_module_is_strict_clean():
    report = validate_text(BASE2, "m.toml")
    assert report.problems == []
    assert report.module is not None and report.module.format == 2


def test_format_1_keeps_its_own_kinds_and_keys():
    # A format 2 kind or key in a format 1 file says which format has it.
    (kind,) = find(swap('kind = "single"', 'kind = "rank"'), "E106")
    assert kind.key == "stages[0].decisions[0].kind" and "format 2 kind" in kind.message
    (key,) = find(swap('verdict = "aligned"', 'verdict = "aligned"\nhappened = true'), "E103")
    assert key.key == "stages[0].decisions[0].options[0].happened"
    assert "format 2 key" in key.message


# (name, broken text, code, line fragment, key path, words in the message)
CASES_2 = [
    (
        "source without kind",
        swap2('kind = "review"\n', ""),
        "E101",
        "[[sources]]",
        "sources[0].kind",
        "missing required key 'kind'",
    ),
    (
        "finding without voice",
        swap2('voice = "review"\n', ""),
        "E101",
        "[[findings]]",
        "findings[0].voice",
        "missing required key 'voice'",
    ),
    (
        "source kind not allowed",
        swap2('kind = "review"', 'kind = "reveiw"'),
        "E106",
        'kind = "reveiw"',
        "sources[0].kind",
        "review, inquiry, press, commentary, guidance; did you mean 'review'?",
    ),
    (
        "voice not allowed",
        swap2('voice = "comment"', 'voice = "comments"'),
        "E106",
        'voice = "comments"',
        "findings[1].voice",
        "did you mean 'comment'?",
    ),
    (
        "scoring not allowed",
        swap2('kind = "text"', 'kind = "text"\nscoring = "selfie"'),
        "E106",
        'scoring = "selfie"',
        "stages[1].decisions[0].scoring",
        "self, phrases, none; did you mean 'self'?",
    ),
    (
        "stage date not ISO",
        swap2('date = "2020-01-10"', 'date = "10 January 2020"'),
        "E107",
        'date = "10 January 2020"',
        "stages[0].date",
        "not an ISO date",
    ),
    (
        "stage date not a real day",
        swap2('date = "2020-01-10"', 'date = "2019-02-29"'),
        "E107",
        'date = "2019-02-29"',
        "stages[0].date",
        "YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    (
        "reveals not a real month",
        swap2('reveals = "2020-01"', 'reveals = "2020-13"'),
        "E107",
        'reveals = "2020-13"',
        "findings[0].reveals",
        "'2020-13' is not an ISO date",
    ),
    (
        "stage with decisions without a date",
        swap2('date = "2020-04"\n', ""),
        "E101",
        ("[[stages]]", 2),
        "stages[1].date",
        "a stage with decisions needs its ISO date",
    ),
    (
        "happened on two options",
        swap2(OPTION_B, OPTION_B + "happened = true\n"),
        "E306",
        ("happened = true", 2),
        "stages[0].decisions[0].options[1].happened",
        "'a' and 'b' are both marked happened",
    ),
    (
        "rank out of range",
        swap2("rank = 3", "rank = 4"),
        "E307",
        "rank = 4",
        "stages[0].decisions[1].options[2].rank",
        "the ranks should be 1 to 3, each once",
    ),
    (
        "rank used twice",
        swap2("rank = 3", "rank = 2"),
        "E307",
        ("rank = 2", 2),
        "stages[0].decisions[1].options[2].rank",
        "found 1, 2, 2",
    ),
    (
        "verdict on a rank option",
        swap2(RANK_R1, RANK_R1 + 'verdict = "aligned"\n'),
        "E308",
        ('verdict = "aligned"', 2),
        "stages[0].decisions[1].options[0].verdict",
        "verdict on a rank option",
    ),
    (
        "happened on a rank option",
        swap2(RANK_R1, RANK_R1 + "happened = true\n"),
        "E308",
        ("happened = true", 2),
        "stages[0].decisions[1].options[0].happened",
        "happened on a rank option",
    ),
    (
        "next on a rank option",
        swap2(RANK_R1, RANK_R1 + 'next = "s2"\n'),
        "E308",
        'next = "s2"',
        "stages[0].decisions[1].options[0].next",
        "put next on the stage",
    ),
    (
        "rank on a single option",
        swap2(OPTION_B, OPTION_B + "rank = 2\n"),
        "E308",
        "rank = 2",
        "stages[0].decisions[0].options[1].rank",
        "rank is for the options of a rank decision, not a single decision",
    ),
    (
        "scoring on a choice decision",
        swap2('kind = "single"', 'kind = "single"\nscoring = "self"'),
        "E308",
        'scoring = "self"',
        "stages[0].decisions[0].scoring",
        "scoring is for written (text) decisions",
    ),
    (
        "rank decision with two options",
        swap2(RANK_R3, ""),
        "E309",
        ("[[stages.decisions]]", 2),
        "stages[0].decisions[1]",
        "a rank decision takes 3 to 9 options (2)",
    ),
    (
        "rank option without rank",
        swap2("rank = 2\n", ""),
        "E101",
        'id = "r2"',
        "stages[0].decisions[1].options[1].rank",
        "missing required key 'rank'",
    ),
    (
        "verdict missing in a scored choice",
        swap2(OPTION_B, 'id = "b"\ntext = "Wait a week"\n'),
        "E101",
        'id = "b"',
        "stages[0].decisions[0].options[1].verdict",
        "every option of a scored choice decision has one",
    ),
    (
        "unscored choice mixing verdicts and none",
        swap2(
            OPTION_B,
            'id = "b"\ntext = "Wait a week"\n',
            swap2('kind = "single"', 'kind = "single"\nscored = false'),
        ),
        "E310",
        ("[[stages.decisions.options]]", 2),
        "stages[0].decisions[0].options[1]",
        "option 'b' has no verdict but option 'a' has one",
    ),
    (
        "poll scored",
        swap2('verdict = "aligned"\n', "", swap2(OPTION_B, 'id = "b"\ntext = "Wait a week"\n')),
        "E101",
        'id = "a"',
        "stages[0].decisions[0].options[0].verdict",
        "a poll without verdicts is scored = false",
    ),
]


def _table_line(text: str, fragment: str | tuple[str, int]) -> int:
    """The line of a fragment; for a key's own line, or the header of the table holding it."""
    fragment, nth = fragment if isinstance(fragment, tuple) else (fragment, 1)
    return line_with(text, fragment, occurrence=nth)


@pytest.mark.parametrize(
    ("text", "code", "fragment", "key", "words"),
    [case[1:] for case in CASES_2],
    ids=[case[0] for case in CASES_2],
)
def test_format_2_rule(text, code, fragment, key, words):
    found = [p for p in find(text, code) if p.key == key]
    assert found, [p.format("m.toml") for p in problems(text)]
    problem = found[0]
    assert problem.severity == "error"
    assert words in problem.message, problem.message
    expected = _table_line(text, fragment)
    if code == "E101":
        # A missing key is reported on the header of the table that should hold it.
        expected = max(
            n for n, line in enumerate(text.splitlines()[:expected], 1) if line.startswith("[")
        )
    assert problem.line == expected
    assert validate_text(text, "m.toml").module is None


def test_a_rank_decision_takes_at_most_nine_options():
    extra = "".join(
        f'\n[[stages.decisions.options]]\nid = "x{n}"\ntext = "Option {n}"\nrank = {n}\nfeedback = "F."\n'
        for n in range(4, 11)
    )
    (problem,) = find(swap2(RANK_R3, RANK_R3 + extra), "E309")
    assert problem.key == "stages[0].decisions[1]" and "(10)" in problem.message


def test_polls_and_unjudged_written_answers_validate_without_findings():
    # An unscored choice with no verdicts (a poll) and a text decision with scoring = "none"
    # are not judged: no verdict, no aligned option, no finding needed.
    poll = swap2('verdict = "aligned"\n', "", swap2(OPTION_B, 'id = "b"\ntext = "Wait a week"\n'))
    poll = swap2('kind = "single"', 'kind = "single"\nscored = false', poll)
    poll = poll.replace('findings = ["f1"]\nhappened = true\n', "happened = true\n")
    poll = swap2('feedback = "No."\nfindings = ["f1"]\n', 'feedback = "No."\n', poll)
    poll = swap2('kind = "text"', 'kind = "text"\nscoring = "none"\nscored = false', poll)
    poll = swap2('\nfinding = "f2"\n', "\n", poll)
    poll = swap2('outcome_findings = ["f2"]', 'outcome_findings = ["f1", "f2"]', poll)
    report = validate_text(poll, "m.toml")
    assert report.problems == [], report.lines()
    d1 = report.module.stages[0].decisions[0]
    assert not d1.judged and all(o.verdict is None for o in d1.options)


# (name, text, code, line fragment, key path, words in the message)
WARNINGS_2 = [
    (
        "hindsight in the feedback",
        swap2('reveals = "2020-01"', 'reveals = "2020-02"'),
        "W407",
        ('findings = ["f1"]', 1),
        "stages[0].decisions[0].options[0].findings[0]",
        "finding 'f1' reveals 2020-02 but is shown at stage 's1' (2020-01-10), before the stage's outcome",
    ),
    (
        "hindsight by days within the month",
        swap2('reveals = "2020-01"', 'reveals = "2020-01-11"'),
        "W407",
        ('findings = ["f1"]', 1),
        "stages[0].decisions[0].options[0].findings[0]",
        "reveals 2020-01-11",
    ),
    (
        "hindsight in a rubric concept",
        swap2('date = "2020-04"', 'date = "2020-02"'),
        "W407",
        'finding = "f2"',
        "stages[1].decisions[0].rubric[0].finding",
        "finding 'f2' reveals 2020-03-15 but is shown at stage 's2' (2020-02)",
    ),
    (
        "hindsight in an outcome",
        swap2('date = "2020-04"', 'date = "2020-02"'),
        "W407",
        'outcome_findings = ["f2"]',
        "stages[0].outcome_findings[0]",
        "shown in the outcome of stage 's1', before stage 's2' (2020-02), which can follow it",
    ),
    (
        "decision judged with no finding",
        swap2(
            'rank = 1\nfeedback = "First."\nfindings = ["f1"]\n', 'rank = 1\nfeedback = "First."\n'
        ),
        "W406",
        ("[[stages.decisions]]", 2),
        "stages[0].decisions[1]",
        "'d2' has no finding",
    ),
    (
        "aligned option much longer",
        swap2('text = "Visit"', 'text = "Visit today, with a colleague"'),
        "W408",
        'text = "Visit today, with a colleague"',
        "stages[0].decisions[0].options[0].text",
        "the aligned option 'a' is 29 characters, more than a quarter longer than every other (the longest other is 11)",
    ),
    (
        "aligned option longest in most decisions",
        swap2(
            'text = "See"',
            'text = "See the child"',
            swap2('text = "Visit"', 'text = "Visit at once"'),
        ),
        "W409",
        "[[stages.decisions]]",
        "stages[0].decisions[0]",
        "the longest in 2 of 2 scored choice and rank decisions ('d1', 'd2')",
    ),
    (
        "multiple with one option to leave out",
        swap2('kind = "single"', 'kind = "multiple"'),
        "W410",
        "[[stages.decisions]]",
        "stages[0].decisions[0]",
        "only 1 of 2 options is not aligned",
    ),
    (
        "happened always contrary",
        swap2(OPTION_B, OPTION_B + "happened = true\n", swap2("happened = true\n", "")),
        "W411",
        "happened = true",
        "stages[0].decisions[0].options[1].happened",
        "contrary in every scored decision that marks one (1)",
    ),
    (
        "all of the above",
        swap2('text = "Wait a week"', 'text = "All of the above!"'),
        "W412",
        "All of the above!",
        "stages[0].decisions[0].options[1].text",
        "option 'b' reads 'all of the above'",
    ),
    (
        "none of the above in a rank",
        swap2('text = "Write"', 'text = "None  of the ABOVE"'),
        "W412",
        "None  of the ABOVE",
        "stages[0].decisions[1].options[2].text",
        "reads 'none of the above'",
    ),
    (
        "all of the above, written in full-width letters",
        swap2(
            'text = "Wait a week"',
            'text = "\uff21ll of the \uff21\uff22\uff2f\uff36\uff25 \u2014 \u00e9"',
        ),
        "W412",
        "ll of the",
        "stages[0].decisions[0].options[1].text",
        "option 'b' reads 'all of the above'",
    ),
]


@pytest.mark.parametrize(
    ("text", "code", "fragment", "key", "words"),
    [case[1:] for case in WARNINGS_2],
    ids=[case[0] for case in WARNINGS_2],
)
def test_format_2_warning(text, code, fragment, key, words):
    report = validate_text(text, "m.toml")
    found = [p for p in report.problems if p.code == code and p.key == key]
    assert found, report.lines()
    assert found[0].severity == "warning" and words in found[0].message, found[0].message
    assert found[0].line == _table_line(text, fragment)
    assert report.errors == 0 and report.module is not None


def test_dates_compare_at_the_coarser_precision():
    # A finding revealing "2020-01" is not later than a stage dated "2020-01-10", nor is a
    # finding revealing "2020-01-31" later than a stage dated "2020-01".
    assert not [p for p in problems(BASE2) if p.code == "W407"]
    text = swap2('reveals = "2020-01"', 'reveals = "2020-01-31"')
    text = swap2('date = "2020-01-10"', 'date = "2020"', text)
    assert not [p for p in problems(text) if p.code == "W407"]


def test_the_outcome_of_the_last_stage_may_reveal_anything():
    text = swap2(
        'narrative = "Later."',
        'narrative = "Later."\noutcome = "Years on."\noutcome_findings = ["f2"]',
    )
    text = swap2('reveals = "2020-03-15"', 'reveals = "2031"', text)
    keys = [p.key for p in problems(text) if p.code == "W407"]
    # Shown in s2's feedback (through the rubric) it is too late; in s2's outcome it is not.
    assert keys == ["stages[0].outcome_findings[0]", "stages[1].decisions[0].rubric[0].finding"]


def test_the_outcome_is_bounded_by_the_earliest_stage_that_can_follow():
    # f2, shown in s1's outcome, reveals 2020-05: too late only if s2 (2020-04) can follow s1.
    third = (
        '\n[[stages]]\nid = "s3"\ntitle = "Three"\ndate = "2020-06"\nnarrative = "Much later."\n'
    )
    text = swap2('reveals = "2020-03-15"', 'reveals = "2020-03"', BASE2 + third)
    text = swap2(OPTION_B, OPTION_B + 'next = "s3"\n', text)
    text = swap2('text = "Visit"', 'text = "Visit"\nnext = "s3"', text)
    # Both options name s3: s2 cannot follow s1, so the bound is s3 (2020-06).
    text = swap2('reveals = "2020-03"', 'reveals = "2020-05"', text)
    found = [p for p in problems(text) if p.code == "W407"]
    assert [p.key for p in found] == ["stages[1].decisions[0].rubric[0].finding"], found
    # With one option going on to s2, s2 (2020-04) can follow: the outcome is too late for it.
    text = text.replace('text = "Visit"\nnext = "s3"', 'text = "Visit"')
    found = [p for p in problems(text) if p.code == "W407"]
    assert "stages[0].outcome_findings[0]" in [p.key for p in found]
    outcome = next(p for p in found if p.key == "stages[0].outcome_findings[0]")
    assert "before stage 's2' (2020-04)" in outcome.message


def test_an_undated_stage_passes_the_bound_on_to_the_stage_after_it():
    # s2 keeps no decisions and no date; the stage after it bounds s1's outcome.
    text = swap2(
        BASE2[BASE2.index('date = "2020-04"') :],
        'narrative = "Later."\n\n[[stages]]\nid = "s3"\ntitle = "Three"\ndate = "2020-02"\n'
        'narrative = "Then."\n',
    )
    found = [p for p in problems(text) if p.code == "W407"]
    assert [p.key for p in found] == ["stages[0].outcome_findings[0]"], problems(text)
    assert "before stage 's3' (2020-02)" in found[0].message


def test_item_writing_is_checked_in_format_2_only():
    # Format 1 modules keep the warnings they had: a long aligned option is not flagged.
    text = swap('text = "Act"', 'text = "Act at once, with the police, today"')
    text = swap('text = "Wait"', 'text = "None of the above"', text)
    assert problems(text) == []


def test_format_1_no_longer_warns_about_an_unjudged_text_decision():
    # An unscored text decision without a rubric is not judged: no finding is needed.
    text = swap(
        '[[stages.decisions.rubric]]\nid = "c1"\nlabel = "Child"\nany = ["child*"]\nfinding = "f1"\n',
        "",
    )
    text = swap('kind = "text"', 'kind = "text"\nscored = false', text)
    assert problems(text) == []


def test_an_adversarial_module_validates_in_moments():
    # About 150 KB: thousands of unknown ids among thousands of known ones ("did you mean"
    # weighs each against all), glossary terms that appear nowhere (each looked for in every
    # text), and findings linked from everywhere (the hindsight check).
    import time

    head = BASE2.split("[[stages]]")[0]
    findings = "".join(
        f'[[findings]]\nid = "finding-number-{i}"\ntext = "t"\nsource = "src"\n'
        f'voice = "review"\nreveals = "2020-0{1 + i % 9}"\n'
        for i in range(900)
    )
    glossary = "".join(
        f'[[glossary]]\nterm = "{"a " * (i % 30)}term {i}"\ndefinition = "d"\n' for i in range(600)
    )
    dangling = ", ".join(f'"finding-numbr-{i}"' for i in range(900))
    linked = ", ".join(f'"finding-number-{i}"' for i in range(900))
    stage = (
        f'[[stages]]\nid = "s0"\ntitle = "t"\nnarrative = "{"a " * 3000}"\ndate = "2020-01"\n'
        f"outcome_findings = [{dangling}]\n"
        '[[stages.decisions]]\nid = "d"\nprompt = "p"\nkind = "single"\n'
        f'[[stages.decisions.options]]\nid = "a"\ntext = "A"\nverdict = "aligned"\nfindings = [{linked}]\n'
        f'[[stages.decisions.options]]\nid = "b"\ntext = "B"\nverdict = "contrary"\nfindings = [{linked}]\n'
    )
    text = head + findings + glossary + stage
    assert len(text) > 150_000
    started = time.perf_counter()
    report = validate_text(text, "big.toml")
    assert time.perf_counter() - started < 10
    codes = {p.code for p in report.problems}
    assert {"E204", "W405", "W407"} <= codes


@pytest.mark.parametrize(
    "hidden",
    ["\u200b", "\u200d", "\u200e", "\u200f", "\u061c", "\u2028", "\u2029", "\ufeff", "\U000e0041"],
)
def test_an_invisible_or_line_separator_character_is_a_warning_with_its_line(hidden):
    text = swap('title = "Two"', f'title = "Tw{hidden}o"')
    found = find(text, "W413")
    assert found[0].key == "stages[1].title" and found[0].severity == "warning"
    assert f"U+{ord(hidden):04X} at character 3" in found[0].message
    assert found[0].line == text.split("\n").index(f'title = "Tw{hidden}o"') + 1


# Every escape that writes a character the validator reports, in TOML 1.0 and 1.1 (\e and
# \xHH): a file holding none is cleared by one search, so each must still be found.
ESCAPED = [
    ("\\b", "E105", "U+0008"),
    ("\\f", "E105", "U+000C"),
    ("\\r", "E105", "U+000D"),
    ("\\e", "E105", "U+001B"),
    ("\\x1b", "E105", "U+001B"),
    ("\\x85", "E105", "U+0085"),
    ("\\u202e", "E105", "U+202E"),
    ("\\U0000202E", "E105", "U+202E"),
    ("\\u200b", "W413", "U+200B"),
    ("\\U000E0041", "W413", "U+E0041"),
]


@pytest.mark.parametrize(("escape", "code", "named"), ESCAPED)
@pytest.mark.parametrize(
    ("old", "key"),
    [
        ('title = "Two"', "stages[1].title"),
        ('summary = "A module for validator tests."', "summary"),
        ('definition = "A request for help."', "glossary[0].definition"),
    ],
)
def test_an_escape_writing_a_reported_character_is_found(escape, code, named, old, key):
    value = old.split(" = ")[1][1:-1]
    text = swap(old, old.replace(value, f"{value[:2]}{escape}{value[2:]}"))
    found = find(text, code)
    assert found[0].key == key
    assert f"{named} at character 3" in found[0].message


@pytest.mark.parametrize(("escape", "code", "named"), ESCAPED)
def test_an_escape_writing_a_reported_character_in_a_list_of_text_is_found(escape, code, named):
    text = swap('version = "1"', f'version = "1"\nauthors = ["A. Author", "B{escape}"]')
    found = find(text, code)
    assert found[0].key == "authors[1]"
    assert f"{named} at character 2" in found[0].message


def test_an_escape_writing_a_plain_character_is_no_problem():
    text = swap('title = "Two"', 'title = "T\\x77o\\u0020\\U00000021"')
    report = validate_text(text, "m.toml")
    assert report.problems == []
    assert report.module is not None and report.module.stages[1].title == "Two !"

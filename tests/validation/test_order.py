"""`shuffle`: options are shown shuffled per attempt unless a decision keeps the file's order,
and a decision that keeps it must not give its answer away by position (W414, W415)."""

from __future__ import annotations

from tests.validation.base import BASE, BASE2, line_with, swap
from trainer.content import validate_text
from trainer.engine.order import is_shuffled

# In BASE2, d1 is a single decision whose first option is aligned, and d2 a rank decision
# whose options are written in rank order: both give nothing away while they are shuffled.
SINGLE = 'prompt = "What now?"\nkind = "single"\n'
RANK = 'prompt = "Order these."\nkind = "rank"\n'
KEEP = "shuffle = false\n"


def _problems(text: str, code: str):
    report = validate_text(text, "m.toml")
    return report, [p for p in report.problems if p.code == code]


def test_shuffled_decisions_in_a_telling_file_order_are_clean():
    report = validate_text(BASE2, "m.toml")
    assert report.problems == [] and report.module is not None
    d1, d2 = report.module.stages[0].decisions[:2]
    assert d1.shuffle and d2.shuffle and is_shuffled(d1) and is_shuffled(d2)


def test_shuffle_true_is_the_default_and_may_be_written():
    report = validate_text(swap(SINGLE, SINGLE + "shuffle = true\n", BASE2), "m.toml")
    assert report.problems == [] and report.module.stages[0].decisions[0].shuffle


def test_the_first_option_aligned_in_a_kept_order_is_w414_at_the_shuffle_key():
    text = swap(SINGLE, SINGLE + KEEP, BASE2)
    report, found = _problems(text, "W414")
    assert len(found) == 1, report.lines()
    problem = found[0]
    assert problem.severity == "warning" and problem.key == "stages[0].decisions[0].shuffle"
    assert problem.line == line_with(text, "shuffle = false")
    assert "first option 'a' is aligned" in problem.message
    assert report.errors == 0 and not report.module.stages[0].decisions[0].shuffle


def test_a_kept_order_with_another_option_first_is_clean():
    moved = swap(
        'id = "a"\ntext = "Visit"\nverdict = "aligned"',
        'id = "a"\ntext = "Visit"\nverdict = "contrary"',
        swap('id = "b"\ntext = "Wait a week"\nverdict = "contrary"',
             'id = "b"\ntext = "Wait a week"\nverdict = "aligned"', BASE2),
    )
    report = validate_text(swap(SINGLE, SINGLE + KEEP, moved), "m.toml")
    assert "W414" not in {p.code for p in report.problems}, report.lines()


def test_a_multiple_decision_keeping_an_aligned_option_first_is_w414():
    text = swap(SINGLE, 'prompt = "What now?"\nkind = "multiple"\n' + KEEP, BASE2)
    report, found = _problems(text, "W414")
    assert [p.key for p in found] == ["stages[0].decisions[0].shuffle"], report.lines()


def test_a_poll_keeping_its_order_is_clean():
    """A scale without verdicts gives nothing away: keeping its order is what it is for."""
    poll = swap(
        'verdict = "aligned"\nfeedback = "Yes."\nfindings = ["f1"]\nhappened = true\n',
        'feedback = "Yes."\nfindings = ["f1"]\n',
        swap('verdict = "contrary"\nfeedback = "No."', 'feedback = "No."', BASE2),
    )
    text = swap(SINGLE, SINGLE + "scored = false\n" + KEEP, poll)
    report = validate_text(text, "m.toml")
    assert report.problems == [], report.lines()


def test_a_rank_decision_keeping_the_rank_order_is_w415_at_the_shuffle_key():
    text = swap(RANK, RANK + KEEP, BASE2)
    report, found = _problems(text, "W415")
    assert len(found) == 1, report.lines()
    problem = found[0]
    assert problem.severity == "warning" and problem.key == "stages[0].decisions[1].shuffle"
    assert problem.line == line_with(text, "shuffle = false")
    assert "pressing 1 to 3 in turn gives the module's order" in problem.message


def test_a_rank_decision_keeping_another_order_is_clean():
    reordered = swap("rank = 1\n", "rank = 3\n", swap("rank = 3\n", "rank = 1\n", BASE2))
    assert reordered.index("rank = 3") < reordered.index("rank = 1")
    report = validate_text(swap(RANK, RANK + KEEP, reordered), "m.toml")
    assert report.problems == [], report.lines()


def test_shuffle_on_a_written_decision_is_e308():
    written = 'prompt = "Write."\nkind = "text"\n'
    text = swap(written, written + KEEP, BASE2)
    report, found = _problems(text, "E308")
    assert [p.key for p in found] == ["stages[1].decisions[0].shuffle"], report.lines()
    assert found[0].severity == "error" and "no options to shuffle" in found[0].message
    assert found[0].line == line_with(text, "shuffle = false")
    assert report.module is None


def test_shuffle_is_a_format_2_key():
    """Format 1 files shuffle too (the default), but cannot say `shuffle = false`."""
    text = swap('prompt = "What now?"\nkind = "single"\n', SINGLE + KEEP, BASE)
    report, found = _problems(text, "E103")
    assert [p.key for p in found] == ["stages[0].decisions[0].shuffle"], report.lines()
    assert "it is a format 2 key (format = 2)" in found[0].message
    plain = validate_text(BASE, "m.toml").module
    assert plain is not None and plain.stages[0].decisions[0].shuffle


def test_shuffle_must_be_true_or_false():
    text = swap(SINGLE, SINGLE + 'shuffle = "no"\n', BASE2)
    report, found = _problems(text, "E102")
    assert [p.key for p in found] == ["stages[0].decisions[0].shuffle"], report.lines()


def test_the_starter_teaches_no_telling_order_and_is_strict_clean(tmp_path, capsys):
    """`trainer new` writes options out of any order that tells the answer, though they are
    shuffled anyway (the file is what an author copies), and keeps a scale's order."""
    from trainer.cli import main
    from trainer.content import load_module

    assert main(["new", "my-case", "--dir", str(tmp_path)]) == 0
    path = tmp_path / "my-case.toml"
    assert main(["validate", "--strict", str(path)]) == 0
    capsys.readouterr()
    decisions = [d for stage in load_module(path).stages for d in stage.decisions]
    judged = [d for d in decisions if d.kind in ("single", "multiple") and d.judged]
    assert judged and all(d.options[0].verdict != "aligned" for d in judged)
    ranks = [d for d in decisions if d.kind == "rank"]
    assert ranks and all(tuple(o.id for o in d.options) != d.panel_order for d in ranks)
    # Whose order a rank is, as the module names it; the prompt leaves the app's hint to it.
    assert "panel" not in path.read_text(encoding="utf-8").casefold()
    assert all(d.order_label == "this module's suggested order" for d in ranks)
    assert all("order of priority" not in d.prompt for d in ranks)
    kept = [d for d in decisions if not d.shuffle]
    assert [d.id for d in kept] == ["how-it-feels"] and not kept[0].judged, "a scale, kept"

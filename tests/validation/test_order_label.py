"""A rank decision's `order_label`: whose order its ranks are. It defaults to the module's
suggested order, is built into the model as written, and fits only a rank decision."""

from __future__ import annotations

from tests.validation.base import BASE2, swap
from trainer.content import validate_text
from trainer.engine import ORDER_LABEL

RANK = 'prompt = "Order these."\nkind = "rank"\n'
SINGLE = 'prompt = "What now?"\nkind = "single"\n'


def _decision(text: str, decision_id: str):
    report = validate_text(text, "m.toml")
    assert report.module is not None, report.lines()
    found = report.module.decision(decision_id)
    assert found is not None
    return report, found[1]


def test_by_default_the_order_is_the_modules_suggested_one_never_the_review_panels():
    report, rank = _decision(BASE2, "d2")
    assert rank.order_label == ORDER_LABEL == "this module's suggested order"
    assert "panel" not in ORDER_LABEL and "review" not in ORDER_LABEL


def test_a_rank_decision_names_its_order_as_written_and_stays_strict_clean():
    text = swap(RANK, RANK + "order_label = \"the review's order\"\n", BASE2)
    report, rank = _decision(text, "d2")
    assert rank.order_label == "the review's order"
    assert report.problems == [], report.lines()


def test_order_label_on_another_kind_of_decision_is_an_error_at_its_line():
    text = swap(SINGLE, SINGLE + 'order_label = "my order"\n', BASE2)
    report = validate_text(text, "m.toml")
    found = [p for p in report.problems if p.code == "E308"]
    assert [p.key for p in found] == ["stages[0].decisions[0].order_label"]
    assert "order_label is for rank decisions" in found[0].message
    assert found[0].line == text.splitlines().index('order_label = "my order"') + 1
    assert report.module is None


def test_a_blank_order_label_is_an_error():
    text = swap(RANK, RANK + 'order_label = "  "\n', BASE2)
    report = validate_text(text, "m.toml")
    found = [p for p in report.problems if p.code == "E104"]
    assert [p.key for p in found] == ["stages[0].decisions[1].order_label"]


def test_format_1_does_not_know_the_key():
    text = (
        'format = 1\nid = "m"\ntitle = "M"\nversion = "1"\nsummary = "S."\n'
        '[[stages]]\nid = "s1"\ntitle = "One"\nnarrative = "N."\n'
        '[[stages.decisions]]\nid = "d1"\nprompt = "P?"\nkind = "single"\n'
        'order_label = "x"\n'
        '[[stages.decisions.options]]\nid = "a"\ntext = "A"\nverdict = "aligned"\n'
        'feedback = "F."\n'
        '[[stages.decisions.options]]\nid = "b"\ntext = "B"\nverdict = "contrary"\n'
        'feedback = "F."\n'
    )
    codes = [p.code for p in validate_text(text, "m.toml").problems]
    assert "E103" in codes

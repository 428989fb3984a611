"""The shipped case module against its sources and the brief: quotes, counts, labels."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest

from tests.content.shipped import SHIPPED
from trainer.content import load_module

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "sources" / "000_2f2c72a19312f9c7.txt"
CASE = ROOT / "modules" / "peter-connelly-haringey.toml"


def seed_article() -> str:
    if not SEED.exists():
        message = f"the seed article is not beside the project ({SEED})"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI always has shared/ beside the clone
        pytest.skip(message)
    return "\n".join(SEED.read_text(encoding="utf-8").splitlines()[:115])


def is_seed(source: dict) -> bool:
    return "Report reveals damning failings" in source.get("title", "")


def test_every_quote_from_the_seed_is_word_for_word_with_a_locator():
    article = seed_article()
    checked = 0
    for path in SHIPPED:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        seed_ids = {s["id"] for s in data.get("sources", []) if is_seed(s)}
        for finding in data.get("findings", []):
            if "quote" in finding:
                assert finding.get("locator"), f"{finding['id']} has a quote but no locator"
            if finding["source"] in seed_ids and "quote" in finding:
                assert finding["quote"] in article, f"{finding['id']}: quote not in the article"
                checked += 1
    assert checked >= 15, "the case module quotes the article"


def test_seed_locators_name_lines_that_hold_the_quote():
    article = seed_article().splitlines()
    data = tomllib.loads(CASE.read_text(encoding="utf-8"))
    for finding in data["findings"]:
        if finding["source"] != "independent-2010" or "quote" not in finding:
            continue
        numbers = [int(n) for n in re.findall(r"\d+", finding["locator"].split(";")[0])]
        lines = range(min(numbers), max(numbers) + 1)
        held = "\n".join(article[n - 1] for n in lines)
        assert finding["quote"] in held, f"{finding['id']}: not on lines {numbers}"


def test_the_case_module_has_what_the_brief_asks():
    module = load_module(CASE)
    decisions = [d for s in module.stages for d in s.decisions]
    scored = [d for d in decisions if d.scored]
    assert len(scored) >= 9
    assert {d.kind for d in decisions} == {"single", "multiple", "text"}
    assert sum(d.ask_confidence for d in decisions) >= 8
    assert any(d.reflection for d in decisions)
    assert len(module.glossary) >= 25
    assert len(module.debrief.prompts) >= 3
    assert module.content_warning and module.support and module.hindsight_note
    assert module.objectives
    april = [s for s in module.stages if (s.date or "").startswith("2007-04")]
    assert any("foster" in d.prompt.lower() for s in april for d in s.decisions)
    dates = [s.date for s in module.stages]
    assert dates == sorted(dates), "stages in date order"
    assert dates[0].startswith("2006-12") and dates[-1].startswith("2007-08")
    for finding in module.findings:
        assert finding.locator, f"{finding.id} has a locator"


def test_the_support_text_gives_no_phone_numbers():
    module = load_module(CASE)
    assert not re.search(r"\d{3,}", module.support or "")


NAMES = ["Tracey", "Barker", "Owen", "Shoesmith"]


def test_the_household_is_named_by_the_reviews_labels():
    # The adults are Ms A and Mr H, as the reviews call them; only quotations keep other words.
    data = tomllib.loads(CASE.read_text(encoding="utf-8"))
    quotes = {f.get("quote", "") for f in data["findings"]}
    text = CASE.read_text(encoding="utf-8")
    for quote in quotes:
        text = text.replace(quote, "")
    for name in NAMES:
        assert name not in text, f"{name} appears outside a quotation"
    assert "Ms A" in text and "Mr H" in text

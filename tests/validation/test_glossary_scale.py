"""A large glossary is checked in time linear in its size and the module's text (W405).

A search of the text for each term took the product of the two: a 2.9 MB module with a
20,000-term glossary and a 400,000-word narrative took 22 to 99 seconds to validate, and the
first app start that met it in a shared modules folder waited as long. The work is counted
here (`Work.steps`), never timed.
"""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from tests.validation.base import BASE
from tests.validation.test_properties import SETTINGS
from trainer.content import glossary_checks
from trainer.content.validator import spaced_words, terms_present, validate_text
from trainer.engine.phrases import Work, phrases_found
from trainer.engine.scoring import match_phrase

WORDS = ["a", "ab", "abc", "b", "ba", "c"]


@SETTINGS
@given(
    st.lists(st.sampled_from(WORDS), max_size=14),
    st.lists(
        st.lists(st.sampled_from([*WORDS, "*", "a*", "ab*", "b*", ",", " "]), max_size=5),
        max_size=8,
    ),
)
def test_all_phrases_at_once_find_what_each_alone_finds(words, phrase_parts):
    phrases = [" ".join(parts) for parts in phrase_parts]
    assert phrases_found(phrases, words) == [match_phrase(p, words) for p in phrases]


def syllable_words(rng: random.Random, count: int) -> list[str]:
    syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "si"]
    return ["".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(count)]


def random_case(scale: int, seed: int = 1) -> tuple[list[str], list[str]]:
    """`scale` terms of one to three words (a fifth ending in `*`) and a text of 20 words a
    term: most terms occur nowhere."""
    rng = random.Random(seed)
    text = syllable_words(rng, 20 * scale)
    terms = [
        " ".join(syllable_words(rng, rng.randint(1, 3))) + ("*" if rng.random() < 0.2 else "")
        for _ in range(scale)
    ]
    return terms, text


def nested_case(scale: int) -> tuple[list[str], list[str]]:
    """The shapes that make a search for each term slow: terms that share their first words
    with the text and differ only at the end, terms inside terms, and prefixes after long
    runs of the same word."""
    text = (["the", "child", "was", "seen"] * scale) + ["a"] * scale + ["alone"]
    terms = []
    for n in range(scale):
        terms.append(f"the child was seen{'' if n % 3 else ' again'} {n}")
        terms.append(" ".join(["a"] * (n % 50 + 1)) + f" al{'o' if n % 2 else 'x'}*")
        terms.append("the child*" if n % 7 == 0 else f"the child w{n}*")
    return terms, text


def steps(terms: list[str], text: list[str]) -> int:
    work = Work()
    phrases_found(terms, text, work)
    return work.steps


def test_the_work_grows_with_the_glossary_and_the_text_not_their_product():
    for case in (random_case, nested_case):
        small, large = steps(*case(500)), steps(*case(2000))
        # Four times the terms and four times the text: four times the work (a search for
        # each term would be sixteen times).
        assert large < 4.6 * small, (case.__name__, small, large)
        terms, text = case(2000)
        letters = sum(len(term) for term in terms)
        assert large < 8 * (len(text) + letters), case.__name__


def test_what_the_nested_terms_find_is_what_each_alone_finds():
    terms, text = nested_case(60)
    assert phrases_found(terms, text) == [match_phrase(term, text) for term in terms]


def test_few_terms_and_many_find_the_same():
    terms, text = random_case(300, seed=2)
    spaced = " " + " ".join(text) + " "
    one_by_one = [glossary_checks.occurs(term, spaced) for term in terms]
    assert phrases_found(terms, spaced.split()) == one_by_one
    assert any(one_by_one) and not all(one_by_one)


def glossary_bomb(terms: int, words: int) -> tuple[str, set[str]]:
    """The base module with `terms` glossary terms and a narrative of `words` words; and the
    terms that occur in it."""
    rng = random.Random(5)
    narrative = syllable_words(rng, words)
    glossary = [" ".join(syllable_words(rng, rng.randint(1, 2))) for _ in range(terms)]
    glossary = list(dict.fromkeys(glossary))  # a duplicate term is another problem (E202)
    head, rest = BASE.split("[[glossary]]", 1)
    stages = "[[stages]]" + rest.split("[[stages]]", 1)[1]
    entries = "".join(f'[[glossary]]\nterm = "{t}"\ndefinition = "D."\n\n' for t in glossary)
    stages = stages.replace(
        'narrative = "A referral arrives."',
        f'narrative = "A referral arrives. {" ".join(narrative)}"',
    )
    spaced = " " + " ".join(narrative) + " "
    return head + entries + stages, {t for t in glossary if f" {t} " in spaced}


def test_a_glossary_bomb_validates_in_one_pass_and_warns_of_each_absent_term(monkeypatch):
    searched = []
    original = glossary_checks.occurs

    def counted(phrase: str, spaced: str) -> bool:
        searched.append(phrase)
        return original(phrase, spaced)

    monkeypatch.setattr(glossary_checks, "occurs", counted)
    text, present = glossary_bomb(8000, 120_000)
    report = validate_text(text, "bomb.toml")
    assert report.errors == 0
    absent = {p.message.split("'")[1] for p in report.problems if p.code == "W405"}
    terms = {line.split('"')[1] for line in text.splitlines() if line.startswith("term = ")}
    assert absent == terms - present and present and absent
    assert searched == []  # no search of the whole text for each term


def test_a_small_glossary_keeps_its_quick_search(monkeypatch):
    from trainer.engine import phrases

    def refuse(*args: object) -> None:
        raise AssertionError("a few terms are searched for one by one")

    monkeypatch.setattr(phrases, "phrases_found", refuse)
    assert terms_present(["referral", "x"], spaced_words("A referral arrives.")) == [True, False]

"""The glossary's rule: every term appears in some other text of the module (W405).

Terms are matched as the engine matches a rubric's phrases (whole words after Unicode NFKC
and case folding, a final `*` matching its word as a prefix): a few terms each by one
substring search of the module's words, many at once in one pass over them
(`trainer.engine.phrases`).
"""

from __future__ import annotations

import re
import unicodedata

from trainer.content.checking import Reporter, Table
from trainer.engine.wording import normalise

# Runs of what `normalise` reads as spaces: \W is the categories P, S, Z, C and M, and _ is P.
_SEPARATORS = re.compile(r"[\W_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def check_glossary(reporter: Reporter, glossary: list[Table], texts: list[str]) -> None:
    """W405 for each term that appears in none of `texts` (every sound text but the
    glossary's)."""
    if not glossary:
        return
    words = spaced_words("\n".join(texts))
    terms = [entry.get("term") or "" for entry in glossary]
    present = terms_present(terms, words)
    for entry, term, found in zip(glossary, terms, present, strict=True):
        if term and not found:
            reporter.warn("W405", entry["_path"], f"the term {term!r} appears in no other text")


def spaced_words(text: str) -> str:
    """The words `normalise` reads in a text, each between single spaces (and a space at
    each end).

    The same words, found faster in a large text: where the text is not ASCII, one pattern
    finds the runs of punctuation, symbols, separators and controls between them, where
    normalise looks up each character's category (docs/performance.md, "Validate").
    """
    if text.isascii():
        return " " + " ".join(normalise(text)) + " "
    folded = unicodedata.normalize("NFKC", text).casefold()
    separators = _SEPARATORS
    # Combining marks (category M) are kept in the words: the ones in the text are left out.
    marks = {ch for ch in _NON_ASCII.findall(folded) if unicodedata.category(ch)[0] == "M"}
    if marks:
        separators = re.compile(f"(?:[^\\w{re.escape(''.join(sorted(marks)))}]|_)+")
    return " " + separators.sub(" ", folded).strip(" ") + " "


SUBSTRING_BUDGET = 20_000_000
"""Up to this many characters searched in all (terms times the text's length), each term is
looked for by a substring search of its own; beyond it, all at once (`phrases_found`)."""


def terms_present(terms: list[str], spaced: str) -> list[bool]:
    """For each glossary term, whether it occurs in the words of `spaced_words`.

    A few terms are each one substring search of the text (`occurs`), quickest for a
    module's usual dozens; many terms in a large text are found in one pass over its words
    (`phrases_found`), as a search for each would take the product of the two: 20,000 terms
    against a 400,000-word module took minutes, and took the first app start that met it
    in a shared modules folder as long.
    """
    if len(terms) * len(spaced) <= SUBSTRING_BUDGET:
        return [occurs(term, spaced) for term in terms]
    from trainer.engine.phrases import phrases_found

    return phrases_found(terms, spaced.split())


def occurs(phrase: str, spaced: str) -> bool:
    """Whether a phrase occurs in words joined by single spaces (with a space at each end).

    The same rule as the engine's `match_phrase` (whole words, a final `*` matching its
    word as a prefix), as one substring search rather than a scan for each phrase.
    """
    stripped = phrase.strip()
    wanted = normalise(stripped.rstrip("*"))
    if not wanted:
        return False
    tail = "" if stripped.endswith("*") else " "
    return " " + " ".join(wanted) + tail in spaced

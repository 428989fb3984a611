"""The words of a text as rubric phrases are matched against them: `normalise`, a phrase's
words, and whether a phrase occurs in a text's words.

Scoring (`trainer.engine.scoring`) matches an answer with these, and the validator
(`trainer.content`) checks a module's phrases and glossary with the same rules; they live
apart from scoring's records so that checking a module file needs none of those.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def normalise(text: str) -> list[str]:
    """Words of a text after Unicode NFKC, case folding, and punctuation folded to spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    # Punctuation, symbols, separators and controls all become spaces.
    if folded.isascii():
        return folded.translate(_ASCII_SPACES).split()
    chars = (" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in folded)
    return "".join(chars).split()


_ASCII_SPACES = {i: " " for i in range(128) if unicodedata.category(chr(i))[0] in "PSZC"}


def phrase_words(phrase: str) -> tuple[list[str], bool]:
    """A rubric phrase's words, and whether its last word matches as a prefix."""
    stripped = phrase.strip()
    prefix = stripped.endswith("*")
    return normalise(stripped.rstrip("*")), prefix


def match_phrase(phrase: str, words: Sequence[str]) -> bool:
    """Whether a rubric phrase occurs in normalised words, on word boundaries.

    A phrase ending in `*` matches its last word as a prefix ("challeng*" matches
    "challenging").
    """
    wanted, prefix = phrase_words(phrase)
    if not wanted:
        return False
    n = len(wanted)
    for start in range(len(words) - n + 1):
        window = words[start : start + n]
        if window[:-1] != wanted[:-1]:
            continue
        last = window[-1]
        if last == wanted[-1] or (prefix and last.startswith(wanted[-1])):
            return True
    return False

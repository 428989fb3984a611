"""Learner ids: the folder name a learner's name is given, and the name as it is kept."""

from __future__ import annotations

import re
import unicodedata

from trainer.errors import SaveError

MAX_NAME = 200
"""Longest learner name kept; the slug is shorter still."""
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{n}" for p in ("com", "lpt") for n in range(10)
}


def learner_slug(name: str) -> str:
    """The learner id for a name: lower-case ASCII letters, digits, `-`; 64 characters at most.

    Letters are transliterated (python-slugify with text-unidecode, named so that an installed
    Unidecode cannot change anyone's id): "Łukasz Żółw" is `lukasz-zolw`, "Дмитрий Волков"
    `dmitrii-volkov`, "王小明" `wang-xiao-ming`. A name is text, not HTML: `&amp;` is not
    read as an entity."""
    slug = _ascii_slug(name) if name.isascii() else _library_slug(name)
    if not slug:
        return "learner"
    if slug in _WINDOWS_RESERVED:  # a folder Windows cannot create
        return f"{slug}-learner"
    return slug


def _library_slug(name: str) -> str:
    """python-slugify's slug of a name, as learner ids are made."""
    # python-slugify is slow to import (a pattern of every HTML entity name is
    # compiled): paid when a name that is not plain ASCII is first made a folder name.
    from slugify import slugify

    return slugify(
        name,
        entities=False,
        decimal=False,
        hexadecimal=False,
        max_length=64,
        backend="text-unidecode",
    ).strip("-")


def _ascii_slug(name: str) -> str:
    """`_library_slug` of a plain ASCII name, without importing python-slugify: for ASCII
    text its legacy pipeline comes down to these steps (quotes to `-`, lower case, commas
    between digits dropped, other characters to `-`, then 64 characters at most). Most names
    typed at the sign-in are ASCII, and the first frame of a new learner's play comes
    sooner (docs/performance.md); tests/saves/test_learner_ids.py checks the two agree on
    generated names."""
    text = re.sub(r"'+", "-", name).lower()
    text = re.sub(r"(?<=\d),(?=\d)", "", text)
    text = re.sub(r"[^-a-z0-9]+", "-", text)
    text = re.sub(r"-{2,}", "-", text).strip("-")
    return text[:64].strip("-")


def slug_before_transliteration(name: str) -> str:
    """The learner id this name was given before ids were transliterated: letters with no
    ASCII base dropped ("Łukasz Żółw" was `ukasz-zow`, a Cyrillic name `learner`)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:64].strip("-")
    if not slug:
        return "learner"
    return f"{slug}-learner" if slug in _WINDOWS_RESERVED else slug


def same_name(a: str, b: str) -> bool:
    """Whether two names are one learner's: the same letters, whatever their case and spacing."""
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def clean_name(name: str) -> str:
    """A learner name as it is kept: printable, trimmed, not absurdly long.

    Raises:
        SaveError: nothing is left of the name.
    """
    printable = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    cleaned = " ".join(printable.split())[:MAX_NAME]
    if not cleaned:
        raise SaveError("a learner name is needed")
    return cleaned

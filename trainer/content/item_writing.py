"""Item-writing checks (format 2): options that give the answer away without the case.

A trainee who has not weighed the case can still score well when the right
option is the longest, when a multiple decision holds almost nothing to leave
out, when what was done at the time is always wrong, when an option reads
"all of the above", or when a decision that keeps the file's order
(`shuffle = false`) puts the right answer where a trainee learns to look for it.
Each check is one pass over the decisions.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeAlias

from trainer.engine.wording import match_phrase, normalise

if TYPE_CHECKING:
    from trainer.content.locate import Path

Flaw: TypeAlias = "tuple[str, Path, str]"
"""A warning code, the key path it is about, and the message."""

GIVEAWAYS = ("all of the above", "none of the above")
"""Option texts that let a trainee answer from the other options rather than from the case."""
_LAST_WORDS = frozenset(phrase.split()[-1] for phrase in GIVEAWAYS)


def item_flaws(decisions: Iterable[dict[str, Any]]) -> list[Flaw]:
    """Every item-writing flaw in the module's decisions (checked tables, in file order)."""
    flaws: list[Flaw] = []
    tally = _Tally()
    for decision in decisions:
        kind = decision.get("kind")
        options: list[dict[str, Any]] = decision.get("options", [])
        if kind in ("single", "multiple", "rank") and len(options) >= 2:
            flaws.extend(_decision_flaws(decision, kind, options, tally))
    flaws.extend(tally.flaws())
    return flaws


def _decision_flaws(
    decision: dict[str, Any], kind: str, options: list[dict[str, Any]], tally: _Tally
) -> list[Flaw]:
    """The flaws of one choice or rank decision; a scored one is counted in the tally."""
    flaws = [flaw for option in options for flaw in _giveaway(option)]
    best = _best(kind, options)
    if best is None:
        return flaws  # a poll, or options not yet sound: nothing to give away
    scored = decision.get("scored", True) is True
    if kind == "single" and scored:
        flaws.extend(_much_longer(options, best))
    if kind == "multiple":
        flaws.extend(_little_to_leave_out(decision["_path"], options))
    if scored:
        tally.add(decision, kind, options, best)
    return flaws


class _Tally:
    """What the checks across the module count in the scored choice and rank decisions (a
    plain class: `trainer validate` imports no dataclasses, as `problems.Report` says)."""

    def __init__(self) -> None:
        self.counted = 0
        self.longest: list[tuple[Path, str]] = []
        """The decisions whose best option is the longest: (path, id)."""
        self.happened: list[tuple[Path, bool]] = []
        """The decisions that mark what happened: (path of the mark, whether it is
        contrary)."""

    def add(
        self,
        decision: dict[str, Any],
        kind: str,
        options: list[dict[str, Any]],
        best: list[dict[str, Any]],
    ) -> None:
        """Count one scored decision."""
        self.counted += 1
        if _longest_is_best(options, best):
            self.longest.append((decision["_path"], str(decision.get("id"))))
        marked = [o for o in options if o.get("happened") is True and "verdict" in o]
        if kind != "rank" and marked:
            self.happened.append((marked[0]["_path"] + ("happened",), _all_contrary(marked)))

    def flaws(self) -> list[Flaw]:
        """W409 when the best option is the longest in most decisions; W411 when what
        happened is contrary wherever it is marked."""
        flaws: list[Flaw] = []
        longest = self.longest
        if longest and 2 * len(longest) > self.counted:
            shown = ", ".join(repr(i) for _, i in longest[:6]) + (
                ", ..." if len(longest) > 6 else ""
            )
            flaws.append(
                (
                    "W409",
                    longest[0][0],
                    f"the aligned (or top-ranked) option is the longest in {len(longest)} of "
                    f"{self.counted} scored choice and rank decisions ({shown}): trainees learn "
                    "to choose the longest; vary which option is longest",
                )
            )
        happened = self.happened
        if happened and all(contrary for _, contrary in happened):
            flaws.append(
                (
                    "W411",
                    happened[0][0],
                    f"the option marked happened is contrary in every scored decision that "
                    f"marks one ({len(happened)}): a trainee who knows how the case went can "
                    "guess; mark what was done where it was sound too, or leave happened off",
                )
            )
        return flaws


def _length(option: dict[str, Any]) -> int:
    text = option.get("text")
    return len(" ".join(text.split())) if isinstance(text, str) else 0


def _best(kind: str, options: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The options the review would choose (aligned, or ranked first); None if not judged."""
    if kind == "rank":
        return _ranked_first(options)
    if not all("verdict" in o for o in options):
        return None
    return [o for o in options if o["verdict"] == "aligned"] or None


def _ranked_first(options: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The options ranked first; None when a rank is not yet sound."""
    if not all(isinstance(o.get("rank"), int) for o in options):
        return None
    return [o for o in options if o["rank"] == 1] or None


def _much_longer(options: list[dict[str, Any]], best: list[dict[str, Any]]) -> list[Flaw]:
    flaws: list[Flaw] = []
    for aligned in best:
        length = _length(aligned)
        others = [_length(o) for o in options if o is not aligned]
        if others and all(4 * length > 5 * other for other in others):
            flaws.append(
                (
                    "W408",
                    aligned["_path"] + ("text",),
                    f"the aligned option {aligned.get('id')!r} is {length} characters, more "
                    f"than a quarter longer than every other (the longest other is "
                    f"{max(others)}): trainees learn to choose the longest; shorten it or "
                    "write the others out as fully",
                )
            )
    return flaws


def _longest_is_best(options: list[dict[str, Any]], best: list[dict[str, Any]]) -> bool:
    """Whether the longest option (every one of them, on a tie) is one the review would choose."""
    lengths = [_length(o) for o in options]
    most = max(lengths)
    return all(
        any(o is b for b in best)
        for o, length in zip(options, lengths, strict=True)
        if length == most
    )


def _little_to_leave_out(path: Path, options: list[dict[str, Any]]) -> list[Flaw]:
    left = sum(o["verdict"] != "aligned" for o in options)
    if left >= 2:
        return []
    return [
        (
            "W410",
            path,
            f"only {left} of {len(options)} options is not aligned: choosing every option "
            "scores well; offer at least two the review would not support",
        )
    ]


def _all_contrary(marked: list[dict[str, Any]]) -> bool:
    return all(o["verdict"] == "contrary" for o in marked)


def _giveaway(option: dict[str, Any]) -> list[Flaw]:
    text = option.get("text")
    if not isinstance(text, str):
        return []
    # The words read are in the text's NFKC case-folded form, so a text in which no giveaway's
    # last word occurs there cannot read as any: nearly every option is settled without
    # splitting it into words (which, for a text that is not ASCII, looks at each character).
    folded = unicodedata.normalize("NFKC", text).casefold()
    if not any(word in folded for word in _LAST_WORDS):
        return []
    words = normalise(text)
    for phrase in GIVEAWAYS:
        if match_phrase(phrase, words):
            return [
                (
                    "W412",
                    option["_path"] + ("text",),
                    f"option {option.get('id')!r} reads {phrase!r}: a trainee can answer it "
                    "from the other options rather than from the case; write out what it means",
                )
            ]
    return []


def order_flaws(decisions: Iterable[dict[str, Any]]) -> list[Flaw]:
    """Where the order of the options gives the answer away, or `shuffle` means nothing.

    Options are shown shuffled per attempt unless a decision says `shuffle = false`; such a
    decision shows the file's order to every trainee, so the file's order must not tell the
    answer: W414 when the first option is aligned, W415 when a rank decision lists its
    options in rank order. A written (text) decision has no options to shuffle (E308).
    """
    flaws: list[Flaw] = []
    for decision in decisions:
        if "shuffle" not in decision:
            continue
        path = decision["_path"] + ("shuffle",)
        if decision.get("kind") == "text":
            flaws.append(
                (
                    "E308",
                    path,
                    "shuffle is for single, multiple and rank decisions; a text decision has "
                    "no options to shuffle",
                )
            )
        elif decision["shuffle"] is False and len(decision.get("options", [])) >= 2:
            flaws.extend(_kept_order(decision, path))
    return flaws


def _kept_order(decision: dict[str, Any], path: Path) -> list[Flaw]:
    """What the file's order of a decision that keeps it gives away (W414, W415)."""
    kind = decision.get("kind")
    options: list[dict[str, Any]] = decision["options"]
    if kind in ("single", "multiple") and options[0].get("verdict") == "aligned":
        return [
            (
                "W414",
                path,
                "shuffle = false shows every trainee the file's order, and its first "
                f"option {options[0].get('id')!r} is aligned: trainees learn to choose "
                "the first option; put another option first, or let the options shuffle",
            )
        ]
    ranks = [o.get("rank") for o in options]
    if kind == "rank" and ranks == list(range(1, len(options) + 1)):
        return [
            (
                "W415",
                path,
                "shuffle = false shows every trainee the file's order, and it is the rank "
                f"order: pressing 1 to {len(options)} in turn gives the module's order; "
                "list the options in another order, or let them shuffle",
            )
        ]
    return []

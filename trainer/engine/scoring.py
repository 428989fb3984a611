"""Scoring: how an answer compares with the review's findings.

Every rule of the brief's "Scoring" section lives here, once:
single, multiple and text decisions, reflections, and rubric matching.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from trainer.engine.model import (
    Decision,
    Finding,
    Module,
    Option,
    RubricConcept,
    Source,
    Verdict,
)
from trainer.errors import AnswerError


@dataclass(frozen=True)
class LinkedFinding:
    """A finding shown with an answer's feedback, with its source when known."""

    finding: Finding
    source: Source | None


@dataclass(frozen=True)
class ChosenOption:
    """A chosen option, with its own verdict and feedback."""

    option: Option


@dataclass(frozen=True)
class ConceptResult:
    """A rubric concept and whether the answer showed it."""

    concept: RubricConcept
    matched: bool
    finding: LinkedFinding | None


@dataclass(frozen=True)
class Assessment:
    """How one answer compares with the review: verdict, score and the reasons."""

    decision_id: str
    kind: str
    verdict: Verdict | None
    """None when the decision is not judged (see `Decision.judged`)."""
    score: float | None
    scored: bool
    chosen: tuple[ChosenOption, ...] = ()
    """Every chosen option, in the decision's order, each with its own verdict."""
    missed: tuple[Option, ...] = ()
    """Aligned options left out (multiple decisions)."""
    findings: tuple[LinkedFinding, ...] = ()
    """Findings behind the chosen options; for a written answer, behind the missed concepts."""
    concepts: tuple[ConceptResult, ...] = ()
    """Rubric concepts for a written answer, matched or not."""
    reflection_concepts: tuple[ConceptResult, ...] = ()
    """Rubric concepts for the reflection after a choice (feedback only, not scored)."""

    @property
    def judged(self) -> bool:
        """Whether the answer was compared with the review."""
        return self.verdict is not None

    @property
    def concepts_matched(self) -> tuple[str, ...]:
        """Ids of the concepts the written answer showed."""
        return tuple(r.concept.id for r in self.concepts if r.matched)

    @property
    def concepts_missed(self) -> tuple[str, ...]:
        """Ids of the concepts the written answer did not show."""
        return tuple(r.concept.id for r in self.concepts if not r.matched)


def normalise(text: str) -> list[str]:
    """Words of a text after Unicode NFKC, case folding, and punctuation folded to spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    # Punctuation, symbols, separators and controls all become spaces.
    if folded.isascii():
        return folded.translate(_ASCII_SPACES).split()
    chars = (" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in folded)
    return "".join(chars).split()


_ASCII_SPACES = {i: " " for i in range(128) if unicodedata.category(chr(i))[0] in "PSZC"}


def _phrase_words(phrase: str) -> tuple[list[str], bool]:
    """A rubric phrase's words, and whether its last word matches as a prefix."""
    stripped = phrase.strip()
    prefix = stripped.endswith("*")
    return normalise(stripped.rstrip("*")), prefix


def match_phrase(phrase: str, words: Sequence[str]) -> bool:
    """Whether a rubric phrase occurs in normalised words, on word boundaries.

    A phrase ending in `*` matches its last word as a prefix ("challeng*" matches
    "challenging").
    """
    wanted, prefix = _phrase_words(phrase)
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


def match_rubric(
    module: Module, rubric: Iterable[RubricConcept], answer: str
) -> tuple[ConceptResult, ...]:
    """Each rubric concept, matched against an answer or not."""
    words = normalise(answer)
    results = []
    for concept in rubric:
        matched = any(match_phrase(phrase, words) for phrase in concept.any)
        results.append(ConceptResult(concept, matched, _linked(module, concept.finding)))
    return tuple(results)


def verdict_for_score(score: float) -> Verdict:
    """The verdict a multiple or written answer gets from its score."""
    if score >= 1:
        return "aligned"
    if score <= 0:
        return "contrary"
    return "partial"


SINGLE_SCORES: dict[str, float] = {"aligned": 1.0, "partial": 0.5, "contrary": 0.0}


def _linked(module: Module, finding_id: str | None) -> LinkedFinding | None:
    if finding_id is None:
        return None
    finding = module.finding(finding_id)
    if finding is None:
        return None
    return LinkedFinding(finding, module.source(finding.source))


def _findings_of(module: Module, ids: Iterable[str]) -> tuple[LinkedFinding, ...]:
    seen: list[str] = []
    for finding_id in ids:
        if finding_id not in seen:
            seen.append(finding_id)
    linked = (_linked(module, finding_id) for finding_id in seen)
    return tuple(item for item in linked if item is not None)


def assess(
    module: Module,
    decision: Decision,
    choice: Sequence[str] = (),
    text: str | None = None,
    reflection: str | None = None,
) -> Assessment:
    """Compare one answer with the review.

    Args:
        choice: chosen option ids (single and multiple decisions).
        text: the written answer (text decisions).
        reflection: the one-line reason given after a choice, if the decision asks.

    Raises:
        AnswerError: the answer does not fit the decision's kind or options.
    """
    reflection_concepts: tuple[ConceptResult, ...] = ()
    if decision.kind != "text" and decision.reflection and reflection:
        reflection_concepts = match_rubric(module, decision.rubric, reflection)

    if decision.kind == "text":
        if choice:
            raise AnswerError(f"decision {decision.id!r} takes a written answer, not options")
        if not decision.judged:
            return Assessment(decision.id, decision.kind, None, None, decision.scored)
        concepts = match_rubric(module, decision.rubric, text or "")
        score = sum(r.matched for r in concepts) / len(concepts)
        missed_findings = (r.concept.finding for r in concepts if not r.matched)
        return Assessment(
            decision_id=decision.id,
            kind=decision.kind,
            verdict=verdict_for_score(score),
            score=score,
            scored=decision.scored,
            findings=_findings_of(module, (f for f in missed_findings if f)),
            concepts=concepts,
        )

    if text is not None:
        raise AnswerError(f"decision {decision.id!r} takes a choice, not a written answer")
    unknown = [option_id for option_id in choice if decision.option(option_id) is None]
    if unknown:
        raise AnswerError(f"decision {decision.id!r} has no option {unknown[0]!r}")
    if len(set(choice)) != len(choice):
        raise AnswerError(f"decision {decision.id!r}: an option is chosen twice")
    chosen = [option for option in decision.options if option.id in choice]
    if decision.kind == "single" and len(chosen) != 1:
        raise AnswerError(f"decision {decision.id!r} takes exactly one option")
    if decision.kind == "multiple" and not chosen:
        raise AnswerError(f"decision {decision.id!r} takes at least one option")

    if decision.kind == "single":
        verdict: Verdict = chosen[0].verdict
        score = SINGLE_SCORES[verdict]
        missed: tuple[Option, ...] = ()
    else:
        aligned = [o for o in decision.options if o.verdict == "aligned"]
        hits = sum(1 for o in chosen if o.verdict == "aligned")
        wrong = sum(1 for o in chosen if o.verdict == "contrary")
        score = max(0.0, (hits - wrong) / len(aligned)) if aligned else 0.0
        verdict = verdict_for_score(score)
        missed = tuple(o for o in aligned if o not in chosen)

    return Assessment(
        decision_id=decision.id,
        kind=decision.kind,
        verdict=verdict,
        score=score,
        scored=decision.scored,
        chosen=tuple(ChosenOption(option) for option in chosen),
        missed=missed,
        findings=_findings_of(module, (f for option in chosen for f in option.findings)),
        reflection_concepts=reflection_concepts,
    )

"""Scoring: how an answer compares with the review's findings.

Every rule of the brief's "Scoring" section lives here, once:
single, multiple, rank and text decisions, reflections, and rubric matching.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from trainer.engine.model import (
    RANK_ALIGNED,
    RANK_CONTRARY,
    Decision,
    Finding,
    Module,
    Option,
    RubricConcept,
    Source,
    Verdict,
)
from trainer.engine.wording import match_phrase as match_phrase
from trainer.engine.wording import normalise as normalise
from trainer.engine.wording import phrase_words as phrase_words
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
    """Whether the rubric's phrases found it (for a `self` decision: "suggested")."""
    finding: LinkedFinding | None
    ticked: bool = False
    """Whether the trainee ticked it as covered (written answers with `scoring = "self"`)."""

    @property
    def covered(self) -> bool:
        """Whether it counts as covered: ticked where the trainee decides, else matched."""
        return self.ticked if self.self_assessed else self.matched

    self_assessed: bool = False
    """Whether the trainee's ticks decide (`scoring = "self"`)."""


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
    reason_concepts: tuple[ConceptResult, ...] = ()
    """Rubric concepts for the reflection after a choice (feedback only, not scored)."""
    order: tuple[Option, ...] = ()
    """A rank answer: the options in the trainee's order."""
    panel_order: tuple[Option, ...] = ()
    """A rank answer: the options in the review panel's order."""
    happened: Option | None = None
    """The option marked as what was done at the time, if the decision marks one."""

    @property
    def chose_what_happened(self) -> bool | None:
        """Whether the answer included what was done at the time; None if nothing is marked."""
        if self.happened is None:
            return None
        return any(c.option.id == self.happened.id for c in self.chosen)

    @property
    def judged(self) -> bool:
        """Whether the answer was compared with the review."""
        return self.verdict is not None

    @property
    def concepts_matched(self) -> tuple[str, ...]:
        """Ids of the concepts the rubric's phrases found in the written answer."""
        return tuple(r.concept.id for r in self.concepts if r.matched)

    @property
    def concepts_claimed(self) -> tuple[str, ...]:
        """Ids of the concepts the trainee ticked as covered (`scoring = "self"`)."""
        return tuple(r.concept.id for r in self.concepts if r.ticked)

    @property
    def concepts_missed(self) -> tuple[str, ...]:
        """Ids of the concepts the written answer did not cover (ticks decide where they count)."""
        return tuple(r.concept.id for r in self.concepts if not r.covered)


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


def kendall_score(order: Sequence[str], panel: Sequence[str]) -> float:
    """1 − d / (n(n−1)/2), d the number of pairs in the opposite order to the panel's."""
    place = {option_id: index for index, option_id in enumerate(order)}
    n = len(panel)
    if n < 2:
        return 1.0
    discordant = sum(
        1 for i in range(n) for j in range(i + 1, n) if place[panel[i]] > place[panel[j]]
    )
    return 1 - discordant / (n * (n - 1) / 2)


def rank_verdict(score: float) -> Verdict:
    """The verdict of a rank answer: aligned at 0.8 or more, contrary below 0.5, else partly."""
    if score >= RANK_ALIGNED:
        return "aligned"
    if score < RANK_CONTRARY:
        return "contrary"
    return "partial"


def assess(
    module: Module,
    decision: Decision,
    choice: Sequence[str] = (),
    text: str | None = None,
    reason: str | None = None,
    concepts_ticked: Sequence[str] | None = None,
) -> Assessment:
    """Compare one answer with the review.

    Args:
        choice: chosen option ids (single and multiple decisions); for a rank decision,
            every option id in the trainee's order of priority.
        text: the written answer (text decisions).
        reflection: the one-line reason given after a choice, if the decision asks.
        claimed: concept ids the trainee ticked as covered (text decisions with
            `scoring = "self"`); None before they have ticked (nothing claimed).

    Raises:
        AnswerError: the answer does not fit the decision's kind or options.
    """
    if decision.kind == "text":
        return _assess_text(module, decision, choice, text, concepts_ticked)
    if text is not None:
        raise AnswerError(f"decision {decision.id!r} takes a choice, not a written answer")
    _check_choice(decision, choice)
    reason_concepts: tuple[ConceptResult, ...] = ()
    if decision.reason_prompt and reason:
        reason_concepts = match_rubric(module, decision.rubric, reason)
    if decision.kind == "rank":
        return _assess_rank(module, decision, choice, reason_concepts)
    return _assess_choice(module, decision, choice, reason_concepts)


def _check_choice(decision: Decision, choice: Sequence[str]) -> None:
    """AnswerError unless every option chosen is the decision's, and chosen once."""
    unknown = [option_id for option_id in choice if decision.option(option_id) is None]
    if unknown:
        raise AnswerError(f"decision {decision.id!r} has no option {unknown[0]!r}")
    if len(set(choice)) != len(choice):
        raise AnswerError(f"decision {decision.id!r}: an option is chosen twice")


def _assess_choice(
    module: Module,
    decision: Decision,
    choice: Sequence[str],
    reason_concepts: tuple[ConceptResult, ...],
) -> Assessment:
    """A single or multiple answer: one option, or at least one."""
    chosen = [option for option in decision.options if option.id in choice]
    if decision.kind == "single" and len(chosen) != 1:
        raise AnswerError(f"decision {decision.id!r} takes exactly one option")
    if decision.kind == "multiple" and not chosen:
        raise AnswerError(f"decision {decision.id!r} takes at least one option")
    verdict, score, missed = _judge_choice(decision, chosen)
    return Assessment(
        decision_id=decision.id,
        kind=decision.kind,
        verdict=verdict,
        score=score,
        scored=decision.scored,
        chosen=tuple(ChosenOption(option) for option in chosen),
        missed=missed,
        findings=_findings_of(module, (f for option in chosen for f in option.findings)),
        reason_concepts=reason_concepts,
        happened=decision.happened,
    )


def _judge_choice(
    decision: Decision, chosen: list[Option]
) -> tuple[Verdict | None, float | None, tuple[Option, ...]]:
    """The verdict and score of the options chosen, and the aligned options left out (a
    multiple decision); neither verdict nor score when the decision is not judged (a poll)."""
    if not decision.judged:
        return None, None, ()
    if decision.kind == "single":
        verdict = chosen[0].verdict
        return verdict, SINGLE_SCORES[verdict] if verdict is not None else None, ()
    return _judge_multiple(decision, chosen)


def _judge_multiple(
    decision: Decision, chosen: list[Option]
) -> tuple[Verdict, float, tuple[Option, ...]]:
    """A multiple answer's verdict and score (aligned options chosen, less contrary ones, of
    all the aligned), and the aligned options left out."""
    aligned = [o for o in decision.options if o.verdict == "aligned"]
    hits = sum(1 for o in chosen if o.verdict == "aligned")
    wrong = sum(1 for o in chosen if o.verdict == "contrary")
    score = max(0.0, (hits - wrong) / len(aligned)) if aligned else 0.0
    missed = tuple(o for o in aligned if o not in chosen)
    return verdict_for_score(score), score, missed


def _assess_text(
    module: Module,
    decision: Decision,
    choice: Sequence[str],
    text: str | None,
    concepts_ticked: Sequence[str] | None,
) -> Assessment:
    """A written answer: its concepts found by phrases or ticked by the trainee."""
    if choice:
        raise AnswerError(f"decision {decision.id!r} takes a written answer, not options")
    if not decision.judged:
        return Assessment(decision.id, decision.kind, None, None, decision.scored)
    concepts = match_rubric(module, decision.rubric, text or "")
    if decision.claims_concepts:
        concepts = _with_ticks(decision, concepts, concepts_ticked)
    score = sum(r.covered for r in concepts) / len(concepts)
    missed_findings = (r.concept.finding for r in concepts if not r.covered)
    return Assessment(
        decision_id=decision.id,
        kind=decision.kind,
        verdict=verdict_for_score(score),
        score=score,
        scored=decision.scored,
        findings=_findings_of(module, (f for f in missed_findings if f)),
        concepts=concepts,
    )


def _with_ticks(
    decision: Decision, concepts: tuple[ConceptResult, ...], concepts_ticked: Sequence[str] | None
) -> tuple[ConceptResult, ...]:
    """The concepts with the trainee's ticks, which decide (`scoring = "self"`); None
    ticked is nothing claimed."""
    ticked = set(concepts_ticked or ())
    known = {c.id for c in decision.rubric}
    unknown = sorted(ticked - known)
    if unknown:
        raise AnswerError(f"decision {decision.id!r} has no concept {unknown[0]!r}")
    return tuple(replace(r, ticked=r.concept.id in ticked, self_assessed=True) for r in concepts)


def _assess_rank(
    module: Module,
    decision: Decision,
    choice: Sequence[str],
    reason_concepts: tuple[ConceptResult, ...],
) -> Assessment:
    if len(choice) != len(decision.options):
        raise AnswerError(
            f"decision {decision.id!r} takes every option in order ({len(decision.options)})"
        )
    by_id = {o.id: o for o in decision.options}
    panel = decision.panel_order
    score = kendall_score(choice, panel)
    return Assessment(
        decision_id=decision.id,
        kind=decision.kind,
        verdict=rank_verdict(score),
        score=score,
        scored=decision.scored,
        findings=_findings_of(module, (f for o in decision.options for f in o.findings)),
        reason_concepts=reason_concepts,
        order=tuple(by_id[i] for i in choice),
        panel_order=tuple(by_id[i] for i in panel),
    )

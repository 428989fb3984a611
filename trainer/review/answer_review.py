"""One answer's review as plain facts, worked out once: what was asked and answered, how it
compares, what was done at the time, the concepts and the findings by voice.

The Rich feedback and path review (`trainer.texts`), the Markdown debrief
(`trainer.debrief_markdown`) and the report's learner answers (`trainer.cohort.report_page`) each say
these facts in their own form; none of them decides them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from trainer.engine import (
    VOICE_HEADINGS,
    VOICES,
    Answer,
    Assessment,
    ConceptResult,
    Decision,
    LinkedFinding,
    Option,
    ReviewRow,
    Stage,
)
from trainer.review.words import answer_verdict_said, order_name


@dataclass(frozen=True)
class FindingGroup:
    """The findings of one voice, under its heading ("What the review found")."""

    heading: str
    findings: tuple[LinkedFinding, ...]


def by_voice(findings: Sequence[LinkedFinding]) -> tuple[FindingGroup, ...]:
    """Findings grouped by voice, in the brief's order: the review's own words, the review
    as reported, other official findings, then comment; never a comment under the review's
    heading. Voices with no finding are left out."""
    groups = []
    for voice in VOICES:
        group = tuple(f for f in findings if f.finding.heading_voice == voice)
        if group:
            groups.append(FindingGroup(VOICE_HEADINGS[voice], group))
    return tuple(groups)


@dataclass(frozen=True)
class Concepts:
    """Rubric concepts for a written answer or a reason: ticked by the trainee (`ticked`),
    or found by the rubric's phrases."""

    results: tuple[ConceptResult, ...]

    @property
    def ticked(self) -> bool:
        """Whether the trainee's ticks decide (each concept is shown with its tick)."""
        return bool(self.results) and self.results[0].self_assessed

    @property
    def found(self) -> tuple[ConceptResult, ...]:
        """The concepts the phrases found."""
        return tuple(r for r in self.results if r.matched)

    @property
    def missed(self) -> tuple[ConceptResult, ...]:
        """The concepts the phrases did not find."""
        return tuple(r for r in self.results if not r.matched)


@dataclass(frozen=True)
class Placed:
    """One option of a rank decision in the module's order, with the place the trainee gave
    it (None where they did not place it)."""

    place: int
    option: Option
    yours: int | None


@dataclass(frozen=True)
class AnswerReview:
    """An answer (None: not answered) and, where the module is at hand, its assessment."""

    answer: Answer | None
    assessment: Assessment | None = None
    decision: Decision | None = None
    stage: Stage | None = None

    @classmethod
    def of(cls, row: ReviewRow) -> AnswerReview:
        """The review of one decision on the path taken."""
        return cls(row.answer, row.assessment, row.decision, row.stage)

    @property
    def judged(self) -> bool:
        """Whether the answer was compared with the review."""
        return self.answer is not None and self.answer.judged

    @property
    def compared(self) -> Assessment | None:
        """The assessment, where the answer is judged and the module could assess it (not
        where the module changed under the answer): what the reasons are shown from."""
        return self.assessment if self.judged else None

    @property
    def verdict_said(self) -> str:
        """ "✓ Aligned with the review", or "– Recorded, not judged"."""
        return "" if self.answer is None else answer_verdict_said(self.answer)

    @property
    def written(self) -> str:
        """A written answer, as written (empty if there is none)."""
        return "" if self.answer is None else self.answer.text or ""

    @property
    def order_name(self) -> str:
        """Whose order a rank decision's is, to begin a line."""
        return "" if self.decision is None else order_name(self.decision)

    @property
    def happened(self) -> Option | None:
        """What was done at the time, where the decision marks it and the module is at hand
        (a rank answer places every option, so none is said to be chosen)."""
        if self.assessment is None or (self.answer is not None and self.answer.kind == "rank"):
            return None
        return self.assessment.happened

    @property
    def concepts(self) -> Concepts:
        """The written answer's concepts."""
        return Concepts(self.assessment.concepts if self.assessment else ())

    @property
    def reason_concepts(self) -> Concepts:
        """The reason's concepts (feedback only: they do not change the score)."""
        return Concepts(self.assessment.reason_concepts if self.assessment else ())

    @cached_property
    def findings(self) -> tuple[FindingGroup, ...]:
        """The assessment's findings by voice."""
        return by_voice(self.assessment.findings) if self.assessment else ()

    @cached_property
    def places(self) -> tuple[Placed, ...]:
        """A rank answer: the module's order, with the place the trainee gave each option."""
        if self.assessment is None:
            return ()
        mine = {option.id: place for place, option in enumerate(self.assessment.order, 1)}
        return tuple(
            Placed(place, option, mine.get(option.id))
            for place, option in enumerate(self.assessment.panel_order, start=1)
        )

    @property
    def recorded_texts(self) -> dict[str, str]:
        """Each option's text as the save recorded it, by id."""
        answer = self.answer
        return {} if answer is None else {oid: text for oid, text, _ in answer.options}

    @property
    def left_out(self) -> tuple[str, ...]:
        """The aligned options a judged multiple answer left out, as the save recorded them."""
        answer = self.answer
        if answer is None or not answer.judged:
            return ()
        return tuple(
            text
            for option_id, text, verdict in answer.options
            if verdict == "aligned" and option_id not in answer.choice
        )

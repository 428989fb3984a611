"""The engine: the module model, scoring and a play-through. Pure: no Textual, no Rich, no files.

A player asks `PlayThrough.facing()` what the trainee faces, shows it, and
sends back the trainee's move; each move returns a new play-through.
"""

from trainer.engine.answer import NOT_JUDGED, Answer
from trainer.engine.facing import (
    Deciding,
    Draft,
    Facing,
    Feedback,
    Finished,
    Outcome,
    Reading,
    Step,
    steps_of,
)
from trainer.engine.model import (
    DECISION_KINDS,
    END,
    VERDICT_WORDS,
    VERDICTS,
    Debrief,
    Decision,
    Evidence,
    Finding,
    GlossaryEntry,
    Module,
    Option,
    RubricConcept,
    Source,
    Stage,
)
from trainer.engine.playthrough import PlayThrough, ReviewRow, format_time, utc_now
from trainer.engine.scoring import (
    Assessment,
    ChosenOption,
    ConceptResult,
    LinkedFinding,
    assess,
    match_phrase,
    normalise,
    verdict_for_score,
)

__all__ = [
    "DECISION_KINDS",
    "END",
    "NOT_JUDGED",
    "VERDICTS",
    "VERDICT_WORDS",
    "Answer",
    "Assessment",
    "ChosenOption",
    "ConceptResult",
    "Debrief",
    "Deciding",
    "Decision",
    "Draft",
    "Evidence",
    "Facing",
    "Feedback",
    "Finding",
    "Finished",
    "GlossaryEntry",
    "LinkedFinding",
    "Module",
    "Option",
    "Outcome",
    "PlayThrough",
    "Reading",
    "ReviewRow",
    "RubricConcept",
    "Source",
    "Stage",
    "Step",
    "assess",
    "format_time",
    "match_phrase",
    "normalise",
    "steps_of",
    "utc_now",
    "verdict_for_score",
]

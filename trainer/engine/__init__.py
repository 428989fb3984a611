"""The engine: the module model, scoring, a play-through and what is in its case file (with
the genogram's layout). Pure: no Textual, no Rich, no files.

A player asks `PlayThrough.facing()` what the trainee faces, shows it, and
sends back the trainee's move; each move returns a new play-through.

Each name is imported from its own module when first asked for: the module reader needs
the model, not the play-through, and the app's first screen neither. Without a bytecode
cache every module imported is also compiled, at every start.

The imports under `TYPE_CHECKING` below are the one list of the package's names: type
checkers read them as they are, and `lazy_names` is given the same list, read from this
file's text (`_homes`), so that a name is added in one place. Reading them is cheaper than
running them would be: that would import every module of the engine. (SPEC 1's
`lazy_loader.attach_stub` does the same with a stub file.)
"""

from __future__ import annotations

import re
from importlib import import_module
from typing import TYPE_CHECKING

from trainer.lazy import lazy_names

if TYPE_CHECKING:
    from trainer.engine.answer import NOT_JUDGED as NOT_JUDGED
    from trainer.engine.answer import Answer as Answer
    from trainer.engine.case_items import ChronologyEntry as ChronologyEntry
    from trainer.engine.case_items import Document as Document
    from trainer.engine.case_items import Person as Person
    from trainer.engine.case_items import Relation as Relation
    from trainer.engine.casefile import CASE_FILE_SECTIONS as CASE_FILE_SECTIONS
    from trainer.engine.casefile import CaseFile as CaseFile
    from trainer.engine.casefile import KnownDocument as KnownDocument
    from trainer.engine.casefile import KnownEntry as KnownEntry
    from trainer.engine.casefile import KnownEvidence as KnownEvidence
    from trainer.engine.casefile import KnownPerson as KnownPerson
    from trainer.engine.casefile import KnownRelation as KnownRelation
    from trainer.engine.casefile import case_file_at as case_file_at
    from trainer.engine.casefile import has_case_file as has_case_file
    from trainer.engine.clock import format_time as format_time
    from trainer.engine.clock import utc_now as utc_now
    from trainer.engine.facing import Deciding as Deciding
    from trainer.engine.facing import Draft as Draft
    from trainer.engine.facing import Facing as Facing
    from trainer.engine.facing import Feedback as Feedback
    from trainer.engine.facing import Finished as Finished
    from trainer.engine.facing import Outcome as Outcome
    from trainer.engine.facing import Reading as Reading
    from trainer.engine.facing import Step as Step
    from trainer.engine.facing import steps_of as steps_of
    from trainer.engine.genogram import Genogram as Genogram
    from trainer.engine.genogram import person_facts as person_facts
    from trainer.engine.genogram import person_text as person_text
    from trainer.engine.genogram import relation_text as relation_text
    from trainer.engine.genogram_layout import layout_genogram as layout_genogram
    from trainer.engine.genogram_text import draw_genogram as draw_genogram
    from trainer.engine.model import DECISION_KINDS as DECISION_KINDS
    from trainer.engine.model import DOCUMENT_KINDS as DOCUMENT_KINDS
    from trainer.engine.model import END as END
    from trainer.engine.model import ORDER_LABEL as ORDER_LABEL
    from trainer.engine.model import RELATION_KINDS as RELATION_KINDS
    from trainer.engine.model import SCORINGS as SCORINGS
    from trainer.engine.model import SEXES as SEXES
    from trainer.engine.model import SOURCE_KINDS as SOURCE_KINDS
    from trainer.engine.model import VERDICT_WORDS as VERDICT_WORDS
    from trainer.engine.model import VERDICTS as VERDICTS
    from trainer.engine.model import VOICE_HEADINGS as VOICE_HEADINGS
    from trainer.engine.model import VOICES as VOICES
    from trainer.engine.model import Debrief as Debrief
    from trainer.engine.model import Decision as Decision
    from trainer.engine.model import Evidence as Evidence
    from trainer.engine.model import Finding as Finding
    from trainer.engine.model import GlossaryEntry as GlossaryEntry
    from trainer.engine.model import Module as Module
    from trainer.engine.model import Option as Option
    from trainer.engine.model import RubricConcept as RubricConcept
    from trainer.engine.model import Source as Source
    from trainer.engine.model import Stage as Stage
    from trainer.engine.playthrough import PlayThrough as PlayThrough
    from trainer.engine.playthrough import ReviewRow as ReviewRow
    from trainer.engine.scoring import Assessment as Assessment
    from trainer.engine.scoring import ChosenOption as ChosenOption
    from trainer.engine.scoring import ConceptResult as ConceptResult
    from trainer.engine.scoring import LinkedFinding as LinkedFinding
    from trainer.engine.scoring import assess as assess
    from trainer.engine.scoring import match_phrase as match_phrase
    from trainer.engine.scoring import normalise as normalise
    from trainer.engine.scoring import verdict_for_score as verdict_for_score
    from trainer.engine.seen import findings_shown_before as findings_shown_before
    from trainer.engine.seen import findings_shown_with as findings_shown_with
    from trainer.engine.seen import glossary_seen as glossary_seen
    from trainer.engine.seen import skipped_before as skipped_before


def _homes() -> dict[str, str]:
    """The module each name of the package lives in, read from the imports under
    `TYPE_CHECKING` above. Where this file's text cannot be read (an installation that ships
    only bytecode), every module of the package is imported now and each public name found
    in it is taken from there: slower to start, the same names."""
    try:
        with open(__file__, encoding="utf-8") as file:
            source = file.read()
    except (OSError, TypeError):
        return _found_in_modules()
    return {name: home for home, name in _IMPORT.findall(source)}


_IMPORT = re.compile(r"^    from trainer\.engine\.(\w+) import (\w+) as \2$", re.MULTILINE)
"""One name of the block and its module. `X as X` makes it the package's name for the type
checkers (a name imported is not the package's own unless so marked, under mypy's strict
mode); it also keeps the block one name to a line."""


def _found_in_modules() -> dict[str, str]:
    import pkgutil

    found: dict[str, str] = {}
    for info in pkgutil.iter_modules(__path__):
        module = import_module(f"{__name__}.{info.name}")
        for name in dir(module):
            if not name.startswith("_"):
                found.setdefault(name, info.name)
    return found


_HOMES = _homes()
"""The module each name lives in."""
__all__ = sorted(_HOMES)

__getattr__ = lazy_names(__name__, _HOMES)

"""A cohort's records, read from a saves folder alone: filtered, and pseudonymised if asked.

Every exporter, the progress table and the report start here, so the rules
for which attempts count and how learners are pseudonymised live once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

from trainer.engine import Answer
from trainer.errors import TrainerError
from trainer.saves import Attempt, SaveFile, iter_saves
from trainer.terminal import safe

PSEUDONYM_KEY = b"trainer pseudonym v1"
"""Fixed, so pseudonyms are stable across runs and machines: they hide ids, not secure them."""


@dataclass(frozen=True)
class Options:
    """What to include and how."""

    cohort: str | None = None
    module: str | None = None
    all_attempts: bool = False
    anonymise: bool = False
    no_text: bool = False
    homepage: str = "https://trainer.invalid"
    """The xAPI account homePage, and the base of activity ids."""


@dataclass(frozen=True)
class Record:
    """One save's learner and module, with the attempts selected."""

    path: Path
    save: SaveFile
    attempts: tuple[Attempt, ...]

    @property
    def learner_id(self) -> str:
        return self.save.learner.id

    @property
    def learner_name(self) -> str:
        return self.save.learner.name

    @property
    def cohort(self) -> str:
        return self.save.learner.cohort or ""


def pseudonym(learner_id: str) -> str:
    """A stable pseudonym for a learner id: `learner-` and ten hex digits."""
    digest = hmac.new(PSEUDONYM_KEY, learner_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"learner-{digest[:10]}"


def read_records(root: str | Path, options: Options) -> tuple[list[Record], list[str]]:
    """The records under a saves folder, and a warning line for each file skipped (safe to
    print: a file name or message that carries ESC or another control shows its escape).

    Raises:
        TrainerError: the folder does not exist.
    """
    root = Path(root)
    if not root.is_dir():
        raise TrainerError(f"no saves folder at {root}")
    records: list[Record] = []
    warnings: list[str] = []
    for path, result in iter_saves(root):
        if not isinstance(result, SaveFile):
            warnings.append(safe(f"skipped {result}"))
            continue
        save = result
        if options.cohort is not None and (save.learner.cohort or "") != options.cohort:
            continue
        if options.module is not None and save.module.id != options.module:
            continue
        if not save.attempts:
            continue
        attempts = tuple(save.attempts) if options.all_attempts else (save.attempts[-1],)
        if options.anonymise:
            alias = pseudonym(save.learner.id)
            learner = dataclasses.replace(save.learner, id=alias, name=alias)
            save = dataclasses.replace(save, learner=learner)
        records.append(Record(path, save, attempts))
    records.sort(key=lambda r: (r.learner_id, r.save.module.id))
    return records, warnings


def ticks_decided(answer: Answer) -> bool:
    """Whether a judged written answer was compared by the trainee's ticks (`scoring = "self"`).

    Saves record the rule (`scoring`). Older saves do not, so it is read from what was
    recorded: a ticked concept means the ticks decided; so does a concept the phrases
    suggested that counts as missed (the trainee left it unticked). There, a self-compared
    answer with nothing ticked and nothing suggested reads the same as a phrase-compared one
    that matched nothing: False.
    """
    if answer.kind != "text" or not answer.judged:
        return False
    if answer.scoring is not None:
        return answer.scoring == "self"
    if answer.concepts_claimed:
        return True
    return bool(set(answer.concepts_matched) & set(answer.concepts_missed))


def happened_word(answer: Answer) -> str:
    """`yes` if the answer included what was done at the time, `no` if the decision marks
    one and the answer left it out, empty if the decision marks none."""
    chose = answer.chose_what_happened
    return "" if chose is None else ("yes" if chose else "no")

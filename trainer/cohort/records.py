"""A cohort's records, read from a saves folder alone: filtered, and pseudonymised if asked.

Every exporter, the progress table and the report start here, so the rules
for which attempts count and how learners are pseudonymised live once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
from collections.abc import Sequence
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


def plural(count: int, word: str, words: str | None = None) -> str:
    """A count and its noun: `1 save`, `2 saves`, `0 saves` (`words` where `s` is not it)."""
    return f"{count} {word if count == 1 else words or word + 's'}"


def pseudonym(learner_id: str) -> str:
    """A stable pseudonym for a learner id: `learner-` and ten hex digits."""
    digest = hmac.new(PSEUDONYM_KEY, learner_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"learner-{digest[:10]}"


def read_records(
    roots: str | Path | Sequence[str | Path], options: Options
) -> tuple[list[Record], list[str]]:
    """The records under one saves folder or several, and a warning line for each file skipped
    (safe to print: a file name or message that carries ESC or another control shows its
    escape).

    Several folders are read as one: a folder given twice is read once, and a learner's save
    of a module found twice (in two folders, or copied loose beside the learner's folder) is
    counted once, the copy with the later answers, the other named as skipped unless the two
    are the same. A save whose learner id is another learner's (another name) in a save read
    before it is skipped and named: exports and statements know a learner by id alone.

    Raises:
        TrainerError: a folder does not exist, or `--cohort` or `--module` matched no save
            (the message names the cohorts or modules there are).
    """
    folders = saves_folders(roots)
    found: dict[tuple[str, str], Record] = {}
    warnings: list[str] = []
    cohorts: set[str] = set()
    modules: set[str] = set()
    for root in folders:
        for path, result in iter_saves(root):
            if not isinstance(result, SaveFile):
                warnings.append(safe(f"skipped {result}"))
                continue
            save = result
            cohorts.add(save.learner.cohort or "")
            modules.add(save.module.id)
            if options.cohort is not None and (save.learner.cohort or "") != options.cohort:
                continue
            if options.module is not None and save.module.id != options.module:
                continue
            if not save.attempts:
                continue
            key = (save.learner.id, save.module.id)
            before = found.get(key)
            if before is not None:
                kept, why = _one_of(before, Record(path, save, ()))
                if why:
                    warnings.append(safe(why))
                if kept is before:
                    continue
            found[key] = Record(path, save, ())
    if not found and (options.cohort is not None or options.module is not None):
        raise TrainerError(_nothing_matched(options, folders, cohorts, modules))
    records = []
    for record in found.values():
        save = record.save
        attempts = tuple(save.attempts) if options.all_attempts else (save.attempts[-1],)
        if options.anonymise:
            alias = pseudonym(save.learner.id)
            learner = dataclasses.replace(save.learner, id=alias, name=alias)
            save = dataclasses.replace(save, learner=learner)
        records.append(Record(record.path, save, attempts))
    records.sort(key=lambda r: (r.learner_id, r.save.module.id))
    return records, warnings


def saves_folders(roots: str | Path | Sequence[str | Path]) -> list[Path]:
    """The saves folders given, each once (by where it really is), in the order given.

    Raises:
        TrainerError: one does not exist.
    """
    given = [roots] if isinstance(roots, str | Path) else list(roots)
    folders: list[Path] = []
    seen: set[Path] = set()
    for root in map(Path, given):
        if not root.is_dir():
            raise TrainerError(f"no saves folder at {root}")
        where = root.resolve()
        if where not in seen:
            seen.add(where)
            folders.append(root)
    return folders


def _one_of(first: Record, second: Record) -> tuple[Record, str | None]:
    """Which of two saves with one learner id and module counts, and why the other is skipped
    (None when the two hold the same attempts: one file copied, nothing lost)."""
    a, b = first.save, second.save
    if " ".join(a.learner.name.casefold().split()) != " ".join(b.learner.name.casefold().split()):
        return first, (
            f"skipped {second.path}: its learner id {b.learner.id} is {a.learner.name}'s in "
            f"{first.path} (another name); read that folder on its own"
        )
    if a.to_data()["attempts"] == b.to_data()["attempts"]:
        return first, None
    kept, other = (second, first) if _last_activity(b) > _last_activity(a) else (first, second)
    return kept, (
        f"skipped {other.path}: {kept.path} holds the same learner's save of "
        f"{kept.save.module.id}, with later answers"
    )


def _last_activity(save: SaveFile) -> str:
    times = [""]
    for attempt in save.attempts:
        times += [attempt.started_at, attempt.finished_at or ""]
        times += [answer.answered_at for answer in attempt.answers]
    return max(times)


def _nothing_matched(
    options: Options, folders: list[Path], cohorts: set[str], modules: set[str]
) -> str:
    """One line: what matched nothing, where, and what there is."""
    asked = []
    if options.cohort is not None:
        asked.append(f"cohort '{options.cohort}'")
    if options.module is not None:
        asked.append(f"module '{options.module}'")
    where = ", ".join(str(folder) for folder in folders)
    line = f"no saves of {' and '.join(asked)} in {where}"
    there = []
    if options.cohort is not None:
        there.append(f"cohorts: {_listed(cohorts, '(none)')}")
    if options.module is not None:
        there.append(f"modules: {_listed(modules, '')}")
    return f"{line} ({'; '.join(there)})" if cohorts or modules else f"{line} (it holds no saves)"


def _listed(values: set[str], empty_as: str, most: int = 8) -> str:
    names = sorted(value or empty_as for value in values)
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


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

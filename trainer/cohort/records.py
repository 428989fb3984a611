"""A cohort's records, read from a saves folder alone: filtered, and pseudonymised if asked.

Every exporter, the progress table and the report start here, so the rules
for which attempts count and how learners are pseudonymised live once.

Which attempt counts: each learner's latest finished attempt at a module, with the
attempt in progress after it, if any, shown beside it and never in its place (a trainee
who starts again has not undone what they finished); a learner who has finished none is
counted by their latest attempt. `--all-attempts` exports every attempt.

A cohort can be a hundred thousand saves, so the commands never hold it: `select` reads
the saves one at a time and hands each record to the command, which turns it into what it
will write (CSV rows, a JSON fragment, a table row) as bytes; those are kept in a spool, an
unnamed temporary file, with a short key per save, sorted in runs on disk (`Sorter`). Once
every save is read, the keys say which copy of a save found twice counts and in what order
the kept records are written, and the command reads them back from the spool in that
order. What stays in memory is a few numbers per save (8 bytes each).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import msgspec

from trainer.cohort.gather import count_once, save_paths_of
from trainer.cohort.gather import pseudonym as pseudonym
from trainer.cohort.gather import saves_folders as saves_folders
from trainer.cohort.rescore import Rescorer
from trainer.cohort.spooling import Selection as Selection
from trainer.cohort.spooling import Sorter as Sorter
from trainer.cohort.spooling import Spool as Spool
from trainer.cores import ordered_map
from trainer.engine import Answer, Module
from trainer.errors import TrainerError
from trainer.sanitise import safe
from trainer.saves import Attempt, SaveFile
from trainer.saves.scan import read_listed

BATCH = 200
"""Saves a worker reads per task, `on_cores`: enough that passing them costs little."""
AT_LEAST = 1000
"""Fewer saves than this are read in one process, even `on_cores`: a pool's start costs more."""


@dataclass(frozen=True)
class Options:
    """What to include and how."""

    cohort: str | None = None
    module: str | None = None
    all_attempts: bool = False
    """Every attempt; else those `counted_attempts` keeps."""
    anonymise: bool = False
    no_text: bool = False
    homepage: str = "https://trainer.invalid"
    """The xAPI account homePage, and the base of activity ids."""
    modules: Callable[[str], Module | None] | None = None
    """Where to find a module by id, to judge the answers again (`rescore`); None: the
    scores are taken as saved."""


@dataclass(frozen=True)
class Record:
    """One save's learner and module, with the attempts selected."""

    path: Path
    save: SaveFile
    attempts: tuple[Attempt, ...]

    @property
    def learner_id(self) -> str:
        """The learner's id (a pseudonym where anonymised)."""
        return self.save.learner.id

    @property
    def learner_name(self) -> str:
        """The learner's name (a pseudonym where anonymised)."""
        return self.save.learner.name

    @property
    def cohort(self) -> str:
        """The learner's cohort; empty for none."""
        return self.save.learner.cohort or ""

    @property
    def counted(self) -> Attempt:
        """The attempt that counts: the latest finished one selected, else the latest."""
        return next((a for a in reversed(self.attempts) if a.finished), self.attempts[-1])

    @property
    def in_progress(self) -> Attempt | None:
        """The attempt in progress after the one that counts, shown beside it; None if the
        latest attempt is the one that counts."""
        latest = self.attempts[-1]
        return None if latest is self.counted else latest


def counted_attempts(attempts: Sequence[Attempt]) -> tuple[Attempt, ...]:
    """Of a learner's attempts at a module (in order, at least one), those the cohort
    commands count: the latest finished one, then the attempt in progress after it, if
    there is one; the latest alone if none is finished. An unfinished attempt between the
    two was left for a new one, and is not shown."""
    latest = attempts[-1]
    finished = next((a for a in reversed(attempts) if a.finished), None)
    return (latest,) if finished is None or finished is latest else (finished, latest)


def plural(count: int, word: str, words: str | None = None) -> str:
    """A count and its noun: `1 save`, `2 saves`, `0 saves` (`words` where `s` is not it)."""
    return f"{count} {word if count == 1 else words or word + 's'}"


def read_records(
    roots: str | Path | Sequence[str | Path], options: Options
) -> tuple[list[Record], list[str]]:
    """The records under one saves folder or several, in learner and module order, and a
    warning line for each file skipped: `select`'s records, all in memory at once (for a
    caller that needs them together; the cohort commands stream them instead).

    Raises:
        TrainerError: as `select`.
    """
    held: list[Record] = []

    def hold(record: Record) -> bytes:
        held.append(record)
        return b""

    with select(roots, options, hold) as selection:
        return [held[number] for number in selection.order], selection.warnings


def select(
    roots: str | Path | Sequence[str | Path],
    options: Options,
    keep: Callable[[Record], bytes],
    order: Callable[[Record], Sequence[Any]] | None = None,
    *,
    on_cores: bool = False,
) -> Selection:
    """Read the saves under one folder or several, one at a time: each record selected is
    given to `keep`, and what it returns is kept (in a spool on disk, not in memory) to be
    read back, once every save is read, from the `Selection` returned.

    Several folders are read as one: a folder given twice is read once, and a learner's save
    of a module found twice (in two folders, or copied loose beside the learner's folder) is
    counted once, the copy with the later answers, the other named as skipped unless the two
    are the same. A save whose learner id is another learner's (another name) in a save read
    before it is skipped and named: exports and statements know a learner by id alone. (The
    copies of a save found twice are read again to be compared, as only keys are kept.)

    The records kept come back in learner and module order (pseudonyms when anonymised), or
    in the order of the values `order` gives for each record (texts, numbers, booleans);
    records with the same values keep the order in which their saves were first read.
    Warnings (safe to print: a file name or message that carries ESC or another control
    shows its escape) come in the order the files were read.

    With `on_cores`, the saves are read, and `keep` and `order` given their records, by
    worker processes, one per core (`trainer.cores`): for a `keep` and `order` that change
    nothing outside what they return. The selection is the same, byte for byte.

    Raises:
        TrainerError: a folder does not exist, or `--cohort` or `--module` matched no save
            (the message names the cohorts or modules there are).
        UsageError: `TRAINER_JOBS` is not a whole number from 1 (with `on_cores`).
    """
    folders = saves_folders(roots)
    spool = Spool()
    try:
        return _select(folders, options, keep, order, spool, on_cores)
    except BaseException:
        spool.close()
        raise


def _select(
    folders: list[Path],
    options: Options,
    keep: Callable[[Record], bytes],
    order: Callable[[Record], Sequence[Any]] | None,
    spool: Spool,
    on_cores: bool,
) -> Selection:
    reading = _Reading(options, keep, order, spool)
    try:
        paths = itertools.chain.from_iterable(map(save_paths_of, folders))
        if on_cores:
            looks = ordered_map(reading.look, paths, batch=BATCH, at_least=AT_LEAST)
        else:
            looks = map(reading.look, paths)
        for look in looks:
            reading.settle(look)
        if not len(spool) and (options.cohort is not None or options.module is not None):
            raise TrainerError(_nothing_matched(options, folders, reading.cohorts, reading.modules))
        notes = reading.notes
        kept, learners = count_once(reading.keys, reading.paths, options, notes, reading.reorder)
        notes.sort(key=lambda note: note[:2])
        return Selection(spool, kept, [line for _, _, line in notes], learners)
    finally:
        reading.paths.close()


class _Reading:
    """`select` as it reads: the blobs kept (in `spool`), each one's path, a sort key per
    record, the notes to give, and every cohort and module met."""

    def __init__(
        self,
        options: Options,
        keep: Callable[[Record], bytes],
        order: Callable[[Record], Sequence[Any]] | None,
        spool: Spool,
    ) -> None:
        self.options, self.keep, self.order, self.spool = options, keep, order, spool
        self.paths = Spool()
        # Per record kept: its learner and module ids (as in the file, pseudonymised or not),
        # its number (its blob's in the spool) and the texts it is ordered by, so that
        # sorted, the copies of one save are side by side, in the order read.
        self.keys = Sorter()
        self.reorder = order is not None or options.anonymise
        self.notes: list[tuple[int, int, str]] = []  # (before or at which record, 0 or 1, line)
        self.cohorts: set[str] = set()
        self.modules: set[str] = set()
        self.rescorer = Rescorer(options.modules) if options.modules is not None else None

    def look(self, path: Path) -> _Look:
        """One save read and, if it is selected, given to `keep` (and `order`): all that
        reading it does that needs nothing read before it, so workers can do it."""
        result = read_listed(path)
        if not isinstance(result, SaveFile):
            return _Look(path, safe(f"skipped {result}"))
        save = result
        look = _Look(path, None, save.learner.cohort or "", save.module.id)
        if not self._wanted(look):
            return look
        disagreed = None
        if self.rescorer is not None:
            rescored = self.rescorer.rescore(save)
            save = rescored.save
            if rescored.disagreed:
                disagreed = _disagreed(path, rescored.disagreed)
        if not save.attempts:
            return look._replace(disagreed=disagreed)
        record = _selected(path, save, self.options)
        shown: tuple[Any, ...] = ()
        if self.reorder:
            shown = tuple(self.order(record) if self.order else _shown(record))
        ids = (save.learner.id, save.module.id)
        return look._replace(disagreed=disagreed, blob=self.keep(record), ids=ids, shown=shown)

    def settle(self, look: _Look) -> None:
        """What a save's look means for the selection: its notes, the cohort and module met,
        and its blob kept, with its key."""
        if look.skipped is not None:
            self.notes.append((len(self.spool), 0, look.skipped))
            return
        self.cohorts.add(look.cohort)
        self.modules.add(look.module)
        if look.disagreed is not None:
            self.notes.append((len(self.spool), 0, look.disagreed))
        if look.blob is None:
            return
        number = self.spool.append(look.blob)
        self.paths.append(os.fsencode(look.path))
        self.keys.add((look.ids, number, look.shown))

    def _wanted(self, look: _Look) -> bool:
        """Whether the save is of the cohort and module asked for."""
        if self.options.cohort is not None and look.cohort != self.options.cohort:
            return False
        return self.options.module is None or look.module == self.options.module


class _Look(NamedTuple):
    """What `_Reading.look` found of one save: the note if it was skipped; else its cohort
    and module (each met, wanted or not); the note if its stored scores disagreed; and, if it
    is kept, what `keep` made of it, its learner and module ids and the values it is ordered
    by."""

    path: Path
    skipped: str | None
    cohort: str = ""
    module: str = ""
    disagreed: str | None = None
    blob: bytes | None = None
    ids: tuple[str, str] = ("", "")
    shown: tuple[Any, ...] = ()


def _disagreed(path: Path, count: int) -> str:
    """The line that says a save's stored scores were not those its answers earn."""
    scores = plural(count, "stored score")
    return safe(
        f"{path}: {scores} disagreed with the answers and the module; "
        "the scores the answers earn are used"
    )


def _selected(path: Path, save: SaveFile, options: Options) -> Record:
    """A save's record: the attempts asked for, pseudonymised if asked."""
    attempts = tuple(save.attempts) if options.all_attempts else counted_attempts(save.attempts)
    if options.anonymise:
        alias = pseudonym(save.learner.id)
        learner = msgspec.structs.replace(save.learner, id=alias, name=alias)
        save = msgspec.structs.replace(save, learner=learner)
    return Record(path, save, attempts)


def _shown(record: Record) -> tuple[str, str]:
    return record.learner_id, record.save.module.id


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

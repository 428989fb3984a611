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

import dataclasses
import hashlib
import heapq
import hmac
import itertools
import marshal
import os
import tempfile
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from trainer.cohort.rescore import Rescorer
from trainer.engine import Answer, Module
from trainer.errors import SaveError, TrainerError
from trainer.saves import Attempt, SaveFile, read_save
from trainer.saves.scan import is_dir_entry, is_save_name, read_saves
from trainer.terminal import safe

PSEUDONYM_KEY = b"trainer pseudonym v1"
"""Fixed, so pseudonyms are stable across runs and machines: they hide ids, not secure them."""


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
        return self.save.learner.id

    @property
    def learner_name(self) -> str:
        return self.save.learner.name

    @property
    def cohort(self) -> str:
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


def pseudonym(learner_id: str) -> str:
    """A stable pseudonym for a learner id: `learner-` and ten hex digits."""
    digest = hmac.new(PSEUDONYM_KEY, learner_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"learner-{digest[:10]}"


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

    Raises:
        TrainerError: a folder does not exist, or `--cohort` or `--module` matched no save
            (the message names the cohorts or modules there are).
    """
    folders = saves_folders(roots)
    spool = Spool()
    try:
        return _select(folders, options, keep, order, spool)
    except BaseException:
        spool.close()
        raise


def _select(
    folders: list[Path],
    options: Options,
    keep: Callable[[Record], bytes],
    order: Callable[[Record], Sequence[Any]] | None,
    spool: Spool,
) -> Selection:
    paths = Spool()
    try:
        # Per record kept: its learner and module ids (as in the file, pseudonymised or not),
        # its number (its blob's in the spool) and the texts it is ordered by, so that
        # sorted, the copies of one save are side by side, in the order read.
        keys = Sorter()
        reorder = order is not None or options.anonymise
        notes: list[tuple[int, int, str]] = []  # (before or at which record, 0 or 1, line)
        cohorts: set[str] = set()
        modules: set[str] = set()
        rescorer = Rescorer(options.modules) if options.modules is not None else None
        for root in folders:
            for path, result in read_saves(_save_paths(root)):
                if not isinstance(result, SaveFile):
                    notes.append((len(spool), 0, safe(f"skipped {result}")))
                    continue
                save = result
                cohort = save.learner.cohort or ""
                cohorts.add(cohort)
                modules.add(save.module.id)
                if options.cohort is not None and cohort != options.cohort:
                    continue
                if options.module is not None and save.module.id != options.module:
                    continue
                if rescorer is not None:
                    rescored = rescorer.rescore(save)
                    save = rescored.save
                    if rescored.disagreed:
                        notes.append((len(spool), 0, _disagreed(path, rescored.disagreed)))
                if not save.attempts:
                    continue
                record = _selected(path, save, options)
                number = spool.append(keep(record))
                paths.append(os.fsencode(path))
                shown = () if not reorder else tuple(order(record) if order else _shown(record))
                keys.add(((save.learner.id, save.module.id), number, shown))
        if not len(spool) and (options.cohort is not None or options.module is not None):
            raise TrainerError(_nothing_matched(options, folders, cohorts, modules))
        kept, learners = _count_once(keys, paths, options, notes, reorder)
        notes.sort(key=lambda note: note[:2])
        return Selection(spool, kept, [line for _, _, line in notes], learners)
    finally:
        paths.close()


def _disagreed(path: Path, count: int) -> str:
    """The line that says a save's stored scores were not those its answers earn."""
    scores = plural(count, "stored score")
    return safe(
        f"{path}: {scores} disagreed with the answers and the module; "
        "the scores the answers earn are used"
    )


def _save_paths(root: Path) -> Iterator[Path]:
    """`saves.save_paths(root)`, one at a time: a learner folder's saves, sorted by name, in
    the place of the folder among the loose saves (`*.toml`) beside it, sorted by name (as
    sorted paths come). Hidden names are left out; a symbolic link to a folder is listed
    itself, never followed."""
    entries = Sorter()
    try:
        with os.scandir(root) as scan:
            for entry in scan:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    entries.add((entry.name, True))
                elif is_save_name(entry.name) or (entry.is_symlink() and is_dir_entry(entry)):
                    entries.add((entry.name, False))
    except OSError:
        return
    for name, is_folder in entries:
        if not is_folder:
            yield root / name
            continue
        folder = root / name
        try:
            with os.scandir(folder) as scan:
                names = sorted(entry.name for entry in scan if is_save_name(entry.name))
        except OSError:
            continue
        for save_name in names:
            yield folder / save_name


def _selected(path: Path, save: SaveFile, options: Options) -> Record:
    """A save's record: the attempts asked for, pseudonymised if asked."""
    attempts = tuple(save.attempts) if options.all_attempts else counted_attempts(save.attempts)
    if options.anonymise:
        alias = pseudonym(save.learner.id)
        learner = dataclasses.replace(save.learner, id=alias, name=alias)
        save = dataclasses.replace(save, learner=learner)
    return Record(path, save, attempts)


def _shown(record: Record) -> tuple[str, str]:
    return record.learner_id, record.save.module.id


def _count_once(
    keys: Sorter,
    paths: Spool,
    options: Options,
    notes: list[tuple[int, int, str]],
    reorder: bool,
) -> tuple[array[int], int]:
    """Walk the sorted keys: each save once (of copies, the one `_one_of` keeps). Returns the
    numbers kept, in the order they are written (by their texts, then the first copy read),
    and how many learners there are (distinct ids as shown: pseudonyms when anonymised)."""
    kept = array("q")
    reordered = Sorter()
    aliases = Sorter()
    count = 0
    previous = None
    for ids, group in itertools.groupby(keys, key=lambda key: key[0]):
        copies = list(group)
        numbers = [number for _, number, _ in copies]
        survivor = numbers[0] if len(numbers) == 1 else _one_copy(numbers, paths, notes)
        if survivor is None:
            continue
        shown = next(texts for _, number, texts in copies if number == survivor)
        if reorder:
            reordered.add((shown, numbers[0], survivor))
        else:
            kept.append(survivor)
        if options.anonymise:
            aliases.add(pseudonym(ids[0]))
        elif ids[0] != previous:
            count += 1
        previous = ids[0]
    if reorder:
        kept.extend(survivor for _, _, survivor in reordered)
    if options.anonymise:
        count = sum(1 for _ in itertools.groupby(aliases))
    return kept, count


def _one_copy(numbers: list[int], paths: Spool, notes: list[tuple[int, int, str]]) -> int | None:
    """Of the records of one save found more than once (numbers in the order read), the one
    that counts: each copy is read again, and `_one_of` decides as copies are met."""
    found: Record | None = None
    kept = None
    for number in numbers:
        path = Path(os.fsdecode(paths[number]))
        try:
            record = Record(path, read_save(path), ())
        except SaveError as error:  # changed since it was first read
            notes.append((number, 1, safe(f"skipped {error}")))
            continue
        if found is None:
            found, kept = record, number
            continue
        winner, why = _one_of(found, record)
        if why:
            notes.append((number, 1, safe(why)))
        if winner is record:
            found, kept = record, number
    return kept


class Sorter:
    """Keys (texts, numbers, and tuples of them, as `marshal` writes them) sorted without
    holding them all: every `RUN` added are sorted and kept in a spool, in blocks, and
    iterating merges these runs. A key holds a record's ids and texts, so a cohort's keys
    held at once grew with the cohort (10 MB for a hundred thousand saves)."""

    RUN = 8192
    BLOCK = 256
    """Keys written (and read back) at a time."""

    def __init__(self) -> None:
        self._keys: list[Any] = []
        self._spool: Spool | None = None
        self._runs: list[array[int]] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, key: Any) -> None:
        self._keys.append(key)
        self._count += 1
        if len(self._keys) >= self.RUN:
            self._spill()

    def _spill(self) -> None:
        self._keys.sort()
        spool = self._spool = self._spool or Spool()
        blocks = range(0, len(self._keys), self.BLOCK)
        self._runs.append(
            array(
                "q", (spool.append(marshal.dumps(self._keys[n : n + self.BLOCK])) for n in blocks)
            )
        )
        self._keys = []

    def __iter__(self) -> Iterator[Any]:
        """The keys in order, once."""
        if self._spool is None:
            self._keys.sort()
            yield from self._keys
            return
        if self._keys:
            self._spill()
        try:
            yield from heapq.merge(*map(self._read, self._runs))
        finally:
            self._spool.close()

    def _read(self, run: array[int]) -> Iterator[Any]:
        assert self._spool is not None
        for number in run:
            yield from marshal.loads(self._spool[number])


class Spool:
    """Blobs of bytes written one after another to an unnamed temporary file (gone when
    closed, or if the process dies), read back by number."""

    def __init__(self) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close)
        self._ends = array("q")
        self._writing = True

    def __len__(self) -> int:
        return len(self._ends)

    def append(self, blob: bytes) -> int:
        """Keep a blob; returns its number."""
        if not self._writing:
            self._file.seek(0, os.SEEK_END)
            self._writing = True
        self._file.write(blob)
        self._ends.append((self._ends[-1] if self._ends else 0) + len(blob))
        return len(self._ends) - 1

    def __getitem__(self, number: int) -> bytes:
        start = self._ends[number - 1] if number else 0
        self._writing = False
        self._file.seek(start)
        return self._file.read(self._ends[number] - start)

    def close(self) -> None:
        self._file.close()


class Selection:
    """The records `select` kept, as the blobs made of them, in order: iterate for the blobs.
    Close it (or use it as a context manager) to remove the spool."""

    def __init__(self, spool: Spool, order: array[int], warnings: list[str], learners: int):
        self._spool = spool
        self.order = order
        """The blobs' numbers in the spool, in the order the records are written."""
        self.warnings = warnings
        """A line for each file skipped, and each copy of a save not counted, as read."""
        self.learners = learners
        """How many learners the records are of (distinct ids, as shown)."""

    def __len__(self) -> int:
        return len(self.order)

    def __iter__(self) -> Iterator[bytes]:
        for number in self.order:
            yield self._spool[number]

    def blob(self, number: int) -> bytes:
        """The blob with this number in the spool."""
        return self._spool[number]

    def close(self) -> None:
        self._spool.close()

    def __enter__(self) -> Selection:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


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

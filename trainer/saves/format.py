"""The save file, format 1: one TOML file per learner and module, holding every attempt.

This module only converts between the file's text and dataclasses, and refuses
what it cannot read. Writing atomically, locking and learner folders live in
`trainer.saves.store`. The layout is documented in docs/save-format.md.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import tomli
import tomli_w

from trainer.engine import Answer
from trainer.engine.answer import Fields, KeptDraft, shown
from trainer.engine.clock import Clock, utc_now
from trainer.engine.model import VOICES
from trainer.engine.opened import OpenedItem
from trainer.errors import SaveError
from trainer.review.citation import source_citation
from trainer.saves.atomic import FileTooLargeError, read_regular_file

if TYPE_CHECKING:
    from trainer.engine import Finding, Module, PlayThrough, Source

SAVE_FORMAT = 1
"""The save-format version this code writes and the only one it reads."""
MAX_SAVE_BYTES = 20 * 1024 * 1024
"""A save larger than this is not a save: refuse it rather than parse it."""
MAX_COUNT = 1_000_000
"""The most attempts, or decisions in a module, a save may record: more is not a save."""
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
"""A registration as the app writes it (xAPI's context.registration): a UUID, hyphenated."""
BOM = "\ufeff"
"""A byte-order mark some editors put at the start of a UTF-8 file: read past, not refused."""
_T = TypeVar("_T")


class _Unreadable(Exception):
    """A value that does not read: `where` it is (outermost first) and the plain reason."""

    def __init__(self, where: list[str], reason: str) -> None:
        super().__init__(reason)
        self.where = where
        self.reason = reason

    def __str__(self) -> str:
        return ", ".join(self.where) + ": " + self.reason if self.where else self.reason


def _within(where: str, read: Callable[[Any], _T], value: Any) -> _T:
    """Read a value, saying where in the save a failure is."""
    try:
        return read(value)
    except _Unreadable as error:
        raise _Unreadable([where, *error.where], error.reason) from None
    except KeyError as error:
        raise _Unreadable([where], f"the key {shown(error.args[0])} is missing") from None
    except (TypeError, ValueError) as error:
        raise _Unreadable([where], str(error)) from None


@dataclass(frozen=True)
class LearnerInfo:
    """Who the save belongs to."""

    id: str
    name: str
    cohort: str | None = None


@dataclass(frozen=True)
class FindingInfo:
    """A finding as the save records it, so exports and the report can cite it without the
    module file: its text, whose words, and where in which source it is said."""

    id: str
    text: str = ""
    source: str = ""
    """The source as a reader cites it: publisher, date, “title” (its id if the module lacks it)."""
    locator: str = ""
    """Where in the source: "paragraph 4.2"; empty if the module gives none."""
    voice: str = ""
    """review, review-reported, inquiry or comment; empty for a format 1 module."""
    said_by: str = ""
    """Who said it, where the module names them ("the NSPCC")."""

    @classmethod
    def of(cls, finding: Finding, source: Source | None) -> FindingInfo:
        """The record of one of a module's findings."""
        return cls(
            finding.id,
            finding.text,
            source_citation(source, finding.source),
            finding.locator or "",
            finding.voice or "",
            finding.said_by or "",
        )

    def to_data(self) -> dict[str, str]:
        """Plain data for TOML: empty values left out."""
        data = {"id": self.id}
        for key in ("text", "source", "locator", "voice", "said_by"):
            value = getattr(self, key)
            if value:
                data[key] = value
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> FindingInfo:
        """Read a finding's record; raises KeyError, TypeError or ValueError when malformed."""
        fields = Fields(data)
        return cls(
            fields.text("id"),
            fields.text("text", ""),
            fields.text("source", ""),
            fields.text("locator", ""),
            fields.one_of("voice", (*VOICES, ""), ""),
            fields.text("said_by", ""),
        )


@dataclass(frozen=True)
class ModuleInfo:
    """Which module (and which version of it) the save was made with."""

    id: str
    title: str
    version: str
    sha256: str = ""
    decisions: int = 0
    """How many decisions the module holds, on every path."""
    findings: tuple[FindingInfo, ...] = ()
    """The module's findings with their sources and locators (empty in older saves)."""

    @classmethod
    def of(cls, module: Module) -> ModuleInfo:
        """The record of a loaded module."""
        return cls(
            module.id,
            module.title,
            module.version,
            module.sha256 or "",
            module.decision_count,
            tuple(FindingInfo.of(f, module.source(f.source)) for f in module.findings),
        )

    def finding(self, finding_id: str) -> FindingInfo | None:
        """The recorded finding with this id, or None (an older save records none)."""
        for finding in self.findings:
            if finding.id == finding_id:
                return finding
        return None


@dataclass
class Attempt:
    """One attempt at the module: its registration, times, position and answers."""

    number: int
    registration: str
    started_at: str
    answers: list[Answer] = field(default_factory=list)
    stages_done: list[str] = field(default_factory=list)
    feedback_seen: list[str] | None = None
    """Decisions whose feedback was moved past; None (a save from before this was kept): all."""
    finished_at: str | None = None
    position: str = ""
    """The current stage id, or "end" once finished."""
    score: float | None = None
    """The module score so far: mean of the scored answers on the path."""
    draft: KeptDraft | None = None
    """Text typed for the decision due and not yet confirmed; never an answer."""
    opened: list[OpenedItem] = field(default_factory=list)
    """The case-file items opened, each the first time (empty in older saves)."""

    @property
    def finished(self) -> bool:
        """Whether the attempt reached the end of the module."""
        return self.finished_at is not None

    def update_from(self, playthrough: PlayThrough, now: str) -> None:
        """Copy a play-through's answers and position into this attempt."""
        self.answers = list(playthrough.answers)
        self.stages_done = list(playthrough.stages_done)
        self.feedback_seen = list(playthrough.feedback_seen or ())
        stage = playthrough.current_stage
        self.position = "end" if stage is None else stage.id
        self.score = playthrough.module_score
        self.draft = playthrough.kept_draft
        self.opened = list(playthrough.items_opened)
        if stage is None and self.finished_at is None:
            self.finished_at = now

    def playthrough(self, module: Module, clock: Clock = utc_now) -> PlayThrough:
        """A play-through of this attempt over a (possibly edited) module."""
        # Imported here: reading and writing saves needs no play-through, nor a learner's
        # first screen (see Session.open).
        from trainer.engine.facing import Draft
        from trainer.engine.playthrough import PlayThrough

        draft = None if self.draft is None else Draft.resumed(self.draft)
        return PlayThrough(
            module,
            self.answers,
            self.stages_done,
            self.feedback_seen,
            clock,
            draft,
            seed=self.registration,  # the options are shown in this attempt's own order
            items_opened=self.opened,
        )

    def to_data(self, answers: bool = True) -> dict[str, Any]:
        """Plain data for TOML (no None: absent keys instead); without `answers`, all but
        the answers (`trainer.saves.writer` writes those apart)."""
        data: dict[str, Any] = {
            "number": self.number,
            "registration": self.registration,
            "started_at": self.started_at,
            "position": self.position,
            "stages_done": list(self.stages_done),
        }
        if self.feedback_seen is not None:
            data["feedback_seen"] = list(self.feedback_seen)
        if self.finished_at is not None:
            data["finished_at"] = self.finished_at
        if self.score is not None:
            data["score"] = self.score
        if self.draft is not None:
            data["draft"] = self.draft.to_data()
        if answers:
            data["answers"] = [answer.to_data() for answer in self.answers]
        if self.opened:
            data["opened"] = [item.to_data() for item in self.opened]
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Attempt:
        """Read an attempt, checking every value; raises KeyError, TypeError or ValueError
        (or the reason with where it is, for an answer) when malformed."""
        fields = Fields(data)
        registration = fields.text("registration")
        if not UUID.fullmatch(registration):
            raise ValueError(f"registration is {shown(registration)}; it must be a UUID")
        seen = fields.texts("feedback_seen") if "feedback_seen" in data else None
        return cls(
            number=fields.whole("number", 1, MAX_COUNT),
            registration=registration,
            started_at=fields.time("started_at", required=True) or "",
            answers=[
                _within(f"answer {index}", Answer.from_data, answer)
                for index, answer in enumerate(fields.tables("answers"), 1)
            ],
            stages_done=list(fields.texts("stages_done")),
            feedback_seen=None if seen is None else list(seen),
            finished_at=fields.time("finished_at"),
            position=fields.text("position", ""),
            score=fields.number("score", 0.0, 1.0),
            draft=_within("draft", KeptDraft.from_data, data["draft"]) if "draft" in data else None,
            opened=[
                _within(f"opened {index}", OpenedItem.from_data, item)
                for index, item in enumerate(fields.tables("opened"), 1)
            ],
        )


def app_name() -> str:
    """What a save's `app` field says wrote it: `trainer` and its version."""
    from trainer import __version__

    return f"trainer {__version__}"


@dataclass
class SaveFile:
    """Everything one save file holds."""

    learner: LearnerInfo
    module: ModuleInfo
    attempts: list[Attempt] = field(default_factory=list)
    format: int = SAVE_FORMAT
    app: str = field(default_factory=app_name)

    @property
    def last_attempt(self) -> Attempt | None:
        """The newest attempt, or None."""
        return self.attempts[-1] if self.attempts else None

    def to_data(self) -> dict[str, Any]:
        """Plain data for TOML."""
        return {**self.head_data(), "attempts": [a.to_data() for a in self.attempts]}

    def head_data(self) -> dict[str, Any]:
        """Plain data for TOML: all but the attempts."""
        learner: dict[str, Any] = {"id": self.learner.id, "name": self.learner.name}
        if self.learner.cohort:
            learner["cohort"] = self.learner.cohort
        module: dict[str, Any] = {
            "id": self.module.id,
            "title": self.module.title,
            "version": self.module.version,
            "sha256": self.module.sha256,
            "decisions": self.module.decisions,
        }
        if self.module.findings:
            module["findings"] = [finding.to_data() for finding in self.module.findings]
        return {"format": self.format, "app": self.app, "learner": learner, "module": module}

    def dumps(self) -> str:
        """The file's text."""
        return tomli_w.dumps(self.to_data(), multiline_strings=True)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> SaveFile:
        """Read a save from parsed TOML, checking every value as it is read.

        Raises:
            SaveError: an unknown format version; a missing key or a value of the wrong
                type anywhere; a value out of its range (a verdict or kind not among those
                written, a score that is not a number from 0 to 1, a confidence outside 1 to
                5, attempts out of order, a time not like 2026-11-25T09:00:01.000Z, a
                registration that is not a UUID). The message says where and why.
        """
        version = data.get("format")
        if "format" not in data:
            raise SaveError(f"it has no save-format version (format = {SAVE_FORMAT})")
        if isinstance(version, bool) or version != SAVE_FORMAT:
            raise SaveError(
                f"save format {shown(version)} is not one this version reads "
                f"(it reads {SAVE_FORMAT})"
            )
        try:
            return cls(
                learner=_within("learner", _learner, data["learner"]),
                module=_within("module", _module, data["module"]),
                attempts=_attempts(Fields(data).tables("attempts")),
                format=SAVE_FORMAT,
                app=Fields(data).text("app", ""),
            )
        except _Unreadable as error:
            raise SaveError(str(error)) from None
        except KeyError as error:
            raise SaveError(f"the key {shown(error.args[0])} is missing") from None
        except (TypeError, ValueError) as error:
            raise SaveError(str(error)) from None

    @classmethod
    def loads(cls, text: str) -> SaveFile:
        """Parse a save file's text; raises SaveError on anything unreadable."""
        text = text.removeprefix(BOM)
        if not text.strip():
            raise SaveError("it is empty")
        try:
            data = tomli.loads(text)
        except tomli.TOMLDecodeError as error:
            raise SaveError(f"not valid TOML ({error})") from None
        except RecursionError:
            raise SaveError("not valid TOML (nested too deeply)") from None
        return cls.from_data(data)


def read_save(path: str | Path) -> SaveFile:
    """Read one save file; anything but a regular file (a named pipe, a folder, a symbolic
    link) is refused unread. A UTF-8 byte-order mark at the start is read past.

    Raises:
        SaveError: the file cannot be read or is not a save this version understands;
            the message names the file.
    """
    path = Path(path)
    try:
        text = read_regular_file(path, MAX_SAVE_BYTES, follow_symlinks=False).decode("utf-8")
    except UnicodeDecodeError:
        raise SaveError(f"{path}: not a text file (not UTF-8)") from None
    except FileTooLargeError as error:
        raise SaveError(f"{path}: {error.size} bytes is too large for a save file") from None
    except OSError as error:
        raise SaveError(f"{path}: {error.strerror or error}") from None
    try:
        return SaveFile.loads(text)
    except SaveError as error:
        raise SaveError(f"{path}: {error}") from None


def is_save_name(name: str) -> bool:
    """Whether a file of this name in a learner folder (or loose in a saves folder) is a save."""
    return name.endswith(".toml") and name != "learner.toml" and not name.startswith(".")


def save_paths(root: str | Path) -> list[Path]:
    """Every save file under a saves folder (`<root>/<learner>/<module>.toml`), sorted.

    A folder of loose save files (collected from trainees' machines) works too:
    `*.toml` directly in `root` are included. Whatever stands where a save would be is
    listed, whatever it is (a named pipe, a device, a symbolic link, a folder), so that
    `iter_saves` can name it as skipped; a symbolic link to a learner folder is listed
    itself, never followed. Hidden names (temporary files, `.room`) are left out.
    """
    root = Path(root)
    if not root.is_dir():
        return []
    found: list[Path] = []
    for entry in _scan(root):
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            found += [Path(sub.path) for sub in _scan(Path(entry.path)) if is_save_name(sub.name)]
        elif is_save_name(entry.name) or (entry.is_symlink() and is_dir_entry(entry)):
            found.append(Path(entry.path))
    return sorted(found)


def module_save_paths(root: str | Path, module_id: str) -> list[Path]:
    """Where each learner's save of one module would be (`<root>/<learner>/<module>.toml`),
    sorted, for the learner folders that are folders: a symbolic link in a learner folder's
    place is never followed (a save's own link is refused as it is read). Whether each is
    there, and a save, is for the reader to find."""
    name = f"{module_id}.toml"
    return sorted(
        Path(entry.path) / name
        for entry in _scan(Path(root))
        if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False)
    )


def is_dir_entry(entry: os.DirEntry[str]) -> bool:
    """Whether a folder entry is a folder, or leads to one (False if that cannot be told)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _scan(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError:
        return []


def iter_saves(root: str | Path) -> Iterator[tuple[Path, SaveFile | SaveError]]:
    """Each save under a folder, read, or the error that says why it could not be (a named
    pipe, device or link in a save's place is not opened: its error says what it is)."""
    return read_saves(save_paths(root))


def read_saves(paths: Iterable[Path]) -> Iterator[tuple[Path, SaveFile | SaveError]]:
    """Each of `paths` (as `save_paths` lists them) read, or the error that says why not."""
    for path in paths:
        try:
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode) and not path.name.endswith(".toml"):
                yield (
                    path,
                    SaveError(
                        f"{path}: a symbolic link, not a learner folder; links in a saves folder "
                        "are not followed"
                    ),
                )
                continue
        except OSError:
            pass
        try:
            yield path, read_save(path)
        except SaveError as error:
            yield path, error


def _learner(data: Any) -> LearnerInfo:
    fields = Fields(data)
    learner_id = fields.text("id")
    if not learner_id.strip():
        raise ValueError("id is empty")
    return LearnerInfo(learner_id, fields.text("name"), fields.optional_text("cohort"))


def _module(data: Any) -> ModuleInfo:
    fields = Fields(data)
    return ModuleInfo(
        fields.text("id"),
        fields.text("title"),
        fields.text("version"),
        fields.text("sha256", ""),
        fields.whole("decisions", 0, MAX_COUNT, 0),
        tuple(
            _within(f"finding {index}", FindingInfo.from_data, finding)
            for index, finding in enumerate(fields.tables("findings"), 1)
        ),
    )


def _attempts(tables: list[Any]) -> list[Attempt]:
    attempts: list[Attempt] = []
    for index, table in enumerate(tables, 1):
        attempt = _within(f"attempt {index}", Attempt.from_data, table)
        if attempts and attempt.number <= attempts[-1].number:
            raise _Unreadable(
                [f"attempt {index}"],
                f"number is {attempt.number}, after attempt {attempts[-1].number}: "
                "attempts must be numbered in order",
            )
        attempts.append(attempt)
    return attempts

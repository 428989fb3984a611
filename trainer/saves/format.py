"""The save file, format 1: one TOML file per learner and module, holding every attempt.

This module only converts between the file's text and records (msgspec Structs, defined
before a learner's first frame, as the model's are), and refuses what it cannot read.
Reading save files from disk and finding them in a saves folder live in `trainer.saves.scan`;
writing atomically, locking and learner folders in `trainer.saves.store`. The layout is
documented in docs/save-format.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import msgspec
import tomli_w

from trainer.engine.fields import Fields, shown
from trainer.engine.model import VOICES
from trainer.errors import SaveError
from trainer.review.citation import source_citation
from trainer.saves.attempt import Attempt
from trainer.saves.parts import MAX_COUNT, Unreadable, within

if TYPE_CHECKING:
    from trainer.engine import Finding, Module, Source

SAVE_FORMAT = 1
"""The save-format version this code writes and the only one it reads."""
MAX_SAVE_BYTES = 20 * 1024 * 1024
"""A save larger than this is not a save: refuse it rather than parse it."""
BOM = "\ufeff"
"""A byte-order mark some editors put at the start of a UTF-8 file: read past, not refused."""


class LearnerInfo(msgspec.Struct, frozen=True):
    """Who the save belongs to."""

    id: str
    name: str
    cohort: str | None = None


class FindingInfo(msgspec.Struct, frozen=True):
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


class ModuleInfo(msgspec.Struct, frozen=True):
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


def app_name() -> str:
    """What a save's `app` field says wrote it: `trainer` and its version."""
    from trainer import __version__

    return f"trainer {__version__}"


class SaveFile(msgspec.Struct):
    """Everything one save file holds."""

    learner: LearnerInfo
    module: ModuleInfo
    attempts: list[Attempt] = msgspec.field(default_factory=list)
    format: int = SAVE_FORMAT
    app: str = msgspec.field(default_factory=app_name)

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
                learner=within("learner", _learner, data["learner"]),
                module=within("module", _module, data["module"]),
                attempts=_attempts(Fields(data).tables("attempts")),
                format=SAVE_FORMAT,
                app=Fields(data).text("app", ""),
            )
        except Unreadable as error:
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
        # Imported where a save is read: a new learner's first frame writes one and reads none.
        import tomli

        try:
            data = tomli.loads(text)
        except tomli.TOMLDecodeError as error:
            raise SaveError(f"not valid TOML ({error})") from None
        except RecursionError:
            raise SaveError("not valid TOML (nested too deeply)") from None
        return cls.from_data(data)


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
            within(f"finding {index}", FindingInfo.from_data, finding)
            for index, finding in enumerate(fields.tables("findings"), 1)
        ),
    )


def _attempts(tables: list[Any]) -> list[Attempt]:
    attempts: list[Attempt] = []
    for index, table in enumerate(tables, 1):
        attempt = within(f"attempt {index}", Attempt.from_data, table)
        if attempts and attempt.number <= attempts[-1].number:
            raise Unreadable(
                [f"attempt {index}"],
                f"number is {attempt.number}, after attempt {attempts[-1].number}: "
                "attempts must be numbered in order",
            )
        attempts.append(attempt)
    return attempts

"""The first pass of validation: each table's keys and the types of their values.

Every table of the file is checked against its spec in `schema` for the file's format: a key
the table may not hold (E103, with "did you mean"), a required key missing (E101), a value of
the wrong type (E102), a blank required text (E104), a control character (E105) or an
invisible one (W413). What is sound is kept, each table with its key path and the keys
written, for the checkers of meaning that follow; every text outside the glossary is
gathered on the way, for the glossary's check (W405).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from trainer.content import schema
from trainer.content.checking import Reporter, Table
from trainer.content.schema import BOOLEAN, TABLE_LIST, TEXT, TEXT_LIST

if TYPE_CHECKING:
    from trainer.content.locate import Path

# Control characters (Unicode category Cc) but newline and tab, and the bidirectional controls.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Characters a reader cannot see, or that break a line where the text does not: zero-width
# spaces and joiners, the word joiner, a byte order mark, left-to-right and right-to-left marks,
# the Arabic letter mark, the line and paragraph separators, and tag characters.
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u061c\u2028\u2029\U000e0000-\U000e007f]")
# Either of the two, as one set: one search clears a clean text.
_SUSPECT = re.compile(f"[{_FORBIDDEN.pattern[1:-1]}{_INVISIBLE.pattern[1:-1]}]")
# The ASCII characters of the set, as bytes to delete.
_ASCII_SUSPECT = bytes(c for c in range(128) if _SUSPECT.match(chr(c)))
# An escape that can write a character of the set: \b, \e, \f, \r, \x.., \u..., \U...
_ESCAPE = re.compile(r"\\[befrxuU]")


def clean_file(text: str) -> bool:
    """Whether a file holds no character the text checks report, nor an escape that can write
    one: then every text in it is clean, and this one pass settles them all."""
    if text.isascii():
        # Deleting the ASCII ones from bytes is much quicker than a search.
        data = text.encode("ascii")
        if len(data.translate(None, _ASCII_SUSPECT)) != len(data):
            return False
    elif _SUSPECT.search(text) is not None:
        return False
    return _ESCAPE.search(text) is None


def _describe(value: Any) -> str:
    """What kind of value it is, in the save reader's words (only a wrong value needs them)."""
    from trainer.engine.answer import describe

    return describe(value)


def _all_text(item: Any) -> bool:
    """Whether a value is a list holding only text."""
    if type(item) is not list:
        return False
    # A loop, not all() over a generator: it is called for every list of the file, most of
    # them a few elements long, where the generator costs more than the looking.
    for element in item:  # noqa: SIM110
        if type(element) is not str:
            return False
    return True


def _no_list(item: Any) -> bool:
    """In a file with a suspect character, no list of text is taken without a closer look."""
    return False


class _Layout:
    """The keys a table of one kind may hold in one format, and those it must hold (in the
    schema's order): worked out once per file, not once per table (a large module has
    thousands)."""

    __slots__ = ("keys", "required", "spec")

    def __init__(self, spec: dict[str, schema.Key], version: int) -> None:
        self.spec = spec
        self.keys = {key: ks for key, ks in spec.items() if ks.exists_in(version)}
        self.required = tuple(key for key, ks in spec.items() if ks.required_in(version))


class KeyChecker:
    """Checks the keys and types of every table, keeping the sound values."""

    def __init__(self, reporter: Reporter, data: dict[str, Any], text: str) -> None:
        self.reporter = reporter
        self.version = reporter.version
        self.data = data
        self.texts: list[str] = []
        """Every sound text outside the glossary, gathered in the one pass (for W405)."""
        self._layouts: dict[str, _Layout] = {}
        self.suspect = None if clean_file(text) else _SUSPECT.search
        """How to search a text for a character to report; None when the file holds none."""
        self._plain_list: Callable[[Any], bool] = _all_text if self.suspect is None else _no_list
        """Whether a value is a list of text that needs no closer look."""
        self._case_file_reported = False
        self._value_checks: dict[str, Callable[[schema.Key, Any, Path], Any]] = {
            schema.TEXT: self._text,
            schema.INTEGER: self._integer,
            schema.BOOLEAN: self._boolean,
            schema.TEXT_LIST: self._text_list,
            schema.TABLE: self._table,
            schema.TABLE_LIST: self._table_list,
        }

    def layout(self, name: str) -> _Layout:
        """The layout of the tables called `name`, in the file's format."""
        layout = self._layouts.get(name)
        if layout is None:
            layout = self._layouts[name] = _Layout(schema.TABLES[name], self.version)
        return layout

    def table(self, name: str, value: dict[str, Any], path: Path) -> Table:
        """Check a table's keys and types; return only the keys whose values are sound."""
        layout = self.layout(name)
        keys = layout.keys
        # This loop runs for every key of the file (about 100,000 in a large module), so the
        # sound values of the common kinds are taken here, without a call, a key path or a
        # second search per text; anything else goes to `value`, which says what is wrong.
        # The glossary's own texts are not looked for in the glossary (W405).
        texts = self.texts if path[:1] != ("glossary",) else []
        suspect = self.suspect
        plain_list = self._plain_list
        clean: Table = {}
        for key, item in value.items():
            key_spec = keys.get(key)
            if key_spec is None:
                self.unknown(layout.spec, key, path)
                continue
            kind = key_spec.kind
            if kind == TEXT:
                if (
                    type(item) is str
                    and (suspect is None or suspect(item) is None)
                    and (not key_spec.required or not item.isspace() and item)
                ):
                    clean[key] = item
                    texts.append(item)
                    continue
            elif kind == TABLE_LIST:
                if type(item) is list:
                    clean[key] = self.tables(key_spec.table, item, path + (key,))
                    continue
            elif kind == BOOLEAN:
                if type(item) is bool:
                    clean[key] = item
                    continue
            elif kind == TEXT_LIST and plain_list(item):
                clean[key] = item.copy()
                texts += item
                continue
            checked = self.value(key_spec, item, path + (key,))
            if checked is not None:
                clean[key] = checked
        self.required(layout, value, path)
        return clean

    def required(self, layout: _Layout, value: dict[str, Any], path: Path) -> None:
        """E101 for each key the table must hold and does not."""
        for key in layout.required:
            if key not in value:
                self.reporter.missing(path, key)

    def unknown(self, spec: dict[str, schema.Key], key: str, path: Path) -> None:
        """E103 for a key the table may not hold, in any format or in this one; the case
        file's keys in an older format are one problem, naming the format they need."""
        key_spec = spec.get(key)
        reporter = self.reporter
        if key_spec is None:
            message = f"unknown key {key!r}{reporter.suggest(key, spec)}"
            reporter.error("E103", path + (key,), message)
        elif key_spec.since == schema.CASE_FILE:
            self.case_file_too_new(key_spec.since, path + (key,))
        else:
            reporter.error(
                "E103",
                path + (key,),
                f"unknown key {key!r} in format {self.version}; "
                f"it is a format {key_spec.since} key (format = {key_spec.since})",
            )

    def case_file_too_new(self, since: int, path: Path) -> None:
        """E103 once for the file, naming every case-file key it holds and the format they
        need."""
        if self._case_file_reported:
            return
        self._case_file_reported = True
        module = schema.TABLES["module"]
        keys = [k for k in self.data if k in module and module[k].since == since]
        declared = self.data.get("format")
        says = "has no format" if declared is None else f"says format = {declared!r}"
        self.reporter.error(
            "E103",
            path,
            f"the case file ({', '.join(keys)}) needs format = {since}; this file {says}",
        )

    def tables(self, name: str | None, items: list[Any], path: Path) -> list[Table]:
        """Check an array of tables; each sound table gets its key path and the keys written."""
        assert name is not None
        tables = []
        for index, element in enumerate(items):
            where = path + (index,)
            if not isinstance(element, dict):
                self.reporter.error("E102", where, f"should be a table, not {_describe(element)}")
                continue
            checked = self.table(name, element, where)
            checked["_path"] = where
            # The keys written, sound or not: a key required only in some cases is reported
            # missing only when it is absent, not when its value was already reported.
            checked["_given"] = element.keys()
            tables.append(checked)
        return tables

    # -- a value the quick pass did not take, kind by kind -----------------------

    def value(self, spec: schema.Key, item: Any, path: Path) -> Any:
        """The value if it is sound for its key, else None (after reporting what is wrong)."""
        return self._value_checks[spec.kind](spec, item, path)

    def _text(self, spec: schema.Key, item: Any, path: Path) -> Any:
        if not isinstance(item, str):
            return self.wrong_type(spec, item, path)
        if not self.clean_text(item, path):
            return None
        if spec.required and not item.strip():
            self.reporter.error("E104", path, "is empty; write the text")
            return None
        return item

    def _integer(self, spec: schema.Key, item: Any, path: Path) -> Any:
        if isinstance(item, bool) or not isinstance(item, int):
            return self.wrong_type(spec, item, path)
        return item

    def _boolean(self, spec: schema.Key, item: Any, path: Path) -> Any:
        if not isinstance(item, bool):
            return self.wrong_type(spec, item, path)
        return item

    def _text_list(self, spec: schema.Key, item: Any, path: Path) -> Any:
        if not isinstance(item, list):
            return self.wrong_type(spec, item, path)
        good = []
        for index, element in enumerate(item):
            if not isinstance(element, str):
                self.reporter.error(
                    "E102", path + (index,), f"should be text, not {_describe(element)}"
                )
            elif self.clean_text(element, path + (index,)):
                good.append(element)
        return good

    def _table(self, spec: schema.Key, item: Any, path: Path) -> Any:
        if not isinstance(item, dict):
            return self.wrong_type(spec, item, path)
        assert spec.table is not None
        return self.table(spec.table, item, path)

    def _table_list(self, spec: schema.Key, item: Any, path: Path) -> Any:
        if not isinstance(item, list):
            return self.wrong_type(spec, item, path)
        return self.tables(spec.table, item, path)

    def wrong_type(self, spec: schema.Key, item: Any, path: Path) -> None:
        """E102: what the key should hold, and what it holds."""
        wanted = schema.TYPE_WORDS[spec.kind]
        self.reporter.error("E102", path, f"should be {wanted}, not {_describe(item)}")

    def clean_text(self, text: str, path: Path) -> bool:
        """Whether a text may be kept: E105 for a control character; W413 for an invisible
        one (kept, as the text still reads)."""
        # Nearly every text is clean: one search settles it, the two below say what was found.
        if _SUSPECT.search(text) is not None:
            found = _FORBIDDEN.search(text)
            if found is not None:
                self.reporter.error(
                    "E105",
                    path,
                    f"control character U+{ord(found.group()):04X} at character "
                    f"{found.start() + 1}; only newline and tab are allowed",
                )
                return False
            self.invisible(text, path)
        if path[:1] != ("glossary",):
            self.texts.append(text)
        return True

    def invisible(self, text: str, path: Path) -> None:
        """W413 for an invisible or line-separator character in a text."""
        hidden = _INVISIBLE.search(text)
        if hidden is not None:
            self.reporter.warn(
                "W413",
                path,
                f"invisible or line-separator character U+{ord(hidden.group()):04X} at "
                f"character {hidden.start() + 1}; a reader cannot see it: remove it",
            )

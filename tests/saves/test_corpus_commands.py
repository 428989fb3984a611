"""The corrupt-save corpus beside good saves, through every command that reads a saves folder
(progress, export in each format, report, and push to an LRS that refuses the connection).

Each command must do for the good saves exactly what it does without the corrupt ones beside
them, name each corrupt file once on stderr in one plain line, and write no NaN or Infinity.
The app, opening a corrupt save, keeps it (moved aside, byte for byte) and starts afresh.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.cohort.conftest import TUTORIAL, write_format2_cohort
from tests.saves.corpus import CORPUS, TOLERATED, dumps, good_data
from trainer.cli import main
from trainer.cohort.exporters import EXPORTERS
from trainer.cohort.records import Options, read_records
from trainer.content import load_module
from trainer.saves import read_save
from trainer.saves.store import SaveStore

MODULE = load_module(TUTORIAL)
SAVE_NAME = f"{MODULE.id}.toml"
STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")


def write_good(root: Path) -> Path:
    """Good saves: three tutorial learners (one with a byte-order mark) and a format 2 cohort."""
    for learner_id, name in [("amal-reid", "Amal Reid"), ("bo-chen", "Bo Chen")]:
        target = root / learner_id / SAVE_NAME
        target.parent.mkdir(parents=True)
        target.write_bytes(dumps(good_data(learner_id, name)))
    bom = root / "cy-bom" / SAVE_NAME
    bom.parent.mkdir(parents=True)
    bom.write_bytes(TOLERATED["utf8-bom"](good_data("cy-bom", "Cy Bom")))
    write_format2_cohort(root)
    return root


def write_bad(root: Path) -> dict[str, Path]:
    """One learner folder per corrupt kind, beside the good ones."""
    base = good_data("bad", "Bad Save")
    paths = {}
    for kind, build in CORPUS.items():
        target = root / f"bad-{kind}" / SAVE_NAME
        target.parent.mkdir(parents=True)
        target.write_bytes(build(base))
        paths[kind] = target
    return paths


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path, dict[str, Path]]:
    base = tmp_path_factory.mktemp("corpus")
    good = write_good(base / "good")
    mixed = base / "mixd"  # as long a path as the good one, so tables wrap alike
    shutil.copytree(good, mixed)
    return good, mixed, write_bad(mixed)


def run(capsys, argv: list[str]) -> tuple[int, str, str]:
    status = main(argv)
    out = capsys.readouterr()
    return status, out.out, out.err


COMMANDS = {
    "progress": ["progress"],
    "csv": ["export", "--format", "csv", "--all-attempts"],
    "json": ["export", "--format", "json", "--all-attempts"],
    "xapi": ["export", "--format", "xapi", "--all-attempts"],
    "json-last": ["export", "--format", "json"],
    "xapi-anonymised": ["export", "--format", "xapi", "--anonymise"],
    "report": ["report"],
    "push": ["push", "--lrs", "http://127.0.0.1:{port}/xapi"],
}
"""push is sent to a port where nothing listens: it queues every statement and stops."""


@pytest.fixture(scope="module")
def closed_port():
    """A local port bound but not listening, so a connection to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def outputs(
    capsys, command: str, root: Path, tmp_path: Path, port: int = 9
) -> tuple[int, str, str]:
    argv = [*(arg.format(port=port) for arg in COMMANDS[command]), "--saves", str(root)]
    if command == "report":
        target = tmp_path / f"{root.name}.html"
        status, _, err = run(capsys, [*argv, "-o", str(target)])
        out = STAMP.sub("STAMP", target.read_text(encoding="utf-8")) if target.exists() else ""
        err = err.replace(str(target), "TARGET")
    else:
        status, out, err = run(capsys, argv)
    return status, out.replace(str(root), "ROOT"), err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_does_for_the_good_saves_what_it_does_without_the_bad(
    capsys, folders, tmp_path, closed_port, command
):
    good, mixed, bad = folders
    status, out, err = outputs(capsys, command, good, tmp_path, closed_port)
    mixed_status, mixed_out, mixed_err = outputs(capsys, command, mixed, tmp_path, closed_port)
    assert mixed_status == status == (1 if command == "push" else 0)
    assert mixed_out == out
    assert "Traceback" not in mixed_err and "unexpected error" not in mixed_err
    extra = [line for line in mixed_err.splitlines() if line not in err.splitlines()]
    for kind, path in bad.items():
        naming = [line for line in mixed_err.splitlines() if f"{path}:" in line]
        assert len(naming) == 1, f"{kind}: {naming}"
        assert naming[0].startswith(f"trainer: skipped {path}: ")
        assert naming[0].isprintable()
    assert len(extra) == len(bad), extra
    assert str(good / "cy-bom") not in err  # the byte-order mark is read past, not skipped


@pytest.mark.parametrize("command", ["csv", "json", "xapi", "json-last", "xapi-anonymised", "report"])
def test_no_output_holds_nan_or_infinity(capsys, folders, tmp_path, command):
    _, mixed, _ = folders
    _, out, _ = outputs(capsys, command, mixed, tmp_path)
    assert out
    if command.startswith(("json", "xapi")):
        json.loads(out, parse_constant=refuse)
    assert not re.search(r"\b(nan|NaN|inf|Infinity)\b", out.replace("infant", ""))


def refuse(constant: str) -> None:
    raise AssertionError(f"the export holds {constant}")


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_every_exporter_writes_finite_numbers_only(folders, fmt):
    """A guard on every registered exporter: whatever records reach it hold finite numbers
    in range, so what it writes parses as strict JSON (or CSV without nan or inf)."""
    _, mixed, bad = folders
    records, warnings = read_records(mixed, Options(all_attempts=True))
    assert len(warnings) == len(bad)
    for record in records:
        for attempt in record.attempts:
            assert attempt.score is None or (math.isfinite(attempt.score) and 0 <= attempt.score <= 1)
            for answer in attempt.answers:
                assert answer.score is None or (math.isfinite(answer.score) and 0 <= answer.score <= 1)
                assert answer.confidence is None or 1 <= answer.confidence <= 5
    text = EXPORTERS[fmt](records, Options(all_attempts=True))
    if fmt == "csv":
        cells = {cell for line in text.splitlines() for cell in line.split(",")}
        assert not cells & {"nan", "inf", "-inf", "NaN", "Infinity", "-Infinity"}
    else:
        json.loads(text, parse_constant=refuse)


def clock() -> datetime:
    return datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize("kind", sorted(CORPUS))
def test_the_app_keeps_a_corrupt_save_and_starts_afresh(tmp_path, kind):
    store = SaveStore(tmp_path / "saves", clock=clock)
    learner = store.learner("Corpus Learner")
    path = store.save_path(learner, MODULE.id)
    content = CORPUS[kind](good_data(learner.id, learner.name))
    path.write_bytes(content)
    with store.open(learner, MODULE) as save:
        assert save.notice is not None and "could not be read" in save.notice
        assert save.notice.isprintable()
        assert "a fresh attempt starts" in save.notice
        pt = save.playthrough()
        save.record(pt.respond(["strategy-and-medical"], confidence=3, reason="r"))
    moved = path.with_name(f"{SAVE_NAME}.unreadable-20261125T093000Z")
    assert moved.read_bytes() == content
    assert [a.decision_id for a in read_save(path).attempts[0].answers] == ["first-response"]


def test_the_app_resumes_a_save_with_a_byte_order_mark(tmp_path):
    store = SaveStore(tmp_path / "saves", clock=clock)
    learner = store.learner("Corpus Learner")
    path = store.save_path(learner, MODULE.id)
    data = good_data(learner.id, learner.name)
    path.write_bytes(TOLERATED["utf8-bom"](data))
    with store.open(learner, MODULE) as save:
        assert save.notice is None
        assert [a.number for a in save.save.attempts] == [1, 2]
        save.new_attempt()
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")  # written back without it
    assert [a.number for a in read_save(path).attempts] == [1, 2, 3]

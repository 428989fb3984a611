"""The validate command as users and scripts see it: golden output, JSON, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.cli import main

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"
NAMES = ["good", "broken", "warnings", "syntax", "broken2", "warnings2", "broken3", "warnings3"]


def run(argv, capsys):
    status = main(argv)
    out = capsys.readouterr()
    return status, out.out, out.err


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"differs from {path} (UPDATE_GOLDEN=1)"


@pytest.fixture(autouse=True)
def in_tests_folder(monkeypatch):
    # Paths in the output are relative to this folder, so the goldens hold no machine's paths.
    monkeypatch.chdir(HERE)


@pytest.mark.parametrize("name", NAMES)
def test_text_output_is_golden(name, capsys):
    _, out, err = run(["validate", f"fixtures/{name}.toml"], capsys)
    check_golden(f"{name}.txt", out + "--- stderr\n" + err)


@pytest.mark.parametrize("name", NAMES)
def test_json_output_is_golden(name, capsys):
    _, out, _ = run(["validate", "--json", f"fixtures/{name}.toml"], capsys)
    document = json.loads(out)
    assert set(document) == {"files", "errors", "warnings"}
    for problem in document["files"][0]["problems"]:
        assert set(problem) == {"severity", "code", "line", "column", "key", "message"}
    check_golden(f"{name}.json", out)


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["validate", "fixtures/good.toml"], 0),
        (["validate", "--strict", "fixtures/good.toml"], 0),
        (["validate", "fixtures/warnings.toml"], 0),
        (["validate", "--strict", "fixtures/warnings.toml"], 1),
        (["validate", "fixtures/warnings2.toml"], 0),
        (["validate", "--strict", "fixtures/warnings2.toml"], 1),
        (["validate", "fixtures/broken2.toml"], 1),
        (["validate", "fixtures/warnings3.toml"], 0),
        (["validate", "--strict", "fixtures/warnings3.toml"], 1),
        (["validate", "fixtures/broken3.toml"], 1),
        (["validate", "fixtures/broken.toml"], 1),
        (["validate", "fixtures/syntax.toml", "fixtures/good.toml"], 1),
        (["validate", "fixtures"], 1),
        (["validate", "fixtures/no-such.toml"], 2),
        (["validate", "--bogus", "fixtures/good.toml"], 2),
    ],
)
def test_exit_status(argv, status, capsys):
    assert run(argv, capsys)[0] == status


def test_a_folder_means_every_toml_below_it(capsys):
    status, out, err = run(["validate", "--json", "fixtures"], capsys)
    paths = [f["path"] for f in json.loads(out)["files"]]
    assert sorted(paths) == sorted(f"fixtures/{n}.toml" for n in NAMES)


def test_the_installed_command_prints_one_line_per_problem_and_no_traceback():
    trainer = shutil.which("trainer", path=str(Path(sys.executable).parent))
    result = subprocess.run(
        [trainer, "validate", "fixtures/broken.toml"], capture_output=True, text=True, cwd=HERE
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 7 and all(line.startswith("fixtures/broken.toml:") for line in lines)
    assert result.stderr.strip() == "1 file: 6 errors, 1 warning"


def test_new_writes_a_strict_clean_module_that_never_overwrites(tmp_path, capsys):
    assert run(["new", "my-case", "--dir", str(tmp_path)], capsys)[0] == 0
    target = tmp_path / "my-case.toml"
    assert run(["validate", "--strict", str(target)], capsys)[0] == 0
    from trainer.content import load_module

    module = load_module(target)
    assert module.id == "my-case" and module.format == 3
    decisions = [d for s in module.stages for d in s.decisions]
    options = [o for d in decisions for o in d.options]
    assert {d.kind for d in decisions} == {"single", "multiple", "text", "rank"}
    assert any(not d.scored for d in decisions)
    assert any(o.next for o in options)
    # Every format 2 feature, shown once: source kinds, voices (said_by, reveals), ISO
    # dates with labels, happened, a poll, a rank decision, ticked and unjudged written answers.
    assert {s.kind for s in module.sources} >= {"review", "press", "inquiry", "commentary"}
    assert {f.voice for f in module.findings} == {"review", "review-reported", "inquiry", "comment"}
    assert any(f.said_by for f in module.findings) and all(f.reveals for f in module.findings)
    assert all(s.date and s.date_label for s in module.stages if s.decisions[:1])
    assert any(o.happened for o in options)
    assert any(d.kind == "single" and not d.judged for d in decisions), "a poll"
    assert any(d.kind == "rank" and all(o.feedback for o in d.options) for d in decisions)
    assert {d.scoring for d in decisions if d.kind == "text"} == {"self", "none"}
    # A small case file: a chronology, a genogram with a person stated again and one not
    # identified, and a document.
    assert module.chronology and module.documents
    assert len({p.id for p in module.people}) < len(module.people)
    assert any(not p.identified for p in module.people)
    assert {r.kind for r in module.relations} >= {"parent", "partner"}
    before = target.read_bytes()
    status, _, err = run(["new", "my-case", "--dir", str(tmp_path)], capsys)
    assert status == 1 and "already exists" in err and target.read_bytes() == before
    assert run(["new", "Not An Id", "--dir", str(tmp_path)], capsys)[0] == 2


def test_modules_lists_a_folder_and_names_broken_files(tmp_path, capsys):
    shutil.copy(FIXTURES / "good.toml", tmp_path / "good.toml")
    shutil.copy(FIXTURES / "broken.toml", tmp_path / "broken.toml")
    status, out, err = run(["modules", "--modules", str(tmp_path)], capsys)
    assert status == 0
    header, *rows = out.splitlines()
    assert header.split()[:4] == ["ID", "TITLE", "VERSION", "DECISIONS"]
    assert any(row.split()[:4] == ["base", "Base", "1", "2"] for row in rows)
    assert "broken.toml" in err


def test_modules_env_variable_is_searched(tmp_path, capsys, monkeypatch):
    shutil.copy(FIXTURES / "good.toml", tmp_path / "good.toml")
    monkeypatch.setenv("TRAINER_MODULES", str(tmp_path))
    _, out, _ = run(["modules"], capsys)
    assert str(tmp_path / "good.toml") in out

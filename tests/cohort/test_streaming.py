"""The cohort commands stream: saves are read one at a time, each record's output kept in a
spool on disk and only keys in memory (`records.select`). What they write must be what
reading the whole cohort into memory gave: the same copy of a save found twice counts, the
same warnings in the same order, the same order of learners and modules, with every
filter and option. The reference here is that in-memory reading, kept as it was."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cohort.conftest import write_two_modules
from tests.records import replace
from trainer.cli import main
from trainer.cohort import records as records_module
from trainer.cohort.exporters import EXPORTERS
from trainer.cohort.gather import one_of as _one_of
from trainer.cohort.gather import save_paths_of as _save_paths
from trainer.cohort.records import (
    Options,
    Record,
    Sorter,
    Spool,
    pseudonym,
    read_records,
    saves_folders,
)
from trainer.cohort.report_page import SortedTexts, TextPool, report_html
from trainer.content import find_module, load_module
from trainer.engine import Module
from trainer.errors import TrainerError
from trainer.sanitise import safe
from trainer.saves import SaveFile, iter_saves
from trainer.saves.scan import save_paths


def counted(attempts) -> tuple:
    """The attempts kept without `--all-attempts`: the latest finished, and the latest after
    it if that is another (the latest alone where none is finished)."""
    finished = [attempt for attempt in attempts if attempt.finished]
    if not finished or finished[-1] is attempts[-1]:
        return (attempts[-1],)
    return (finished[-1], attempts[-1])


def reference_records(roots: list[Path], options: Options) -> tuple[list[Record], list[str]]:
    """The cohort read whole into memory, as the commands read it before they streamed."""
    found: dict[tuple[str, str], Record] = {}
    warnings: list[str] = []
    for root in saves_folders(roots):
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
            key = (save.learner.id, save.module.id)
            before = found.get(key)
            if before is not None:
                kept, why = _one_of(before, Record(path, save, ()))
                if why:
                    warnings.append(safe(why))
                if kept is before:
                    continue
            found[key] = Record(path, save, ())
    records = []
    for record in found.values():
        save = record.save
        attempts = tuple(save.attempts) if options.all_attempts else counted(save.attempts)
        if options.anonymise:
            alias = pseudonym(save.learner.id)
            learner = replace(save.learner, id=alias, name=alias)
            save = replace(save, learner=learner)
        records.append(Record(record.path, save, attempts))
    records.sort(key=lambda r: (r.learner_id, r.save.module.id))
    return records, warnings


@pytest.fixture
def small_runs(monkeypatch):
    """Keys (and the report's names to sort) spill to disk every few, so a small cohort
    sorts as a big one does."""
    monkeypatch.setattr(Sorter, "RUN", 3)
    monkeypatch.setattr(Sorter, "BLOCK", 2)
    monkeypatch.setattr(TextPool, "LIMIT", 2)
    monkeypatch.setattr(SortedTexts, "BLOCK", 1)


@pytest.fixture
def copies(tmp_path) -> list[Path]:
    """Three folders: a cohort; copies of some of its saves (the same, with later answers,
    with earlier answers, under another name), a loose copy and files that are no saves;
    and a third with more copies, so that one save is found three times."""
    first = write_two_modules(tmp_path / "first")
    second, third = tmp_path / "second", tmp_path / "third"
    saves = sorted(first.glob("*/*.toml"))
    assert len(saves) >= 6
    for index, path in enumerate(saves):
        text = path.read_text(encoding="utf-8")
        variant = index % 5
        if variant == 1:
            text = re.sub(r'(answered_at = "2026-1\d-)\d\d', r"\g<1>28", text)
        elif variant == 2:
            text = re.sub(r'(answered_at = ")2026', r"\g<1>2025", text)
        elif variant == 3:
            text = re.sub(r'^name = ".*"', 'name = "Someone Else"', text, count=1, flags=re.M)
        elif variant == 4:
            continue
        target = second / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        if index % 3 == 0:
            again = third / path.parent.name / path.name
            again.parent.mkdir(parents=True, exist_ok=True)
            again.write_text(re.sub(r'(answered_at = "2026-1\d-)\d\d', r"\g<1>29", text), encoding="utf-8")
    shutil.copy(saves[0], first / "a-loose-copy.toml")
    (second / "broken.toml").write_text("not [toml", encoding="utf-8")
    (third / "empty.toml").write_text("", encoding="utf-8")
    (first / saves[1].parent.name / "odd\x1bname.toml").write_text("x = 1\n", encoding="utf-8")
    return [first, second, third]


OPTIONS = [
    Options(),
    Options(all_attempts=True),
    Options(anonymise=True),
    Options(anonymise=True, all_attempts=True, no_text=True),
    Options(cohort="autumn"),
    Options(module="format2-sample", all_attempts=True),
]


def described(records: list[Record]) -> list[tuple[str, str, str, str, list[int]]]:
    return [
        (str(r.path), r.learner_id, r.learner_name, r.save.module.id, [a.number for a in r.attempts])
        for r in records
    ]


@pytest.mark.parametrize("options", OPTIONS, ids=repr)
@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 0, 2, 0)])
def test_copies_across_folders_count_as_before(copies, small_runs, options, order):
    folders = [copies[n] for n in order]
    records, warnings = read_records(folders, options)
    expected, expected_warnings = reference_records(folders, options)
    assert described(records) == described(expected)
    assert warnings == expected_warnings
    assert any("later answers" in line for line in warnings)
    assert any("another name" in line for line in warnings)
    assert any("not valid TOML" in line for line in warnings)


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
@pytest.mark.parametrize("options", OPTIONS[:4], ids=repr)
def test_a_streamed_export_is_the_export_of_the_cohort_in_memory(capsys, copies, small_runs, fmt, options):
    expected_records, expected_warnings = reference_records(copies, options)
    argv = ["export", "--format", fmt, *[arg for folder in copies for arg in ("--saves", str(folder))]]
    argv += ["--all-attempts"] * options.all_attempts + ["--anonymise"] * options.anonymise
    argv += ["--no-text"] * options.no_text
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert out == EXPORTERS[fmt](expected_records, options)
    assert err == "".join(f"trainer: {safe(line)}\n" for line in expected_warnings)


def test_a_streamed_export_of_nothing_is_an_empty_export(capsys, tmp_path):
    for fmt in sorted(EXPORTERS):
        assert main(["export", "--format", fmt, "--saves", str(tmp_path)]) == 0
        assert capsys.readouterr().out == EXPORTERS[fmt]([], Options())


@pytest.mark.parametrize("extra", [[], ["--anonymise"], ["--no-text", "--cohort", "autumn"]])
def test_a_streamed_report_is_the_report_of_the_cohort_in_memory(tmp_path, copies, small_runs, extra):
    options = Options(anonymise="--anonymise" in extra, no_text="--no-text" in extra, cohort="autumn" if extra[1:] else None)
    target = tmp_path / "report.html"
    argv = ["report", *[arg for folder in copies for arg in ("--saves", str(folder))], "-o", str(target), *extra]
    assert main(argv) == 0
    html = target.read_text(encoding="utf-8")
    stamp = re.search(r"Generated (\d{4}-\d\d-\d\d \d\d:\d\d UTC)", html)
    assert stamp is not None
    records, _ = reference_records(copies, options)
    title = "Cohort report" + (": autumn" if options.cohort else "")
    assert html == report_html(records, title, stamp.group(1), shipped, no_text=options.no_text)


def shipped(module_id: str) -> Module | None:
    """The module as the report command finds it (the shipped ones, here)."""
    try:
        return load_module(find_module(module_id, None))
    except TrainerError:
        return None


def test_a_filter_that_matches_nothing_is_still_one_line(copies, small_runs):
    with pytest.raises(TrainerError, match="no saves of cohort 'winter' in .*cohorts: autumn, spring"):
        read_records(copies, Options(cohort="winter"))


def test_the_walk_finds_what_save_paths_finds_in_its_order(tmp_path, small_runs):
    root = write_two_modules(tmp_path / "saves")
    (root / "a-loose.toml").write_text("", encoding="utf-8")
    (root / "zz-loose.toml").write_text("", encoding="utf-8")
    (root / ".hidden.toml").write_text("", encoding="utf-8")
    (root / "notes.txt").write_text("", encoding="utf-8")
    (root / "sam-okafor" / "learner.toml").write_text("", encoding="utf-8")
    (root / "sam-okafor" / ".tmp.toml").write_text("", encoding="utf-8")
    (root / "sam").mkdir()
    (root / "sam" / "m.toml").write_text("", encoding="utf-8")
    (root / "sam.toml").write_text("", encoding="utf-8")
    os.symlink(root / "sam", root / "linked")
    assert list(_save_paths(root)) == save_paths(root)
    assert [str(path) for path in _save_paths(root)] == [str(path) for path in save_paths(root)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.binary(max_size=40), st.booleans()), max_size=40))
def test_a_spool_gives_back_each_blob_it_was_given(steps):
    spool = Spool()
    kept: list[bytes] = []
    try:
        for blob, read_between in steps:
            assert spool.append(blob) == len(kept)
            kept.append(blob)
            if read_between:  # reads and writes interleaved, as the report's spool is used
                assert spool[len(kept) // 2] == kept[len(kept) // 2]
        assert len(spool) == len(kept)
        assert [spool[n] for n in range(len(kept))] == kept
        assert [spool[n] for n in reversed(range(len(kept)))] == kept[::-1]
    finally:
        spool.close()


keys = st.tuples(st.tuples(st.text(max_size=4), st.text(max_size=4)), st.integers(0, 50), st.tuples(st.booleans(), st.text(max_size=3)))


@settings(max_examples=60, deadline=None)
@given(st.lists(keys, max_size=60), st.integers(1, 7), st.integers(1, 4))
def test_a_sorter_sorts_whether_or_not_it_spills(items, run, block):
    sorter = Sorter()
    sorter.RUN, sorter.BLOCK = run, block
    for item in items:
        sorter.add(item)
    assert len(sorter) == len(items)
    assert list(sorter) == sorted(items)


def test_the_spool_is_gone_once_closed(copies):
    with records_module.select(copies, Options(), lambda record: b"x") as selection:
        files = [selection._spool._file]
        assert list(selection) == [b"x"] * len(selection)
    assert all(file.closed for file in files)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.text(max_size=5))), st.integers(1, 6), st.integers(1, 3))
def test_sorted_texts_sharing_a_pool_each_give_their_own_texts_sorted(added, limit, block):
    spool = Spool()
    try:
        pool = TextPool(spool)
        pool.LIMIT = limit
        lists = [SortedTexts(pool) for _ in range(4)]
        for texts in lists:
            texts.BLOCK = block
        for which, text in added:
            lists[which].append(text)
        for which, texts in enumerate(lists):
            expected = sorted(text for n, text in added if n == which)
            assert len(texts) == len(expected) and list(texts) == expected == list(texts)
    finally:
        spool.close()

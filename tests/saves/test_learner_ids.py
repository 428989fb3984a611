"""Learner ids from names in every script: letters transliterated (python-slugify with
text-unidecode), the collision rule kept, and the folders of learners who signed in before ids
were transliterated kept for them."""

from __future__ import annotations

import os
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.saves.learner_ids import _ascii_slug, _library_slug, learner_slug
from trainer.saves.store import SaveStore


def clock() -> datetime:
    return datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> SaveStore:
    return SaveStore(tmp_path / "saves", clock=clock)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Łukasz Żółw", "lukasz-zolw"),  # was ukasz-zow: Ł and ł have no ASCII base
        ("Zoë O'Brien", "zoe-o-brien"),
        ("Søren Ærø", "soren-aero"),
        ("Straße", "strasse"),
        ("Дмитрий Шостакович", "dmitrii-shostakovich"),  # Cyrillic: was `learner`
        ("Νίκος Καζαντζάκης", "nikos-kazantzakes"),  # Greek
        ("محمد الأمين", "mhmd-lmyn"),  # Arabic
        ("王小明", "wang-xiao-ming"),  # Chinese
        ("Sam &amp; Co", "sam-amp-co"),  # a name is text, not HTML
        ("🙂🙂", "learner"),  # nothing to transliterate
        ("ПРН", "prn-learner"),  # transliterated to a name Windows reserves
        ("Ж" * 40, "zh" * 32),  # 64 characters at most
    ],
)
def test_names_in_every_script_keep_their_letters(name, slug):
    assert learner_slug(name) == slug


def test_the_collision_rule_holds_for_transliterated_names(store):
    assert store.learner("Dmitrii Volkov").id == "dmitrii-volkov"
    assert store.learner("Дмитрий Волков").id == "dmitrii-volkov-2"  # another name, one slug
    assert store.learner("дмитрий  волков").id == "dmitrii-volkov-2"  # the same name again
    assert store.learner("Zoe Smith").id == "zoe-smith"
    assert store.learner("Zoë Smith").id == "zoe-smith-2"


def signed_in_before(root: Path, folder: str, name: str, cohort: str | None = None) -> Path:
    """A learner folder as the app made it before ids were transliterated, with a save in it."""
    path = root / folder
    path.mkdir(parents=True)
    info = {"id": folder, "name": name} | ({"cohort": cohort} if cohort else {})
    (path / "learner.toml").write_text(tomli_w.dumps(info), encoding="utf-8")
    (path / "tutorial-riverside.toml").write_text("format = 1\n", encoding="utf-8")
    return path


def test_a_learner_who_signed_in_before_keeps_the_old_id(store):
    signed_in_before(store.root, "ukasz-zow", "Łukasz Żółw", "autumn")
    learner = store.learner("Łukasz Żółw", "autumn")
    assert (learner.id, learner.name, learner.cohort) == ("ukasz-zow", "Łukasz Żółw", "autumn")
    assert store.save_path(learner, "m") == store.root / "ukasz-zow" / "m.toml"
    assert sorted(p.name for p in store.root.iterdir()) == ["ukasz-zow"]  # no new folder
    # A newcomer with a name the old rule would have given the same id: the new id.
    assert store.learner("Łukasz Żółwiński").id == "lukasz-zolwinski"


def test_old_ids_numbered_by_the_collision_rule_are_found_by_the_name_recorded(store):
    """Before, every Cyrillic, Greek, Arabic or Chinese name became `learner`, `learner-2`...:
    each learner is given back the folder whose learner.toml names them."""
    signed_in_before(store.root, "learner", "Дмитрий Волков")
    signed_in_before(store.root, "learner-2", "王小明")
    signed_in_before(store.root, "learner-10", "محمد الأمين")
    assert store.learner("王小明").id == "learner-2"
    assert store.learner("محمد  الأمين").id == "learner-10"
    assert store.learner("дмитрий волков").id == "learner"
    assert store.learner("Νίκος Καζαντζάκης").id == "nikos-kazantzakes"  # never signed in


def test_the_cohort_given_is_recorded_in_an_old_folder(store):
    folder = signed_in_before(store.root, "ukasz-zow", "Łukasz Żółw", "autumn")
    assert store.learner("Łukasz Żółw", "spring").cohort == "spring"
    recorded = tomllib.loads((folder / "learner.toml").read_text(encoding="utf-8"))
    assert recorded == {"id": "ukasz-zow", "name": "Łukasz Żółw", "cohort": "spring"}


def test_an_old_folder_of_another_name_is_not_taken(store):
    signed_in_before(store.root, "ukasz-zow", "Ukasz Zow")
    assert store.learner("Łukasz Żółw").id == "lukasz-zolw"
    assert store.learner("Ukasz Zow").id == "ukasz-zow"


def test_an_old_folder_that_is_a_link_or_unreadable_is_not_followed(store, tmp_path):
    elsewhere = signed_in_before(tmp_path / "elsewhere", "ukasz-zow", "Łukasz Żółw")
    store.root.mkdir(parents=True)
    os.symlink(elsewhere, store.root / "ukasz-zow")
    broken = store.root / "learner"
    broken.mkdir()
    (broken / "learner.toml").write_text("not toml [", encoding="utf-8")
    assert store.learner("Łukasz Żółw").id == "lukasz-zolw"
    assert store.learner("王小明").id == "wang-xiao-ming"
    assert (broken / "learner.toml").read_text(encoding="utf-8") == "not toml ["  # left alone


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=90))
def test_a_plain_ascii_name_gets_python_slugifys_slug(name):
    """Plain ASCII names skip importing python-slugify: the slug must be the one it gives."""
    assert _ascii_slug(name) == _library_slug(name)


@pytest.mark.parametrize(
    "name",
    ["Sam O'Brien", "  Jo--Ann  ", "A&amp;B", "Cohort 1,000", "1,2,3", "x" * 70 + "-y", "'''", ""],
)
def test_the_ascii_way_and_python_slugify_agree_on_awkward_names(name):
    assert _ascii_slug(name) == _library_slug(name)

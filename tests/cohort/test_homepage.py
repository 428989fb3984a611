"""The xAPI account homePage: `--homepage`, else TRAINER_XAPI_HOMEPAGE, else the reserved
`https://trainer.invalid`, a name that can never be a real site."""

from __future__ import annotations

import json

import pytest

from trainer.cli import main


def homepages(capsys, cohort, *args: str) -> set[str]:
    assert main(["export", "--format", "xapi", "--saves", str(cohort), *args]) == 0
    statements = json.loads(capsys.readouterr().out)
    return {s["actor"]["account"]["homePage"] for s in statements}


def test_by_default_the_homepage_is_the_reserved_invalid_name(capsys, cohort, monkeypatch):
    monkeypatch.delenv("TRAINER_XAPI_HOMEPAGE", raising=False)
    assert homepages(capsys, cohort) == {"https://trainer.invalid"}


def test_the_environment_sets_it_and_the_flag_wins(capsys, cohort, monkeypatch):
    monkeypatch.setenv("TRAINER_XAPI_HOMEPAGE", "https://learning.example.ac.uk")
    assert homepages(capsys, cohort) == {"https://learning.example.ac.uk"}
    assert homepages(capsys, cohort, "--homepage", "https://lrs.example.org") == {
        "https://lrs.example.org"
    }


@pytest.mark.parametrize("command", ["export", "push"])
def test_the_help_says_how_to_set_it(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "TRAINER_XAPI_HOMEPAGE" in text and "never a real site" in text

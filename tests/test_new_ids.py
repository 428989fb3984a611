"""`trainer new` takes an id exactly: a trailing newline is not part of a valid id."""

from __future__ import annotations

from trainer.cli import main


def test_new_refuses_an_id_ending_in_a_newline(tmp_path, capsys):
    assert main(["new", "newid\n", "--dir", str(tmp_path)]) != 0
    assert list(tmp_path.iterdir()) == []
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_new_takes_a_good_id(tmp_path):
    assert main(["new", "newid", "--dir", str(tmp_path)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["newid.toml"]

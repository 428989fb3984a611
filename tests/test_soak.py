"""The attack suite's long runs run a few times each (at their full length they take
minutes: `python -m benchmarks.soak`), so that none can rot; the counts of the last long
run are in docs/reliability.md."""

from __future__ import annotations

import json

from benchmarks.soak import main


def test_each_long_run_runs_briefly_and_finds_nothing(tmp_path, capsys):
    out = tmp_path / "soak.json"
    argv = ["--minutes", "0", "--at-least", "12", "--seed", "7", "--json", str(out)]
    assert main(argv) == 0, capsys.readouterr().out
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["modules"]["mutants"] > 10 and results["modules"]["clean, played"] > 0
    assert results["saves"]["runs"] >= 5 * results["saves"]["mutants"] > 0
    assert results["sigkill"]["kills"] >= 12
    for kind in ("modules", "saves", "sigkill"):
        assert results[kind]["failures"] == [], kind

"""The benchmark script runs (small sizes), so it cannot rot; figures live in docs/performance.md."""

from benchmarks.run import main


def test_quick_benchmarks_print_a_ratio_for_each_measure(capsys):
    assert main(["--quick"]) == 0
    ratios, keys = capsys.readouterr().out.split("\n\n")
    rows = [line for line in ratios.splitlines()[2:] if line.strip()]
    assert [row.split(",")[0] for row in rows] == [
        "validate",
        "export csv",
        "play",
    ]
    for row in rows:
        ratio = float(row.split()[-3])
        assert ratio > 0
    (row,) = [line for line in keys.splitlines()[2:] if line.strip()]
    assert row.startswith("key press to feedback, tutorial-riverside")
    assert int(row.split("(")[-1].split()[0]) > 0, "answers were timed"

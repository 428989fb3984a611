"""The benchmark script runs (small sizes), so it cannot rot; figures live in docs/performance.md."""

from benchmarks.run import main


def test_quick_benchmarks_print_a_ratio_for_each_measure(capsys):
    assert main(["--quick"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line for line in lines[2:] if line.strip()]
    assert [row.split(",")[0] for row in rows] == [
        "validate",
        "export csv",
        "play",
    ]
    for row in rows:
        ratio = float(row.split()[-3])
        assert ratio > 0

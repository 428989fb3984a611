"""The benchmark script runs (small sizes), so it cannot rot; figures live in docs/performance.md."""

from benchmarks.run import main


def test_quick_benchmarks_print_a_ratio_for_each_measure(capsys):
    assert main(["--quick"]) == 0
    ratios, frames, terminal, keys = capsys.readouterr().out.split("\n\n")
    rows = [line for line in ratios.splitlines()[2:] if line.strip()]
    assert [row.split(",")[0] for row in rows] == ["validate"] * 3 + ["export csv"]
    for row in rows:
        ratio = float(row.split()[-3])
        assert ratio > 0
    paths = ["first frame, preview", "first frame, sign-in", "first frame, learner"]
    for table, kind in ((frames, "(headless)"), (terminal, "(terminal)")):
        rows = [line for line in table.splitlines()[2:] if line.strip()]
        assert [row.split("(")[0].strip() for row in rows] == paths
        for row in rows:
            assert kind in row and row.split()[-1] in ("pass", "OVER"), row
            assert float(row.split()[-3]) > 0, row
    drawn, idle = [line for line in keys.splitlines()[2:] if line.strip()]
    assert drawn.startswith("key to feedback, tutorial-riverside, drawn")
    assert idle.startswith("key to feedback, tutorial-riverside, idle")
    for row in (drawn, idle):
        assert int(row.split("(")[-1].split()[0]) > 0, "answers were timed"


def test_quick_push_benchmark_sends_the_cohort_both_ways_and_prints_a_ratio(capsys):
    from tests.lrs.conftest import need_ralph

    need_ralph()
    from benchmarks.push import main as push_main

    assert push_main(["--quick", "--runs", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "on a terminal" in lines[2], lines
    sides = {line.split()[0]: line.split() for line in lines[3:5]}
    assert set(sides) == {"ours", "floor"}, lines
    for words in sides.values():
        assert float(words[words.index("processor") + 1]) > 0, words
    assert float(lines[5].split()[1]) > 0, lines
    assert lines[6].startswith("  run 1: floor ") and float(lines[6].split()[-4]) > 0, lines
    assert lines[7].startswith("  every run within 1.2x: "), lines


def test_quick_growth_prints_a_row_for_each_cohort_command(capsys):
    from benchmarks.growth import main as growth

    assert growth(["--quick", "--runs", "1"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines()[2:] if line.strip()]
    assert [row[:12].strip() for row in rows] == [
        "progress",
        "export csv",
        "export json",
        "export xapi",
        "report",
    ]
    for row in rows:
        time_ratio, memory_ratio = float(row.split()[-6]), float(row.split()[-3])
        assert time_ratio > 0 and memory_ratio > 0

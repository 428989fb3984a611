"""The benchmark script runs (small sizes), so it cannot rot; figures live in docs/performance.md."""

from benchmarks.run import main


def test_quick_benchmarks_print_a_ratio_for_each_measure(capsys):
    assert main(["--quick"]) == 0
    ratios, frames, terminal, keys = capsys.readouterr().out.split("\n\n")
    rows = [line for line in ratios.splitlines()[2:] if line.strip()]
    assert [row.split(",")[0] for row in rows] == ["validate"] * 4 + ["export csv"] * 2
    assert rows[-1].split()[-1] == "(none)", "one process is measured for reference"
    for row in rows:
        ratio = float(row.split()[-2 if row.endswith("(none)") else -3])
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


def test_quick_seminar_benchmark_times_new_saves_and_the_idle_cost(capsys):
    from benchmarks.seminar import main as seminar

    assert seminar(["--quick"]) == 0
    title, idle, delays, verdict = capsys.readouterr().out.splitlines()
    assert title.startswith("seminar, 30 learners in the room")
    words = idle.split()
    assert float(words[words.index("ours") + 1].rstrip("%")) >= 0, idle
    assert float(words[words.index("app") + 1].rstrip("%")) >= 0, idle
    timed = [float(d) for d in delays.split("(")[1].split(")")[0].split()]
    assert len(timed) == 2 and all(d > 0 for d in timed), delays
    assert verdict.strip() in ("pass", "OVER")


def test_quick_serve_benchmark_drives_both_servers_in_chromium(capsys):
    from tests.web.browser import chromium_path, need

    chromium_path()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        need(False, "Playwright is not installed: pip install -e '.[test]'")
    from benchmarks.serve import main as serve

    assert serve(["--quick"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "serve, 2 browsers a side; 2 answering; terminals of 80x24"
    rows = {line[:34].strip(): line[34:].split() for line in lines[3:7]}
    assert set(rows) == {
        "memory per browser, PSS MiB",
        "memory per browser, RSS MiB",
        "page load to first screen, s",
        "key to feedback, ms med/p95/max",
    }
    for name in ("memory per browser, PSS MiB", "memory per browser, RSS MiB"):
        ours, bare, ratio = (float(word) for word in rows[name][:3])
        assert ours > 0 and bare > 0 and ratio > 0, rows[name]
    ours, bare = rows["page load to first screen, s"][:2]
    assert all(float(v) > 0 for v in ours.split("/") + bare.split("/")), ours + " " + bare
    # Key to feedback is a save written and a screen drawn: never nothing.
    ours, bare = rows["key to feedback, ms med/p95/max"][:2]
    assert all(float(v) > 0 for v in ours.split("/")), ours
    assert all(float(v) >= 0 for v in bare.split("/")), bare

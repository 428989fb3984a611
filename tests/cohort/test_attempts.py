"""Which attempt the cohort commands count: each learner's latest finished attempt, with an
attempt in progress after it shown beside it, never in its place; a learner who has finished
none, by their latest attempt. A trainee who starts again (even by a stray key) has not undone
what they finished."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cohort.conftest import TUTORIAL, attempt_from
from trainer.cli import main
from trainer.cohort.peers import latest_answer
from trainer.cohort.records import counted_attempts
from trainer.content import load_module
from trainer.saves import Attempt, LearnerInfo, ModuleInfo, SaveFile, read_save

MODULE = load_module(TUTORIAL)
TOTAL = MODULE.decision_count
BASE = datetime(2026, 11, 9, 9, 0, tzinfo=UTC)

HISTORIES = {
    # name: the plan of each attempt in order (`PLANS`; "new": started, nothing answered yet).
    "Sam Okafor": ["branch", "new"],  # finished, then a stray n
    "Ada Price": ["aligned", "unfinished"],  # finished, then started again and answered one
    "Zoë O'Brien": ["unfinished"],  # has finished nothing
    "Ben Hale": ["aligned", "branch"],  # finished twice: the second counts
    "Kim Lee": ["branch", "unfinished", "new"],  # finished, one left, one in progress
}


def attempt(plan: str, number: int, start: datetime) -> Attempt:
    if plan != "new":
        return attempt_from(plan, number, start)
    registration = f"00000000-0000-4000-8000-{number:012d}"
    started = start.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return Attempt(number, registration, started, position=MODULE.stages[0].id)


def learner_id(name: str) -> str:
    return name.lower().replace("ë", "e").replace("'", "-").replace(" ", "-")


@pytest.fixture
def restarted(tmp_path) -> Path:
    folder = tmp_path / "saves"
    for index, (name, plans) in enumerate(HISTORIES.items()):
        learner = LearnerInfo(learner_id(name), name, "autumn")
        attempts = [
            attempt(plan, n, BASE + timedelta(days=index, hours=n))
            for n, plan in enumerate(plans, start=1)
        ]
        target = folder / learner.id / f"{MODULE.id}.toml"
        target.parent.mkdir(parents=True)
        target.write_text(SaveFile(learner, ModuleInfo.of(MODULE), attempts).dumps(), "utf-8")
    return folder


def save_of(folder: Path, name: str) -> SaveFile:
    return read_save(folder / learner_id(name) / f"{MODULE.id}.toml")


def percent(folder: Path, name: str, number: int) -> str:
    score = save_of(folder, name).attempts[number - 1].score
    assert score is not None
    return f"{round(100 * score)}%"


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        ([False], [1]),
        ([True], [1]),
        ([True, False], [1, 2]),
        ([True, True], [2]),
        ([True, False, False], [1, 3]),
        ([False, True], [2]),
        ([False, True, False], [2, 3]),
    ],
)
def test_the_attempts_counted(finished, expected):
    attempts = [
        Attempt(n, "r", "2026-11-09T09:00:00.000Z", finished_at="x" if done else None)
        for n, done in enumerate(finished, start=1)
    ]
    assert [a.number for a in counted_attempts(attempts)] == expected


# -- progress ---------------------------------------------------------------------------------


def progress_table(capsys, monkeypatch, folder: Path) -> dict[str, list[str]]:
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["progress", "--saves", str(folder)]) == 0
    out = capsys.readouterr().out
    header, *rows = [line for line in out.splitlines() if line.startswith(("┃", "│"))]
    columns = [cell.strip() for cell in header.strip("┃").split("┃")]
    assert columns == [
        "Learner", "Cohort", "Module", "Attempt", "Answered", "Score", "Finished",
        "In progress", "Last activity (UTC)",
    ]  # fmt: skip
    table = {}
    for row in rows:
        cells = [cell.strip() for cell in row.strip("│").split("│")]
        assert cells[0] not in table, "one row per learner and module"
        table[cells[0]] = cells[3:8]
    return table


def test_progress_counts_the_latest_finished_attempt_with_the_one_in_progress_beside_it(
    capsys, monkeypatch, restarted
):
    table = progress_table(capsys, monkeypatch, restarted)
    branch = len(save_of(restarted, "Sam Okafor").attempts[0].answers)
    assert table == {
        "Sam Okafor": ["1", f"{branch}/{branch}", percent(restarted, "Sam Okafor", 1), "yes", f"attempt 2, 0/{TOTAL}"],
        "Ada Price": ["1", "5/5", "100%", "yes", f"attempt 2, 1/{TOTAL}"],
        "Zoë O'Brien": ["1", f"1/{TOTAL}", percent(restarted, "Zoë O'Brien", 1), "no", ""],
        "Ben Hale": ["2", f"{branch}/{branch}", percent(restarted, "Ben Hale", 2), "yes", ""],
        "Kim Lee": ["1", f"{branch}/{branch}", percent(restarted, "Kim Lee", 1), "yes", f"attempt 3, 0/{TOTAL}"],
    }  # fmt: skip


def test_progress_at_80_columns_says_which_attempt_counts_and_which_is_in_progress(
    capsys, monkeypatch, restarted
):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["progress", "--saves", str(restarted)]) == 0
    out = capsys.readouterr().out
    sam = out.split("Sam Okafor  cohort autumn\n")[1].split("\n\n")[0]
    score = percent(restarted, "Sam Okafor", 1)
    assert f"    {MODULE.id}  attempt 1  answered 6/6  score {score}  finished\n" in sam + "\n"
    assert f"attempt 2 in progress, answered 0/{TOTAL}" in sam
    zoe = out.split("Zoë O'Brien  cohort autumn\n")[1].split("\n\n")[0]
    assert f"attempt 1  answered 1/{TOTAL}" in zoe and "not finished" in zoe
    assert "in progress" not in zoe, "an unfinished attempt alone is shown as before"


# -- the report -------------------------------------------------------------------------------


def report(capsys, folder: Path, tmp_path: Path) -> str:
    target = tmp_path / "report.html"
    assert main(["report", "--saves", str(folder), "-o", str(target)]) == 0
    capsys.readouterr()
    return target.read_text(encoding="utf-8")


def learner_rows(html: str) -> dict[str, dict[str, str]]:
    table = html.split("<h3>Learners</h3>")[1].split("</table>")[0]
    rows = {}
    for row in table.split("</tr>")[1:-1]:
        name = re.search(r'">([^<]*)</a>', row).group(1)
        cells = re.findall(r'data-label="([^"]+)">(.*?)</td>', row)
        rows[name.replace("&#39;", "'")] = {label: value for label, value in cells if label != "Learner"}
    return rows


def test_the_report_counts_a_learner_who_started_again_as_finished(capsys, restarted, tmp_path):
    html = report(capsys, restarted, tmp_path)
    rows = learner_rows(html)
    sam = rows["Sam Okafor"]
    assert sam["Attempts"] == "2"
    assert sam["Finished"] == (
        'yes (attempt\xa01) <span class="muted small beside">'
        f"attempt 2 in progress: 0\xa0of\xa0{TOTAL} answered</span>"
    )
    assert sam["Score"] == percent(restarted, "Sam Okafor", 1)
    assert sam["Time taken"] != "–"
    ada = rows["Ada Price"]
    assert ada["Finished"].startswith("yes (attempt\xa01)") and ada["Score"] == "100%"
    assert f"attempt 2 in progress: 1\xa0of\xa0{TOTAL} answered" in ada["Finished"]
    assert ada["Contrary"] == "0\xa0of\xa04", "attempt 1's answers, not the one in progress"
    assert rows["Ben Hale"]["Finished"] == "yes"
    assert rows["Ben Hale"]["Score"] == percent(restarted, "Ben Hale", 2)
    assert "attempt 3 in progress" in rows["Kim Lee"]["Finished"]
    assert "attempt 2" not in rows["Kim Lee"]["Finished"], "the attempt left behind is not shown"
    zoe = rows["Zoë O'Brien"]
    assert zoe["Finished"] == f"no: 1\xa0of\xa0{TOTAL} answered" and zoe["Score"] == "–"


def test_the_cohort_mean_and_counts_use_the_finished_attempts(capsys, restarted, tmp_path):
    html = report(capsys, restarted, tmp_path)
    scores = [
        save_of(restarted, name).attempts[number - 1].score
        for name, number in [("Sam Okafor", 1), ("Ada Price", 1), ("Ben Hale", 2), ("Kim Lee", 1)]
    ]
    mean = round(100 * sum(scores) / len(scores))
    overview = html.split("</table>")[0]
    assert 'data-label="Finished">4 of 5<' in overview
    assert f'data-label="Mean score">{mean}%<' in overview
    part = html.split(">Cohort autumn <span")[1]
    assert "<tr><th>Finished</th><td>4 of 5</td></tr>" in part
    assert "<tr><th>Started again after finishing</th><td>3 (counted by their finished attempt)" in part
    assert f"<tr><th>Mean score (finished)</th><td>{mean}%</td></tr>" in part
    # One answer per learner to each decision: the attempt that counts, never the one in
    # progress (Ada's second answer, contrary and very sure, is not counted).
    first = part.split(f"<h4>{MODULE.decision('first-response')[1].prompt}</h4>")[1]
    first = first.split("</section>")[0]
    assert "· 5 answers</p>" in first
    sure = re.search(r"Sure \(4 or 5\) and contrary to the review:</strong> (\d+) \(([^)]*)\)", first)
    assert sure.group(2).split(", ") == ["Ben Hale", "Kim Lee", "Sam Okafor", "Zoë O&#39;Brien"]


def test_each_learners_answers_are_the_attempt_that_counts(capsys, restarted, tmp_path):
    html = report(capsys, restarted, tmp_path)
    answers = html.split("<h3>Each learner's answers</h3>")[1]
    sam = answers.split(">Sam Okafor <span")[1].split("</section>")[0]
    score = percent(restarted, "Sam Okafor", 1)
    assert re.search(
        rf"attempt 1 of 2 · started [^·]+ · finished [^·]+ · score {score} · "
        rf"attempt 2 in progress: 0\xa0of\xa0{TOTAL} answered</p>",
        sam,
    )
    # One item per answer (a rank answer's order is a list of its own, inside its item).
    answered = sam.count('<li><p class="muted small">')
    assert answered == len(save_of(restarted, "Sam Okafor").attempts[0].answers)


# -- exports and peers ------------------------------------------------------------------------


def export_csv(capsys, folder: Path, *extra: str) -> list[dict[str, str]]:
    assert main(["export", "--format", "csv", "--saves", str(folder), *extra]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_exports_keep_the_finished_attempt_beside_the_one_in_progress(capsys, restarted):
    def attempts_of(rows, learner):
        return sorted({int(r["attempt"]) for r in rows if r["learner_name"] == learner})

    rows = export_csv(capsys, restarted)
    assert attempts_of(rows, "Sam Okafor") == [1], "attempt 2 has no answers: no rows"
    assert attempts_of(rows, "Ada Price") == [1, 2]
    assert attempts_of(rows, "Ben Hale") == [2]
    assert attempts_of(rows, "Kim Lee") == [1], "the attempt left behind: --all-attempts"
    every = export_csv(capsys, restarted, "--all-attempts")
    assert attempts_of(every, "Kim Lee") == [1, 2] and attempts_of(every, "Ben Hale") == [1, 2]
    assert main(["export", "--format", "json", "--saves", str(restarted)]) == 0
    data = json.loads(capsys.readouterr().out)
    sam = next(learner for learner in data["learners"] if learner["name"] == "Sam Okafor")
    assert [(a["number"], len(a["answers"])) for a in sam["modules"][0]["attempts"]] == [(1, 6), (2, 0)]


def test_peers_count_each_learners_most_recent_answer(restarted):
    """Peers and the seminar show the room now: a stray n changes nothing, an answer given
    again counts instead of the earlier one."""
    sam = save_of(restarted, "Sam Okafor")
    assert latest_answer(sam, "first-response") == sam.attempts[0].answers[0]
    ada = save_of(restarted, "Ada Price")
    assert latest_answer(ada, "first-response").choice == ("advice-only",)  # attempt 2
    assert latest_answer(ada, "first-response") == ada.attempts[1].answers[0]
    assert latest_answer(ada, "the-visitor") == ada.attempts[0].answers[2]  # not reached yet

"""The report a tutor reads: several learners in two cohorts playing two modules, read by a
tutor's questions (how did each learner do on each module, which decisions did each cohort get
wrong, who was sure and wrong), and the command's refusals (a filter matching nothing, an output
that is not HTML)."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.cohort.conftest import FORMAT2, LEARNERS, TUTORIAL
from trainer.cli import main
from trainer.cohort.records import Options, read_records
from trainer.content import load_module

MODULES = ["--modules", str(FORMAT2.parent)]


class Sections(HTMLParser):
    """Headings (level, id, text) in order, every link's target, and the text under each id."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str | None, str]] = []
        self.links: list[tuple[str, str]] = []
        self._heading: list | None = None
        self._link: list | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-4]", tag):
            self._heading = [int(tag[1]), attributes.get("id"), ""]
        if tag == "a":
            self._link = [attributes["href"], ""]

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-4]", tag) and self._heading is not None:
            self.headings.append((self._heading[0], self._heading[1], self._heading[2].strip()))
            self._heading = None
        if tag == "a" and self._link is not None:
            self.links.append((self._link[0], self._link[1]))
            self._link = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[2] += data
        if self._link is not None:
            self._link[1] += data


def report(capsys, saves: Path, tmp_path: Path, *extra: str) -> str:
    target = tmp_path / "report.html"
    status = main(["report", "--saves", str(saves), *MODULES, "-o", str(target), *extra])
    err = capsys.readouterr().err
    assert status == 0, err
    return target.read_text(encoding="utf-8")


def module_section(html: str, title: str) -> str:
    """From a module's heading to the next module's (or the end)."""
    start = html.index(f">{escape(title)} <span")
    following = html.find("<h2 ", start)
    return html[start : following if following != -1 else len(html)]


def cohort_part(section: str, cohort: str) -> str:
    """A cohort's part of a module section: up to the next heading of its level."""
    start = section.index(f">Cohort {cohort} <span")
    return section[start : section.index("<h3", start)]


def test_one_section_per_module_headed_by_its_title_and_version(capsys, two_modules, tmp_path):
    html = report(capsys, two_modules, tmp_path)
    parsed = Sections(html)
    modules = [text for level, _, text in parsed.headings if level == 2]
    tutorial, format2 = load_module(TUTORIAL), load_module(FORMAT2)
    assert modules == [
        f"{format2.title} version {format2.version}",
        f"{tutorial.title} version {tutorial.version}",
    ]  # in title order: "The Hollins ..." before "Tutorial: ..."
    for title in (tutorial.title, format2.title):
        section = module_section(html, title)
        cohorts = re.findall(r'<h3 id="m\d-c\d">([^<]*) <span', section)
        assert cohorts == ["Cohort autumn", "Cohort spring"]


def test_the_learner_table_links_each_learner_to_their_answers(capsys, two_modules, tmp_path):
    html = report(capsys, two_modules, tmp_path)
    parsed = Sections(html)
    targets = {anchor: text for _, anchor, text in parsed.headings if anchor}
    tutorial = module_section(html, load_module(TUTORIAL).title)
    table = tutorial.split("<h3>Learners</h3>")[1].split("</table>")[0]
    played = sorted(
        (cohort, name) for name, (cohort, plans) in LEARNERS.items() if "tutorial" in plans
    )
    rows = re.findall(r'<tr><td class="lead" data-label="Learner"><a href="#([^"]+)">', table)
    assert len(rows) == len(played) == 6
    for anchor, (cohort, name) in zip(rows, played, strict=True):
        assert targets[anchor] == f"{name} cohort {cohort}"  # the learner's answers
        assert re.fullmatch(r"m2-l\d", anchor)
    # Every link in the report leads somewhere in it.
    assert {href[1:] for href, _ in parsed.links} <= set(targets)


def test_the_learner_table_says_how_each_learner_did(capsys, two_modules, tmp_path):
    html = report(capsys, two_modules, tmp_path)
    records, _ = read_records(two_modules, Options())
    format2 = module_section(html, load_module(FORMAT2).title)
    table = format2.split("<h3>Learners</h3>")[1].split("</table>")[0]
    header = re.findall(r"<th[^>]*>([^<]*)</th>", table.split("</tr>")[0])
    assert header == [
        "Learner", "Cohort", "Attempts", "Finished", "Score", "Time taken", "Sure",
        "Contrary", "Sure and contrary",
    ]  # fmt: skip
    cells = {
        re.search(r'">([^<]*)</a>', row).group(1): [
            cell for cell in re.findall(r'data-label="([^"]+)">([^<]*)<', row) if cell[0] != "Learner"
        ]
        for row in table.split("</tr>")[1:-1]
    }
    # Ben Hale's plan: what was done at the time, sure of it, every judged answer contrary.
    ben = dict(cells["Łukasz Żółw-Brzęczyszczykiewicz"])
    assert ben == {
        "Cohort": "autumn",
        "Attempts": "1",
        "Finished": "yes",
        "Score": "0%",
        "Time taken": "6\xa0min",
        "Sure": "1\xa0of\xa02",
        "Contrary": "4\xa0of\xa04",
        "Sure and contrary": "1",
    }
    ada = dict(cells["Sam Okafor"])
    assert (ada["Score"], ada["Contrary"], ada["Sure and contrary"]) == ("100%", "0\xa0of\xa04", "0")
    finished = {r.learner_name for r in records if r.save.module.id == "format2-sample"}
    assert set(cells) == finished


def test_an_unfinished_attempt_says_how_far_it_got(capsys, two_modules, tmp_path):
    html = report(capsys, two_modules, tmp_path)
    tutorial = module_section(html, load_module(TUTORIAL).title)
    row = tutorial.split("Константин Константинопольский-Преображенский</a>")[1].split("</tr>")[0]
    assert re.search(r'data-label="Finished">no: 1\xa0of\xa0\d+ answered<', row)
    assert 'data-label="Score">–<' in row and 'data-label="Time taken">–<' in row


def test_every_chart_and_mean_is_one_module_and_one_cohort(capsys, two_modules, tmp_path):
    html = report(capsys, two_modules, tmp_path)
    format2 = module_section(html, load_module(FORMAT2).title)
    autumn, spring = cohort_part(format2, "autumn"), cohort_part(format2, "spring")
    # autumn: Ada's plan (100%) and Ben's (0%); spring: Ada's and Ben's twice (33%).
    assert "<tr><th>Learners</th><td>2</td></tr>" in autumn
    assert "<tr><th>Mean score (finished)</th><td>50%</td></tr>" in autumn
    assert "<tr><th>Learners</th><td>3</td></tr>" in spring
    assert "<tr><th>Mean score (finished)</th><td>33%</td></tr>" in spring
    # Each decision is counted within the cohort: 2 answers in autumn, 3 in spring.
    assert autumn.count("· 2 answers</p>") == 6 and "· 3 answers" not in autumn
    assert spring.count("· 3 answers</p>") == 6 and "· 2 answers" not in spring
    for part in (autumn, spring):
        for heading in ("Score distribution", "Confidence against verdict", "Findings most often missed"):
            assert part.count(f"<h4>{heading}") == 1
    # The overview: one row per module and cohort, each with its own mean.
    overview = html.split("</table>")[0]
    assert overview.count('data-label="Mean score">') == 4
    assert '<a href="#m1-c1">autumn</a></td><td class="number" data-label="Learners">2<' in overview
    assert '<a href="#m1-c2">spring</a></td><td class="number" data-label="Learners">3<' in overview
    assert "50%" in overview and "33%" in overview


def test_which_decisions_a_cohort_got_wrong_and_who_was_sure(capsys, two_modules, tmp_path):
    html = report(capsys, two_modules, tmp_path)
    spring = cohort_part(module_section(html, load_module(FORMAT2).title), "spring")
    first = spring.split("<h4>What do you do first?</h4>")[1].split("</section>")[0]
    assert "A call from the school · mid-January 2030 · 3 answers" in first
    assert "Chose what was done at the time</strong> (Write to the family and offer a meeting.): 2 of 3" in first
    sure = "Sure (4 or 5) and contrary to the review:</strong> 2 (Νικόλαος Παπαδημητρακόπουλος, 欧阳司马慕容上官诸葛明)"
    assert sure in first


def test_each_decision_is_labelled_by_its_stage_title_and_date(capsys, two_modules, tmp_path):
    html = report(capsys, two_modules, tmp_path)
    tutorial, module = module_section(html, load_module(TUTORIAL).title), load_module(TUTORIAL)
    stage, decision = module.decision("first-response")
    label = f"{stage.title} · {stage.shown_date}"
    assert f"<h4>{escape(decision.prompt)}</h4>\n<p class=\"muted small\">{escape(label)} · " in tutorial
    # In each learner's answers too, and never a decision's id.
    answers = tutorial.split("<h3>Each learner's answers</h3>")[1]
    assert answers.count(f'<li><p class="muted small">{escape(label)}</p>') == 6
    assert "first-response" not in tutorial


def test_without_the_module_a_decision_says_its_stage_id(capsys, two_modules, tmp_path):
    target = tmp_path / "report.html"
    assert main(["report", "--saves", str(two_modules), "-o", str(target)]) == 0
    format2 = module_section(target.read_text(encoding="utf-8"), load_module(FORMAT2).title)
    assert '<h4>What do you do first?</h4>\n<p class="muted small">stage call · 2 answers</p>' in format2
    assert '<li><p class="muted small">stage looking-back</p>' in format2


def test_written_answers_are_readable_and_left_out_with_no_text(capsys, two_modules, tmp_path):
    html = report(capsys, two_modules, tmp_path)
    assert "Reason: plausible" in html  # a one-line reason, where a decision asked for one
    autumn = cohort_part(module_section(html, load_module(FORMAT2).title), "autumn")
    written = autumn.split("<h4>What would you do differently?</h4>")[1].split("</section>")[0]
    assert '<p class="written">I believed her, so I would not see her alone.</p>' in written
    assert ">Łukasz Żółw-Brzęczyszczykiewicz</a>" in written  # whose, linked to their answers
    assert html.count("I would go today and see her on her own.") == 4  # 2 cohorts, 2 lists
    plain = report(capsys, two_modules, tmp_path, "--no-text")
    for text in ("I believed her", "I would go today", "Nothing more.", "=SUM(1)", "Reason: "):
        assert text not in plain
    assert "(written answer left out)" in plain and "Written answers and reasons are left out." in plain
    assert "Sure (4 or 5) and contrary" in plain  # the rest is all there


def test_anonymise_gives_pseudonyms_in_the_report(capsys, two_modules, tmp_path):
    html = report(capsys, two_modules, tmp_path, "--anonymise")
    for name in LEARNERS:
        assert escape(name) not in html
    assert len(set(re.findall(r"learner-[0-9a-f]{10}", html))) == len(LEARNERS)


def test_a_filter_narrows_the_report_to_one_cohort(capsys, two_modules, tmp_path):
    html = report(capsys, two_modules, tmp_path, "--cohort", "spring")
    assert "<h1>Cohort report: spring</h1>" in html
    assert "Cohort autumn" not in html and "Sam Okafor" not in html
    html = report(capsys, two_modules, tmp_path, "--module", "format2-sample")
    assert len(re.findall("<h2 ", html)) == 1


@pytest.mark.parametrize(
    ("flags", "line"),
    [
        (["--cohort", "nosuch"], "trainer: no saves of cohort 'nosuch' in {saves} (cohorts: autumn, spring)"),
        (["--module", "nosuch"], "trainer: no saves of module 'nosuch' in {saves} (modules: format2-sample, tutorial-riverside)"),
        (
            ["--cohort", "spring", "--module", "nosuch"],
            "trainer: no saves of cohort 'spring' and module 'nosuch' in {saves} (cohorts: autumn, spring; modules: format2-sample, tutorial-riverside)",
        ),
    ],
)
@pytest.mark.parametrize("command", ["report", "progress", "export", "push"])
def test_a_filter_matching_nothing_is_one_line_and_exit_1(capsys, two_modules, tmp_path, flags, line, command):
    target = tmp_path / "report.html"
    extra = {
        "report": ["-o", str(target)],
        "export": ["--format", "csv"],
        "push": ["--lrs", "http://127.0.0.1:9/xapi"],
    }.get(command, [])
    assert main([command, "--saves", str(two_modules), *extra, *flags]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == line.format(saves=two_modules) + "\n"
    assert not target.exists()


@pytest.mark.parametrize("name", ["report.pdf", "report", "report.html.txt", "-"])
def test_an_output_that_is_not_html_is_refused_and_nothing_written(capsys, two_modules, tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--saves", str(two_modules), "-o", name]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert err.startswith("trainer report: the report is an HTML file, so -o needs a name ending in .html")
    assert f"(not {name})" in err and "print it" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["two-modules"]


def test_an_html_name_in_capitals_is_taken(capsys, two_modules, tmp_path):
    assert main(["report", "--saves", str(two_modules), "-o", str(tmp_path / "R.HTML")]) == 0


def test_plurals(capsys, two_modules, tmp_path):
    target = tmp_path / "one.html"
    argv = ["report", "--saves", str(two_modules), "--cohort", "autumn", "--module"]
    assert main([*argv, "format2-sample", "-o", str(target), "--anonymise"]) == 0
    assert capsys.readouterr().err == f"Wrote {target} (2 saves).\n"
    one = tmp_path / "one-learner"
    (one / "sam-okafor").mkdir(parents=True)
    for save in (two_modules / "sam-okafor").iterdir():
        (one / "sam-okafor" / save.name).write_bytes(save.read_bytes())
    assert main(["report", "--saves", str(one), "--module", "tutorial-riverside", "-o", str(target)]) == 0
    assert capsys.readouterr().err == f"Wrote {target} (1 save).\n"
    html = target.read_text(encoding="utf-8")
    assert "from 1 save (1 learner)." in html and "1 saves" not in html
    assert re.search(r" · 1 answer</p>", html) and " 1 answers" not in html
    assert main(["export", "--saves", str(one), "--format", "csv", "-o", str(tmp_path / "a.csv")]) == 0
    assert capsys.readouterr().err.endswith("(2 saves).\n")


def test_each_decision_gives_the_median_time_its_answers_took(capsys, cohort, tmp_path):
    """Every answer in the cohort's saves took two minutes and two seconds (the fixture's clock):
    the median says so in words; answers from older saves, with no time, are left out."""
    html = report(capsys, cohort, tmp_path)
    assert html.count("Median time to answer: 2 minutes 2 seconds, from the decision") >= 4
    for learner in ("script", "zoe-o-brien"):  # as if written before the time was kept
        path = cohort / learner / "tutorial-riverside.toml"
        text = path.read_text(encoding="utf-8")
        path.write_text(
            "\n".join(line for line in text.splitlines() if not line.startswith("seconds = ")),
            encoding="utf-8",
        )
    html = report(capsys, cohort, tmp_path)
    # Autumn's first decision: Sam's answer timed, the other not; spring's: none, so no line.
    assert html.count("(1 of 2 answers timed)") == 1
    spring = html[html.index(">Cohort spring <span"):]
    assert "Median time" not in spring


def test_a_duration_in_words():
    from trainer.cohort.report_page import duration_words, timing_words

    assert duration_words(42.4) == "42 seconds"
    assert duration_words(61) == "1 minute 1 second"
    assert duration_words(3725) == "1 hour 2 minutes"
    assert timing_words([], 3) is None
    assert timing_words([10, 20, 90], 3) == "Median time to answer: 20 seconds"


def test_each_key_item_compares_answers_given_after_opening_it_with_the_rest(
    capsys, cohort, tmp_path
):
    """The tutorial marks a paediatrician's report (in from the visit) and the first bruise's
    chronology entry key. In autumn, Sam opened both at the visitor decision; the learner who
    stopped after the first decision never reached the visit."""
    html = report(capsys, cohort, tmp_path, "--modules", str(TUTORIAL.parent))
    autumn = html[html.index(">Cohort autumn <span"): html.index(">Cohort spring <span")]
    part = autumn[autumn.index("Key items in the case file"):]
    assert "Paediatrician&#39;s report (summary)" in part or "Paediatrician's report" in part
    report_part = part[part.index("Paediatrician"): part.index("</table>", part.index("Paediatrician"))]
    cells = re.findall(r"<t[hd]>([^<]*)</t[hd]>", report_part)
    # Sam's three answers from the visit on, all after opening it; none without.
    assert cells[-10:] == [
        "Had opened it before deciding", "3", "2", "0", "0",
        "Had not opened it", "0", "0", "0", "0",
    ]
    assert "100% of the judged answers given after opening it were aligned" in part
    bruise = part[part.index("health visiting"):]
    cells = re.findall(r"<t[hd]>([^<]*)</t[hd]>", bruise[: bruise.index("</table>")])
    # From the first stage: the first answers of Sam and the other learner came before it was
    # opened (the other learner never opened it); Sam's later three came after.
    assert cells[-10:] == [
        "Had opened it before deciding", "3", "2", "0", "0",
        "Had not opened it", "2", "1", "0", "1",
    ]

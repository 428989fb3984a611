"""Small cohorts of saves, made by playing modules through the engine with fixed clocks: the
tutorial (format 1), and the fictional format 2 module with a rank decision, a poll, what was
done at the time, and written answers the trainees compared by their own ticks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import tomli_w

from tests.records import replace
from trainer.content import load_module
from trainer.engine import Deciding, Finished, Module, PlayThrough, Reading
from trainer.engine.autoplay import Response, play
from trainer.paths import shipped_modules_dir
from trainer.saves import Attempt, LearnerInfo, ModuleInfo, SaveFile

TUTORIAL = shipped_modules_dir() / "tutorial-riverside.toml"

PLANS = {
    "aligned": {
        "first-response": {
            "choice": ["strategy-and-medical"],
            "confidence": 4,
            "reason": "+1 not yet mobile",
        },
        "first-steps": {"choice": ["strategy", "medical", "ask-again"]},
        "the-visitor": {"choice": ["ask-name", "checks", "see-ruby-awake"], "confidence": 5},
        "how-it-feels": {"choice": ["comfortable"]},
        "visit-note": {"text": '=HYPERLINK("x") I saw the man; Ruby asleep; next visit'},
    },
    "branch": {
        "first-response": {"choice": ["advice-only"], "confidence": 5, "reason": "plausible"},
        "first-steps": {"choice": ["ask-again", "medical", "strategy"]},
        "second-response": {"choice": ["second-advice"], "confidence": 5},
        "the-visitor": {"choice": ["accept-friend"], "confidence": 4},
        "how-it-feels": {"choice": ["uneasy"]},
        "visit-note": {"text": "Be kinder."},
    },
    "unfinished": {
        "first-response": {"choice": ["advice-only"], "confidence": 5, "reason": "-"},
    },
}


OPENS = {
    "aligned": {"the-visitor": [("document", "medical-report"), ("chronology", "first-bruise")]},
    "branch": {"second-response": [("chronology", "first-bruise")]},
}
"""Case-file items each plan opens while a decision is on the screen, before answering it:
the key document only on the aligned path, so the report has both sides to compare."""


def attempt_from(plan: str, number: int, start: datetime, module: Module | None = None) -> Attempt:
    return play_attempt(module or load_module(TUTORIAL), PLANS[plan], number, start,
                        OPENS.get(plan, {}))


def play_attempt(
    module: Module, answers: dict, number: int, start: datetime, opens: dict | None = None
) -> Attempt:
    """One attempt played by script, the clock a minute and a second on at each reading of it;
    each decision marked shown as the app does, so its answer has seconds, and what `opens`
    names for it opened first."""
    moment = [start]

    def clock() -> datetime:
        moment[0] += timedelta(seconds=61)
        return moment[0]

    pt = PlayThrough(module, clock=clock)
    while not isinstance(facing := pt.facing(), Finished):
        if isinstance(facing, Reading):
            pt = pt.finish_reading()
        elif isinstance(facing, Deciding):
            given = answers.get(facing.decision.id)
            if given is None:
                break  # the attempt left unfinished here
            pt = pt.shown().open_items((opens or {}).get(facing.decision.id, []))
            r = Response(**given)
            pt = pt.respond(r.choice, r.text, r.confidence, r.reason, r.concepts_ticked)
        else:
            pt = pt.proceed()
    registration = f"00000000-0000-4000-8000-{number:012d}"
    attempt = Attempt(number, registration, start.strftime("%Y-%m-%dT%H:%M:%S.000Z"))
    attempt.update_from(pt, pt.answers[-1].answered_at)
    return attempt


def write_cohort(folder: Path) -> Path:
    module = load_module(TUTORIAL)
    info = ModuleInfo.of(module)
    base = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    learners = [
        (LearnerInfo("sam-okafor", "Sam Okafor", "autumn"), ["branch", "aligned"]),
        (LearnerInfo("script", "<script>alert(1)</script>", "autumn"), ["unfinished"]),
        (LearnerInfo("zoe-o-brien", "Zoë O'Brien", "spring"), ["aligned"]),
    ]
    for index, (learner, plans) in enumerate(learners):
        attempts = [
            attempt_from(plan, n + 1, base + timedelta(days=index, hours=n))
            for n, plan in enumerate(plans)
        ]
        save = SaveFile(learner, info, attempts)
        target = folder / learner.id / f"{module.id}.toml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(save.dumps(), encoding="utf-8")
    broken = folder / "broken" / "tutorial-riverside.toml"
    broken.parent.mkdir()
    broken.write_text("format = 99\n")
    return folder


@pytest.fixture
def cohort(tmp_path) -> Path:
    return write_cohort(tmp_path / "saves")


def not_judged_tutorial() -> Module:
    """The tutorial with its written question left without a rubric: recorded, not judged.

    It asks how sure the trainee is, so a sure answer to it could be mistaken for
    "sure and contrary" if anything counted it as contrary.
    """
    module = load_module(TUTORIAL)
    stages = []
    for stage in module.stages:
        decisions = tuple(
            replace(d, rubric=(), scored=False, asks_confidence=True)
            if d.id == "visit-note"
            else d
            for d in stage.decisions
        )
        stages.append(replace(stage, decisions=decisions))
    return replace(module, stages=tuple(stages))


PLANS["not-judged"] = {
    **PLANS["aligned"],
    "visit-note": {"text": "I would be kinder to the mother.", "confidence": 5},
}


def write_not_judged_cohort(folder: Path) -> Path:
    """Two saves whose written answer is not judged: one as written now, one as an old save wrote
    it (verdict "contrary", score 0, no concepts, no feedback_seen)."""
    module = not_judged_tutorial()
    info = ModuleInfo.of(module)
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    for learner in (
        LearnerInfo("noor-haddad", "Noor Haddad", "winter"),
        LearnerInfo("old-save", "Old Save", "winter"),
    ):
        attempt = attempt_from("not-judged", 1, start, module)
        data = SaveFile(learner, info, [attempt]).to_data()
        if learner.id == "old-save":
            written = data["attempts"][0]["answers"][-1]
            assert written["decision"] == "visit-note" and "score" not in written
            written.update(verdict="contrary", score=0.0)
            del data["attempts"][0]["feedback_seen"]
        target = folder / learner.id / f"{module.id}.toml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(tomli_w.dumps(data, multiline_strings=True), encoding="utf-8")
    return folder


@pytest.fixture
def not_judged(tmp_path) -> Path:
    return write_not_judged_cohort(tmp_path / "not-judged")


# -- format 2 ------------------------------------------------------------------------------

FORMAT2 = Path(__file__).parents[1] / "fixtures" / "format2.toml"
PANEL = ["see-alone", "strategy", "records", "letter-home"]
HOSTILE = "<script>alert(2)</script> & <b>"

FORMAT2_PLANS = {
    # The panel's order, the option aligned with the review, the phrases' suggestions ticked.
    "ada-price": {
        "first": {"choice": ["visit"], "confidence": 4},
        "priorities": {"choice": PANEL},
        "comfort": {"choice": ["comfortable"]},
        "meeting": {"choice": ["see-at-school", "conference"]},
        "differently": {"text": "I would go today and see her on her own.", "confidence": 4},
        "notes": {"text": "Nothing more."},
    },
    # What was done at the time (contrary, and sure of it); the panel's order reversed; the
    # phrases find "alone" in a sentence that says the opposite, and the trainee unticks it.
    "ben-hale": {
        "first": {"choice": ["letter"], "confidence": 5},
        "priorities": {"choice": PANEL[::-1]},
        "comfort": {"choice": ["uneasy"]},
        "meeting": {"choice": ["close"]},
        "differently": {
            "text": "I believed her, so I would not see her alone.",
            "confidence": 2,
            "concepts_ticked": [],
        },
        "notes": {"text": "=SUM(1)"},
    },
    # Hostile text everywhere it can be; what was done at the time, sure of it; ticks what the
    # phrases did not suggest. Nobody chooses the partly aligned "school".
    "a-hostile": {
        "first": {"choice": ["letter"], "confidence": 4},
        "priorities": {"choice": ["records", "see-alone", "strategy", "letter-home"]},
        "comfort": {"choice": ["uneasy"]},
        "meeting": {"choice": ["conference", "wait"]},
        "differently": {
            "text": f"{HOSTILE} act sooner",
            "confidence": 5,
            "concepts_ticked": ["sooner", "alone"],
        },
        "notes": {"text": "@risk"},
    },
}
FORMAT2_LEARNERS = [
    LearnerInfo("a-hostile", HOSTILE, "winter"),
    LearnerInfo("ada-price", "Ada Price", "winter"),
    LearnerInfo("ben-hale", "Ben Hale", "winter"),
]


def write_format2_cohort(folder: Path) -> Path:
    """Three learners' saves for the format 2 module. The first learner's save also carries
    hostile text where a save holds module text (a prompt, an option, a finding's citation),
    as a save edited by hand could."""
    module = load_module(FORMAT2)
    info = ModuleInfo.of(module)
    base = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    for index, learner in enumerate(FORMAT2_LEARNERS):
        attempt = play_attempt(module, FORMAT2_PLANS[learner.id], 1, base + timedelta(days=index))
        assert attempt.finished, f"the plan for {learner.id} misses a decision of {FORMAT2}"
        data = SaveFile(learner, info, [attempt]).to_data()
        if learner.id == "a-hostile":
            answers = {a["decision"]: a for a in data["attempts"][0]["answers"]}
            answers["comfort"]["prompt"] = f"{HOSTILE} comfortable?"
            answers["priorities"]["options"][2]["text"] = f"{HOSTILE} records"
            data["module"]["findings"][0]["locator"] = f"{HOSTILE} paragraph"
        target = folder / learner.id / f"{module.id}.toml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(tomli_w.dumps(data, multiline_strings=True), encoding="utf-8")
    return folder


@pytest.fixture
def format2(tmp_path) -> Path:
    return write_format2_cohort(tmp_path / "format2")


# -- hostile text ---------------------------------------------------------------------------

ATTACKS = {
    "script": "<script>alert(1)</script>",
    "attribute": 'x" onmouseover="alert(1)" data-x=\'y\' >',
    "svg": "</svg><svg onload=alert(1)><text>",
    "title": "\x1b]0;pwned\x07",
    "clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "csi": "\x1b[2J\x1b[31m",
    "c1": "\x9b31m\x85",
    "bidi": "\u202eevil\u202c \u2066isolated\u2069",
    "nul": "a\x00b",
    "invisible": "zero\u200bwidth\ufeff\U000e0041",
}
"""Markup for every context of the report, and sequences that set a terminal's title and
clipboard, clear it, colour it, reorder or hide text."""
ATTACK = " ".join(ATTACKS.values())
ESCAPE_NAME = "\x1b]0;pwned\x07.toml"
"""A file name that sets the terminal's title if printed raw."""


def write_hostile_cohort(folder: Path) -> Path:
    """Saves with hostile text wherever a save holds text (a learner's name and cohort, the
    module's title and findings, prompts, options, answers and reasons, as a hand-edited
    save could), a plain learner beside them, and a broken save whose file name is an escape
    sequence."""
    module = load_module(TUTORIAL)
    info = ModuleInfo.of(module)
    start = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
    learners = [
        (LearnerInfo("mallory", f"Mallory {ATTACK}", f"autumn {ATTACK}"), "branch"),
        (LearnerInfo("sam-okafor", "Sam Okafor", "autumn"), "aligned"),
    ]
    for learner, plan in learners:
        data = SaveFile(learner, info, [attempt_from(plan, 1, start)]).to_data()
        if learner.id == "mallory":
            data["module"]["title"] = f"Riverside {ATTACK}"
            for finding in data["module"]["findings"]:
                finding.update(text=f"{finding['text']} {ATTACK}", locator=f"para {ATTACK}")
            for answer in data["attempts"][0]["answers"]:
                answer["prompt"] = f"{answer['prompt']} {ATTACK}"
                for option in answer.get("options", []):
                    option["text"] = f"{option['text']} {ATTACK}"
                answer["choice_texts"] = [f"{t} {ATTACK}" for t in answer["choice_texts"]]
                if "text" in answer:
                    answer["text"] = f"=cmd {ATTACK}\nsecond line"
                answer["reflection"] = f"{ATTACK} reason"
        target = folder / learner.id / f"{module.id}.toml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(tomli_w.dumps(data, multiline_strings=True), encoding="utf-8")
    broken = folder / "mallory" / ESCAPE_NAME
    broken.write_text("format = 99\n", encoding="utf-8")
    return folder


@pytest.fixture
def hostile(tmp_path) -> Path:
    return write_hostile_cohort(tmp_path / "hostile")


# -- several learners in two cohorts, playing two modules -----------------------------------

LEARNERS = {
    # name: (cohort, {module: plan}); long names in Latin, Polish, Cyrillic, Greek, Arabic and
    # Chinese scripts.
    "Sam Okafor": ("autumn", {"tutorial": "aligned", "format2": "ada-price"}),
    "Aleksandra Wolfeschlegelsteinhausenbergerdorff": ("autumn", {"tutorial": "aligned"}),
    "Łukasz Żółw-Brzęczyszczykiewicz": ("autumn", {"tutorial": "branch", "format2": "ben-hale"}),
    "Константин Константинопольский-Преображенский": ("autumn", {"tutorial": "unfinished"}),
    "Νικόλαος Παπαδημητρακόπουλος": ("spring", {"tutorial": "aligned", "format2": "ben-hale"}),
    "عبد الرحمن بن محمد الأنصاري": ("spring", {"tutorial": "branch", "format2": "ada-price"}),
    "欧阳司马慕容上官诸葛明": ("spring", {"format2": "ben-hale"}),
}
"""Who played what: the tutorial's plans (`PLANS`) and the format 2 module's
(`FORMAT2_PLANS`)."""


def default_response(deciding) -> Response:
    """An answer to a decision a plan does not name (a module edited since the plan was
    written): the first option, or the panel's order, or a sentence."""
    decision = deciding.decision
    confidence = 3 if decision.asks_confidence else None
    reason = "It fits what was known." if decision.reason_prompt else None
    if decision.kind == "text":
        return Response(text="I would see the child alone.", confidence=confidence)
    if decision.kind == "rank":
        order = decision.panel_order or tuple(o.id for o in decision.options)
        return Response(choice=list(order), confidence=confidence)
    return Response(choice=[decision.options[0].id], confidence=confidence, reason=reason)


def play_plan(module: Module, plan: dict, start: datetime, stop: bool) -> Attempt:
    """One attempt by plan, a minute and a second between answers; decisions the plan does not
    name are answered by `default_response`, or, if `stop`, the attempt stops there."""
    moment = [start]

    def clock() -> datetime:
        moment[0] += timedelta(seconds=61)
        return moment[0]

    def answerer(deciding):
        given = plan.get(deciding.decision.id)
        if given is not None:
            return Response(**given)
        return None if stop else default_response(deciding)

    pt = play(PlayThrough(module, clock=clock), answerer)
    attempt = Attempt(1, f"00000000-0000-4000-8000-{int(start.timestamp()):012d}", "")
    attempt.started_at = start.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    attempt.update_from(pt, pt.answers[-1].answered_at)
    return attempt


def write_two_modules(folder: Path, names: list[str] | None = None) -> Path:
    """Saves of `LEARNERS` (or those named) in the tutorial and the format 2 module, each learner
    in the folder the store gives their name (their id is the slug of their name)."""
    from trainer.saves.store import learner_slug

    modules = {"tutorial": load_module(TUTORIAL), "format2": load_module(FORMAT2)}
    plans = {"tutorial": PLANS, "format2": FORMAT2_PLANS}
    base = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    for index, name in enumerate(names or list(LEARNERS)):
        cohort, played = LEARNERS[name]
        learner = LearnerInfo(learner_slug(name), name, cohort)
        for which, plan in played.items():
            module = modules[which]
            start = base + timedelta(days=index, hours=3 if which == "format2" else 0)
            attempt = play_plan(module, plans[which][plan], start, stop=plan == "unfinished")
            save = SaveFile(learner, ModuleInfo.of(module), [attempt])
            target = folder / learner.id / f"{module.id}.toml"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(save.dumps(), encoding="utf-8")
    return folder


@pytest.fixture
def two_modules(tmp_path) -> Path:
    return write_two_modules(tmp_path / "two-modules")

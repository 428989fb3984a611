"""Generate large, valid inputs for the benchmarks: a module with every feature, and saves."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from trainer.engine import Deciding, Module, PlayThrough
from trainer.engine.autoplay import Answerer, Response, play
from trainer.saves import Attempt, LearnerInfo, ModuleInfo, SaveFile


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def module_text(stages: int, format: int = 1) -> str:
    """A valid module of `format` (1, 2 or 3) with `stages` stages, using every feature of it."""
    if format == 1:
        return _format_1(stages)
    if format == 2:
        return _format_2(stages)
    if format == 3:
        return _format_3(stages)
    raise ValueError(f"no generator for format {format}")


def _format_1(stages: int) -> str:
    """A valid format-1 module with `stages` stages, each using every format 1 feature."""
    out = [
        "format = 1",
        'id = "bench"',
        'title = "Benchmark module"',
        'version = "1"',
        'summary = "Generated for benchmarks."',
        'content_warning = "Generated text."',
        'support = "Talk to your facilitator."',
        'hindsight_note = "Decide with what was known."',
        'objectives = ["Measure speed"]',
        "",
        "[[sources]]",
        'id = "src"',
        'title = "A source"',
        "",
        "[[glossary]]",
        'term = "benchmark"',
        'definition = "A measurement."',
    ]
    for n in range(stages):
        out += [
            "",
            "[[findings]]",
            f'id = "f{n}"',
            f'text = "Finding number {n}."',
            'source = "src"',
            'quote = "a quotation"',
            f'locator = "para {n}"',
        ]
    for n in range(stages):
        following = f"s{n + 2}" if n + 2 < stages else "end"
        out += [
            "",
            "[[stages]]",
            f'id = "s{n}"',
            f'title = "Stage {n}"',
            f'date = "2007-{1 + n % 12:02d}"',
            f'narrative = """The benchmark narrative for stage {n}.\n\nA second paragraph."""',
            f'outcome = "What happened at stage {n}."',
            f'outcome_findings = ["f{n}"]',
            "",
            "[[stages.evidence]]",
            'title = "A note"',
            'text = "Some evidence."',
            "",
            "[[stages.decisions]]",
            f'id = "d{n}a"',
            'prompt = "What now?"',
            f'kind = "{"single" if n % 2 else "multiple"}"',
            "ask_confidence = true",
            'reflection = "Why?"',
        ]
        for verdict, letter in (("aligned", "a"), ("partial", "b"), ("contrary", "c")):
            out += [
                "",
                "[[stages.decisions.options]]",
                f'id = "{letter}"',
                f'text = "Option {letter}"',
                f'verdict = "{verdict}"',
                'feedback = "Because."',
                f'findings = ["f{n}"]',
            ]
            if letter == "c":
                out.append(f'next = "{following}"')
        out += [
            "",
            "[[stages.decisions.rubric]]",
            'id = "k"',
            'label = "The child"',
            'any = ["child*", "benchmark"]',
            f'finding = "f{n}"',
            "",
            "[[stages.decisions]]",
            f'id = "d{n}b"',
            'prompt = "Write."',
            'kind = "text"',
            f"scored = {'false' if n % 3 == 0 else 'true'}",
            "",
            "[[stages.decisions.rubric]]",
            'id = "k"',
            'label = "Adults"',
            'any = ["every adult", "challeng*"]',
            f'finding = "f{n}"',
        ]
    out += ["", "[debrief]", 'text = "Done."', 'prompts = ["What did you learn?"]', ""]
    return "\n".join(out)


# Format 2: five sources, one of each kind, and the voice a finding from each speaks in.
_SOURCES = (
    ("review", "review", None),
    ("press", "review-reported", None),
    ("inquiry", "inquiry", "the inspectorate"),
    ("commentary", "comment", "a children's charity"),
    ("guidance", "comment", None),
)
_FIRST_DAY = date(1990, 1, 1)


def _iso(day: date, precision: int) -> str:
    """`day` as YYYY (precision 1), YYYY-MM (2) or YYYY-MM-DD (3)."""
    return day.isoformat()[: (4, 7, 10)[precision - 1]]


def _format_2(stages: int) -> str:
    """A valid format-2 module with `stages` stages: together they use every format 2 feature.

    Each stage but every tenth (an undated interlude) has a choice decision and a written one.
    The choice is, in turn, a scored single, a scored multiple, a rank decision and a poll
    (unscored, no verdicts); the written answer is compared by the trainee's ticks (by
    default, or said), by phrases, or not at all. Dates run
    forward four days a stage at each precision, and every finding reveals no more than its
    stage's date, so no hindsight warning is due; the option marked happened is aligned as
    often as contrary and no aligned option is longer than the others, so no item-writing
    warning is due either. `trainer validate --strict` passes (a module of fewer than five
    stages lists only the sources its findings cite).
    """
    out = [
        "format = 2",
        'id = "bench"',
        'title = "Benchmark module"',
        'version = "1"',
        'summary = "Generated for benchmarks."',
        'language = "en-GB"',
        "estimated_minutes = 600",
        'authors = ["benchmarks"]',
        'content_warning = "Generated text."',
        'support = "Talk to your facilitator."',
        'hindsight_note = "Decide with what was known."',
        'objectives = ["Measure speed"]',
    ]
    for kind, _, _ in _SOURCES[: max(stages, 1)]:
        out += [
            "",
            "[[sources]]",
            f'id = "src-{kind}"',
            f'kind = "{kind}"',
            f'title = "A {kind} source"',
            'publisher = "A publisher"',
            'date = "2012-05"',
            f'url = "https://example.org/{kind}"',
            'note = "Generated."',
        ]
    out += [
        "",
        "[[glossary]]",
        'term = "benchmark"',
        'definition = "A measurement."',
        "",
        "[[glossary]]",
        'term = "core group"',
        'definition = "The professionals who carry out a child protection plan."',
    ]
    days = [_FIRST_DAY + timedelta(days=4 * n) for n in range(stages)]
    for n in range(stages):
        kind, voice, said_by = _SOURCES[n % len(_SOURCES)]
        out += [
            "",
            "[[findings]]",
            f'id = "f{n}"',
            f'text = "Finding number {n}."',
            f'source = "src-{kind}"',
            f'voice = "{voice}"',
        ]
        if said_by:
            out.append(f"said_by = {_q(said_by)}")
        out += [
            'quote = "a quotation"',
            f'locator = "para {n}"',
            # At most the stage's own date: shown at it and in its outcome without hindsight.
            f'reveals = "{_iso(days[n] - timedelta(days=n % 3), 2 + n % 2)}"',
        ]
    for n in range(stages):
        following = f"s{n + 2}" if n + 2 < stages else "end"
        precision = 3 - n % 3
        interlude = n % 10 == 9  # no decisions, so no date is needed
        out += ["", "[[stages]]", f'id = "s{n}"', f'title = "Stage {n}"']
        if not interlude:
            out.append(f'date = "{_iso(days[n], precision)}"')
        if precision == 2:
            out.append(f'date_label = "early {days[n]:%B %Y}"')
        elif precision == 1:
            out.append(f'date_label = "during {days[n].year}"')
        out += [
            f'narrative = """The benchmark narrative for stage {n}.\n\n'
            'A second paragraph, about the core group."""',
            f'outcome = "What happened at stage {n}."',
            f'outcome_findings = ["f{n}"]',
        ]
        if n % 4 == 2 and n + 1 < stages:
            out.append(f'next = "s{n + 1}"')  # the rank decision's stage: options cannot branch
        out += [
            "",
            "[[stages.evidence]]",
            'title = "A note"',
            'text = "Some evidence."',
        ]
        if not interlude:
            out += _choice_2(n, following)
            out += _written_2(n)
    out += ["", "[debrief]", 'text = "Done."', 'prompts = ["What did you learn?"]', ""]
    return "\n".join(out)


_RELATIONS = ("sibling", "friend", "carer", "partner")


def _format_3(stages: int) -> str:
    """A valid format-3 module: format 2's (see `_format_2`) with a case file as large.

    Each stage brings two chronology entries (of two agencies, dated no later than the stage)
    and a document; the first stage brings a family of three, and every fifth stage a person
    and their relation to the mother, both entering there (so the person is known on every
    path to the relation, though branches skip stages), and every tenth states the person of
    five stages before again. No text mentions a date, so no hindsight warning is due;
    `trainer validate --strict` passes.
    """
    out = [_format_2(stages).replace("format = 2", "format = 3", 1)]
    days = [_FIRST_DAY + timedelta(days=4 * n) for n in range(stages)]
    for n in range(stages):
        for agency, back in (("police", 1), ("health visiting", 3)):
            out += [
                "",
                "[[chronology]]",
                f'id = "c{n}-{back}"',
                f'date = "{_iso(days[n] - timedelta(days=back), 3)}"',
                f'agency = "{agency}"',
                'event = "An event the agency recorded, in plain words."',
                f'from_stage = "s{n}"',
                'source = "src-review"',
            ]
        out += [
            "",
            "[[documents]]",
            f'id = "doc{n}"',
            'title = "A record"',
            f'kind = "{("referral", "record", "minutes", "report")[n % 4]}"',
            'agency = "children\'s social care"',
            f'date = "{_iso(days[n] - timedelta(days=2), 3)}"',
            'text = """What the record says.\n\nA second paragraph."""',
            f'from_stage = "s{n}"',
            f"key = {'true' if n % 7 == 0 else 'false'}",
            'source = "src-review"',
            "reconstructed = true",
        ]
    people = [
        ("mother", "Ms A: the mother", "female", "household = true"),
        ("child", "P: the child", "male", "child = true"),
        ("father", "Mr B: the father", "male", "deceased = false"),
    ]
    for person_id, label, sex, flag in people:
        out += [
            "",
            "[[people]]",
            f'id = "{person_id}"',
            f"label = {_q(label)}",
            f'sex = "{sex}"',
            flag,
            'from_stage = "s0"',
        ]
    for a, b, kind in (("mother", "child", "parent"), ("father", "child", "parent")):
        out += ["", "[[relations]]", f'from = "{a}"', f'to = "{b}"', f'kind = "{kind}"']
        out.append('from_stage = "s0"')
    for n in range(5, stages, 5):
        out += [
            "",
            "[[people]]",
            f'id = "p{n}"',
            'label = "A relative: known from this stage"',
            'sex = "unknown"',
            "identified = false",
            f'from_stage = "s{n}"',
            "",
            "[[relations]]",
            'from = "mother"',
            f'to = "p{n}"',
            f'kind = "{_RELATIONS[n // 5 % len(_RELATIONS)]}"',
            'note = "as the mother says"',
            f'from_stage = "s{n}"',
        ]
        if n % 10 == 0:
            out += [
                "",
                "[[people]]",
                f'id = "p{n - 5}"',
                'label = "A relative: now known by name"',
                'sex = "female"',
                f'from_stage = "s{n}"',
            ]
    return "\n".join(out) + "\n"


def _choice_2(n: int, following: str) -> list[str]:
    """Stage n's choice decision: a scored single, a scored multiple, a rank or a poll."""
    kind = ("single", "multiple", "rank", "poll")[n % 4]
    out = [
        "",
        "[[stages.decisions]]",
        f'id = "d{n}a"',
        'prompt = "What now?"',
        f'kind = "{"single" if kind == "poll" else kind}"',
    ]
    if kind == "poll":
        out.append("scored = false")
    else:
        out += ["ask_confidence = true", 'reflection = "Why?"']
    if kind == "rank":
        # Written out of the panel's order, as an author would list them.
        for letter, rank in (("a", 2), ("b", 4), ("c", 1), ("d", 3)):
            out += [
                "",
                "[[stages.decisions.options]]",
                f'id = "{letter}"',
                f'text = "Option {letter}"',
                f"rank = {rank}",
                'feedback = "The panel placed it so."',
                f'findings = ["f{n}"]',
            ]
        return out
    verdicts = {
        "single": ("aligned", "partial", "contrary"),
        "multiple": ("aligned", "aligned", "partial", "contrary"),
        "poll": (None, None, None),
    }[kind]
    # What was done at the time: aligned in one scored stage, contrary in the next.
    happened = "a" if n % 8 < 4 else "c"
    for letter, verdict in zip("abcd", verdicts, strict=False):
        out += [
            "",
            "[[stages.decisions.options]]",
            f'id = "{letter}"',
            f'text = "Option {letter}"',
        ]
        if verdict is not None:
            out += [f'verdict = "{verdict}"', f'findings = ["f{n}"]']
        out.append('feedback = "Because."')
        if letter == happened:
            out.append("happened = true")
        if letter == "c":
            out.append(f'next = "{following}"')
    return out


def _written_2(n: int) -> list[str]:
    """Stage n's written decision: compared by ticks (the default, or said), by phrases, or
    not at all (unscored, no rubric)."""
    scoring = ("self", None, "phrases", "none")[n % 4]
    out = [
        "",
        "[[stages.decisions]]",
        f'id = "d{n}b"',
        'prompt = "Write."',
        'kind = "text"',
        "ask_confidence = true",
    ]
    if scoring is not None:
        out.append(f'scoring = "{scoring}"')
    if scoring == "none":
        return [*out, "scored = false"]
    for concept, label, phrases in (
        ("k", "The child", '["child*", "benchmark"]'),
        ("m", "Adults", '["every adult", "challeng*"]'),
    ):
        out += [
            "",
            "[[stages.decisions.rubric]]",
            f'id = "{concept}"',
            f'label = "{label}"',
            f"any = {phrases}",
            f'finding = "f{n}"',
        ]
    return out


def random_answers(rng: random.Random) -> Answerer:
    """Answers every decision of either format: random options (a random order for a rank),
    a fixed written answer, a random confidence."""

    def answerer(deciding: Deciding) -> Response:
        decision = deciding.decision
        confidence = rng.randint(1, 5) if decision.asks_confidence else None
        reason = "for the child" if decision.asks_reason else None
        if decision.kind == "text":
            return Response(text="every adult, challenge them", confidence=confidence)
        options = [o.id for o in decision.options]
        if decision.kind == "rank":
            return Response(rng.sample(options, len(options)), None, confidence, reason)
        count = 1 if decision.kind == "single" else min(2, len(options))
        return Response(rng.sample(options, count), None, confidence, reason)

    return answerer


def write_saves(module: Module, folder: Path, learners: int, seed: int = 1) -> None:
    """One save per learner, each a play-through of `module` with random answers."""
    rng = random.Random(seed)
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    info = ModuleInfo.of(module)
    for n in range(learners):
        moment = [start + timedelta(minutes=n)]

        def clock(moment: list[datetime] = moment) -> datetime:
            moment[0] += timedelta(seconds=37)
            return moment[0]

        pt = play(PlayThrough(module, clock=clock), random_answers(rng))
        attempt = Attempt(1, f"00000000-0000-4000-8000-{n:012d}", "2026-11-01T09:00:00.000Z")
        attempt.update_from(pt, "2026-11-01T10:00:00.000Z")
        learner = LearnerInfo(f"learner-{n:05d}", f"Learner {n}", f"cohort-{n % 4}")
        save = SaveFile(learner, info, [attempt])
        target = folder / learner.id / f"{module.id}.toml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(save.dumps(), encoding="utf-8")

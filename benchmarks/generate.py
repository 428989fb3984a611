"""Generate large, valid inputs for the benchmarks: a module with every feature, and saves."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from trainer.engine import Deciding, Module, PlayThrough
from trainer.engine.autoplay import Answerer, Response, play
from trainer.saves import Attempt, LearnerInfo, ModuleInfo, SaveFile


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def module_text(stages: int) -> str:
    """A valid format-1 module with `stages` stages, each using every feature."""
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


def random_answers(rng: random.Random) -> Answerer:
    """Answers every decision: random options, a fixed written answer, a random confidence."""

    def answerer(deciding: Deciding) -> Response:
        decision = deciding.decision
        confidence = rng.randint(1, 5) if decision.ask_confidence else None
        reason = "for the child" if decision.asks_reason else None
        if decision.kind == "text":
            return Response(text="every adult, challenge them", confidence=confidence)
        options = [o.id for o in decision.options]
        pick = rng.sample(options, 1 if decision.kind == "single" else 2)
        return Response(pick, None, confidence, reason)

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

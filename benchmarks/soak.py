"""The long runs of the attack suite, each for a bounded time: fuzzed modules played to the
end, fuzzed saves through every cohort command, and a real app killed with SIGKILL mid-play.

    .venv/bin/python -m benchmarks.soak [--minutes M] [--at-least N] [--seed S]
                                        [--only KIND,...] [--json FILE]

Each kind runs for its share of `--minutes` (default 3 each) and prints its counts; any
failure is printed with what reproduces it (the seed and the mutant), and the exit status is
1 if there was one. The test suite runs each kind a set number of times (`tests/test_soak.py`)
so that none can rot; the counts of the last long run are in docs/reliability.md.

- `modules`: mutants of the shipped modules and the format 2 and 3 fixtures (lines deleted,
  repeated and swapped, values replaced with hostile text, numbers, references to other
  ids, the file cut short) through `validate_text`; every one that validates clean is played
  to the end with random answers (every kind, every step), each screen's text built as the
  app builds it and checked for raw control characters, the save written, read back and
  resumed where it was. Counted: mutants, clean ones played, answers given, exceptions,
  validations over 5 s, texts with a raw control character, saves that did not resume.
- `saves`: mutants of real saves (values replaced with NaN, infinities, huge numbers, wrong
  types, escape sequences, HTML and formulas; keys dropped; the file cut) beside good saves,
  through `progress`, `export` (csv, json, xapi) and `report` in process, with
  TRAINER_DEBUG set (an unexpected exception raises). Counted: runs, exceptions, exit
  statuses other than 0 and 1, NaN or Infinity in JSON, raw control characters in what
  reaches the terminal, a raw `<script` in the report.
- `sigkill`: a child process plays the largest shipped module through the app's session
  (each answer saved before it is acknowledged), starting again when it finishes, and is
  killed with SIGKILL at a random moment; the save is then opened as the app opens it.
  Counted: kills, answers acknowledged (each once, in the run that gave it), acknowledged
  answers missing (lost), saves that could not be opened, temporary files left after the
  open.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

KINDS = ("modules", "saves", "sigkill")


@dataclass(frozen=True)
class Until:
    """When a kind's run stops: its time is up and it has run at least `at_least` times.

    The count makes a brief run in the tests do the same work on a busy machine as on a
    quiet one, rather than whatever fits in a few seconds."""

    deadline: float
    at_least: int = 0

    def going(self, done: int) -> bool:
        return done < self.at_least or time.monotonic() < self.deadline
UNSAFE = {"Cc", "Cf", "Cs", "Zl", "Zp"}
HOSTILE_TEXTS = [
    "\x1b]0;pwned\x07",
    "\x1b]52;c;cm0gLXJmIH4=\x07",
    "\x1b[2J",
    "\x9b31m",
    "\u202eevil\u202c",
    "a\x00b",
    "zero\u200bwidth",
    "<script>alert(1)</script>",
    '=HYPERLINK("x")',
    "[bold]b[/bold] [@click=app.quit]q[/] [/]",
    "x" * 5000,
    "",
    " ",
]


def unsafe_in(text: str, allowed: str = "\n\t") -> set[str]:
    """The raw control, format and separator characters in `text`, but those allowed."""
    return {c for c in text if c not in allowed and unicodedata.category(c) in UNSAFE}


# -- modules ---------------------------------------------------------------------------------


def module_sources() -> list[tuple[str, str]]:
    """The texts mutants are made from: every shipped module, and the format 2 and 3
    fixtures."""
    from trainer.paths import shipped_modules_dir

    paths = sorted(shipped_modules_dir().glob("*.toml"))
    paths += [
        ROOT / "tests" / "fixtures" / "format2.toml",
        ROOT / "tests" / "fixtures" / "format3.toml",
    ]
    return [(path.name, path.read_text(encoding="utf-8")) for path in paths if path.exists()]


def toml_string(text: str) -> str:
    """`text` as a TOML basic string (controls as escapes, which the validator refuses)."""
    return json.dumps(text)


def mutate_module(rng: random.Random, text: str) -> str:
    """One to three random edits of a module's lines."""
    lines = text.splitlines()
    ids = re.findall(r'^id = "([^"]+)"', text, re.MULTILINE) or ["x"]
    for _ in range(rng.randint(1, 3)):
        if not lines:
            break
        i = rng.randrange(len(lines))
        kind = rng.randrange(9)
        if kind == 0:
            del lines[i]
        elif kind == 1:
            lines.insert(i, lines[i])
        elif kind == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == 3 and " = " in lines[i]:
            key = lines[i].split(" = ", 1)[0]
            lines[i] = f"{key} = {toml_string(rng.choice(HOSTILE_TEXTS))}"
        elif kind == 4 and " = " in lines[i]:
            key = lines[i].split(" = ", 1)[0]
            value = rng.choice(["0", "-1", "99", "1e300", "true", "[]", "{}", '"end"', "nan"])
            lines[i] = f"{key} = {value}"
        elif kind == 5 and " = " in lines[i]:
            key = lines[i].split(" = ", 1)[0]
            lines[i] = f'{key} = "{rng.choice(ids)}"'
        elif kind == 6:
            lines.insert(i, rng.choice(["[[stages]]", "[[glossary]]", "[debrief]", 'next = "end"']))
        elif kind == 7 and '"' in lines[i]:
            # A plain-text edit the validator accepts: markup, bidi (a warning) or a quote.
            lines[i] = (
                lines[i].replace('"', '"[bold] \\u202e ', 1) if rng.random() < 0.5 else lines[i]
            )
        else:
            cut = rng.randrange(len(text) + 1)
            return text[:cut]
    return "\n".join(lines) + "\n"


def random_response(rng: random.Random, deciding: Any) -> Any:
    """Any valid answer to the decision due, step by step, chosen at random."""
    from trainer.engine.autoplay import Response

    decision = deciding.decision
    ids = [o.id for o in deciding.options]
    confidence = rng.randint(1, 5) if decision.asks_confidence else None
    reason = (
        rng.choice(["because", "the child first", HOSTILE_TEXTS[0]])
        if decision.asks_reason
        else None
    )
    if decision.kind == "text":
        words = [p.rstrip("*") for c in decision.rubric for p in c.any] or ["notes"]
        text = " ".join(rng.choices([*words, "and", "not", "\x1b]0;t\x07"], k=rng.randint(1, 8)))
        concepts_ticked = [c.id for c in decision.rubric if rng.random() < 0.5]
        return Response(text=text, confidence=confidence, concepts_ticked=concepts_ticked)
    if decision.kind == "rank":
        rng.shuffle(ids)
        return Response(ids, confidence=confidence, reason=reason)
    if decision.kind == "multiple":
        return Response(
            rng.sample(ids, rng.randint(1, len(ids))), confidence=confidence, reason=reason
        )
    return Response([rng.choice(ids)], confidence=confidence, reason=reason)


def screen_texts(pt: Any) -> list[str]:
    """What the app's screens show for where the play-through is, built as they build it."""
    from rich.console import Console

    from trainer.engine import Feedback, Outcome, Reading
    from trainer.tui import render

    def plain(renderable: Any) -> str:
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(renderable)
        return console.export_text()

    module, facing = pt.module, pt.facing()
    texts = [plain(render.glossary_text(module, pt)), plain(render.help_text(module))]
    stage = getattr(facing, "stage", None)
    if stage is not None:
        texts.append(plain(render.stage_header(module, stage, False, pt)))
    if isinstance(facing, Feedback):
        texts.append(
            plain(
                render.feedback_text(
                    module, facing.decision, facing.answer, facing.assessment, False, pt
                )
            )
        )
    if isinstance(facing, Outcome):
        texts.append(plain(render.outcome_text(module, facing.stage, preview=False, pt=pt)))
    if isinstance(facing, Reading):
        texts.append(plain(render.timeline_text(pt)))
    return texts


def soak_modules(until: Until, seed: int, work: Path) -> tuple[Counter[str], list[str]]:
    from trainer.content.validator import validate_text
    from trainer.engine import Deciding, Finished, Reading
    from trainer.saves.store import SaveStore

    rng = random.Random(seed)
    sources = module_sources()
    counts: Counter[str] = Counter()
    failures: list[str] = []
    while until.going(counts["mutants"]):
        name, text = rng.choice(sources)
        mutant = mutate_module(rng, text)
        counts["mutants"] += 1
        where = f"seed {seed}, mutant {counts['mutants']} of {name}"
        try:
            started = time.monotonic()
            report = validate_text(mutant, name)
            if time.monotonic() - started > 5:
                counts["over 5 s"] += 1
                failures.append(f"{where}: validation took over 5 s")
            if report.errors or report.module is None:
                continue
            counts["clean, played"] += 1
            store = SaveStore(work / f"m{counts['mutants']}")
            learner = store.learner("Soak Learner", "soak")
            with store.open(learner, report.module) as save:
                pt = save.playthrough()
                for _ in range(5000):
                    facing = pt.facing()
                    for shown in screen_texts(pt):
                        if unsafe_in(shown):
                            counts["raw control on a screen"] += 1
                            failures.append(f"{where}: raw {sorted(unsafe_in(shown))} shown")
                    if isinstance(facing, Finished):
                        break
                    if isinstance(facing, Deciding):
                        response = random_response(rng, facing)
                        pt = pt.respond(
                            response.choice,
                            response.text,
                            response.confidence,
                            response.reason,
                            response.concepts_ticked,
                        )
                        counts["answers"] += 1
                    elif isinstance(facing, Reading):
                        pt = pt.finish_reading()
                    else:
                        pt = pt.proceed()
                    save.record(pt)
                else:
                    counts["play hangs"] += 1
                    failures.append(f"{where}: the play did not end")
            with store.open(learner, report.module) as again:
                resumed = again.playthrough()
                if resumed.answers != pt.answers or resumed.facing() != pt.facing():
                    counts["did not resume"] += 1
                    failures.append(f"{where}: the save did not resume where it was")
        except Exception:  # noqa: BLE001 - every exception is a finding
            counts["exceptions"] += 1
            failures.append(f"{where}: {traceback.format_exc(limit=3)}")
    return counts, failures


# -- saves -----------------------------------------------------------------------------------

SAVE_VALUES: list[Any] = [
    float("nan"), float("inf"), float("-inf"), 1e20, -1, 10**20, 0, True, "", [], {}, [1, "x"],
    *HOSTILE_TEXTS[:10], "2026-13-45T99:99:99Z", "end",
]  # fmt: skip


def save_paths_in(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value in a save's data."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += save_paths_in(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += save_paths_in(value, (*prefix, index))
    return found


def mutate_save(rng: random.Random, data: dict[str, Any]) -> bytes:
    """A save with one to three values replaced or dropped, or its text cut."""
    import copy

    import tomli_w

    data = copy.deepcopy(data)
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(save_paths_in(data))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        if rng.random() < 0.2 and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = rng.choice(SAVE_VALUES)
    try:
        text = tomli_w.dumps(data, multiline_strings=True)
    except (TypeError, ValueError):
        text = tomli_w.dumps({"format": 2, "broken": True})
    raw = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.15:
        raw = raw[: rng.randrange(len(raw) + 1)]
    return raw


def run_command(args: list[str]) -> tuple[int, str, str]:
    """`trainer ARGS` in process: its exit status, stdout and stderr."""
    from trainer.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(args)
        except SystemExit as exit:  # a usage error: argparse exits
            status = exit.code if isinstance(exit.code, int) else 2
    return status, out.getvalue(), err.getvalue()


def soak_saves(until: Until, seed: int, work: Path) -> tuple[Counter[str], list[str]]:
    import tomli

    from tests.cohort.conftest import write_format2_cohort

    rng = random.Random(seed)
    good = write_format2_cohort(work / "good")
    sources = [
        tomli.loads(p.read_text(encoding="utf-8"))
        for p in sorted(good.glob("*/*.toml"))
        if p.name != "learner.toml"
    ]
    modules = str(ROOT / "tests" / "fixtures")
    counts: Counter[str] = Counter()
    failures: list[str] = []
    os.environ["TRAINER_DEBUG"] = "1"
    try:
        while until.going(counts["mutants"]):
            counts["mutants"] += 1
            where = f"seed {seed}, save mutant {counts['mutants']}"
            folder = work / f"s{counts['mutants']}"
            for path in good.glob("*/*.toml"):
                target = folder / path.parent.name / path.name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(path.read_bytes())
            mutant = folder / "mutant" / "format2-sample.toml"
            mutant.parent.mkdir(parents=True, exist_ok=True)
            mutant.write_bytes(mutate_save(rng, rng.choice(sources)))
            report = work / f"r{counts['mutants']}.html"
            for args in (
                ["progress"],
                ["export", "--format", "csv"],
                ["export", "--format", "json"],
                ["export", "--format", "xapi"],
                ["report", "-o", str(report)],
            ):
                counts["runs"] += 1
                try:
                    status, out, err = run_command(
                        ["--modules", modules, *args, "--saves", str(folder)]
                    )
                except Exception:  # noqa: BLE001 - every exception is a finding
                    counts["exceptions"] += 1
                    failures.append(f"{where} {args[:3]}: {traceback.format_exc(limit=3)}")
                    continue
                if status not in (0, 1):
                    counts["exit not 0 or 1"] += 1
                    failures.append(f"{where} {args[:3]}: exit {status}")
                if unsafe_in(out, "\n\t\r") or unsafe_in(err, "\n"):
                    counts["raw control in output"] += 1
                    failures.append(f"{where} {args[:3]}: raw control in the output")
                if (
                    args[0] == "export"
                    and args[2] in ("json", "xapi")
                    and re.search(r"\bNaN\b|Infinity", out)
                ):
                    counts["NaN in JSON"] += 1
                    failures.append(f"{where} {args[:3]}: NaN or Infinity in the JSON")
                if (
                    args[0] == "report"
                    and report.exists()
                    and "<script" in report.read_text(encoding="utf-8").lower()
                ):
                    counts["script in the report"] += 1
                    failures.append(f"{where}: <script in the report")
    finally:
        os.environ.pop("TRAINER_DEBUG", None)
    return counts, failures


# -- SIGKILL ---------------------------------------------------------------------------------

CHILD = r"""
import random, sys
sys.path.insert(0, {root!r})
from benchmarks.soak import random_response
from trainer.content import find_module, load_module
from trainer.engine import Deciding, Finished, PlayThrough, Reading
from trainer.saves.store import SaveStore
from trainer.session import Session

rng = random.Random({seed})
module = load_module(find_module("peter-connelly-haringey"))
store = SaveStore({saves!r})
learner = store.learner("Soak Learner", "soak")
save = store.open(learner, module)
session = Session.open(save, learner)
while True:
    pt = session.playthrough
    facing = pt.facing()
    if isinstance(facing, Finished):
        session.new_attempt()
        continue
    if isinstance(facing, Deciding):
        r = random_response(rng, facing)
        move = lambda p, r=r: p.respond(r.choice, r.text, r.confidence, r.reason, r.claimed)
    elif isinstance(facing, Reading):
        move = PlayThrough.read
    else:
        move = PlayThrough.proceed
    session.move(move)  # saved before it returns: the answer is acknowledged
    print("ack", save.attempt.number, len(session.playthrough.answers), flush=True)
"""


def soak_sigkill(until: Until, seed: int, work: Path) -> tuple[Counter[str], list[str]]:
    from trainer.content import find_module, load_module
    from trainer.saves import read_save
    from trainer.saves.store import SaveStore

    if not hasattr(signal, "SIGKILL"):
        return Counter({"skipped: no SIGKILL here": 1}), []
    rng = random.Random(seed)
    module = load_module(find_module("peter-connelly-haringey"))
    counts: Counter[str] = Counter()
    failures: list[str] = []
    saves = work / "killed"
    saved: dict[int, int] = {}  # answers in each attempt's save after the last kill
    while until.going(counts["kills"]):
        counts["kills"] += 1
        where = f"seed {seed}, kill {counts['kills']}"
        script = CHILD.format(root=str(ROOT), seed=rng.randrange(1 << 30), saves=str(saves))
        child = subprocess.Popen(
            [sys.executable, "-c", script],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(rng.uniform(0.3, 2.5))
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate()
        acked: dict[int, int] = {}
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0] == "ack":
                acked[int(parts[1])] = max(acked.get(int(parts[1]), 0), int(parts[2]))
        if not acked and "Traceback" in err:
            counts["child errors"] += 1
            failures.append(f"{where}: {err.strip().splitlines()[-1]}")
            continue
        store = SaveStore(saves)
        learner = store.learner("Soak Learner", "soak")
        try:
            with store.open(learner, module) as save:
                attempts = {a.number: a for a in save.save.attempts}
                path = save.path
        except Exception:  # noqa: BLE001
            counts["could not be opened"] += 1
            failures.append(f"{where}: {traceback.format_exc(limit=2)}")
            continue
        for number, answered in acked.items():
            counts["answers acknowledged"] += max(0, answered - saved.get(number, 0))
            have = len(attempts[number].answers) if number in attempts else 0
            if have < answered:
                counts["answers lost"] += answered - have
                failures.append(
                    f"{where}: attempt {number} had {answered} answers acknowledged, {have} saved"
                )
        saved = {number: len(attempt.answers) for number, attempt in attempts.items()}
        if any(p.name.endswith(".tmp") for p in path.parent.iterdir()):
            counts["temporary files left after the open"] += 1
        read_save(path)  # whole and readable
    return counts, failures


RUNS: dict[str, Callable[[Until, int, Path], tuple[Counter[str], list[str]]]] = {
    "modules": soak_modules,
    "saves": soak_saves,
    "sigkill": soak_sigkill,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.soak", description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0, help="for each kind (default 3)")
    parser.add_argument(
        "--at-least",
        type=int,
        default=0,
        metavar="N",
        help="go on past the time until each kind has run N times (the tests use this)",
    )
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--only", default=",".join(KINDS), help="kinds to run, comma-separated")
    parser.add_argument("--json", metavar="FILE", help="write the counts as JSON")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    kinds = [k for k in args.only.split(",") if k]
    unknown = [k for k in kinds if k not in RUNS]
    if unknown:
        parser.error(f"no kind {unknown[0]!r}; kinds: {', '.join(KINDS)}")
    results: dict[str, Any] = {"seed": seed, "minutes each": args.minutes}
    failed = False
    for kind in kinds:
        with tempfile.TemporaryDirectory(prefix=f"soak-{kind}-") as work:
            started = time.monotonic()
            until = Until(time.monotonic() + args.minutes * 60, args.at_least)
            counts, failures = RUNS[kind](until, seed, Path(work))
            elapsed = time.monotonic() - started
        results[kind] = {**dict(counts), "seconds": round(elapsed, 1), "failures": failures[:20]}
        failed = failed or bool(failures)
        print(f"{kind} ({elapsed:.0f} s, seed {seed}):")
        for name, count in sorted(counts.items()):
            print(f"  {name:<45} {count}")
        for failure in failures[:20]:
            print(f"  FAILURE {failure}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

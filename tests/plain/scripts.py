"""Plain mode's tests: answer scripts made from the engine, runs in-process, and the app's way of
playing the same answers, to compare saves with.

A script is what a trainee types, a line each. It is made by walking the engine from where
an attempt stands with a policy (the answer to give at each decision), so that it follows
every branch the answers take, and it is only what plain mode documents: Enter on a page,
option numbers then `y`, a number, a line, numbers or `none`.
"""

from __future__ import annotations

import io
import tomllib
import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from tests.tui.helpers import REGISTRATION, begin_attempt
from trainer.content import load_module
from trainer.engine import (
    Deciding,
    Feedback,
    Finished,
    Outcome,
    PlayThrough,
    Reading,
    Step,
)
from trainer.engine.autoplay import Response
from trainer.plain.start import play_plain
from trainer.saves.store import SaveStore
from trainer.session import Session

NAME = "Sam Okafor"
COHORT = "autumn"
WIDTH = 80


def clock() -> datetime:
    """One moment for every write, so that saves made by different players compare equal."""
    return datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


Policy = Callable[[Deciding], Response]


def aligned(deciding: Deciding) -> Response:
    """The review-aligned answer: aligned options, the panel's order, a text naming every concept."""
    decision = deciding.decision
    if decision.kind == "text":
        words = [concept.any[0].rstrip("*") for concept in decision.rubric] or ["my notes"]
        return Response(text=" and ".join(words), confidence=4, reason="for the child",
                        concepts_ticked=[c.id for c in decision.rubric])
    if decision.kind == "rank":
        choice = list(decision.panel_order)
    else:
        # The first aligned option as shown, as the app's tests choose it (tests.tui.helpers).
        chosen = [o.id for o in deciding.options if o.verdict == "aligned"]
        choice = (chosen or [deciding.options[0].id])[: 1 if decision.kind == "single" else None]
    return Response(choice, confidence=4, reason="for the child")


def against(deciding: Deciding) -> Response:
    """An answer against the review: the last option (every one but the first, where several
    may be chosen), the panel's order reversed, a written answer ticking nothing."""
    decision = deciding.decision
    if decision.kind == "text":
        return Response(text="I would wait and see,\nand write it up.", confidence=2,
                        reason="not sure", concepts_ticked=[])
    ids = [o.id for o in decision.options]
    if decision.kind == "rank":
        choice = list(reversed(decision.panel_order))
    elif decision.kind == "multiple":
        choice = ids[1:]
    else:
        choice = ids[-1:]
    return Response(choice, confidence=5, reason="it seemed kind")


def choice_line(deciding: Deciding, choice: Sequence[str]) -> str:
    """The option numbers for these ids as typed (in the order given): each option's place in
    the order the attempt shows them."""
    ids = [o.id for o in deciding.options]
    return " ".join(str(ids.index(option_id) + 1) for option_id in choice)


def fresh(module) -> PlayThrough:
    """A new attempt's play-through as plain mode plays it: begun under `REGISTRATION` (`run`
    begins the learner's attempt under it), so its options are shown in the same order."""
    return PlayThrough(module, seed=REGISTRATION)


def decision_lines(pt: PlayThrough, response: Response) -> tuple[list[str], PlayThrough]:
    """The lines that answer the decision due, step by step, and the play-through after it."""
    facing = pt.facing()
    assert isinstance(facing, Deciding) and facing.step is Step.CHOICE, facing
    decision = facing.decision
    if decision.kind == "text":
        assert response.text
        kept = facing.draft.text  # a draft kept from before: Enter goes on with it, w rewrites
        if kept == response.text:
            lines = ["", "y"]
        else:
            lines = [*(["w"] if kept else []), *response.text.splitlines(), "", "y"]
    else:
        lines = [choice_line(facing, response.choice), "y"]
    pt = pt.choose(response.choice, response.text)
    while isinstance(now := pt.facing(), Deciding) and now.decision.id == decision.id:
        if now.step is Step.CONFIDENCE:
            assert response.confidence is not None
            lines.append(str(response.confidence))
            pt = pt.rate(response.confidence)
        elif now.step is Step.REASON:
            assert response.reason
            lines.append(response.reason)
            pt = pt.give_reason(response.reason)
        else:
            claimed = now.suggested if response.concepts_ticked is None else tuple(response.concepts_ticked)
            numbers = [str(i) for i, c in enumerate(decision.rubric, 1) if c.id in claimed]
            lines.append(" ".join(numbers) or "none")
            pt = pt.tick_concepts(claimed)
    return lines, pt


def opening_lines(pt: PlayThrough, started: bool) -> list[str]:
    """Enter on each notice plain mode shows when an attempt opens."""
    if pt.finished:
        return []
    module = pt.module
    return [""] * (bool(module.content_warning) + (not started))


def script(pt: PlayThrough, policy: Policy, *, started: bool | None = None) -> list[str]:
    """Every line typed to play from where `pt` stands (as opened from its save) to the end."""
    return [line for line, _, _ in counted_script(pt, policy, started=started)]


def counted_script(
    pt: PlayThrough, policy: Policy, *, started: bool | None = None
) -> list[tuple[str, int, str]]:
    """`script`, each line with how many answers the attempt holds once it is typed, and what
    it answers ("notice", "stage", "single choice", "single confirm", "confidence", ...)."""
    opening = opening_lines(pt, bool(pt.answers) if started is None else started)
    out = [(line, len(pt.answers), "notice") for line in opening]
    while not isinstance(facing := pt.facing(), Finished):
        before = len(pt.answers)
        if isinstance(facing, Deciding):
            more, pt = decision_lines(pt, policy(facing))
            kind = facing.decision.kind
            steps = [step.value for step in facing.steps[1:]]
            if kind == "text":  # the lines written, the empty line that ends them, then y
                written = len(more) - 2 - len(steps)
                roles = ["text line"] * written + ["text end", "text confirm", *steps]
            else:
                roles = [f"{kind} choice", f"{kind} confirm", *steps]
            out += [(line, before, role) for line, role in zip(more[:-1], roles, strict=False)]
            out.append((more[-1], len(pt.answers), roles[len(more) - 1]))
            continue
        role = {Reading: "stage", Feedback: "feedback", Outcome: "outcome"}[type(facing)]
        out.append(("", before, role))
        pt = pt.finish_reading() if isinstance(facing, Reading) else pt.proceed()
    return out


def run(
    module: Path,
    lines: list[str],
    saves: Path,
    *,
    width: int | None = WIDTH,
    learner: str | None = NAME,
    is_preview: bool = False,
    **options: object,
) -> tuple[int, str]:
    """Plain mode in-process on these lines (then end of input); its status and output, checked
    to be plain: no escape sequence, no control character, no line wider than the width.

    The test learner's first attempt is begun under `REGISTRATION` (as `fresh` plays it)."""
    if learner == NAME and not is_preview:
        begin(saves, module)
    stdin = io.StringIO("".join(line + "\n" for line in lines))
    stdout = io.StringIO()
    status = play_plain(
        str(module),
        stdin=stdin,
        stdout=stdout,
        saves=saves,
        learner=learner,
        cohort=COHORT,
        is_preview=is_preview,
        clock=clock,
        remember=False,
        width=width,
        **options,  # type: ignore[arg-type]
    )
    out = stdout.getvalue()
    assert_plain(out, width or WIDTH)
    return status, out


def assert_plain(out: str, width: int) -> None:
    """Plain text: no escape or other control character but newline, no box drawing or blocks,
    every line within `width` columns."""
    assert "\x1b" not in out
    controls = {c for c in out if unicodedata.category(c) == "Cc" and c != "\n"}
    assert not controls, controls
    drawing = {c for c in out if 0x2500 <= ord(c) <= 0x259F}
    assert not drawing, drawing
    wide = [line for line in out.splitlines() if len(line) > width]
    assert not wide, wide


def begin(saves: Path, module_path: Path) -> None:
    """Begin the test learner's first attempt under `REGISTRATION`, unless it has a save."""
    module = load_module(module_path)
    if not save_path(saves, module.id).exists():
        begin_attempt(saves, module_path, NAME, REGISTRATION)


def play_like_the_app(saves: Path, module_path: Path, module, policy: Policy) -> Path:
    """Play a module to its end as the app's play screen does: one `Session.move` per step
    (read, shown, choose, rate, give_reason, claim, proceed), each saved before the next; its attempt
    begun under `REGISTRATION`, as plain mode's is in these tests."""
    begin(saves, module_path)
    saves_store = SaveStore(saves, clock)
    learner = saves_store.learner(NAME, COHORT)
    save = saves_store.open(learner, module)
    try:
        session = Session.open(save, learner)
        while not isinstance(facing := session.playthrough.facing(), Finished):
            if isinstance(facing, Reading):
                session.move(PlayThrough.finish_reading)
            elif isinstance(facing, Deciding):
                session.move(PlayThrough.shown)  # as the play screen does on showing it
                response = policy(facing)
                session.move(lambda pt, r=response: pt.choose(r.choice, r.text))
                while isinstance(now := session.playthrough.facing(), Deciding) and (
                    now.decision.id == facing.decision.id
                ):
                    if now.step is Step.CONFIDENCE:
                        session.move(lambda pt, r=response: pt.rate(r.confidence))
                    elif now.step is Step.REASON:
                        session.move(lambda pt, r=response: pt.give_reason(r.reason))
                    else:
                        claimed = tuple(response.concepts_ticked or ())
                        session.move(lambda pt, c=claimed: pt.tick_concepts(c))
            else:
                session.move(PlayThrough.proceed)
        return save.path
    finally:
        save.close()


def save_data(path: Path) -> dict:
    """A save file's data, each attempt's registration (a random UUID) left out."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for attempt in data.get("attempts", []):
        attempt.pop("registration", None)
    return data


def save_path(saves: Path, module_id: str) -> Path:
    """Where the test learner's save for a module is."""
    return saves / "sam-okafor" / f"{module_id}.toml"

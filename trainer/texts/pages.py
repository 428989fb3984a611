"""The app's other texts in Rich `Text`: a stage's header and what happened after it, the
timeline, the glossary, the help, and how the cohort answered. Always literal, never markup.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from trainer.engine import (
    LinkedFinding,
    Module,
    PlayThrough,
    Stage,
    findings_shown_before,
    findings_shown_with,
    glossary_seen,
    skipped_before,
)
from trainer.review.words import order_name
from trainer.sanitise import safe_output, safe_text
from trainer.texts.feedback import findings_by_voice, verdict_text

if TYPE_CHECKING:
    from trainer.cohort.peers import DecisionTally, OptionTally


@safe_output
def outcome_text(
    module: Module,
    stage: Stage,
    shown: Collection[str] | None = None,
    preview: bool = False,
    pt: PlayThrough | None = None,
) -> Text:
    """What actually happened after the stage, with the findings it links, by voice.

    Findings already shown with this stage's answers (`shown`, or worked out from the
    play-through) are referred to once, in one sentence, not repeated; those quoted at an
    earlier stage are given again without their quotes.
    """
    shown = set(shown or ())
    earlier: Collection[str] = ()
    if pt is not None:
        shown |= findings_shown_with(pt, stage)
        earlier = findings_shown_before(pt, stage)
    out = Text()
    out.append("What happened\n\n", style="bold")
    out.append(stage.outcome or "The case moved on.")
    out.append("\n")
    fresh: list[LinkedFinding] = []
    repeated = False
    for finding_id in stage.outcome_findings:
        finding = module.finding(finding_id)
        if finding is None:
            continue
        if finding_id in shown:
            repeated = True
        else:
            fresh.append(LinkedFinding(finding, module.source(finding.source)))
    if repeated:
        answers = "answers" if len(stage.decisions) > 1 else "answer"
        out.append(f"\nThe findings shown with your {answers} apply here too.\n", style="dim")
    out.append_text(findings_by_voice(fresh, locator=preview, earlier=earlier))
    return out


@safe_output
def stage_header(
    module: Module, stage: Stage, preview: bool = False, pt: PlayThrough | None = None
) -> Text:
    """ "Stage 3 of 10 · 2007-04" and the title; the preview says that nothing is saved.

    Stages are numbered as in the module, so the number says how far into the case this
    is. Where the play-through's path went past stages just before this one (a branch),
    the header says so, by number only (their titles would give the case away): without
    it, stage 3 straight after stage 1 looks like a stage missed.
    """
    number = module.stage_number(stage.id)
    out = Text(f"Stage {number} of {len(module.stages)}", style="dim")
    if stage.shown_date:
        out.append(f" · {stage.shown_date}", style="dim")
    passed = skipped_before(pt, stage) if pt is not None else ()
    if passed:
        out.append(f" · {_not_on_path(passed)}", style="dim")
    if preview:
        out.append("   PREVIEW · nothing is saved", style="bold")
    out.append("\n")
    out.append(stage.title, style="bold")
    return out


def _not_on_path(numbers: Sequence[int]) -> str:
    """ "stage 2 is not on your path"; "stages 2 and 3 are …"; "stages 2 to 5 are …"."""
    if len(numbers) == 1:
        return f"stage {numbers[0]} is not on your path"
    joined = " and " if len(numbers) == 2 else " to "
    return f"stages {numbers[0]}{joined}{numbers[-1]} are not on your path"


@safe_output
def timeline_text(pt: PlayThrough) -> Text:
    """The stages reached so far and the current one; later stages are not listed.

    Their titles would give the case away.
    """
    current = pt.current_stage
    out = Text("Timeline of the case so far\n\n", style="bold")
    for stage in pt.path:
        now = current is not None and stage.id == current.id
        out.append("▶ now   " if now else "✓ seen  ")
        out.append(f"{stage.shown_date or '':10} ", style="dim")
        out.append(stage.title + "\n")
    if current is not None:
        out.append("\nLater stages appear here as you reach them.", style="dim")
    else:
        out.append("\nYou have reached the end of the case.", style="dim")
    return out


@safe_output
def glossary_text(module: Module, pt: PlayThrough | None = None) -> Text:
    """The glossary: every term for the facilitator (no play-through), else only the terms
    the case has used so far (`glossary_seen`): a definition met early can explain a point
    a later stage asks about."""
    out = Text("Glossary\n", style="bold")
    entries = module.glossary if pt is None else glossary_seen(pt)
    if not module.glossary:
        out.append("\nThis module has no glossary.")
    elif len(entries) < len(module.glossary):
        out.append(
            "Terms used in the case so far; more are added as you go on.\n", style="dim"
        )
        if not entries:
            out.append("\nNone yet.")
    for entry in sorted(entries, key=lambda e: e.term.casefold()):
        out.append("\n" + entry.term + "\n", style="bold")
        out.append(entry.definition + "\n")
    return out


HELP_KEYS: tuple[tuple[str, str], ...] = (
    ("1–9", "choose an option (as many as there are; where several may be chosen, each press "
     "ticks or unticks one)"),
    ("↑ ↓", "move the highlight; Space ticks where several may be chosen"),
    ("Backspace", "take back the last option placed, where options are put in order"),
    ("Enter", "confirm, or continue; on a page longer than the screen, show its next part "
     "first"),
    ("PageDown", "scroll a long page (PageUp scrolls back)"),
    ("Escape", "go back one step, close a panel, or leave a text field"),
    ("Tab", "move to the next part of the screen, where there is one (a stage's documents, "
     "a written answer's Submit button); the line at the bottom says what Enter does there"),
    ("ctrl+s", "submit a written answer (Enter makes a new line)"),
    ("g", "glossary"),
    ("t", "timeline of the case so far"),
    ("c", "the case file: chronology, people, documents (in a text field, ctrl+o, or Escape "
     "then c)"),
    ("?", "this help"),
    ("q", "save and quit (outside a text field); ctrl+q from anywhere"),
)
"""Each key and what it does, as the help panel lists them."""

HELP_SAVING = (
    "Your answer is saved when you confirm its last step, and only then do you see how it "
    "compares with the review. Quitting keeps every confirmed answer, and you come back to "
    "the screen you left. Text you have typed and not yet confirmed (a written answer, a "
    "reason) is kept as a draft, and is there again when you come back to it; a choice not "
    "yet confirmed is not kept, so you choose again."
)

PREVIEW_KEYS = "This is the facilitator preview: nothing is saved, and q quits."


def help_text(module: Module | None, preview: bool = False) -> RenderableType:
    """The keys, what is kept, and the module's support text.

    Each part wraps to the panel's width as a whole (a key's description under itself, not
    under its key): hard line breaks inside a paragraph would break again wherever the
    panel is narrower than the text was laid out for.
    """
    keys = Table.grid(padding=(0, 2, 0, 0))
    keys.add_column(no_wrap=True)
    keys.add_column(ratio=1)
    for key, what in HELP_KEYS:
        keys.add_row(Text("  " + key), Text(what))
    parts: list[RenderableType] = [Text("Keys", style="bold"), keys, Text(), Text(HELP_SAVING)]
    if preview:
        parts += [Text(), Text(PREVIEW_KEYS)]
    if module is not None and module.support:
        parts += [Text(), Text("Support", style="bold"), safe_text(Text(module.support))]
    return Group(*parts)


def _bar(share: float, width: int = 12) -> str:
    filled = round(share * width)
    return "█" * filled + "·" * (width - filled)


@safe_output
def peers_text(tally: DecisionTally | None, minimum: int) -> Text:
    """How the cohort answered a decision: shares (or average places), never names."""
    out = Text("How your cohort answered\n\n", style="bold")
    if tally is None:
        out.append("The facilitator preview has no cohort: nothing is saved here.")
        return out
    others = tally.answered
    if others < minimum:
        out.append(
            f"Not yet: {others} of the {minimum} others needed have answered this decision. "
            "Shares are shown only once there are enough that no one can be picked out."
        )
        return out
    out.append(f"{others} others in your cohort have answered. Names are never shown.\n\n")
    if tally.decision.kind == "rank":
        _peer_places(out, tally)
    else:
        _peer_shares(out, tally)
    return out


def _peer_places(out: Text, tally: DecisionTally) -> None:
    """A rank decision: the module's order, with the average place the cohort gave each."""
    out.append(
        f"{order_name(tally.decision)}, with the average place your cohort gave each option\n\n"
    )
    for option in sorted(tally.options, key=lambda o: o.rank or 0):
        mean = "-" if option.mean_position is None else f"{option.mean_position:.1f}"
        out.append(f"  {option.rank}. ", style="bold")
        out.append(option.text)
        out.append(f"  (cohort: {mean})\n", style="bold")


def _peer_shares(out: Text, tally: DecisionTally) -> None:
    """Each option's (or concept's) share, beside the review's verdict on it."""
    decision = tally.decision
    if decision.kind == "text":
        out.append("Points of the review their answers covered (ticked, or suggested)\n\n")
    for option in tally.options:
        _peer_share(out, option, decision.judged)
    if decision.kind == "multiple":
        out.append("\nSeveral options could be chosen, so the shares add up to more than 100%.\n",
                   style="dim")


def _peer_share(out: Text, option: OptionTally, judged: bool) -> None:
    out.append(f"  {round(option.share * 100):3d}% {_bar(option.share)}  ", style="bold")
    out.append(option.text)
    if option.verdict and judged:
        out.append("  (")
        out.append_text(verdict_text(option.verdict))
        out.append(")")
    out.append("\n")

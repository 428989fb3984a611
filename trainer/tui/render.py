"""Module text turned into Rich `Text` for the screens: always literal, never markup.

Meaning never rests on colour alone: every verdict is said in words, with a sign. Texts
with lists, quotations and citations are drawn with hanging indents (`trainer.tui.hanging`),
so a wrapped line stays under its item at any width.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from trainer.debrief import citation, order_name, percent, suggestion_words
from trainer.engine import (
    VERDICT_WORDS,
    VOICE_HEADINGS,
    VOICES,
    Answer,
    Assessment,
    ConceptResult,
    Decision,
    LinkedFinding,
    Module,
    PlayThrough,
    Stage,
    findings_shown_before,
    findings_shown_with,
    glossary_seen,
    skipped_before,
)
from trainer.terminal import safe_output, safe_text
from trainer.tui.hanging import hanging_output

if TYPE_CHECKING:
    from trainer.cohort.peers import DecisionTally

CONFIDENCE_WORDS = {
    1: "not at all sure",
    2: "not very sure",
    3: "fairly sure",
    4: "quite sure",
    5: "very sure",
}
"""How each confidence level is said, 1 to 5."""

VOICE_NAMES = {
    "review": "the review",
    "review-reported": "the review, as reported",
    "inquiry": "an official finding",
    "comment": "comment",
}
"""Whose words a finding is, in a phrase: a comment is never said to be the review."""

VERDICT_SIGNS = {"aligned": "✓", "partial": "~", "contrary": "✗"}
VERDICT_STYLES = {"aligned": "bold green", "partial": "bold yellow", "contrary": "bold red"}

@safe_output
def verdict_text(verdict: str) -> Text:
    """ "✓ Aligned with the review", in words and a sign, coloured as a help only."""
    words = VERDICT_WORDS.get(verdict, verdict)
    return Text(f"{VERDICT_SIGNS.get(verdict, '?')} {words}", style=VERDICT_STYLES.get(verdict, ""))


@safe_output
def heading(text: str) -> Text:
    """A section heading."""
    return Text(text, style="bold")


@hanging_output
@safe_output
def finding_text(
    linked: LinkedFinding, indent: str = "  ", locator: bool = False, quoted_before: bool = False
) -> Text:
    """A finding with its quote and citation; a quote already shown earlier in the case
    (`quoted_before`) is referred to, not given again."""
    finding = linked.finding
    out = Text(indent)
    out.append(finding.text)
    if finding.quote and quoted_before:
        out.append(f"\n{indent}(Quoted in full earlier.)", style="dim")
    elif finding.quote:
        out.append("\n" + indent + "“")
        out.append(finding.quote, style="italic")
        out.append("”")
    # The trainee's feedback cites publisher, date and title; the preview and the path
    # review give the whole locator, as facilitators cite.
    out.append(f"\n{indent}— {citation(linked, 'full' if locator else 'none')}", style="dim")
    return out


@hanging_output
@safe_output
def findings_by_voice(
    findings: Sequence[LinkedFinding],
    indent: str = "  ",
    locator: bool = False,
    earlier: Collection[str] = (),
) -> Text:
    """Findings under a heading for each voice, in the brief's order: the review's own words,
    the review as reported, other official findings, then comment. A comment is never shown
    under the review's heading. A finding in `earlier` (ids already shown, quoted, earlier in
    the play-through) keeps its words and source but is not quoted again."""
    out = Text()
    for voice in VOICES:
        group = [f for f in findings if f.finding.heading_voice == voice]
        if not group:
            continue
        out.append(f"\n{VOICE_HEADINGS[voice]}\n", style="bold")
        for linked in group:
            out.append_text(finding_text(linked, indent, locator, linked.finding.id in earlier))
            out.append("\n")
    return out


def _concepts(out: Text, title: str, results: tuple[ConceptResult, ...]) -> None:
    if results and results[0].self_assessed:
        _ticked_concepts(out, results)
        return
    found = [r for r in results if r.matched]
    missed = [r for r in results if not r.matched]
    out.append(f"\n{title}\n", style="bold")
    if found:
        out.append("  Found: " + "; ".join(r.concept.label for r in found) + "\n")
    for result in missed:
        out.append(f"  Missed: {result.concept.label}")
        if result.finding:
            finding = result.finding.finding
            out.append(f" ({VOICE_NAMES[finding.heading_voice]}: {finding.text})")
        out.append("\n")


def _ticked_concepts(out: Text, results: tuple[ConceptResult, ...]) -> None:
    """What the review weighed, against what the trainee said their answer covered."""
    out.append("\nWhat the review weighed, and what you said your answer covered\n", style="bold")
    for result in results:
        mark = "[x]" if result.claimed else "[ ]"
        out.append(f"  {mark} {result.concept.label}")
        if result.matched:
            out.append(f"  ({suggestion_words(result)})", style="dim")
        out.append("\n")


@hanging_output
@safe_output
def feedback_text(
    module: Module,
    decision: Decision,
    answer: Answer,
    assessment: Assessment | None,
    preview: bool = False,
    pt: PlayThrough | None = None,
) -> Text:
    """Everything the trainee sees after answering: verdict, reasons, findings by voice.

    Built from the recorded answer (what was saved) and its assessment; a
    not-judged answer gets no verdict word at all. The preview adds locators. Given the
    play-through, a finding already quoted earlier in it is not quoted again.
    """
    out = Text()
    if not answer.judged:
        out.append("Your answer is recorded\n\n", style="bold")
        out.append("This question is not compared with the review: there is no right answer.\n")
        if answer.kind == "text":
            _your_answer(out, answer)
        elif assessment is not None:
            _chosen(out, assessment, with_verdicts=False)
            _happened(out, assessment)
        _confidence(out, answer)
        return out
    out.append("How your answer compares with the review\n\n", style="bold")
    out.append_text(verdict_text(answer.verdict))
    if not answer.scored:
        out.append("  (this question is not scored)", style="dim")
    if answer.kind in ("multiple", "rank") and answer.score is not None:
        out.append(f"  · score {round(answer.score * 100)}%")
    out.append("\n")
    if assessment is None:  # the module changed since this answer was saved
        _your_answer(out, answer)
        return out
    if answer.kind == "text":
        _your_answer(out, answer)
    if answer.kind == "rank":
        _orders(out, decision, assessment)
    else:
        _chosen(out, assessment, with_verdicts=assessment.kind == "multiple")
    for option in assessment.missed:
        out.append("\nLeft out, which the review would have done: ", style="bold")
        out.append(option.text + "\n")
        if option.feedback:
            out.append("  " + option.feedback + "\n")
    _happened(out, assessment)
    if assessment.concepts:
        _concepts(out, "What the review looks for in a written answer", assessment.concepts)
    if answer.reflection:
        out.append("\nYour reason: ", style="bold")
        out.append(answer.reflection + "\n")
    if assessment.reflection_concepts:
        _concepts(out, "In your reason", assessment.reflection_concepts)
    _confidence(out, answer)
    earlier: Collection[str] = ()
    if pt is not None:
        found = module.decision(decision.id)
        if found is not None:
            earlier = findings_shown_before(pt, found[0], decision.id)
    out.append_text(findings_by_voice(assessment.findings, locator=preview, earlier=earlier))
    return out


def _chosen(out: Text, assessment: Assessment, with_verdicts: bool) -> None:
    for chosen in assessment.chosen:
        option = chosen.option
        out.append("\nYou chose: ", style="bold")
        out.append(option.text + "\n")
        if with_verdicts and option.verdict:
            out.append("  ")
            out.append_text(verdict_text(option.verdict))
            out.append("\n")
        if option.feedback:
            out.append("  " + option.feedback + "\n")


def _orders(out: Text, decision: Decision, assessment: Assessment) -> None:
    """The module's order (named as the decision names it), with the place the trainee gave
    each option and the rationale for its place."""
    out.append(f"\n{order_name(decision)}, and the place you gave each\n", style="bold")
    mine = {option.id: place for place, option in enumerate(assessment.order, start=1)}
    for place, option in enumerate(assessment.panel_order, start=1):
        yours = mine.get(option.id)
        out.append(f"  {place}. ", style="bold")
        out.append(option.text)
        out.append(f"  (yours: {yours if yours is not None else '-'})\n", style="bold")
        if option.feedback:
            out.append("     " + option.feedback + "\n")


def _happened(out: Text, assessment: Assessment) -> None:
    """Say, in words, what was actually done at the time."""
    option = assessment.happened
    if option is None:
        return
    if assessment.chose_what_happened:
        out.append("\nWhat you chose is what was done at the time.\n", style="bold")
        return
    out.append("\nWhat was done at the time: ", style="bold")
    out.append(option.text + "\n")


def _confidence(out: Text, answer: Answer) -> None:
    if answer.confidence is not None:
        out.append(f"\nHow sure you were: {answer.confidence} of 5 ")
        out.append(f"({CONFIDENCE_WORDS.get(answer.confidence, '')})\n", style="dim")


def _your_answer(out: Text, answer: Answer) -> None:
    out.append("\nYou wrote:\n", style="bold")
    out.append("  " + (answer.text or "").strip().replace("\n", "\n  ") + "\n")


@hanging_output
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


@hanging_output
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


@hanging_output
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


@hanging_output
@safe_output
def review_text(pt: PlayThrough, detailed: bool) -> Text:
    """Every decision on the path: question, own answer, verdict, confidence, finding.

    The detailed path review shows each finding's locator, as facilitators cite it.
    """
    out = Text()
    for number, row in enumerate(pt.review(), start=1):
        answer = row.answer
        out.append(f"{number}. {row.stage.title}", style="bold")
        if row.stage.shown_date:
            out.append(f"  {row.stage.shown_date}", style="dim")
        out.append("\n")
        out.append(row.decision.prompt + "\n")
        if answer is None:
            out.append("   Not answered.\n\n", style="dim")
            continue
        label = "Your order" if answer.kind == "rank" else "Your answer"
        out.append(f"   {label}:\n", style="bold")
        if answer.kind == "text":
            out.append("     " + (answer.text or "").strip().replace("\n", "\n     ") + "\n")
        for place, text in enumerate(answer.choice_texts, start=1):
            bullet = f"{place}." if answer.kind == "rank" else "•"
            out.append(f"     {bullet} " + text + "\n")
        out.append("   ")
        if answer.judged:
            out.append_text(verdict_text(answer.verdict))
        else:
            out.append("Recorded, not judged", style="bold")
        if answer.judged and not answer.scored:
            out.append("  (not scored)", style="dim")
        if answer.confidence is not None:
            out.append(f"   · you were {answer.confidence} of 5 sure")
        out.append("\n")
        if answer.chose_what_happened:
            out.append("   You chose what was done at the time.\n", style="dim")
        if detailed and answer.reflection:
            out.append("   Your reason: " + answer.reflection + "\n")
        if row.assessment is not None and answer.judged:
            if detailed:
                if answer.kind == "rank":
                    order = ", ".join(o.text for o in row.assessment.panel_order)
                    out.append(f"   {order_name(row.decision)}: {order}\n")
                for chosen in row.assessment.chosen:
                    if chosen.option.feedback:
                        out.append("   " + chosen.option.feedback + "\n")
                for result in row.assessment.concepts:
                    word = "Covered" if result.covered else "Not covered"
                    out.append(f"   {word}: {result.concept.label}\n")
            shown = row.assessment.findings[: None if detailed else 1]
            out.append_text(findings_by_voice(shown, indent="   ", locator=detailed))
        out.append("\n")
    return out


@safe_output
def score_text(pt: PlayThrough) -> Text:
    """The module score in words: the mean, and how many answers of each verdict make it."""
    counted = pt.counted_answers
    out = Text("Your score: ", style="bold")
    out.append(percent(pt.module_score))
    if not counted:
        return out
    plural = "s" if len(counted) != 1 else ""
    out.append(f", the mean of your {len(counted)} scored answer{plural}", style="dim")
    tally = [
        f"{sum(1 for a in counted if a.verdict == verdict)} {word}"
        for verdict, word in (
            ("aligned", "aligned"),
            ("partial", "partly aligned"),
            ("contrary", "contrary"),
        )
    ]
    out.append(" (" + ", ".join(tally) + ")", style="dim")
    return out


def _bar(share: float, width: int = 12) -> str:
    filled = round(share * width)
    return "█" * filled + "·" * (width - filled)


@hanging_output
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
    decision = tally.decision
    if decision.kind == "rank":
        out.append(
            f"{order_name(decision)}, with the average place your cohort gave each option\n\n"
        )
        for option in sorted(tally.options, key=lambda o: o.rank or 0):
            mean = "-" if option.mean_position is None else f"{option.mean_position:.1f}"
            out.append(f"  {option.rank}. ", style="bold")
            out.append(option.text)
            out.append(f"  (cohort: {mean})\n", style="bold")
        return out
    if decision.kind == "text":
        out.append("Points of the review their answers covered (ticked, or suggested)\n\n")
    for option in tally.options:
        out.append(f"  {round(option.share * 100):3d}% {_bar(option.share)}  ", style="bold")
        out.append(option.text)
        if option.verdict and decision.judged:
            out.append("  (")
            out.append_text(verdict_text(option.verdict))
            out.append(")")
        out.append("\n")
    if decision.kind == "multiple":
        out.append("\nSeveral options could be chosen, so the shares add up to more than 100%.\n",
                   style="dim")
    return out

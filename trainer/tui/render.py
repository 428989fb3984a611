"""Module text turned into Rich `Text` for the screens: always literal, never markup.

Meaning never rests on colour alone: every verdict is said in words, with a sign.
"""

from __future__ import annotations

from rich.text import Text

from trainer.debrief import percent
from trainer.engine import (
    VERDICT_WORDS,
    Answer,
    Assessment,
    ConceptResult,
    Decision,
    LinkedFinding,
    Module,
    PlayThrough,
    Stage,
)

CONFIDENCE_WORDS = {
    1: "not at all sure",
    2: "not very sure",
    3: "fairly sure",
    4: "quite sure",
    5: "very sure",
}
"""How each confidence level is said, 1 to 5."""

VERDICT_SIGNS = {"aligned": "✓", "partial": "~", "contrary": "✗"}
VERDICT_STYLES = {"aligned": "bold green", "partial": "bold yellow", "contrary": "bold red"}


def verdict_text(verdict: str) -> Text:
    """ "✓ Aligned with the review", in words and a sign, coloured as a help only."""
    words = VERDICT_WORDS.get(verdict, verdict)
    return Text(f"{VERDICT_SIGNS.get(verdict, '?')} {words}", style=VERDICT_STYLES.get(verdict, ""))


def heading(text: str) -> Text:
    """A section heading."""
    return Text(text, style="bold")


def finding_text(linked: LinkedFinding, indent: str = "  ") -> Text:
    """A finding with its quote and source."""
    finding = linked.finding
    out = Text(indent)
    out.append(finding.text)
    if finding.quote:
        out.append("\n" + indent + "“")
        out.append(finding.quote, style="italic")
        out.append("”")
    source = linked.source.title if linked.source else finding.source
    where = f", {finding.locator}" if finding.locator else ""
    out.append(f"\n{indent}— {source}{where}", style="dim")
    return out


def _concepts(out: Text, title: str, results: tuple[ConceptResult, ...]) -> None:
    found = [r for r in results if r.matched]
    missed = [r for r in results if not r.matched]
    out.append(f"\n\n{title}\n", style="bold")
    if found:
        out.append("  Found: " + "; ".join(r.concept.label for r in found) + "\n")
    for result in missed:
        out.append(f"  Missed: {result.concept.label}")
        if result.finding:
            out.append(f" (the review: {result.finding.finding.text})")
        out.append("\n")


def feedback_text(
    module: Module,
    decision: Decision,
    answer: Answer,
    assessment: Assessment | None,
) -> Text:
    """Everything the trainee sees after answering: verdict, reasons, findings.

    Built from the recorded answer (what was saved) and its assessment; a
    not-judged answer gets no verdict word at all.
    """
    out = Text()
    if not answer.judged:
        out.append("Your answer is recorded\n\n", style="bold")
        out.append(
            "This question is for your own reflection: it is not compared with the review.\n"
        )
        _your_answer(out, answer)
        return out
    out.append("How your answer compares with the review\n\n", style="bold")
    out.append_text(verdict_text(answer.verdict))
    if not answer.scored:
        out.append("  (this question is not scored)", style="dim")
    if answer.kind == "multiple" and answer.score is not None:
        out.append(f"  · score {round(answer.score * 100)}%")
    out.append("\n")
    if assessment is None:  # the module changed since this answer was saved
        _your_answer(out, answer)
        return out
    if answer.kind == "text":
        _your_answer(out, answer)
    for chosen in assessment.chosen:
        option = chosen.option
        out.append("\nYou chose: ", style="bold")
        out.append(option.text + "\n")
        if assessment.kind == "multiple":
            out.append("  ")
            out.append_text(verdict_text(option.verdict or ""))
            out.append("\n")
        if option.feedback:
            out.append("  " + option.feedback + "\n")
    for option in assessment.missed:
        out.append("\nLeft out, which the review would have done: ", style="bold")
        out.append(option.text + "\n")
        if option.feedback:
            out.append("  " + option.feedback + "\n")
    if assessment.concepts:
        _concepts(out, "What the review looks for in a written answer", assessment.concepts)
    if answer.reflection:
        out.append("\nYour reason: ", style="bold")
        out.append(answer.reflection + "\n")
    if assessment.reflection_concepts:
        _concepts(out, "In your reason", assessment.reflection_concepts)
    if answer.confidence is not None:
        out.append(f"\nHow sure you were: {answer.confidence} of 5 ")
        out.append(f"({CONFIDENCE_WORDS.get(answer.confidence, '')})\n", style="dim")
    if assessment.findings:
        out.append("\nWhat the review found\n", style="bold")
        for linked in assessment.findings:
            out.append_text(finding_text(linked))
            out.append("\n")
    return out


def _your_answer(out: Text, answer: Answer) -> None:
    out.append("\nYou wrote:\n", style="bold")
    out.append("  " + (answer.text or "").strip().replace("\n", "\n  ") + "\n")


def chosen_lines(decision: Decision, choice: tuple[str, ...], text: str | None) -> Text:
    """The answer being given, as the confidence and reason steps show it."""
    out = Text()
    if decision.kind == "text":
        out.append("  " + (text or "").strip().replace("\n", "\n  ") + "\n")
        return out
    for number, option in enumerate(decision.options, start=1):
        if option.id in choice:
            out.append(f"  {number}. ", style="bold")
            out.append(option.text + "\n")
    return out


def outcome_text(module: Module, stage: Stage, shown: set[str] | None = None) -> Text:
    """What actually happened after the stage, with the findings it links.

    Findings already shown with this stage's feedback (`shown`) are named, not
    quoted a second time.
    """
    shown = shown or set()
    out = Text()
    out.append("What happened\n\n", style="bold")
    out.append(stage.outcome or "The case moved on.")
    out.append("\n")
    fresh = [f for f in stage.outcome_findings if f not in shown]
    again = [f for f in stage.outcome_findings if f in shown]
    if fresh:
        out.append("\nWhat the review found\n", style="bold")
    for finding_id in fresh:
        finding = module.finding(finding_id)
        if finding is not None:
            out.append_text(finding_text(LinkedFinding(finding, module.source(finding.source))))
            out.append("\n")
    for finding_id in again:
        finding = module.finding(finding_id)
        if finding is not None:
            out.append("\nAs the review found (shown with your answer): ", style="dim")
            out.append(finding.text + "\n", style="dim")
    return out


def stage_header(module: Module, stage: Stage, preview: bool = False) -> Text:
    """ "Stage 3 of 10 · 2007-04" and the title; the preview says that nothing is saved."""
    number = module.stage_number(stage.id)
    out = Text(f"Stage {number} of {len(module.stages)}", style="dim")
    if stage.date:
        out.append(f" · {stage.date}", style="dim")
    if preview:
        out.append("   PREVIEW · nothing is saved", style="bold")
    out.append("\n")
    out.append(stage.title, style="bold")
    return out


def timeline_text(pt: PlayThrough) -> Text:
    """The stages reached so far and the current one; later stages are not listed.

    Their titles would give the case away.
    """
    current = pt.current_stage
    out = Text("Timeline of the case so far\n\n", style="bold")
    for stage in pt.path:
        now = current is not None and stage.id == current.id
        out.append("▶ now   " if now else "✓ seen  ")
        out.append(f"{stage.date or '':10} ", style="dim")
        out.append(stage.title + "\n")
    if current is not None:
        out.append("\nLater stages appear here as you reach them.", style="dim")
    else:
        out.append("\nYou have reached the end of the case.", style="dim")
    return out


def glossary_text(module: Module) -> Text:
    """Every glossary term and its definition."""
    out = Text("Glossary\n", style="bold")
    if not module.glossary:
        out.append("\nThis module has no glossary.")
    for entry in sorted(module.glossary, key=lambda e: e.term.casefold()):
        out.append("\n" + entry.term + "\n", style="bold")
        out.append(entry.definition + "\n")
    return out


HELP_KEYS = """Keys
  1–9        choose an option (as many as there are; where several may be
             chosen, each press ticks or unticks one)
  ↑ ↓        move the highlight; Space ticks where several may be chosen
  Enter      confirm, or continue
  Escape     go back one step, close a panel, or leave a text field
  Tab        move between the parts of the screen (the stage's documents)
  ctrl+s     submit a written answer (Enter makes a new line)
  g          glossary        t   timeline of the case so far
  ?          this help
  q          save and quit (outside a text field); ctrl+q from anywhere

Your answer is saved when you confirm its last step, and only then do you
see how it compares with the review. Quitting keeps every confirmed answer,
and you come back to the screen you left; an answer you have started but
not confirmed is not kept."""

PREVIEW_KEYS = """

This is the facilitator preview: nothing is saved, and q quits."""


def help_text(module: Module | None, preview: bool = False) -> Text:
    """The keys, and the module's support text."""
    out = Text(HELP_KEYS + (PREVIEW_KEYS if preview else "") + "\n")
    if module is not None and module.support:
        out.append("\nSupport\n", style="bold")
        out.append(module.support + "\n")
    return out


def review_text(pt: PlayThrough, detailed: bool) -> Text:
    """Every decision on the path: question, own answer, verdict, confidence, finding."""
    out = Text()
    for number, row in enumerate(pt.review(), start=1):
        answer = row.answer
        out.append(f"{number}. {row.stage.title}", style="bold")
        if row.stage.date:
            out.append(f"  {row.stage.date}", style="dim")
        out.append("\n")
        out.append(row.decision.prompt + "\n")
        if answer is None:
            out.append("   Not answered.\n\n", style="dim")
            continue
        out.append("   Your answer:\n", style="bold")
        if answer.kind == "text":
            out.append("     " + (answer.text or "").strip().replace("\n", "\n     ") + "\n")
        for text in answer.choice_texts:
            out.append("     • " + text + "\n")
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
        if detailed and answer.reflection:
            out.append("   Your reason: " + answer.reflection + "\n")
        if row.assessment is not None and answer.judged:
            if detailed:
                for chosen in row.assessment.chosen:
                    if chosen.option.feedback:
                        out.append("   " + chosen.option.feedback + "\n")
                for result in row.assessment.concepts:
                    word = "Found" if result.matched else "Missed"
                    out.append(f"   {word}: {result.concept.label}\n")
            for linked in row.assessment.findings[: None if detailed else 1]:
                out.append_text(finding_text(linked, indent="   "))
                out.append("\n")
        out.append("\n")
    return out


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

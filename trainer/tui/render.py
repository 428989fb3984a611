"""Module text turned into Rich `Text` for the screens: always literal, never markup.

Meaning never rests on colour alone: every verdict is said in words, with a sign.
"""

from __future__ import annotations

from rich.text import Text

from trainer.debrief import answer_text, percent
from trainer.engine import (
    VERDICT_WORDS,
    Assessment,
    ConceptResult,
    Decision,
    LinkedFinding,
    Module,
    PlayThrough,
    Stage,
)

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
    assessment: Assessment,
    confidence: int | None,
    reflection: str | None,
    text: str | None,
) -> Text:
    """Everything the trainee sees after answering: verdict, reasons, findings."""
    out = Text()
    if decision.kind == "text" and not decision.rubric:
        # Nothing to compare with (allowed only when unscored): record, never judge.
        out.append("Your answer is recorded\n\n", style="bold")
        out.append(
            "This question is for your own reflection; it is not compared with the review.\n"
        )
        out.append("\nYou wrote: ", style="bold")
        out.append((text or "").strip() or "(nothing)")
        return out
    out.append("How your answer compares with the review\n\n", style="bold")
    out.append_text(verdict_text(assessment.verdict))
    if not assessment.scored:
        out.append("  (this question is not scored)", style="dim")
    if assessment.kind == "multiple":
        out.append(f"  score {round(assessment.score * 100)}%")
    out.append("\n")
    for chosen in assessment.chosen:
        option = chosen.option
        out.append("\nYou chose: ", style="bold")
        out.append(option.text + "\n")
        if assessment.kind == "multiple":
            out.append("  ")
            out.append_text(verdict_text(option.verdict))
            out.append("\n")
        if option.feedback:
            out.append("  " + option.feedback + "\n")
    for option in assessment.missed:
        out.append("\nLeft out (the review would have done this): ", style="bold")
        out.append(option.text + "\n")
        if option.feedback:
            out.append("  " + option.feedback + "\n")
    if text is not None:
        out.append("\nYou wrote: ", style="bold")
        out.append(text.strip() or "(nothing)")
    if assessment.concepts:
        _concepts(out, "What the review looks for", assessment.concepts)
    if reflection:
        out.append("\nYour reason: ", style="bold")
        out.append(reflection + "\n")
    if assessment.reflection_concepts:
        _concepts(out, "In your reason", assessment.reflection_concepts)
    if confidence is not None:
        out.append(f"\nHow sure you were: {confidence} of 5\n")
    if assessment.findings:
        out.append("\nWhat the review found\n", style="bold")
        for linked in assessment.findings:
            out.append_text(finding_text(linked))
            out.append("\n")
    return out


def outcome_text(module: Module, stage: Stage) -> Text:
    """What actually happened after the stage, with the findings it links."""
    out = Text()
    out.append("What happened\n\n", style="bold")
    out.append(stage.outcome or "The case moved on.")
    out.append("\n")
    for finding_id in stage.outcome_findings:
        finding = module.finding(finding_id)
        if finding is not None:
            out.append("\n")
            out.append_text(finding_text(LinkedFinding(finding, module.source(finding.source))))
            out.append("\n")
    return out


def stage_header(module: Module, stage: Stage) -> Text:
    """ "Stage 3 of 10 · 2007-04 · Title"."""
    number = module.stages.index(stage) + 1
    out = Text(f"Stage {number} of {len(module.stages)}", style="dim")
    if stage.date:
        out.append(f" · {stage.date}", style="dim")
    out.append("\n")
    out.append(stage.title, style="bold")
    return out


def timeline_text(pt: PlayThrough) -> Text:
    """Every stage with its date, marking where the trainee is and where they have been."""
    visited = {s.id for s in pt.path}
    current = pt.current_stage
    out = Text("Timeline of the case\n\n", style="bold")
    for stage in pt.module.stages:
        if current is not None and stage.id == current.id:
            mark = "▶ now   "
        elif stage.id in visited:
            mark = "✓ seen  "
        else:
            mark = "  ahead "
        out.append(mark)
        out.append(f"{stage.date or '':10} ", style="dim")
        out.append(stage.title + "\n")
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
  1–9        choose an option (toggle where several may be chosen)
  ↑ ↓        move; Space toggles where several may be chosen
  Enter      confirm, or continue
  Tab        move between the parts of the screen
  ctrl+s     submit a written answer (Enter makes a new line)
  g          glossary        t   timeline of the case
  ?          this help       Escape   close a panel, or leave a text field
  q          save and quit (outside a text field); ctrl+q from anywhere

Your answers are saved as you give them: quitting loses nothing."""


def help_text(module: Module | None) -> Text:
    """The keys, and the module's support text."""
    out = Text(HELP_KEYS + "\n")
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
        out.append("   Your answer: ", style="bold")
        out.append(answer_text(row).replace("\n", "\n   ") + "\n")
        if answer is None:
            out.append("\n")
            continue
        out.append("   ")
        out.append_text(verdict_text(answer.verdict))
        if not answer.scored:
            out.append("  (not scored)", style="dim")
        if answer.confidence is not None:
            out.append(f"   · you were {answer.confidence} of 5 sure")
        out.append("\n")
        if detailed and answer.reflection:
            out.append("   Your reason: " + answer.reflection + "\n")
        if row.assessment is not None:
            if detailed:
                for chosen in row.assessment.chosen:
                    if chosen.option.feedback:
                        out.append("   " + chosen.option.feedback + "\n")
            for linked in row.assessment.findings[: None if detailed else 1]:
                out.append_text(finding_text(linked, indent="   "))
                out.append("\n")
        out.append("\n")
    return out


def score_text(pt: PlayThrough) -> Text:
    """The module score in words."""
    scored = [r for r in pt.review() if r.answer is not None and r.answer.scored]
    aligned = sum(1 for r in scored if r.answer and r.answer.verdict == "aligned")
    out = Text("Your score: ", style="bold")
    out.append(percent(pt.module_score))
    out.append(
        f"  ({aligned} of {len(scored)} scored decisions aligned with the review)", style="dim"
    )
    return out

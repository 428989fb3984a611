"""An answer's review in Rich `Text`: the feedback after answering, the path review and the
score. Always literal, never markup; every verdict is said in words, with a sign.

What is said is worked out once (`trainer.review.AnswerReview`); this module only lays it
out, as the Markdown debrief and the HTML report lay out the same facts.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rich.text import Text

from trainer.engine import (
    Answer,
    Assessment,
    Decision,
    LinkedFinding,
    Module,
    PlayThrough,
    findings_shown_before,
)
from trainer.review.answer_review import AnswerReview, Concepts, by_voice
from trainer.review.citation import citation
from trainer.review.words import (
    CONFIDENCE_WORDS,
    NOT_JUDGED_WORDS,
    percent,
    suggestion_words,
    verdict_said,
)
from trainer.sanitise import safe_output

VOICE_NAMES = {
    "review": "the review",
    "review-reported": "the review, as reported",
    "inquiry": "an official finding",
    "comment": "comment",
}
"""Whose words a finding is, in a phrase: a comment is never said to be the review."""

VERDICT_STYLES = {"aligned": "bold green", "partial": "bold yellow", "contrary": "bold red"}
"""Each verdict's colour: a help only, beside its sign and words."""


@safe_output
def verdict_text(verdict: str) -> Text:
    """ "✓ Aligned with the review", in words and a sign, coloured as a help only."""
    return Text(verdict_said(verdict), style=VERDICT_STYLES.get(verdict, ""))


@safe_output
def heading(text: str) -> Text:
    """A section heading."""
    return Text(text, style="bold")


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


@safe_output
def findings_by_voice(
    findings: Sequence[LinkedFinding],
    indent: str = "  ",
    locator: bool = False,
    earlier: Collection[str] = (),
) -> Text:
    """Findings under a heading for each voice (`by_voice`). A finding in `earlier` (ids
    already shown, quoted, earlier in the play-through) keeps its words and source but is
    not quoted again."""
    out = Text()
    for group in by_voice(findings):
        out.append(f"\n{group.heading}\n", style="bold")
        for linked in group.findings:
            out.append_text(finding_text(linked, indent, locator, linked.finding.id in earlier))
            out.append("\n")
    return out


def _concepts(out: Text, title: str, concepts: Concepts) -> None:
    if concepts.ticked:
        _ticked_concepts(out, concepts)
        return
    out.append(f"\n{title}\n", style="bold")
    if concepts.found:
        out.append("  Found: " + "; ".join(r.concept.label for r in concepts.found) + "\n")
    for result in concepts.missed:
        out.append(f"  Missed: {result.concept.label}")
        if result.finding:
            finding = result.finding.finding
            out.append(f" ({VOICE_NAMES[finding.heading_voice]}: {finding.text})")
        out.append("\n")


def _ticked_concepts(out: Text, concepts: Concepts) -> None:
    """What the review weighed, against what the trainee said their answer covered."""
    out.append("\nWhat the review weighed, and what you said your answer covered\n", style="bold")
    for result in concepts.results:
        mark = "[x]" if result.ticked else "[ ]"
        out.append(f"  {mark} {result.concept.label}")
        if result.matched:
            out.append(f"  ({suggestion_words(result)})", style="dim")
        out.append("\n")


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
    review = AnswerReview(answer, assessment, decision)
    if not answer.judged:
        return _not_judged(review, answer)
    out = Text()
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
    _reasons(out, review, answer, assessment)
    _confidence(out, answer)
    earlier = _quoted_earlier(module, decision, pt)
    out.append_text(findings_by_voice(assessment.findings, locator=preview, earlier=earlier))
    return out


def _not_judged(review: AnswerReview, answer: Answer) -> Text:
    """The feedback on an answer not compared with the review: what was answered, no verdict."""
    out = Text()
    out.append("Your answer is recorded\n\n", style="bold")
    out.append("This question is not compared with the review: there is no right answer.\n")
    if answer.kind == "text":
        _your_answer(out, answer)
    elif review.assessment is not None:
        _chosen(out, review.assessment, with_verdicts=False)
        _happened(out, review.assessment)
    _confidence(out, answer)
    return out


def _reasons(out: Text, review: AnswerReview, answer: Answer, assessment: Assessment) -> None:
    """Why a judged answer compares as it does: what was answered beside the review's view,
    what was left out, what was done at the time, the concepts and the reason given."""
    if answer.kind == "text":
        _your_answer(out, answer)
    if answer.kind == "rank":
        _orders(out, review)
    else:
        _chosen(out, assessment, with_verdicts=assessment.kind == "multiple")
    for option in assessment.missed:
        out.append("\nLeft out, which the review would have done: ", style="bold")
        out.append(option.text + "\n")
        if option.feedback:
            out.append("  " + option.feedback + "\n")
    _happened(out, assessment)
    if assessment.concepts:
        _concepts(out, "What the review looks for in a written answer", review.concepts)
    if answer.reason:
        out.append("\nYour reason: ", style="bold")
        out.append(answer.reason + "\n")
    if assessment.reason_concepts:
        _concepts(out, "In your reason", review.reason_concepts)


def _quoted_earlier(module: Module, decision: Decision, pt: PlayThrough | None) -> Collection[str]:
    """The findings already quoted earlier in the play-through, before this decision."""
    if pt is None:
        return ()
    found = module.decision(decision.id)
    return () if found is None else findings_shown_before(pt, found[0], decision.id)


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


def _orders(out: Text, review: AnswerReview) -> None:
    """The module's order (named as the decision names it), with the place the trainee gave
    each option and the rationale for its place."""
    out.append(f"\n{review.order_name}, and the place you gave each\n", style="bold")
    for placed in review.places:
        yours = placed.yours if placed.yours is not None else "-"
        out.append(f"  {placed.place}. ", style="bold")
        out.append(placed.option.text)
        out.append(f"  (yours: {yours})\n", style="bold")
        if placed.option.feedback:
            out.append("     " + placed.option.feedback + "\n")


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


@safe_output
def review_text(pt: PlayThrough, detailed: bool) -> Text:
    """Every decision on the path: question, own answer, verdict, confidence, finding.

    The detailed path review shows each finding's locator, as facilitators cite it.
    """
    out = Text()
    for number, row in enumerate(pt.review(), start=1):
        _review_row(out, number, AnswerReview.of(row), detailed)
    return out


def _review_row(out: Text, number: int, review: AnswerReview, detailed: bool) -> None:
    """One decision of the path review."""
    assert review.stage is not None and review.decision is not None
    out.append(f"{number}. {review.stage.title}", style="bold")
    if review.stage.shown_date:
        out.append(f"  {review.stage.shown_date}", style="dim")
    out.append("\n")
    out.append(review.decision.prompt + "\n")
    answer = review.answer
    if answer is None:
        out.append("   Not answered.\n\n", style="dim")
        return
    _review_answer(out, answer)
    if answer.chose_what_happened:
        out.append("   You chose what was done at the time.\n", style="dim")
    if detailed and answer.reason:
        out.append("   Your reason: " + answer.reason + "\n")
    assessment = review.compared
    if assessment is not None:
        if detailed:
            _review_reasons(out, review, assessment)
        shown = assessment.findings[: None if detailed else 1]
        out.append_text(findings_by_voice(shown, indent="   ", locator=detailed))
    out.append("\n")


def _review_answer(out: Text, answer: Answer) -> None:
    """The answer given, then its verdict (or that it was not judged) and how sure."""
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
        out.append(NOT_JUDGED_WORDS, style="bold")
    if answer.judged and not answer.scored:
        out.append("  (not scored)", style="dim")
    if answer.confidence is not None:
        out.append(f"   · you were {answer.confidence} of 5 sure")
    out.append("\n")


def _review_reasons(out: Text, review: AnswerReview, assessment: Assessment) -> None:
    """The detailed path review's reasons: the module's order, each chosen option's
    feedback, and which concepts the written answer covered."""
    if review.answer is not None and review.answer.kind == "rank":
        order = ", ".join(o.text for o in assessment.panel_order)
        out.append(f"   {review.order_name}: {order}\n")
    for chosen in assessment.chosen:
        if chosen.option.feedback:
            out.append("   " + chosen.option.feedback + "\n")
    for result in assessment.concepts:
        word = "Covered" if result.covered else "Not covered"
        out.append(f"   {word}: {result.concept.label}\n")


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

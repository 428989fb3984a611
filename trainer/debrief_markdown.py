"""The debrief of an attempt as Markdown, to keep or hand in (`write_new_file` keeps it, by
the app and by plain mode alike, never over another file). No Textual, no Rich.

It reads as plain text as well as rendered: nothing is escaped, so what the
trainee wrote appears exactly as written; each chosen option of a multiple
answer has a line of its own; a finding's quotation is a blockquote under the
finding, with its source after it, never quote marks inside quote marks. A
source is cited as the app's feedback cites it (publisher, date, “title”),
with a section or paragraph where the locator gives one: never a line of a
saved web page, or a note meant for facilitators.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from trainer.engine import VERDICT_WORDS, Answer, Assessment, LinkedFinding, PlayThrough
from trainer.review.answer_review import AnswerReview, Concepts, FindingGroup
from trainer.review.citation import citation
from trainer.review.words import NOT_JUDGED_WORDS, percent, suggestion_words

__all__ = [  # `percent` too: the screens and commands say a score as the debrief does
    "answer_lines",
    "answer_text",
    "case_file_lines",
    "concept_lines",
    "debrief_markdown",
    "decision_lines",
    "finding_lines",
    "findings_by_voice",
    "percent",
    "score_text",
    "verdict_line",
    "write_new_file",
]

def score_text(pt: PlayThrough) -> str:
    """The module score and what it is the mean of: "72%, the mean of 8 scored decisions"."""
    scores = [a.score for a in pt.counted_answers if a.score is not None]
    if not scores:
        return "not scored (no scored decision was answered)"
    noun = "decision" if len(scores) == 1 else "decisions"
    return f"{percent(pt.module_score)}, the mean of {len(scores)} scored {noun}"


def _indented(text: str, indent: str = "  ") -> str:
    """Text whose later lines are indented to stay inside the list item its first line opens."""
    first, *rest = text.splitlines() or [""]
    return "\n".join([first, *(f"{indent}{line}" if line.strip() else "" for line in rest)])


def _numbered(texts: Sequence[str]) -> list[str]:
    """Texts as a numbered list inside a list item."""
    return [f"  {n}. {_indented(text, '     ')}" for n, text in enumerate(texts, start=1)]


def answer_text(review: AnswerReview) -> str:
    """What the trainee answered, as they saw it, on one line (a written answer as written)."""
    answer = review.answer
    if answer is None:
        return "(not answered)"
    if answer.kind == "text":
        return answer.text or "(empty)"
    return "; ".join(answer.choice_texts) or "(none)"


def answer_lines(review: AnswerReview) -> list[str]:
    """The answer as list items: a multiple answer's options one to a line, with their verdicts;
    a rank answer's order beside the module's (named by its `order_label`)."""
    answer = review.answer
    if answer is not None and answer.kind == "rank":
        return _rank_lines(review, answer)
    if answer is None or answer.kind != "multiple":
        return [f"- Your answer: {_indented(answer_text(review))}"]
    return _multiple_lines(review, answer)


def _rank_lines(review: AnswerReview, answer: Answer) -> list[str]:
    lines = ["- Your order:", *_numbered(answer.choice_texts)]
    if answer.panel_order:
        texts = review.recorded_texts
        lines.append(f"- {review.order_name}:")
        lines += _numbered([texts.get(option_id, option_id) for option_id in answer.panel_order])
    return lines


def _multiple_lines(review: AnswerReview, answer: Answer) -> list[str]:
    verdicts = {option_id: verdict for option_id, _, verdict in answer.options}
    lines = ["- Your answer:"]
    for option_id, text in zip(answer.choice, answer.choice_texts, strict=False):
        verdict = VERDICT_WORDS.get(verdicts.get(option_id, ""))
        said = f" ({verdict})" if verdict and answer.judged else ""
        lines.append(f"  - {_indented(text, '    ')}{said}")
    if review.left_out:
        lines.append("- Options aligned with the review that you left out:")
        lines += [f"  - {_indented(text, '    ')}" for text in review.left_out]
    return lines


def verdict_line(review: AnswerReview) -> str:
    """The verdict in words, with the decision's score; or that it was recorded, not judged."""
    answer = review.answer
    if answer is None:
        return "- Verdict: not answered"
    if not answer.judged:
        return f"- {NOT_JUDGED_WORDS}: this question is not compared with the review."
    words = VERDICT_WORDS.get(answer.verdict, answer.verdict)
    scored = f"score {percent(answer.score)}" if answer.scored else "not scored"
    return f"- Verdict: {words} ({scored})"


def findings_by_voice(groups: Sequence[FindingGroup]) -> list[str]:
    """Findings under a heading for each voice (`by_voice`)."""
    out: list[str] = []
    for group in groups:
        out += [f"{group.heading}:", ""]
        for linked in group.findings:
            out += finding_lines(linked)
    return out


def finding_lines(linked: LinkedFinding, lead: str = "") -> list[str]:
    """One finding as a list item: its text, its quotation as a blockquote, then its source."""
    finding = linked.finding
    lines = [f"- {lead}{_indented(finding.text)}"]
    if finding.quote:
        lines.append("")
        lines += [f"  > {line}".rstrip() for line in finding.quote.splitlines()]
    lines += ["", f"  Source: {citation(linked)}", ""]
    return lines


def concept_lines(concepts: Concepts, whose: str) -> list[str]:
    """The rubric concepts found and missed; for each one missed, the finding behind it."""
    if not concepts.results:
        return []
    if concepts.ticked:
        return _ticked_lines(concepts, whose)
    found = [r.concept.label for r in concepts.found]
    if found:
        out = [f"Concepts {whose} showed:", "", *(f"- {label}" for label in found), ""]
    else:
        out = [f"Concepts {whose} showed: none.", ""]
    if concepts.missed:
        out += [f"Concepts {whose} missed, and the finding behind each:", ""]
        for result in concepts.missed:
            label = result.concept.label
            if result.finding is None:
                out += [f"- {label} (no finding is linked to it)", ""]
            else:
                out += finding_lines(result.finding, f"{label}. The review found: ")
    return out


def _ticked_lines(concepts: Concepts, whose: str) -> list[str]:
    """What the review weighed, each concept with the trainee's tick."""
    out = [f"What the review weighed, and what you said {whose} covered:", ""]
    for result in concepts.results:
        mark = "[x]" if result.ticked else "[ ]"
        suggested = f" ({suggestion_words(result)})" if result.matched else ""
        out.append(f"- {mark} {result.concept.label}{suggested}")
    return [*out, ""]


def decision_lines(number: int, review: AnswerReview) -> list[str]:
    """One decision: the prompt, the answer, the verdict, how sure, concepts and findings."""
    assert review.stage is not None and review.decision is not None
    answer = review.answer
    out = [f"### {number}. {review.stage.title}", "", review.decision.prompt, ""]
    out += answer_lines(review)
    if answer and answer.reason:
        out.append(f"- Your reason: {answer.reason}")
    out.append(verdict_line(review))
    if answer and answer.confidence is not None:
        out.append(f"- How sure you were: {answer.confidence} of 5")
    out.append("")
    assessment = review.compared
    if answer is None or assessment is None:
        return out
    return out + _reason_lines(review, answer, assessment)


def _reason_lines(review: AnswerReview, answer: Answer, assessment: Assessment) -> list[str]:
    """Why a judged answer compares as it does: concepts, what was done, the findings."""
    if answer.kind == "text":
        out = concept_lines(review.concepts, "your answer")
        if review.concepts.ticked:
            # Ticks decide: the findings behind what was not ticked follow, by voice.
            out += findings_by_voice(review.findings)
        return out
    out = []
    happened = review.happened
    if happened is not None and assessment.chose_what_happened:
        out += ["What you chose is what was done at the time.", ""]
    elif happened is not None:
        out += [f"What was done at the time: {happened.text}", ""]
    out += concept_lines(review.reason_concepts, "your reason")
    return out + findings_by_voice(review.findings)


def case_file_lines(pt: PlayThrough) -> list[str]:
    """The chronology and the people as known at the end of the path played (the case file
    as at the last stage reached), the people as the plain list, not the drawing; nothing for
    a module without a case file."""
    case = pt.case_file()
    if case.empty or not (case.chronology or case.people):
        return []
    out = ["## The case file as known at the end", ""]
    if case.chronology:
        out += ["### Chronology", ""]
        for known in case.chronology:
            entry = known.entry
            key = " (the review says this mattered)" if entry.key else ""
            out.append(f"- {entry.shown_date}, {entry.agency}: {_indented(entry.event)}{key}")
        out.append("")
    return out + _people_lines(pt)


def _people_lines(pt: PlayThrough) -> list[str]:
    """The people as known at the end, and how they are related."""
    from trainer.engine.genogram import person_text, relation_text

    case = pt.case_file()
    if not case.people:
        return []
    names = {known.person.id: known.person.name for known in case.people}
    out = ["### People", ""]
    out += [f"- {person_text(known.person)}" for known in case.people]
    if case.relations:
        out += ["", "How they are related:", ""]
        out += [f"- {relation_text(k.relation, names)}" for k in case.relations]
    out.append("")
    return out


def debrief_markdown(pt: PlayThrough, learner: str, attempt: int, written_at: str) -> str:
    """The whole debrief: score, every decision with answer, verdict, confidence and findings,
    then the case file as known at the end (format 3)."""
    module = pt.module
    out = [
        f"# Debrief: {module.title}",
        "",
        f"- Learner: {learner}",
        f"- Attempt: {attempt}",
        f"- Module version: {module.version}",
        f"- Score: {score_text(pt)}",
        f"- Written: {written_at}",
        "",
        "## Decisions",
        "",
    ]
    for number, row in enumerate(pt.review(), start=1):
        out += decision_lines(number, AnswerReview.of(row))
    out += case_file_lines(pt)
    if module.debrief.text:
        out += ["## Looking back", "", module.debrief.text, ""]
    if module.debrief.prompts:
        out += ["## To reflect on", ""]
        out += [f"{n}. {prompt}" for n, prompt in enumerate(module.debrief.prompts, start=1)]
        out.append("")
    lines = [line for n, line in enumerate(out) if line or (n and out[n - 1])]  # one blank
    return "\n".join(lines)


def write_new_file(folder: Path, base: str, text: str) -> Path:
    """Write `text` to `<folder>/<base>.md`, or `-2`, `-3`, ...: never over an existing file."""
    folder.mkdir(parents=True, exist_ok=True)
    for counter in range(1, 10_000):
        target = folder / (f"{base}.md" if counter == 1 else f"{base}-{counter}.md")
        try:
            with open(target, "x", encoding="utf-8") as handle:
                handle.write(text)
        except FileExistsError:
            continue
        return target
    raise FileExistsError(f"too many debriefs called {base} in {folder}")

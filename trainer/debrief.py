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

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from trainer.engine import (
    VERDICT_WORDS,
    VOICE_HEADINGS,
    VOICES,
    ConceptResult,
    Decision,
    LinkedFinding,
    PlayThrough,
    ReviewRow,
)

NOT_JUDGED_WORDS = "Recorded, not judged"
"""Said of an answer that was not compared with the review, in place of a verdict."""


def percent(score: float | None) -> str:
    """A score in words: "72%" or "not scored"."""
    return "not scored" if score is None else f"{round(score * 100)}%"


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


def answer_text(row: ReviewRow) -> str:
    """What the trainee answered, as they saw it, on one line (a written answer as written)."""
    answer = row.answer
    if answer is None:
        return "(not answered)"
    if answer.kind == "text":
        return answer.text or "(empty)"
    return "; ".join(answer.choice_texts) or "(none)"


def order_name(decision: Decision) -> str:
    """Whose order a rank decision's is, to begin a line: the module's `order_label`
    ("This module's suggested order" unless it says otherwise)."""
    label = decision.order_label.strip()
    return label[:1].upper() + label[1:]


def answer_lines(row: ReviewRow) -> list[str]:
    """The answer as list items: a multiple answer's options one to a line, with their verdicts;
    a rank answer's order beside the module's (named by its `order_label`)."""
    answer = row.answer
    if answer is not None and answer.kind == "rank":
        texts = {option_id: text for option_id, text, _ in answer.options}
        lines = ["- Your order:"]
        lines += [f"  {n}. {_indented(t, '     ')}" for n, t in enumerate(answer.choice_texts, 1)]
        if answer.panel_order:
            lines.append(f"- {order_name(row.decision)}:")
            lines += [
                f"  {n}. {_indented(texts.get(option_id, option_id), '     ')}"
                for n, option_id in enumerate(answer.panel_order, start=1)
            ]
        return lines
    if answer is None or answer.kind != "multiple":
        return [f"- Your answer: {_indented(answer_text(row))}"]
    verdicts = {option_id: verdict for option_id, _, verdict in answer.options}
    lines = ["- Your answer:"]
    for option_id, text in zip(answer.choice, answer.choice_texts, strict=False):
        verdict = VERDICT_WORDS.get(verdicts.get(option_id, ""))
        said = f" ({verdict})" if verdict and answer.judged else ""
        lines.append(f"  - {_indented(text, '    ')}{said}")
    left_out = [
        text
        for option_id, text, verdict in answer.options
        if verdict == "aligned" and option_id not in answer.choice
    ]
    if left_out and answer.judged:
        lines.append("- Options aligned with the review that you left out:")
        lines += [f"  - {_indented(text, '    ')}" for text in left_out]
    return lines


def verdict_line(row: ReviewRow) -> str:
    """The verdict in words, with the decision's score; or that it was recorded, not judged."""
    answer = row.answer
    if answer is None:
        return "- Verdict: not answered"
    if not answer.judged:
        return f"- {NOT_JUDGED_WORDS}: this question is not compared with the review."
    words = VERDICT_WORDS.get(answer.verdict, answer.verdict)
    scored = f"score {percent(answer.score)}" if answer.scored else "not scored"
    return f"- Verdict: {words} ({scored})"


Locator = Literal["none", "reader", "full"]
"""How much of a finding's locator a citation gives (see `citation`)."""

_READER_LOCATOR = re.compile(
    r"(?:section|sections|paragraph|paragraphs|para|paras|page|pages|chapter|part|annex|"
    r"appendix|recommendation)\s+\S",
    re.IGNORECASE,
)
"""A locator a reader can follow in the source itself: a section, paragraph or page."""


def reader_locator(locator: str | None) -> str | None:
    """The part of a finding's locator that helps a reader find the words ("paragraph 3.2"),
    or None: a line of a saved web page, or a note on how the words were reported, is the
    facilitator's (the preview, the path review and the exports show it whole)."""
    if not locator:
        return None
    first = locator.split(";")[0].strip()
    return first if _READER_LOCATOR.match(first) else None


def citation(linked: LinkedFinding, locator: Locator = "reader") -> str:
    """Where a finding comes from, as a reader cites it: publisher, date, “title”.

    Args:
        locator: "none" as the app's feedback cites (the brief: the trainee reads publisher,
            date and title); "reader" adds a section or paragraph where the locator gives
            one, for a document read away from the app; "full" the whole locator, as the
            facilitator preview and the path review show it.

    Who said it comes first. The review's own words printed by the press are said to be
    quoted there, so that they are never taken for the reporter's, nor a reporter's summary
    for the review's."""
    finding, source = linked.finding, linked.source
    if source is None:
        parts = [finding.source]
    else:
        parts = [p for p in (source.publisher, source.date) if p]
        parts.append(f"“{source.title}”")
    where = (
        finding.locator
        if locator == "full"
        else reader_locator(finding.locator)
        if locator == "reader"
        else None
    )
    if where:
        parts.append(where)
    cited = ", ".join(parts)
    if finding.said_by:
        return f"{finding.said_by}, in {cited}"
    if finding.voice == "review" and source is not None and source.kind in QUOTING_KINDS:
        return f"the review's words, quoted in {cited}"
    return cited


QUOTING_KINDS = ("press", "commentary")
"""Sources that can only quote a review: its own words found there are said to be quoted."""


def findings_by_voice(findings: Sequence[LinkedFinding]) -> list[str]:
    """Findings under a heading for each voice, in the brief's order; never a comment under
    the review's heading."""
    out: list[str] = []
    for voice in VOICES:
        group = [f for f in findings if f.finding.heading_voice == voice]
        if group:
            out += [f"{VOICE_HEADINGS[voice]}:", ""]
            for linked in group:
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


def suggestion_words(result: ConceptResult) -> str:
    """What a concept the phrases suggested says beside its tick: a suggestion the trainee
    left unticked is said to be one, so it never reads as if their answer covered it."""
    if result.claimed:
        return "suggested from your words"
    return "suggested from your words, not ticked"


def concept_lines(results: Sequence[ConceptResult], whose: str) -> list[str]:
    """The rubric concepts found and missed; for each one missed, the finding behind it."""
    if not results:
        return []
    if results[0].self_assessed:
        out = [f"What the review weighed, and what you said {whose} covered:", ""]
        for result in results:
            mark = "[x]" if result.claimed else "[ ]"
            suggested = f" ({suggestion_words(result)})" if result.matched else ""
            out.append(f"- {mark} {result.concept.label}{suggested}")
        return [*out, ""]
    found = [r.concept.label for r in results if r.matched]
    missed = [r for r in results if not r.matched]
    if found:
        out = [f"Concepts {whose} showed:", "", *(f"- {label}" for label in found), ""]
    else:
        out = [f"Concepts {whose} showed: none.", ""]
    if missed:
        out += [f"Concepts {whose} missed, and the finding behind each:", ""]
        for result in missed:
            label = result.concept.label
            if result.finding is None:
                out += [f"- {label} (no finding is linked to it)", ""]
            else:
                out += finding_lines(result.finding, f"{label}. The review found: ")
    return out


def decision_lines(number: int, row: ReviewRow) -> list[str]:
    """One decision: the prompt, the answer, the verdict, how sure, concepts and findings."""
    answer = row.answer
    out = [f"### {number}. {row.stage.title}", "", row.decision.prompt, ""]
    out += answer_lines(row)
    if answer and answer.reflection:
        out.append(f"- Your reason: {answer.reflection}")
    out.append(verdict_line(row))
    if answer and answer.confidence is not None:
        out.append(f"- How sure you were: {answer.confidence} of 5")
    out.append("")
    assessment = row.assessment
    if answer is None or assessment is None or not answer.judged:
        return out
    if answer.kind == "text":
        out += concept_lines(assessment.concepts, "your answer")
        if assessment.concepts and assessment.concepts[0].self_assessed:
            # Ticks decide: the findings behind what was not ticked follow, by voice.
            out += findings_by_voice(assessment.findings)
        return out
    if assessment.happened is not None and answer.kind != "rank":
        if assessment.chose_what_happened:
            out += ["What you chose is what was done at the time.", ""]
        else:
            out += [f"What was done at the time: {assessment.happened.text}", ""]
    out += concept_lines(assessment.reflection_concepts, "your reason")
    out += findings_by_voice(assessment.findings)
    return out


def case_file_lines(pt: PlayThrough) -> list[str]:
    """The chronology and the people as known at the end of the path played (the case file
    as at the last stage reached), the people as the plain list, not the drawing; nothing for
    a module without a case file."""
    from trainer.engine.genogram import person_text, relation_text

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
    if case.people:
        names = {known.person.id: known.person.name for known in case.people}
        out += ["### People", ""]
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
        out += decision_lines(number, row)
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

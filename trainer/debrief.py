"""The debrief of an attempt as Markdown, to keep or hand in. Pure: no Textual, no Rich."""

from __future__ import annotations

from trainer.engine import VERDICT_WORDS, PlayThrough, ReviewRow


def percent(score: float | None) -> str:
    """A module score in words: "72%" or "not scored"."""
    return "not scored" if score is None else f"{round(score * 100)}%"


def answer_text(row: ReviewRow) -> str:
    """What the trainee answered, as they saw it."""
    answer = row.answer
    if answer is None:
        return "(not answered)"
    if answer.kind == "text":
        return answer.text or "(empty)"
    return "; ".join(answer.choice_texts) or "(none)"


def finding_lines(row: ReviewRow) -> list[str]:
    """The findings behind an answer's feedback, with quote and source."""
    lines: list[str] = []
    if row.assessment is None:
        return lines
    for linked in row.assessment.findings:
        finding = linked.finding
        source = linked.source.title if linked.source else finding.source
        where = f", {finding.locator}" if finding.locator else ""
        quote = f' "{finding.quote}"' if finding.quote else ""
        lines.append(f"{finding.text}{quote} ({source}{where})")
    return lines


def debrief_markdown(pt: PlayThrough, learner: str, attempt: int, written_at: str) -> str:
    """The whole debrief: score, every decision with answer, verdict, confidence and findings."""
    module = pt.module
    out = [
        f"# Debrief: {module.title}",
        "",
        f"- Learner: {learner}",
        f"- Attempt: {attempt}",
        f"- Module version: {module.version}",
        f"- Score: {percent(pt.module_score)} (the mean of the scored decisions)",
        f"- Written: {written_at}",
        "",
        "## Decisions",
        "",
    ]
    for number, row in enumerate(pt.review(), start=1):
        answer = row.answer
        verdict = VERDICT_WORDS.get(answer.verdict, answer.verdict) if answer else "not answered"
        scored = "" if row.decision.scored else " (not scored)"
        out += [f"### {number}. {row.stage.title}", "", row.decision.prompt, ""]
        out.append(f"- Your answer: {answer_text(row)}")
        if answer and answer.reflection:
            out.append(f"- Your reason: {answer.reflection}")
        out.append(f"- Verdict: {verdict}{scored}")
        if answer and answer.confidence is not None:
            out.append(f"- How sure you were: {answer.confidence} of 5")
        for line in finding_lines(row):
            out.append(f"- Finding: {line}")
        out.append("")
    if module.debrief.text:
        out += ["## Looking back", "", module.debrief.text, ""]
    if module.debrief.prompts:
        out += ["## To reflect on", ""]
        out += [f"{n}. {prompt}" for n, prompt in enumerate(module.debrief.prompts, start=1)]
        out.append("")
    return "\n".join(out)

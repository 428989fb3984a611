"""The cohort report: one self-contained HTML file (inline CSS and SVG, no scripts, no network).

It shows each decision's prompt and options as the saves recorded them, the
cohort's answers beside the review's verdicts (in words, never by colour
alone), who was sure and contrary, and the findings most often missed. An
answer that was not judged (a written question with nothing to compare it
with) is counted as recorded, never as a verdict.
Everything from a save is HTML-escaped: names and answers are data.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from trainer.cohort.records import Record
from trainer.engine import VERDICT_WORDS, Answer, Module

CSS = """
body { font: 16px/1.5 system-ui, sans-serif; color: #1d2433; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; background: #fff; }
h1 { font-size: 1.6rem; }
h2 { font-size: 1.25rem; margin-top: 2.5rem; border-bottom: 1px solid #ccd; }
h3 { font-size: 1.05rem; margin-bottom: .3rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { text-align: left; padding: .25rem .75rem .25rem 0; vertical-align: top; }
.muted { color: #5a6275; } .small { font-size: .9rem; }
.bar-aligned { fill: #2e7d4f; } .bar-partial { fill: #b7791f; } .bar-contrary { fill: #b83232; }
.bar-score { fill: #3d5a99; } .bar-none { fill: #8a8f9c; }
.decision { margin: 1.5rem 0; }
"""
SIGNS = {"aligned": "✓", "partial": "~", "contrary": "✗"}
NOT_JUDGED_WORDS = "Recorded, not judged"
"""How an answer with no verdict is counted: never as contrary."""


@dataclass
class DecisionStats:
    """The cohort's answers to one decision."""

    decision_id: str
    module_id: str
    prompt: str
    kind: str
    options: list[tuple[str, str, str]] = field(default_factory=list)
    chosen: Counter[str] = field(default_factory=Counter)
    verdicts: Counter[str] = field(default_factory=Counter)
    sure_contrary: list[str] = field(default_factory=list)
    answers: int = 0
    not_judged: int = 0
    """Answers recorded without a verdict: counted in `answers`, not in `verdicts`."""


def _merge_options(stats: DecisionStats, answer: Answer) -> None:
    known = {option_id for option_id, _, _ in stats.options}
    for option in answer.options:
        if option[0] not in known:
            stats.options.append(option)


def build_stats(records: list[Record]) -> list[DecisionStats]:
    """Per decision, in the order first met."""
    by_decision: dict[tuple[str, str], DecisionStats] = {}
    for record in records:
        for attempt in record.attempts:
            for answer in attempt.answers:
                key = (record.save.module.id, answer.decision_id)
                stats = by_decision.setdefault(
                    key,
                    DecisionStats(answer.decision_id, key[0], answer.prompt, answer.kind),
                )
                _merge_options(stats, answer)
                stats.answers += 1
                stats.chosen.update(answer.choice)
                if not answer.judged:
                    stats.not_judged += 1
                    continue
                stats.verdicts[answer.verdict] += 1
                if answer.verdict == "contrary" and (answer.confidence or 0) >= 4:
                    stats.sure_contrary.append(record.learner_name)
    return list(by_decision.values())


def _bars(rows: list[tuple[str, int, str]], total: int, width: int = 320) -> str:
    """A horizontal bar chart: label, count, css class; each bar labelled with its count."""
    height = 22 * len(rows) + 4
    parts = [f'<svg role="img" width="{width + 60}" height="{height}" aria-label="answers">']
    for index, (_, count, css) in enumerate(rows):
        length = 0 if total == 0 else round(width * count / total)
        y = 22 * index + 2
        parts.append(f'<rect class="{css}" x="0" y="{y}" width="{length}" height="16"></rect>')
        parts.append(f'<text x="{length + 6}" y="{y + 13}" font-size="13">{count}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _histogram(scores: list[float]) -> str:
    buckets = [0] * 5
    for score in scores:
        buckets[min(int(score * 5), 4)] += 1
    labels = ["0–19%", "20–39%", "40–59%", "60–79%", "80–100%"]
    rows = [(label, count, "bar-score") for label, count in zip(labels, buckets, strict=True)]
    table = "".join(
        f"<tr><td>{label}</td><td>{_bars([row], max(buckets) or 1)}</td></tr>"
        for label, row in zip(labels, rows, strict=True)
    )
    return f"<table>{table}</table>"


def report_html(
    records: list[Record],
    title: str,
    generated_at: str,
    module_for: Callable[[str], Module | None] = lambda module_id: None,
) -> str:
    """The whole report as one HTML document."""
    attempts = [(r, a) for r in records for a in r.attempts]
    finished = [(r, a) for r, a in attempts if a.finished]
    scores = [a.score for _, a in finished if a.score is not None]
    out = [
        "<!doctype html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="muted small">Generated {escape(generated_at)} from {len(records)} saves. '
        "Verdicts are the review's: ✓ aligned with the review, ~ partly aligned, ✗ contrary.</p>",
        "<h2>Completion</h2>",
        "<table>",
        f"<tr><th>Learners</th><td>{len({r.learner_id for r in records})}</td></tr>",
        f"<tr><th>Attempts started</th><td>{len(attempts)}</td></tr>",
        f"<tr><th>Attempts finished</th><td>{len(finished)}</td></tr>",
    ]
    if scores:
        out.append(
            f"<tr><th>Mean score (finished)</th><td>{round(100 * sum(scores) / len(scores))}%"
            "</td></tr>"
        )
    out.append("</table>")
    out += ["<h2>Score distribution (finished attempts)</h2>", _histogram(scores)]

    out.append("<h2>Each decision</h2>")
    stats = build_stats(records)
    for item in stats:
        module = module_for(item.module_id)
        if module is not None:
            found = module.decision(item.decision_id)
            if found is not None:  # options nobody chose, from the module
                for option in found[1].options:
                    if option.id not in {o[0] for o in item.options}:
                        item.options.append((option.id, option.text, option.verdict))
        out.append('<section class="decision">')
        out.append(f"<h3>{escape(item.prompt)}</h3>")
        out.append(
            f'<p class="muted small">{escape(item.module_id)} · {escape(item.decision_id)} · '
            f"{item.answers} answers</p>"
        )
        if item.kind == "text":
            judged = item.answers - item.not_judged
            shown = VERDICTS_ORDER if judged else ()
            rows = [(VERDICT_WORDS[v], item.verdicts[v], f"bar-{v}") for v in shown]
            labels = [f"{SIGNS[v]} {VERDICT_WORDS[v]}" for v in shown]
            if item.not_judged:
                rows.append((NOT_JUDGED_WORDS, item.not_judged, "bar-none"))
                labels.append(f"– {NOT_JUDGED_WORDS}")
        else:
            rows = [
                (text, item.chosen[oid], f"bar-{verdict}") for oid, text, verdict in item.options
            ]
            labels = [
                f"{escape(text)} <span class='muted small'>({SIGNS.get(verdict, '?')} "
                f"{escape(VERDICT_WORDS.get(verdict, verdict))})</span>"
                for _, text, verdict in item.options
            ]
        out.append("<table>")
        for label, row in zip(labels, rows, strict=True):
            out.append(f"<tr><td>{label}</td><td>{_bars([row], max(item.answers, 1))}</td></tr>")
        out.append("</table>")
        if item.not_judged:
            out.append(
                f'<p class="small">{NOT_JUDGED_WORDS}: {item.not_judged} of {item.answers} '
                "answers have no verdict, as the question has nothing in the review to be "
                "compared with.</p>"
            )
        if item.sure_contrary:
            names = ", ".join(escape(n) for n in sorted(item.sure_contrary))
            out.append(
                f'<p class="small"><strong>Sure (4 or 5) and contrary to the review:</strong> '
                f"{len(item.sure_contrary)} ({names})</p>"
            )
        out.append("</section>")

    out.append("<h2>Confidence against verdict</h2>")
    out.append(_confidence_table(records))
    out.append("<h2>Findings most often missed</h2>")
    out.append(_missed(records, module_for))
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _confidence_table(records: list[Record]) -> str:
    grid: dict[int, Counter[str]] = defaultdict(Counter)
    for record in records:
        for attempt in record.attempts:
            for answer in attempt.answers:
                if answer.confidence is not None and answer.judged:
                    grid[answer.confidence][answer.verdict] += 1
    if not grid:
        return '<p class="muted">No judged answers recorded a confidence.</p>'
    head = "".join(f"<th>{SIGNS[v]} {VERDICT_WORDS[v]}</th>" for v in VERDICTS_ORDER)
    rows = "".join(
        f"<tr><th>{level} of 5</th>"
        + "".join(f"<td>{grid[level][v]}</td>" for v in VERDICTS_ORDER)
        + "</tr>"
        for level in range(5, 0, -1)
    )
    return f"<table><tr><th>How sure</th>{head}</tr>{rows}</table>"


VERDICTS_ORDER = ("aligned", "partial", "contrary")


def _missed(records: list[Record], module_for: Callable[[str], Module | None]) -> str:
    counts: Counter[tuple[str, str]] = Counter()
    for record in records:
        for attempt in record.attempts:
            for answer in attempt.answers:
                for finding_id in answer.missed_findings:
                    counts[(record.save.module.id, finding_id)] += 1
    if not counts:
        return '<p class="muted">No findings were missed.</p>'
    rows = []
    for (module_id, finding_id), count in counts.most_common(10):
        module = module_for(module_id)
        finding = module.finding(finding_id) if module else None
        text = (
            escape(finding.text) if finding else f"<span class='muted'>{escape(finding_id)}</span>"
        )
        rows.append(f"<tr><td>{count}</td><td>{text}</td></tr>")
    return "<table><tr><th>Times</th><th>Finding</th></tr>" + "".join(rows) + "</table>"

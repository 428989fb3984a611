"""The cohort report: one self-contained HTML file (inline CSS and SVG, no scripts, no network).

It shows each decision's prompt and options as the saves recorded them, the
cohort's answers beside the review's verdicts (in words, never by colour
alone), who was sure and contrary, and the findings most often missed. An
answer that was not judged (a written question with nothing to compare it
with, or a poll) is counted as recorded, never as a verdict. Format 2 adds:
the panel's order beside the cohort's orders (rank decisions), how many chose
what was done at the time, and, where trainees ticked the concepts their
written answer covered, their ticks against the phrases' suggestions.
Everything from a save is HTML-escaped: names and answers are data.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from trainer.cohort.records import Record, ticks_decided
from trainer.engine import VERDICT_WORDS, Answer, Module
from trainer.engine.scoring import kendall_score
from trainer.saves.format import FindingInfo

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
POLL_WORDS = "no verdict (a poll)"
"""How an option of a poll (a choice whose options carry no verdict) is labelled."""
HAPPENED_WORDS = "what was done at the time"


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
    scores: list[float] = field(default_factory=list)
    """Scores of the judged answers (shown for rank decisions)."""
    panel_order: tuple[str, ...] = ()
    """A rank decision: the review panel's order, as the saves recorded it."""
    places: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    """A rank decision: each option's places (1 = first) in the cohort's orders."""
    orders: Counter[tuple[str, ...]] = field(default_factory=Counter)
    """A rank decision: each order given, and by how many."""
    happened: str | None = None
    """The option marked as what was done at the time, if the decision marks one."""
    chose_happened: int = 0
    """Answers that included what was done at the time."""
    marked: int = 0
    """Answers to the decision while it marked what was done at the time."""
    written: list[Answer] = field(default_factory=list)
    """The judged written answers."""
    ticks: Calibration | None = None
    """A written decision compared by the trainee's ticks: ticks against suggestions."""


@dataclass
class Calibration:
    """Per concept, the trainee's ticks against the rubric phrases' suggestions."""

    answers: int = 0
    concepts: list[str] = field(default_factory=list)
    ticked: Counter[str] = field(default_factory=Counter)
    suggested: Counter[str] = field(default_factory=Counter)
    ticked_only: Counter[str] = field(default_factory=Counter)
    """Ticked, though the phrases did not suggest it."""
    suggested_only: Counter[str] = field(default_factory=Counter)
    """Suggested by the phrases, left unticked."""

    def add(self, answer: Answer) -> None:
        self.answers += 1
        ticked, suggested = set(answer.concepts_claimed), set(answer.concepts_matched)
        for concept in (
            *answer.concepts_claimed,
            *answer.concepts_matched,
            *answer.concepts_missed,
        ):
            if concept not in self.concepts:
                self.concepts.append(concept)
        self.ticked.update(ticked)
        self.suggested.update(suggested)
        self.ticked_only.update(ticked - suggested)
        self.suggested_only.update(suggested - ticked)

    @property
    def agreed(self) -> int:
        """Concept judgements where the tick and the suggestion agreed."""
        disagreed = sum(self.ticked_only.values()) + sum(self.suggested_only.values())
        return self.answers * len(self.concepts) - disagreed


def _merge_options(stats: DecisionStats, answer: Answer) -> None:
    known = {option_id for option_id, _, _ in stats.options}
    for option in answer.options:
        if option[0] not in known:
            stats.options.append(option)


def build_stats(
    records: list[Record],
    module_for: Callable[[str], Module | None] = lambda module_id: None,
) -> list[DecisionStats]:
    """Per decision, in the order first met.

    A written decision is compared by the trainee's ticks where the module (if found) says
    so, or where any answer shows it (see `ticks_decided`); then every judged answer to it
    counts in its calibration, an answer with nothing ticked and nothing suggested too.
    """
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
                if answer.happened is not None:
                    stats.happened = stats.happened or answer.happened
                    stats.marked += 1
                    stats.chose_happened += bool(answer.chose_what_happened)
                if answer.kind == "rank":
                    stats.panel_order = stats.panel_order or answer.panel_order
                    stats.orders[answer.choice] += 1
                    for place, option_id in enumerate(answer.choice, start=1):
                        stats.places[option_id].append(place)
                if answer.kind == "text" and answer.judged:
                    stats.written.append(answer)
                if not answer.judged:
                    stats.not_judged += 1
                    continue
                if answer.score is not None:
                    stats.scores.append(answer.score)
                stats.verdicts[answer.verdict] += 1
                if answer.verdict == "contrary" and (answer.confidence or 0) >= 4:
                    stats.sure_contrary.append(record.learner_name)
    for stats in by_decision.values():
        if stats.written and (
            _claims_concepts(module_for(stats.module_id), stats.decision_id)
            or any(ticks_decided(answer) for answer in stats.written)
        ):
            stats.ticks = Calibration()
            for answer in stats.written:
                stats.ticks.add(answer)
    return list(by_decision.values())


def _claims_concepts(module: Module | None, decision_id: str) -> bool:
    found = module.decision(decision_id) if module is not None else None
    return found is not None and found[1].claims_concepts


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
    for item in build_stats(records, module_for):
        module = module_for(item.module_id)
        if module is not None:
            found = module.decision(item.decision_id)
            if found is not None:  # options nobody chose, from the module
                for option in found[1].options:
                    if option.id not in {o[0] for o in item.options}:
                        item.options.append((option.id, option.text, option.verdict or ""))
        out.append('<section class="decision">')
        out.append(f"<h3>{escape(item.prompt)}</h3>")
        out.append(
            f'<p class="muted small">{escape(item.module_id)} · {escape(item.decision_id)} · '
            f"{item.answers} answers</p>"
        )
        if item.kind == "rank":
            out += _rank(item)
        elif item.kind == "text":
            out += _verdict_bars(item)
        else:
            out += _option_bars(item)
        if item.not_judged:
            why = (
                "the question is a poll: its options carry no verdict"
                if item.kind in ("single", "multiple")
                else "the question has nothing in the review to be compared with"
            )
            out.append(
                f'<p class="small">{NOT_JUDGED_WORDS}: {item.not_judged} of {item.answers} '
                f"answers have no verdict, as {why}.</p>"
            )
        if item.happened is not None and item.kind != "rank":
            text = _option_text(item, item.happened)
            out.append(
                f'<p class="small"><strong>Chose {HAPPENED_WORDS}</strong> ({escape(text)}): '
                f"{item.chose_happened} of {item.marked}</p>"
            )
        if item.ticks is not None:
            out += _calibration(item.ticks, module, item.decision_id)
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


def _option_text(item: DecisionStats, option_id: str) -> str:
    for known, text, _ in item.options:
        if known == option_id:
            return text
    return option_id


def _bar_rows(rows: list[tuple[str, int, str]], labels: list[str], total: int) -> list[str]:
    out = ["<table>"]
    for label, row in zip(labels, rows, strict=True):
        out.append(f"<tr><td>{label}</td><td>{_bars([row], max(total, 1))}</td></tr>")
    out.append("</table>")
    return out


def _verdict_bars(item: DecisionStats) -> list[str]:
    """How many answers got each verdict, and how many were recorded without one."""
    judged = item.answers - item.not_judged
    shown = VERDICTS_ORDER if judged else ()
    rows = [(VERDICT_WORDS[v], item.verdicts[v], f"bar-{v}") for v in shown]
    labels = [f"{SIGNS[v]} {VERDICT_WORDS[v]}" for v in shown]
    if item.not_judged:
        rows.append((NOT_JUDGED_WORDS, item.not_judged, "bar-none"))
        labels.append(f"– {NOT_JUDGED_WORDS}")
    return _bar_rows(rows, labels, item.answers)


def _option_bars(item: DecisionStats) -> list[str]:
    """How many chose each option, beside the review's verdict on it (a poll has none)."""
    rows = [
        (text, item.chosen[oid], f"bar-{verdict}" if verdict in SIGNS else "bar-none")
        for oid, text, verdict in item.options
    ]
    labels = []
    for oid, text, verdict in item.options:
        said = (
            f"{SIGNS[verdict]} {VERDICT_WORDS[verdict]}"
            if verdict in SIGNS
            else f"– {POLL_WORDS}"
            if not verdict
            else f"? {escape(verdict)}"
        )
        if oid == item.happened:
            said += f"; {HAPPENED_WORDS}"
        labels.append(f"{escape(text)} <span class='muted small'>({said})</span>")
    return _bar_rows(rows, labels, item.answers)


def _rank(item: DecisionStats) -> list[str]:
    """The panel's order beside the cohort's: each option's mean place, the orders given,
    and how close they came (Kendall score: 1 is the panel's order, 0 its reverse)."""
    panel = item.panel_order or tuple(oid for oid, _, _ in item.options)
    out = [
        "<table><tr><th>Panel's place</th><th>Option</th>"
        "<th>Cohort's mean place</th><th>Put first by</th></tr>"
    ]
    for rank, option_id in enumerate(panel, start=1):
        places = item.places.get(option_id, [])
        mean = f"{sum(places) / len(places):.1f}" if places else "–"
        first = sum(1 for p in places if p == 1)
        note = (
            f" <span class='muted small'>({HAPPENED_WORDS})</span>"
            if (option_id == item.happened)
            else ""
        )
        out.append(
            f"<tr><td>{rank}</td><td>{escape(_option_text(item, option_id))}{note}</td>"
            f"<td>{mean}</td><td>{first} of {len(places)}</td></tr>"
        )
    out.append("</table>")
    out.append(
        '<p class="small"><strong>The cohort\'s orders</strong>, most often given first:</p>'
    )
    out.append("<table><tr><th>Order</th><th>Learners</th><th>Score</th></tr>")
    for order, count in item.orders.most_common(5):
        steps = " → ".join(escape(_option_text(item, oid)) for oid in order)
        fits = sorted(order) == sorted(panel)
        score = f"{round(100 * kendall_score(order, panel))}%" if fits else "–"
        out.append(f"<tr><td>{steps}</td><td>{count}</td><td>{score}</td></tr>")
    out.append("</table>")
    if len(item.orders) > 5:
        out.append(f'<p class="muted small">and {len(item.orders) - 5} other orders.</p>')
    out.append(
        '<p class="small">Scores against the panel\'s order (1 − the share of pairs the other '
        "way round to the panel's):</p>"
    )
    out += _verdict_bars(item)
    out.append(_histogram(item.scores))
    return out


def _calibration(ticks: Calibration, module: Module | None, decision_id: str) -> list[str]:
    """Ticked against suggested: how the trainees' own judgement of what their written answer
    covered compares with what the rubric's phrases found in it."""
    labels: dict[str, str] = {}
    found = module.decision(decision_id) if module is not None else None
    if found is not None:
        labels = {concept.id: concept.label for concept in found[1].rubric}
    total = ticks.answers * len(ticks.concepts)
    out = [
        f'<p class="small"><strong>Ticked against suggested</strong> ({ticks.answers} answers '
        "compared by the trainee's ticks): the phrases suggest, the trainee decides. Across the "
        f"answers, ticks and suggestions agreed on {ticks.agreed} of {total} concepts.</p>",
        "<table><tr><th>Concept</th><th>Ticked</th><th>Suggested by the phrases</th>"
        "<th>Ticked, not suggested</th><th>Suggested, left unticked</th></tr>",
    ]
    for concept in ticks.concepts:
        out.append(
            f"<tr><td>{escape(labels.get(concept, concept))}</td>"
            f"<td>{ticks.ticked[concept]}</td><td>{ticks.suggested[concept]}</td>"
            f"<td>{ticks.ticked_only[concept]}</td><td>{ticks.suggested_only[concept]}</td></tr>"
        )
    out.append("</table>")
    return out


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
    """The findings most often missed, each with its source and locator: as the saves recorded
    them, else from the module where found, else the finding's id alone."""
    counts: Counter[tuple[str, str]] = Counter()
    recorded: dict[tuple[str, str], FindingInfo] = {}
    for record in records:
        for attempt in record.attempts:
            for answer in attempt.answers:
                for finding_id in answer.missed_findings:
                    key = (record.save.module.id, finding_id)
                    counts[key] += 1
                    info = record.save.module.finding(finding_id)
                    if info is not None:
                        recorded.setdefault(key, info)
    if not counts:
        return '<p class="muted">No findings were missed.</p>'
    rows = []
    for key, count in counts.most_common(10):
        module_id, finding_id = key
        info = recorded.get(key)
        if info is None:
            module = module_for(module_id)
            finding = module.finding(finding_id) if module else None
            if finding is not None and module is not None:
                info = FindingInfo.of(finding, module.source(finding.source))
        if info is None:
            rows.append(
                f"<tr><td>{count}</td><td><span class='muted'>{escape(finding_id)}</span></td>"
                "<td></td></tr>"
            )
            continue
        cited = ", ".join(part for part in (info.source, info.locator) if part)
        if info.said_by:
            cited = f"{info.said_by}, in {cited}"
        rows.append(
            f"<tr><td>{count}</td><td>{escape(info.text or finding_id)}</td>"
            f"<td class='small'>{escape(cited)}</td></tr>"
        )
    return (
        "<table><tr><th>Times</th><th>Finding</th><th>Source</th></tr>" + "".join(rows) + "</table>"
    )

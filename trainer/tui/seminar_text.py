"""What the seminar shows, as lines of text fitted to a width.

Each line is cut with … rather than wrapped, so that at 80x24 every stage and every option
of the highlighted decision keeps one line. The lines are plain Rich `Text`, built for the
width the screen has: a table per row would be laid out again at every refresh. Text from
modules and saves is made safe for the terminal (`trainer.sanitise.safe`).
"""

from __future__ import annotations

from rich.text import Text

from trainer.cohort.peers import DecisionTally
from trainer.engine import Decision, Module, Stage
from trainer.sanitise import safe
from trainer.saves import SaveFile
from trainer.tui.render import VERDICT_SIGNS, VERDICT_STYLES

ELLIPSIS = "…"


def fit(line: Text, width: int) -> Text:
    """`line` cut to `width` cells, with … where it was cut; never wrapped."""
    line.no_wrap = True
    line.overflow = "ellipsis"
    if line.cell_len > width:
        line.truncate(max(width, 1), overflow="ellipsis")
    return line


def row(left: Text | str, middle: str, right: Text | str, width: int, style: str = "") -> Text:
    """`left`, then `middle` cut to fit, then `right` at the right edge of `width`."""
    left = Text(left) if isinstance(left, str) else left
    right = Text(right) if isinstance(right, str) else right
    room = max(width - left.cell_len - right.cell_len, 1)
    text = Text(middle, style=style)
    text.truncate(room, overflow="ellipsis", pad=True)
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append_text(left)
    out.append_text(text)
    out.append_text(right)
    return out


def stages_heading(width: int) -> Text:
    """The stage list's heading: what the numbers on the right are."""
    heading = row(" # ", "Stage", "here", width)
    heading.stylize("bold")
    return heading


def stage_row(number: int, stage: Stage, here: int, held: bool, width: int) -> Text:
    """A stage in the list: number, title (cut to fit), HELD, and how many are at it."""
    right = Text(" ")
    if held:
        right.append("HELD", style="bold reverse")
        right.append(" ")
    right.append(f"{here:>3}" if here else "  ·", style="bold" if here else "dim")
    return row(f"{number:>2} ", safe(stage.title), right, width)


def answers_lines(
    number: int, stage: Stage, tallies: list[DecisionTally], width: int
) -> list[Text]:
    """The stage's heading, then each decision's lines (`distribution`)."""
    lines = [fit(Text(f"Stage {number} · {safe(stage.title)}", style="bold underline"), width)]
    if not stage.decisions:
        lines.append(Text("  No decisions at this stage.", style="dim"))
    for result in tallies:
        lines.extend(distribution(result.decision, result, width))
    return lines


def distribution(decision: Decision, result: DecisionTally, width: int) -> list[Text]:
    """A decision in a few lines: its prompt, how many answered and how many of them were
    sure and contrary, and one line per option with the room's count and the verdict (or,
    for a rank decision, under a line naming whose order it is (`order_label`), each option
    at its place in that order beside the room's average place)."""
    lines = [fit(Text(safe(decision.prompt), style="bold"), width)]
    summary = Text(f"  {result.answered} answered", style="dim")
    if decision.judged and decision.kind != "text":
        summary.append(f" · {result.sure_and_contrary} sure and contrary", style="bold")
    lines.append(fit(summary, width))
    if not result.answered:
        return lines
    if decision.kind == "rank":
        named = f"  Place in {safe(decision.order_label.strip())}:"
        lines.append(fit(Text(named, style="dim"), width))
        for option in sorted(result.options, key=lambda o: o.rank or 0):
            mean = "-" if option.mean_position is None else f"{option.mean_position:.1f}"
            left = Text(f"  {option.rank}. room {mean:>3} · ")
            lines.append(row(left, safe(option.text), "", width))
        return lines
    for option in result.options:
        left = Text(f"{option.count:>4} {round(option.share * 100):>3}% ")
        verdict = option.verdict or ""
        left.append(VERDICT_SIGNS.get(verdict, " "), style=VERDICT_STYLES.get(verdict, ""))
        left.append(" ")
        lines.append(row(left, safe(option.text), "", width))
    return lines


def learner_lines(module: Module, saves: tuple[SaveFile, ...]) -> list[Text]:
    """Every learner by name, a line each: where they are and how many they answered."""
    lines = []
    for save in sorted(saves, key=lambda s: (s.learner.name.casefold(), s.learner.id)):
        attempt = save.last_attempt
        line = Text(safe(save.learner.name), no_wrap=True, overflow="ellipsis")
        if attempt is None:
            line.append(" · not started", style="dim")
        elif attempt.finished:
            line.append(" · finished", style="dim")
        else:
            number = module.stage_number(attempt.position)
            where = f"stage {number}" if number else safe(attempt.position)
            line.append(f" · {where} · {len(attempt.answers)} answered", style="dim")
        lines.append(line)
    return lines


def joined(lines: list[Text]) -> Text:
    """Lines as one text, a newline between each."""
    out = Text(no_wrap=True, overflow="ellipsis")
    for index, line in enumerate(lines):
        if index:
            out.append("\n")
        out.append_text(line)
    return out

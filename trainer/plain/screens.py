"""The plain text of each screen, and the prompt line that says exactly what to type.

The texts after an answer (feedback, what happened, the timeline, the glossary, the path
review, the score, how the cohort answered) are the app's own, from `trainer.texts`,
taken as plain text: the words are composed once, for both. What only plain mode needs
(prompts, its help) is here; a decision's choice, with its numbered options, is in
`choice_texts`, and the case file in `case_texts`. Headings are plain lines; a list is
numbered or marked in words, never by colour or layout alone.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from trainer.debrief_markdown import percent
from trainer.engine import (
    Deciding,
    Module,
    PlayThrough,
    Stage,
    Step,
)
from trainer.review.words import CONFIDENCE_WORDS
from trainer.texts.feedback import review_text, score_text

if TYPE_CHECKING:
    from rich.text import Text


QUIT = "q saves and quits"
PREVIEW_QUIT = "q quits, saving nothing"
CASE_FILE = "c for the case file"


def others_hint(case_file: bool, preview: bool) -> str:
    """The keys a prompt names besides its own answers: help, the case file where there is
    one, and quitting."""
    parts = ["h for help", *([CASE_FILE] if case_file else []), PREVIEW_QUIT if preview else QUIT]
    return "; ".join(parts)


def plain(text: Text) -> str:
    """A Rich text of the app's as plain text: its characters, without its styles."""
    return text.plain.rstrip("\n")


_BAR = re.compile(r"\s*[█·]{2,}\s*")
"""A share drawn as a bar (`████········`): said in figures beside it, and noise to a
screen reader."""


def without_bars(text: str) -> str:
    """Text with the bars drawn from block characters taken out (the figures stay)."""
    return _BAR.sub("  ", text)


def numbers_hint(count: int) -> str:
    """ "1 to 4", as a prompt names the numbers that exist."""
    return f"1 to {count}" if count > 1 else "1"


def stage_heading(module: Module, stage: Stage, preview: bool) -> str:
    """ "Stage 3 of 10, early April 2007", then the title, as two plain lines."""
    place = f"Stage {module.stage_number(stage.id)} of {len(module.stages)}"
    if stage.shown_date:
        place += f", {stage.shown_date}"
    if preview:
        place += ". PREVIEW: nothing is saved"
    return f"{place}\n{stage.title}"


def stage_text(module: Module, stage: Stage, preview: bool) -> str:
    """A stage: where it sits in the case, its narrative, and the documents it holds."""
    out = [stage_heading(module, stage, preview), "", stage.narrative]
    if stage.evidence:
        out += ["", "Documents at this stage:"]
        out += [f"{n}. {item.title}" for n, item in enumerate(stage.evidence, start=1)]
    return "\n".join(out)


def stage_prompt(stage: Stage, decisions_left: int, others: str) -> str:
    """What to type after a stage's text."""
    if decisions_left == 1:
        go_on = "Press Enter to go on to the decision"
    elif decisions_left:
        go_on = f"Press Enter to go on to the {decisions_left} decisions"
    else:
        go_on = "Press Enter to go on"
    if stage.evidence:
        count = len(stage.evidence)
        go_on += f", or type {numbers_hint(count)} to read a document"
    return f"{go_on} ({others})."


def document_text(stage: Stage, index: int) -> str:
    """One of a stage's documents, in full."""
    item = stage.evidence[index]
    return f"Document {index + 1} of {len(stage.evidence)}: {item.title}\n\n{item.text}"


def answer_so_far(deciding: Deciding, with_confidence: bool) -> str:
    """The answer being given, as the steps after the choice show it until it is confirmed:
    each option by its number as shown."""
    decision, draft = deciding.decision, deciding.draft
    out = ["Your answer to: " + decision.prompt]
    if decision.kind == "text":
        out.append((draft.text or "").strip())
    numbers = {o.id: n for n, o in enumerate(deciding.options, start=1)}
    by_id = {o.id: o for o in decision.options}
    for place, option_id in enumerate(draft.choice, start=1):
        mark = f"{place}. ({numbers[option_id]})" if decision.kind == "rank" else (
            f"{numbers[option_id]}."
        )
        out.append(f"{mark} {by_id[option_id].text}")
    if with_confidence and draft.confidence is not None:
        words = CONFIDENCE_WORDS[draft.confidence]
        out.append(f"How sure: {draft.confidence} of 5 ({words})")
    return "\n".join(out)


def step_text(deciding: Deciding) -> str:
    """A step after the choice: the answer so far, then what the step asks."""
    decision = deciding.decision
    if deciding.step is Step.CONFIDENCE:
        levels = [f"{n}. {words.capitalize()}" for n, words in CONFIDENCE_WORDS.items()]
        return "\n".join(
            [answer_so_far(deciding, False), "", "How sure are you of this answer?",
             *levels]
        )
    if deciding.step is Step.REASON:
        lines = [answer_so_far(deciding, True), "", decision.reason_prompt or "Why?"]
        if deciding.draft.reason:
            lines.append(f"Your reason so far, kept from before: {deciding.draft.reason}")
        return "\n".join(lines)
    assert deciding.step is Step.TICK
    lines = [
        answer_so_far(deciding, True),
        "",
        "What the review weighed",
        "Which of these points did your answer cover? Those marked suggested come from words "
        "in your answer: check them, since words can mislead.",
    ]
    for number, concept in enumerate(decision.rubric, start=1):
        mark = " (suggested)" if concept.id in deciding.suggested else ""
        lines.append(f"{number}. {concept.label}{mark}")
    return "\n".join(lines)


def step_prompt(deciding: Deciding, others: str) -> str:
    """What to type at a step after the choice."""
    back = "b goes back one step"
    if deciding.step is Step.CONFIDENCE:
        what = "Type a number from 1 to 5, 1 not at all sure and 5 very sure, then Enter"
    elif deciding.step is Step.REASON:
        what = "Type your reason on one line, then Enter"
        if deciding.draft.reason:
            what += "; or press Enter on an empty line to give the one kept from before"
        back = "a line of just b goes back one step"
    else:
        count = len(deciding.decision.rubric)
        what = (
            f"Type the numbers of the points your answer covered, {numbers_hint(count)}, "
            "separated by spaces, or none if it covered none of them, then Enter"
        )
    return f"{what} ({back}; {others})."


def page_prompt(others: str, peers: bool = False) -> str:
    """What to type after feedback or what happened."""
    more = "p shows how your cohort answered; " if peers else ""
    return f"Press Enter to continue ({more}{others})."


HELP = "\n".join(
    [
        "Help: plain mode",
        "",
        "Each screen is printed once, then one line says what to type. Type your answer and "
        "press Enter. These work wherever you are asked something:",
        "",
        "h or ?  this help",
        "g       the glossary",
        "t       the timeline of the case so far",
        "c       the case file, where the module has one: its chronology (by agency too), "
        "the people and how they are related, and the documents",
        "q       save and quit (end of input does the same)",
        "",
        "At a decision, after you choose, your choice is read back to you: y confirms it and "
        "b takes it back. At the steps after the choice (how sure you are, your reason, the "
        "points your answer covered), b goes back one step; at the choice, b goes back to the "
        "stage. Several options, ticked points and an order are typed as numbers on one "
        "line, separated by spaces or commas, such as 3 1 2. Where you type text, a line "
        "holding just one of these letters does what it says here.",
        "",
        "Your answer is saved when you confirm its last step, and only then do you see how "
        "it compares with the review. Quitting keeps every confirmed answer, and you come "
        "back to where you left off, here or in the full-screen app. Text you have typed and "
        "not yet confirmed (a written answer, a reason) is kept as a draft, and is there "
        "again when you come back to it; a choice not yet confirmed is not kept, so you "
        "choose again.",
    ]
)
"""Plain mode's help: a paragraph to a line, wrapped to the terminal when printed."""

PREVIEW_HELP = "This is the facilitator preview: nothing is saved, and q quits."


def help_text(module: Module | None, preview: bool) -> str:
    """Plain mode's keys, what is kept, and the module's support text."""
    out = [HELP]
    if preview:
        out += ["", PREVIEW_HELP]
    if module is not None and module.support:
        out += ["", "Support", module.support]
    return "\n".join(out)


def debrief_text(pt: PlayThrough, attempt: int, preview: bool) -> str:
    """The debrief, as the app's debrief screen shows it: the score, each decision, the
    module's words looking back, and the questions to reflect on."""
    module = pt.module
    title = f"Debrief: {module.title}, attempt {attempt}"
    if preview:
        title += ". PREVIEW: nothing is saved"
    out = [title, "", plain(score_text(pt)), "", "Each decision", "", plain(review_text(pt, False))]
    if module.debrief.text:
        out += ["", "Looking back", module.debrief.text]
    if module.debrief.prompts:
        out += ["", "To reflect on"]
        out += [f"{n}. {prompt}" for n, prompt in enumerate(module.debrief.prompts, start=1)]
    return "\n".join(out)


def debrief_prompt(preview: bool) -> str:
    """What to type on the debrief."""
    if preview:
        return "Type r to review every answer in detail, n to start again, or q to quit."
    return (
        "Type r to review every answer in detail, m to save this debrief as a Markdown file, "
        "n to start a new attempt, or q to quit."
    )


def new_attempt_question(attempt: int, pt: PlayThrough, preview: bool) -> str:
    """What a new attempt does to this one, asked before it starts."""
    if preview:
        return (
            "Start the preview again from the beginning? The preview saves nothing: the "
            "answers given in this play-through are gone once it starts again. Type y to "
            "start again, or n to stay on this debrief."
        )
    new = attempt + 1
    score = f" (score {percent(pt.module_score)})" if pt.module_score is not None else ""
    return (
        f"Start attempt {new}? Your finished attempt {attempt}{score} and its answers are kept "
        f"in your save. Your facilitator's progress and report go on counting it until "
        f"attempt {new} is finished. Attempt {new} starts from the beginning of the module. "
        "This debrief does not open again: to keep a copy, type n, then m to save it as "
        f"Markdown. Type y to start attempt {new}, or n to keep the debrief."
    )


def warning_text(module: Module) -> str:
    """The content warning, with the module's support text."""
    out = ["Before you start", "", module.content_warning or ""]
    if module.support:
        out += ["", "Support", module.support]
    return "\n".join(out)


def intro_text(module: Module) -> str:
    """The module's title, summary, objectives and note on hindsight."""
    out = ["About this module", "", module.title, "", module.summary]
    if module.objectives:
        out += ["", "By the end you should be able to:"]
        out += [f"- {objective}" for objective in module.objectives]
    if module.hindsight_note:
        out += ["", "Deciding without hindsight", module.hindsight_note]
    return "\n".join(out)

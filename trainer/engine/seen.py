"""What a trainee has been shown so far on a play-through, for the players to present.

Three rules, each a pure function of the play-through (nothing here is saved: it all
follows from the answers, as the path does):

- `skipped_before`: the stages a branch took the case past just before a stage, so a
  header can say why "Stage 3 of 4" follows stage 1, without naming what was passed.
- `findings_shown_before` and `findings_shown_with`: the findings already quoted with
  earlier answers and outcomes, so that feedback and outcomes refer to them rather than
  quote them again.
- `glossary_seen`: the glossary terms that occur in what the trainee has been shown,
  so the glossary never explains a point the case has not yet reached.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from trainer.engine.answer import Answer
from trainer.engine.model import Decision, GlossaryEntry, Module, Stage
from trainer.engine.playthrough import PlayThrough


def skipped_before(pt: PlayThrough, stage: Stage) -> tuple[int, ...]:
    """The numbers (places in the file, 1-based) of the stages the path went past just
    before `stage`: those between the stage before it on the path and it.

    Empty for a stage the path has not reached, or reached without passing any.
    """
    path = pt.path
    ids = [s.id for s in path]
    if stage.id not in ids:
        return ()
    index = ids.index(stage.id)
    module = pt.module
    before = module.stage_number(path[index - 1].id) if index else 0
    return tuple(range(before + 1, module.stage_number(stage.id)))


def _answered_before(pt: PlayThrough, stage: Stage, decision_id: str | None) -> Iterator[str]:
    """Ids of the findings shown with the answers on the path before this point: every
    decision of the stages before `stage`, and this stage's decisions before `decision_id`."""
    for reached in pt.path:
        for decision in reached.decisions:
            if reached.id == stage.id and (decision_id is None or decision.id == decision_id):
                return
            answer = pt.answer_for(decision.id)
            if answer is not None:
                yield from answer.findings
        if reached.id == stage.id:
            return


def findings_shown_before(
    pt: PlayThrough, stage: Stage, decision_id: str | None = None
) -> frozenset[str]:
    """The findings the trainee has already been shown, quoted, before this point: with
    earlier answers on the path (see `_answered_before`) and in the outcomes of the stages
    before `stage`.

    With `decision_id`, before that decision's feedback; without, before the stage's
    outcome, leaving out what this stage's own answers showed (`findings_shown_with`).
    """
    shown = set(_answered_before(pt, stage, decision_id))
    for reached in pt.path:
        if reached.id == stage.id:
            break
        shown.update(reached.outcome_findings)
    return frozenset(shown)


def findings_shown_with(pt: PlayThrough, stage: Stage) -> frozenset[str]:
    """The findings shown with the answers to this stage's decisions."""
    return frozenset(
        finding
        for decision in stage.decisions
        if (answer := pt.answer_for(decision.id)) is not None
        for finding in answer.findings
    )


def _shown_texts(pt: PlayThrough) -> Iterator[str]:
    """Every text the trainee has been shown so far: the module's opening notices, and on
    each stage reached its narrative, documents and decisions; with each answer, its
    feedback and findings; after each stage passed, its outcome and findings."""
    module = pt.module
    yield from (module.title, module.summary, *module.objectives)
    yield from (t for t in (module.content_warning, module.hindsight_note) if t)
    current = pt.current_stage
    for stage in pt.path:
        yield from _stage_texts(stage)
        finding_ids: list[str] = []
        for decision in stage.decisions:
            yield from _decision_texts(decision)
            answer = pt.answer_for(decision.id)
            if answer is not None:
                yield from _feedback_texts(decision, answer)
                finding_ids += answer.findings
        if current is None or stage.id != current.id:
            yield from (stage.outcome,) if stage.outcome else ()
            finding_ids += stage.outcome_findings
        yield from _finding_texts(module, finding_ids)


def _stage_texts(stage: Stage) -> Iterator[str]:
    """A stage's title, narrative and documents."""
    yield stage.title
    yield stage.narrative
    for evidence in stage.evidence:
        yield evidence.title
        yield evidence.text


def _decision_texts(decision: Decision) -> Iterator[str]:
    """What a decision asks: its prompt, its options and its reason's prompt."""
    yield decision.prompt
    yield from (option.text for option in decision.options)
    if decision.reason_prompt:
        yield decision.reason_prompt


def _feedback_texts(decision: Decision, answer: Answer) -> Iterator[str]:
    """The feedback on an answer: the rubric's concepts, and the reasons for the options
    chosen, for each aligned option left out, and for every place of a rank."""
    yield from (concept.label for concept in decision.rubric)
    for option in decision.options:
        left_out = decision.kind == "multiple" and option.verdict == "aligned"
        shown = decision.kind == "rank" or option.id in answer.choice or left_out
        if shown and option.feedback:
            yield option.feedback


def _finding_texts(module: Module, finding_ids: Iterable[str]) -> Iterator[str]:
    """The findings' texts and quotations."""
    for finding_id in finding_ids:
        finding = module.finding(finding_id)
        if finding is not None:
            yield finding.text
            if finding.quote:
                yield finding.quote


def glossary_seen(pt: PlayThrough) -> tuple[GlossaryEntry, ...]:
    """The glossary entries whose term occurs in what the trainee has been shown so far
    (`_shown_texts`), matched as the validator's W405 matches a term: its words, in order,
    on word boundaries. Once the module is finished, every entry: the debrief looks back on
    the whole case.

    A term is explained only once the case has used it: the definition of a point the case
    reaches later (a legal test, a later hearing) can give that stage's answer away.
    """
    entries = pt.module.glossary
    if pt.finished:
        return entries
    # Imported when first needed, as the scoring is.
    from trainer.engine.phrases import phrases_found
    from trainer.engine.scoring import normalise

    # Every term looked for in one pass over the words shown: a search of the text for each
    # term would take the product of the two (minutes, for a 20,000-term glossary).
    words = normalise("\n".join(_shown_texts(pt)))
    found = phrases_found([entry.term for entry in entries], words)
    return tuple(entry for entry, shown in zip(entries, found, strict=True) if shown)

"""xAPI 1.0.3 statements built from saves alone.

Each statement is built only from what the save recorded (its times, not
"now"), with a UUIDv5 id over learner, module, attempt and decision, so
building it again gives the same bytes and sending it twice stores it once.
"""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from typing import Any

from trainer.cohort.records import Options, Record, ticks_decided
from trainer.engine import Answer
from trainer.engine.opened import OpenedItem
from trainer.saves import Attempt

NAMESPACE = uuid.UUID("5b1f7f0e-3c1a-4d8e-9a57-2f0c6b1d7e42")
"""Fixed for the project: statement ids depend only on what they describe."""
ADL = "http://adlnet.gov/expapi"
VERBS = {
    "initialized": f"{ADL}/verbs/initialized",
    "answered": f"{ADL}/verbs/answered",
    "completed": f"{ADL}/verbs/completed",
    "viewed": "http://id.tincanapi.com/verb/viewed",
}
DOCUMENT = "http://id.tincanapi.com/activitytype/document"
"""The activity type of a case-file document (an agency's, or a stage's own)."""
INTERACTION = f"{ADL}/activities/cmi.interaction"
SIMULATION = f"{ADL}/activities/simulation"
COURSE = f"{ADL}/activities/course"
LANGUAGE = "en-GB"


def statement_id(learner: str, module: str, registration: str, what: str) -> str:
    """The UUIDv5 of a statement: the same inputs always give the same id."""
    return uuid5("\n".join([learner, module, registration, what]))


_NAMESPACE_BYTES = NAMESPACE.bytes


def uuid5(name: str) -> str:
    """`str(uuid.uuid5(NAMESPACE, name))`, without making a UUID object on the way (a cohort's
    push names tens of thousands of statements)."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # the variant of RFC 4122
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


@functools.lru_cache(maxsize=64)
def _cohort_key(cohort: str) -> str:
    return uuid5(cohort)


def _base(options: Options) -> str:
    return options.homepage.rstrip("/")


def _module_activity(record: Record, options: Options) -> dict[str, Any]:
    module = record.save.module
    return {
        "objectType": "Activity",
        "id": f"{_base(options)}/xapi/modules/{module.id}",
        "definition": {"type": SIMULATION, "name": {LANGUAGE: module.title}},
    }


def _context(record: Record, attempt: Attempt, options: Options) -> dict[str, Any]:
    activities: dict[str, Any] = {"parent": [_module_activity(record, options)]}
    if record.cohort:
        activities["grouping"] = [
            {
                "objectType": "Activity",
                "id": f"{_base(options)}/xapi/cohorts/{_cohort_key(record.cohort)}",
                "definition": {"type": COURSE, "name": {LANGUAGE: record.cohort}},
            }
        ]
    return {"registration": attempt.registration, "contextActivities": activities}


def _actor(record: Record, options: Options) -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "account": {"homePage": options.homepage, "name": record.learner_id},
    }


def _verb(name: str) -> dict[str, Any]:
    return {"id": VERBS[name], "display": {"en-US": name}}


def _decision_activity(record: Record, answer: Answer, options: Options) -> dict[str, Any]:
    module = record.save.module
    definition: dict[str, Any] = {
        "type": INTERACTION,
        "name": {LANGUAGE: answer.prompt},
    }
    if answer.kind == "text":
        definition["interactionType"] = "long-fill-in"
    elif answer.kind == "rank":
        # Put in order: the choices are the options, the correct response the panel's order.
        definition["interactionType"] = "sequencing"
        definition["choices"] = [
            {"id": option_id, "description": {LANGUAGE: text}}
            for option_id, text, _ in answer.options
        ]
        if answer.panel_order:
            definition["correctResponsesPattern"] = ["[,]".join(answer.panel_order)]
    else:
        definition["interactionType"] = "choice"
        definition["choices"] = [
            {"id": option_id, "description": {LANGUAGE: text}}
            for option_id, text, _ in answer.options
        ]
        aligned = [option_id for option_id, _, verdict in answer.options if verdict == "aligned"]
        if aligned:
            # A single choice is right with any one aligned option; a multiple one with all.
            patterns = aligned if answer.kind == "single" else ["[,]".join(aligned)]
            definition["correctResponsesPattern"] = patterns
    return {
        "objectType": "Activity",
        "id": f"{_base(options)}/xapi/modules/{module.id}/decisions/{answer.decision_id}",
        "definition": definition,
    }


def duration(seconds: float) -> str:
    """Seconds as an ISO 8601 duration to a tenth, one spelling for one value (`PT42S`,
    `PT42.5S`): an LRS refuses a resent statement whose bytes differ."""
    return "PT" + f"{seconds:.1f}".removesuffix(".0") + "S"


def _item_activity(record: Record, item: OpenedItem, options: Options) -> dict[str, Any]:
    """A case-file item as an Activity: named as it was listed when opened."""
    base = _base(options)
    module = record.save.module.id
    kinds = {
        "document": DOCUMENT,
        "evidence": DOCUMENT,
        "chronology": f"{base}/xapi/activities/chronology-entry",
        "person": f"{base}/xapi/activities/person",
    }
    definition: dict[str, Any] = {"type": kinds[item.kind]}
    if item.title:
        definition["name"] = {LANGUAGE: item.title}
    return {
        "objectType": "Activity",
        "id": f"{base}/xapi/modules/{module}/case-file/{item.kind}/{item.id}",
        "definition": definition,
    }


def _viewed(
    record: Record, attempt: Attempt, item: OpenedItem, options: Options, context: dict[str, Any]
) -> dict[str, Any]:
    """The statement that the trainee first opened a case-file item, at the time the save
    recorded; the stage they were at and whether the module marks it key, as extensions."""
    base = _base(options)
    extensions: dict[str, Any] = {f"{base}/xapi/extensions/stage": item.stage}
    if item.key:
        extensions[f"{base}/xapi/extensions/key"] = True
    return {
        "id": statement_id(
            record.learner_id, record.save.module.id, attempt.registration, f"viewed {item.ref}"
        ),
        "actor": _actor(record, options),
        "verb": _verb("viewed"),
        "object": _item_activity(record, item, options),
        "context": {**context, "extensions": extensions},
        "timestamp": item.at,
    }


def _result(answer: Answer, options: Options) -> dict[str, Any]:
    """What was answered and, where it was judged, its score and verdict.

    A not-judged answer (a written question with nothing to compare it with, or a
    poll) has no `score` and no verdict extension: it was recorded, not marked.
    A rank answer's response is the trainee's order. Format 2's extensions appear
    only where they apply, so a format 1 answer's statement keeps its bytes.
    """
    result: dict[str, Any] = {}
    if answer.judged and answer.score is not None:
        result["score"] = {"scaled": round(answer.score, 4)}
    if answer.kind == "text":
        if not options.no_text and answer.text is not None:
            result["response"] = answer.text
    else:
        result["response"] = "[,]".join(answer.choice)
    if answer.seconds is not None:  # absent in saves from before it was kept
        result["duration"] = duration(answer.seconds)
    result["extensions"] = _result_extensions(answer, options)
    return result


def _result_extensions(answer: Answer, options: Options) -> dict[str, Any]:
    """The result's extensions: the verdict where judged, whether scored, and the
    confidence, reflection, concepts and choice of what happened where the answer has them."""
    base = _base(options)
    extensions: dict[str, Any] = {}
    if answer.judged:
        extensions[f"{base}/xapi/extensions/verdict"] = answer.verdict
    extensions[f"{base}/xapi/extensions/scored"] = answer.scored
    if answer.confidence is not None:
        extensions[f"{base}/xapi/extensions/confidence"] = answer.confidence
    if answer.reason and not options.no_text:
        extensions[f"{base}/xapi/extensions/reflection"] = answer.reason
    if ticks_decided(answer):
        # The concepts the trainee ticked as covered, beside those the phrases suggested.
        extensions[f"{base}/xapi/extensions/concepts-claimed"] = list(answer.concepts_claimed)
        extensions[f"{base}/xapi/extensions/concepts-suggested"] = list(answer.concepts_matched)
    if answer.chose_what_happened is not None:
        extensions[f"{base}/xapi/extensions/chose-what-happened"] = answer.chose_what_happened
    return extensions


def attempt_statements(record: Record, attempt: Attempt, options: Options) -> list[dict[str, Any]]:
    """initialized, one answered per decision (each after a viewed for every case-file item
    first opened before it), and completed if the attempt finished.

    The statements of one attempt share their actor, context, module activity and verb: the
    same objects, built once."""
    learner = record.learner_id
    module = record.save.module.id
    registration = attempt.registration
    actor = _actor(record, options)
    context = _context(record, attempt, options)
    activity = _module_activity(record, options)
    answered_verb = _verb("answered")
    out = [
        {
            "id": statement_id(learner, module, registration, "initialized"),
            "actor": actor,
            "verb": _verb("initialized"),
            "object": activity,
            "context": context,
            "timestamp": attempt.started_at,
        }
    ]
    opened = sorted(attempt.opened, key=lambda item: item.answers_so_far)  # a stable sort

    def viewed(before: int) -> list[dict[str, Any]]:
        """Items first opened after the answers so far and before the next one."""
        return [
            _viewed(record, attempt, item, options, context)
            for item in opened
            if (item.answers_so_far == before) or (before == last and item.answers_so_far > last)
        ]

    last = len(attempt.answers)
    for index, answer in enumerate(attempt.answers):
        out += viewed(index)
        answered: dict[str, Any] = {
            "id": statement_id(learner, module, registration, f"answered {answer.decision_id}"),
            "actor": actor,
            "verb": answered_verb,
            "object": _decision_activity(record, answer, options),
            "result": _result(answer, options),
            "context": context,
        }
        if answer.answered_at:  # a save may lack it; an empty timestamp is not a time
            answered["timestamp"] = answer.answered_at
        out.append(answered)
    out += viewed(last)
    if attempt.finished_at is not None:
        result: dict[str, Any] = {"completion": True}
        if attempt.score is not None:
            result["score"] = {"scaled": round(attempt.score, 4)}
        out.append(
            {
                "id": statement_id(learner, module, registration, "completed"),
                "actor": actor,
                "verb": _verb("completed"),
                "object": activity,
                "result": result,
                "context": context,
                "timestamp": attempt.finished_at,
            }
        )
    return out


def statements(records: list[Record], options: Options) -> list[dict[str, Any]]:
    """Every statement for the records, in learner, module, attempt and answer order."""
    return [statement for record in records for statement in record_statements(record, options)]


def record_statements(record: Record, options: Options) -> list[dict[str, Any]]:
    """A record's statements, attempt by attempt."""
    return [
        statement
        for attempt in record.attempts
        for statement in attempt_statements(record, attempt, options)
    ]


def statement_bytes(statement: dict[str, Any]) -> str:
    """The one serialisation sent and kept in the outbox: sorted keys, no spaces."""
    return json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

"""Statements read back from an LRS after it answered 204 No Content: what proves it holds them."""

from __future__ import annotations

import json
from collections.abc import Callable

from trainer.cohort.lrs_client import Answer, LRSClient, LRSFault, with_retries

MAX_PAGES = 20  # of one registration's statements read back: an attempt has a few dozen

Batch = list[tuple[str, str]]
"""Statements sent together: (id, line) in queue order."""


class ReadBack:
    """Asks the LRS for statements it said it holds, to count only those it gives back.

    A 204 comes only for statements already stored: after a push stopped between the LRS
    storing a batch and the sent file recording it, or from an outbox that was lost or
    is another account's (then for a whole cohort). So each attempt's statements are
    asked for together first, by the registration they all carry, and any not given
    back that way one by one, by id, which every LRS answers. (Asking by attempt is
    several times faster on a lost outbox: docs/performance.md, "Push".)"""

    def __init__(self, client: LRSClient, sleep: Callable[[float], None]) -> None:
        self.client = client
        self.sleep = sleep

    def confirm(self, batch: Batch) -> tuple[set[str], str | None]:
        """The ids of the batch the LRS gives back, and, at the first it does not give back,
        the line that says so (the rest are then not asked for); None when all are."""
        count = f"{len(batch)} statement{'s' if len(batch) != 1 else ''}"
        confirmed = self.by_attempt(batch)
        for statement_id, _line in batch:
            if statement_id in confirmed:
                continue
            why = self.by_id(statement_id)
            if why is not None:
                left = len(batch) - len(confirmed)
                return confirmed, (
                    f"the LRS answered 204 No Content to {count}, which would mean it already "
                    f"holds them, but statement {statement_id} could not be read back from it "
                    f"({why}): {'those' if left == len(batch) else f'{left} of them'} are not "
                    "counted as stored"
                )
            confirmed.add(statement_id)
        return confirmed, None

    def by_attempt(self, batch: Batch) -> set[str]:
        """The ids of the batch the LRS gives back when asked for each registration's
        statements (`GET statements?registration=`, its pages followed). At the first
        registration that gives back none of its statements (an LRS that does not filter
        so, or does not hold them), or any fault, this stops: `by_id` asks for the rest
        by id, and names what went wrong."""
        wanted: dict[str, set[str]] = {}
        for statement_id, line in batch:
            registration = registration_of(line)
            if registration is not None:
                wanted.setdefault(registration, set()).add(statement_id)
        found: set[str] = set()
        for registration, ids in wanted.items():
            held = self.registration_ids(registration, ids)
            if not held & ids:
                break
            found |= held & ids
        return found

    def registration_ids(self, registration: str, ids: set[str]) -> set[str]:
        """The ids the LRS lists for one registration, page by page until all of `ids` are
        seen or MAX_PAGES are read; nothing on any fault or unexpected answer."""
        held: set[str] = set()
        try:
            answer: Answer | None = self.client.get_statements(registration=registration)
            for _ in range(MAX_PAGES):
                if answer is None or answer.status != 200:
                    break
                listed, more = statement_result(answer)
                held |= listed
                if not more or ids <= held:
                    break
                answer = self.client.get_more(more)
        except LRSFault:
            pass
        return held

    def by_id(self, statement_id: str) -> str | None:
        """None if the LRS gives back the statement with this id, else what happened
        instead, to be shown in brackets."""
        try:
            answer = with_retries(
                lambda: self.client.get_statements(statementId=statement_id), self.sleep
            )
        except LRSFault as fault:
            return f"no answer: {fault}"
        status = answer.status
        if status == 200:
            if holds(answer, statement_id):
                return None
            return "it answered 200 without that statement"
        if status in (401, 403):
            return (
                f"it answered {status}: credentials that may read statements let push "
                "confirm them"
            )
        return f"it answered {status}"


def registration_of(line: str) -> str | None:
    """The registration a queued statement carries, if any."""
    try:
        value = json.loads(line)["context"]["registration"]
    except (ValueError, KeyError, TypeError):
        return None
    return value if isinstance(value, str) and value else None


def statement_result(answer: Answer) -> tuple[set[str], str]:
    """The ids a StatementResult lists, and its `more` (empty at the last page)."""
    try:
        value = json.loads(answer.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return set(), ""
    if not isinstance(value, dict) or not isinstance(value.get("statements"), list):
        return set(), ""
    ids = {
        item["id"]
        for item in value["statements"]
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    }
    more = value.get("more")
    return ids, more if isinstance(more, str) else ""


def holds(answer: Answer, statement_id: str) -> bool:
    """Whether a 200 to `GET statements?statementId=` holds that statement: the statement
    itself, as xAPI has it, or a list of statements holding it (Ralph's StatementResult)."""
    try:
        value = json.loads(answer.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return False
    if isinstance(value, dict) and isinstance(value.get("statements"), list):
        candidates = value["statements"]
    else:
        candidates = [value]
    return any(isinstance(item, dict) and item.get("id") == statement_id for item in candidates)

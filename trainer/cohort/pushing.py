"""Send statements to a Learning Record Store in batches, keeping what is not yet accepted in
the outbox (`trainer.cohort.outbox`).

The queue is written before anything is sent; each accepted batch then appends
its ids to the sent file (one fsync a batch, never a rewrite of the queue), and the
queue is rewritten once at the end with what is left. A push stopped at any moment
loses nothing and repeats nothing: what the queue holds and the sent file does not
is what is still to send, byte for byte as it was queued.

Batches hold up to 500 statements (`--batch-size`): an LRS that keeps statements
in one file, as Ralph's file backend does, reads all it holds at each POST, so the
number of requests counts far more than their size. An LRS that answers 413 has
the batch split, and later batches kept to the size of the halves.

A batch counts as accepted only when the answer proves it: a 200 whose body is
the JSON list of the ids sent, or a 204 (the LRS holds them all already) once each
statement is read back from the LRS, by its attempt's registration or by its id (see
`trainer.cohort.lrs_readback`). Anything else (a redirect, a captive portal's page, a
cut or non-JSON body, a server that is not HTTP, one that trickles its answer) leaves
the batch queued and stops the push with one plain line. A statement refused as
invalid (400) or conflicting (409) is found by halving the batch, set aside in the
refused file, and the rest go on.

The HTTP side is `trainer.cohort.lrs_client`: one client per push, one kept-alive
connection, redirects never followed, a deadline on the whole of each request.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from trainer.cohort.lrs_client import (
    Answer,
    LRSClient,
    LRSFault,
    answer_detail,
    listed_ids,
    with_retries,
)
from trainer.cohort.lrs_endpoint import Endpoint, Timeouts, shown_url
from trainer.cohort.lrs_readback import Batch, ReadBack
from trainer.cohort.outbox import Outbox
from trainer.cohort.xapi import statement_bytes
from trainer.errors import TrainerError

BATCH_SIZE = 500


@dataclass
class PushResult:
    """What a push did, for the summary line; `notes` are lines to show beside it (damaged
    outbox lines set aside)."""

    sent: int = 0
    already: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)
    queued: int = 0
    stopped: str | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        line = (
            f"sent {self.sent}, already stored {self.already}, refused {len(self.refused)}, "
            f"queued {self.queued} for next time"
        )
        return line


def _pause(seconds: float) -> None:
    """Wait before trying again (tests replace it)."""
    time.sleep(seconds)


def push(
    statements: Iterable[dict[str, Any]],
    endpoint: Endpoint,
    outbox_folder: Path,
    batch_size: int = BATCH_SIZE,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] | None = None,
    progress: Callable[[int], None] | None = None,
    timeouts: Timeouts | None = None,
    started: Callable[[int], None] | None = None,
) -> PushResult:
    """Queue the statements, then send the queue in batches; see the module docstring.

    `statements` is read once, each encoded as it comes (`push_lines` takes statements
    already encoded). Once the queue is written, `started` is told how many statements are
    to be sent (those of earlier pushes still queued included, those this LRS already holds
    left out), which is the total `progress` then counts up to, one batch at a time.

    `transport` replaces the network (httpx.MockTransport in tests)."""
    lines = ((statement["id"], statement_bytes(statement)) for statement in statements)
    return push_lines(
        lines, endpoint, outbox_folder, batch_size, transport, sleep, progress, timeouts, started
    )


def push_lines(
    lines: Iterable[tuple[str, str]],
    endpoint: Endpoint,
    outbox_folder: Path,
    batch_size: int = BATCH_SIZE,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] | None = None,
    progress: Callable[[int], None] | None = None,
    timeouts: Timeouts | None = None,
    started: Callable[[int], None] | None = None,
) -> PushResult:
    """`push` for statements already encoded by `xapi.statement_bytes`, each with its id:
    a cohort's statements can then be built and encoded one save at a time, and no
    statement object outlives its save."""
    if batch_size < 1:
        raise TrainerError("--batch-size must be at least 1")
    outbox = Outbox(outbox_folder, endpoint)
    result = PushResult()
    queue, trusted = _queue(outbox, lines, result)
    written = len(queue)
    if started is not None:
        started(written)
    client = LRSClient(endpoint, timeouts, transport)
    pusher = _Pusher(client, outbox, queue, result, sleep or _pause)
    try:
        for sent in pusher.send_all(list(queue.items()), batch_size, trusted):
            if progress is not None:
                progress(sent)
    finally:
        client.close()
    pusher.settle_invalid(trusted=trusted or bool(result.sent))
    result.queued = len(queue)
    if len(queue) != written:
        outbox.write_queue(queue)  # what is left; until now the sent file said what went
    return result


def _queue(
    outbox: Outbox, lines: Iterable[tuple[str, str]], result: PushResult
) -> tuple[dict[str, str], bool]:
    """The queue, written: what the outbox still held, then each new statement this LRS has
    not accepted before (counted in `result.already` if it has); and whether this LRS has
    stored any statement from this outbox before."""
    outbox.remove_leftovers()
    sent_before = outbox.sent()
    queue = outbox.queued(sent_before)
    outbox.set_aside_damaged()  # before the queue is written again without them
    result.notes = outbox.notes
    for statement_id, line in lines:
        if statement_id in sent_before:
            result.already += 1
        else:
            queue[statement_id] = line
    outbox.write_queue(queue)
    return queue, bool(sent_before)


class _Pusher:
    """Sends batches for one push, and keeps the outbox and the result up to date."""

    def __init__(
        self,
        client: LRSClient,
        outbox: Outbox,
        queue: dict[str, str],
        result: PushResult,
        sleep: Callable[[float], None],
    ) -> None:
        self.client = client
        self.outbox = outbox
        self.queue = queue
        self.result = result
        self.sleep = sleep
        self.reading = ReadBack(client, sleep)
        self.invalid: list[tuple[str, str]] = []  # (line, reason): 400s alone, not yet set aside
        self.fits = math.inf  # characters a body may hold, learnt from a 413 (see `refused`)

    def send_all(self, pending: Batch, batch_size: int, trusted: bool) -> Iterator[int]:
        """Send the pending statements batch by batch until done or stopped, giving the size
        of each batch once it is dealt with."""
        start = 0
        while start < len(pending) and self.result.stopped is None:
            batch = self.take(pending, start, batch_size)
            start += len(batch)
            self.send(batch)
            yield len(batch)
            if self.invalid and not (trusted or self.result.sent):
                return  # a whole batch refused, and this LRS has stored nothing: see below

    def take(self, pending: Batch, start: int, batch_size: int) -> Batch:
        """The next batch: up to `batch_size` statements from `start`, and no more than a body
        the LRS has shown it takes (always at least one statement)."""
        end = min(start + batch_size, len(pending))
        if math.isinf(self.fits):
            return pending[start:end]
        size = 1
        for n in range(start, end):
            size += len(pending[n][1]) + 1
            if size > self.fits and n > start:
                return pending[start:n]
        return pending[start:end]

    def stop(self, why: str) -> None:
        self.result.stopped = why

    def stored(self, ids: list[str]) -> None:
        for statement_id in ids:
            self.queue.pop(statement_id, None)
        self.outbox.add_sent(ids)
        self.result.sent += len(ids)

    def refuse(self, entries: list[tuple[str, int, str]]) -> None:
        for line, _status, why in entries:
            statement_id = json.loads(line)["id"]
            self.result.refused.append((statement_id, why))
            self.queue.pop(statement_id, None)
        self.outbox.add_refused(entries)

    def settle_invalid(self, trusted: bool) -> None:
        """Set aside the statements refused alone as invalid, once this LRS is known to store
        statements (it has stored some from this outbox, before or now). An LRS that refuses
        every statement and has never stored one is more likely the wrong URL or wrongly set
        up than given bad statements: then nothing is set aside and everything stays queued."""
        if not self.invalid:
            return
        if trusted:
            self.refuse([(line, 400, why) for line, why in self.invalid])
        elif self.result.stopped is None:
            count = len(self.invalid)
            self.stop(
                f"the LRS refused each of the {count} statement{'s' if count != 1 else ''} "
                f"it was sent as invalid ({self.invalid[0][1]}) and has stored none: check "
                "the URL and the LRS; nothing set aside"
            )

    def split(self, batch: Batch) -> None:
        half = len(batch) // 2
        self.send(batch[:half])
        if self.result.stopped is None:
            self.send(batch[half:])

    def send(self, batch: Batch) -> None:
        """Send one batch; split it to find a statement the LRS refuses, or when too large."""
        lines = [line for _, line in batch]
        try:
            answer = with_retries(lambda: self.client.post(lines), self.sleep)
        except LRSFault as fault:
            self.stop(str(fault))
            return
        status = answer.status
        if status == 200:
            self.listed(batch, answer)
        elif status == 204:
            # xAPI 1.0.3 answers a POST of new statements 200 with their ids; an LRS may
            # answer `204 No Content` when it already holds every one (Ralph does:
            # "Whether it responds with 409 Conflict or 204 No Content, it MUST NOT
            # modify the Statement"). But a 204 is also what a webhook catcher, a
            # beacon URL or a misrouted proxy answers while storing nothing, so it proves
            # nothing by itself: each statement is read back first.
            confirmed, why = self.reading.confirm(batch)
            self.stored([i for i, _ in batch if i in confirmed])
            if why is not None:
                self.stop(why)
        elif status in (400, 409, 413):
            self.refused(batch, answer)
        else:
            self.stop(self.unaccepted(answer))

    def refused(self, batch: Batch, answer: Answer) -> None:
        """A 400, 409 or 413: halve a batch to find the statements it is about; set aside
        one statement refused alone (a 400 only once this LRS is known to store any)."""
        status = answer.status
        if len(batch) > 1:
            if status == 413:
                # Later batches hold no more than the halves about to be tried, so a
                # limit on bodies (a proxy's 1 MB, say) costs one 413, not one a batch.
                body = 1 + sum(len(line) + 1 for _, line in batch)
                self.fits = min(self.fits, body // 2)
            self.split(batch)
            return
        line = batch[0][1]
        detail = answer_detail(answer, self.client.endpoint)
        suffix = f": {detail}" if detail else ""
        if status == 400:
            self.invalid.append((line, f"invalid (400){suffix}"))
        elif status == 409:
            why = "conflict (409): the LRS holds a different statement with this id"
            self.refuse([(line, 409, why)])
        else:
            self.refuse([(line, 413, "too large for the LRS (413), even alone")])

    def listed(self, batch: Batch, answer: Answer) -> None:
        """A 200: stored are the ids its body lists, and only if they are ids sent."""
        named, why = _named(answer, [statement_id for statement_id, _ in batch])
        if why:
            self.stop(why)
            return
        self.stored([i for i, _ in batch if i in named])
        rest = [(i, line) for i, line in batch if i not in named]
        if rest:
            # An LRS may list only the statements it has just stored and leave out those it
            # already held (Ralph does). Sending the rest again stores nothing twice (same
            # ids, same bytes) and has the LRS say that it holds them: with their ids, or
            # with a 204 and then each statement read back.
            self.send(rest)

    def unaccepted(self, answer: Answer) -> str:
        """The one line for an answer that neither stores nor refuses statements."""
        status = answer.status
        if 300 <= status < 400:
            where = f" to {shown_url(answer.location)}" if answer.location else ""
            return (
                f"the LRS answered {status}, a redirect{where}, which push does not follow "
                "(a POST is not re-sent elsewhere): give --lrs the address it should be"
            )
        plain = {
            401: "the LRS refused the credentials (401): check --user and --password-env",
            403: "the LRS refused access (403): these credentials may not write statements",
            404: (
                "the LRS answered 404: --lrs should be its xAPI endpoint, the address "
                "that 'statements' follows"
            ),
        }
        if status in plain:
            return plain[status]
        if 200 <= status < 300:
            return f"the LRS answered {status}, which does not say the statements were stored"
        detail = answer_detail(answer, self.client.endpoint)
        return f"the LRS answered {status}{': ' + detail if detail else ''}"


def _named(answer: Answer, ids: list[str]) -> tuple[set[str], str]:
    """The ids a 200 lists as stored; or none, and the line that says why the answer proves
    nothing (not a list of ids, ids that were not sent, or none at all)."""
    listed, what = listed_ids(answer)
    count = f"{len(ids)} statement{'s' if len(ids) != 1 else ''}"
    if listed is None:
        return set(), (
            f"the LRS answered 200 with {what}, not the list of ids stored; "
            f"the {count} sent are not counted as stored"
        )
    strangers = len(set(listed) - set(ids))
    if strangers:
        return set(), (
            f"the LRS answered 200 listing {strangers} id{'s' if strangers != 1 else ''} "
            f"that were not sent; the {count} sent are not counted as stored"
        )
    if not listed:
        return set(), (
            f"the LRS answered 200 listing none of the {count} sent; "
            "they are not counted as stored"
        )
    return set(listed), ""

"""A damaged outbox: a line push cannot read (bytes that are not UTF-8, a statement cut
short) is set aside, byte for byte, in a file beside its own with one plain line, and the
rest is sent; what a crash in the middle of an append leaves (a tail of NULs) is recovered
from without a word. Nothing is lost and nothing stored twice, as the reliability review's
damaged-outbox attacks checked."""

from __future__ import annotations

import json

import pytest

from tests.lrs.conftest import queued_count
from tests.lrs.conftest import run_push as push
from trainer.cohort.lrs_endpoint import Endpoint
from trainer.cohort.outbox import Outbox

COHORT = 29  # statements in the cohort the `env` fixture writes


def outbox_for(tmp_path, lrs) -> Outbox:
    folder = tmp_path / "data" / "trainer" / "outbox"
    return Outbox(folder, Endpoint.parse(lrs.url, None, None))


def notes(err: str) -> list[str]:
    """The lines of stderr other than the cohort's broken save's warning."""
    lines = [line for line in err.splitlines() if "broken" not in line]
    assert "Traceback" not in err and "unexpected error" not in err, err
    return lines


def queue_everything(capsys, env, fake, tmp_path):
    """A push that stores nothing (the LRS answers with a web page): all 29 stay queued."""
    lrs = fake(fault="html")
    status, _, _ = push(capsys, env, lrs.url)
    assert status == 1 and queued_count(tmp_path, lrs.url) == COHORT
    lrs.fault = None
    return lrs, outbox_for(tmp_path, lrs)


@pytest.mark.parametrize(
    ("damage", "what"),
    [
        (lambda line: line[:40] + b"\xff\xfe" + line[40:], "not UTF-8"),
        (lambda line: line[: len(line) // 2], "cut short"),
        (lambda line: b'{"no id": true}', "not a statement"),
    ],
)
def test_a_damaged_queued_line_is_set_aside_and_the_rest_sent(
    capsys, env, fake, tmp_path, damage, what
):
    lrs, outbox = queue_everything(capsys, env, fake, tmp_path)
    lines = outbox.queue_path.read_bytes().split(b"\n")
    damaged = damage(lines[3])
    lines[3] = damaged
    outbox.queue_path.write_bytes(b"\n".join(lines))

    status, out, err = push(capsys, env, lrs.url)
    assert status == 0, err
    (note,) = notes(err)
    kept = outbox.queue_path.with_name(outbox.queue_path.name + ".damaged")
    assert note == (
        f"trainer: the outbox's queue for this LRS ({outbox.queue_path}) had 1 damaged line "
        f"(not UTF-8, or not as push wrote it): set aside in {kept}; the rest goes on"
    )
    assert kept.read_bytes() == damaged + b"\n"  # as found, byte for byte
    # The damaged line's statement is built again from its save: all 29 stored, each once.
    assert "queued 0 for next time" in out
    assert len(lrs.stored) == len(set(lrs.stored_ids)) == COHORT
    assert outbox.queue_path.read_bytes() == b""
    # Set aside once: the next push has nothing more to say.
    status, out, err = push(capsys, env, lrs.url)
    assert status == 0 and notes(err) == [] and "already stored 29" in out
    assert kept.read_bytes() == damaged + b"\n"


def test_a_damaged_line_in_the_sent_list_is_set_aside_and_its_statement_confirmed(
    capsys, env, fake, tmp_path
):
    lrs = fake()
    status, _, _ = push(capsys, env, lrs.url)
    assert status == 0
    outbox = outbox_for(tmp_path, lrs)
    ids = outbox.sent_path.read_bytes().split(b"\n")
    damaged = ids[0][:8] + b"\xff" + ids[0][9:]
    ids[0] = damaged
    outbox.sent_path.write_bytes(b"\n".join(ids) + b"junk \xc3\x28\n")

    status, out, err = push(capsys, env, lrs.url)
    assert status == 0, err
    (note,) = notes(err)
    kept = outbox.sent_path.with_name(outbox.sent_path.name + ".damaged")
    assert f"list of statements sent for this LRS ({outbox.sent_path}) had 2 damaged" in note
    assert kept.read_bytes() == damaged + b"\n" + b"junk \xc3\x28\n"
    # The statement no longer known as sent goes again; the LRS answers 204, it is read back.
    assert "sent 1, already stored 28, refused 0, queued 0" in out
    assert len(lrs.stored) == len(set(lrs.stored_ids)) == COHORT
    assert lrs.requests[-1].method == "GET"
    outbox.sent_path.read_bytes().decode("utf-8")  # all readable now
    assert len(outbox.sent()) == COHORT


def test_a_tail_of_nuls_is_recovered_from_without_a_word(capsys, env, fake, tmp_path):
    """What a crash during an append can leave: nothing to keep, nothing to say."""
    lrs, outbox = queue_everything(capsys, env, fake, tmp_path)
    with outbox.queue_path.open("ab") as queue:
        queue.write(b"\x00" * 4096)
    outbox.sent_path.write_bytes(b"\x00" * 512)
    status, out, err = push(capsys, env, lrs.url)
    assert status == 0 and notes(err) == []
    assert "sent 29" in out and len(lrs.stored) == COHORT
    assert not list(outbox.queue_path.parent.glob("*.damaged"))


def test_a_damaged_refused_list_is_set_aside_when_another_is_refused(tmp_path):
    endpoint = Endpoint.parse("http://lrs.test/xapi/", None, None)
    outbox = Outbox(tmp_path, endpoint)
    good = '{"id":"a","status":409,"reason":"conflict","statement":{"id":"a"}}'
    outbox.refused_path.write_bytes(good.encode() + b"\n\xff\xfe broken\n")
    outbox.add_refused([(json.dumps({"id": "b"}), 400, "invalid")])
    kept = tmp_path / (outbox.refused_path.name + ".damaged")
    assert kept.read_bytes() == b"\xff\xfe broken\n"
    lines = outbox.refused_path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == good and '"id":"b"' in lines[1] and len(lines) == 2
    (note,) = outbox.notes
    assert "list of refused statements" in note and "1 damaged line" in note

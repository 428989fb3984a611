"""Statement ids: the UUIDv5 the standard library would make, made without its UUID objects
(a cohort's push names tens of thousands of statements)."""

from __future__ import annotations

import uuid

from trainer.cohort.xapi import NAMESPACE, statement_id, uuid5


def test_ids_are_the_uuid5_of_their_parts():
    names = ["", "a", "learner\nmodule\nreg\nanswered d1", "Zoë O'Brien", "\U0001f600" * 40]
    names += [
        f"learner-{n:05d}\nbench\n00000000-0000-4000-8000-{n:012d}\ncompleted" for n in range(500)
    ]
    for name in names:
        assert uuid5(name) == str(uuid.uuid5(NAMESPACE, name))


def test_a_statement_id_is_as_it_was():
    """The ids of statements already sent must not change: an LRS would store them twice."""
    made = statement_id("sam-okafor", "tutorial-riverside", "reg-1", "initialized")
    assert made == "c1dc9b64-a997-551d-9990-df3d69c39958"

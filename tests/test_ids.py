"""Name-based ids (store/ids.py writes uuid5 out itself) are the text the `uuid` module writes."""

from __future__ import annotations

import uuid

from hypothesis import given, strategies as st

from annotator.store import assignments
from annotator.store.ids import name_uuid, new_id, new_op_id


@given(st.binary(min_size=16, max_size=16), st.text())
def test_name_uuid_is_uuid5(namespace, name):
    assert name_uuid(namespace, name) == str(uuid.uuid5(uuid.UUID(bytes=namespace), name))


def test_random_and_journal_ids_are_versions_4_and_7():
    ids = [new_id() for _ in range(200)]
    assert len(set(ids)) == 200 and all(str(uuid.UUID(i)) == i and uuid.UUID(i).version == 4 for i in ids)
    ops = [new_op_id() for _ in range(200)]
    assert ops == sorted(ops) and all(str(uuid.UUID(i)) == i and uuid.UUID(i).version == 7 for i in ops)


def test_an_assignment_keeps_the_id_it_always_had():
    namespace = uuid.UUID("3b0e7f5e-2c1a-4b8e-9d2f-6a1c5e4b7d90")
    assert assignments.assignment_id("a1", "maria") == str(uuid.uuid5(namespace, "a1\x1fmaria"))

"""rea.uuid_v7() makes RFC 9562 version 7 UUIDs that sort by creation time."""

import time
import uuid


def test_version_and_variant(db):
    values = [u for (u,) in db.execute("select rea.uuid_v7() from generate_series(1, 1000)")]
    assert len(set(values)) == 1000
    assert {u.version for u in values} == {7}
    assert {u.variant for u in values} == {uuid.RFC_4122}


def test_leading_48_bits_are_the_unix_time_in_milliseconds(db):
    before = int(time.time() * 1000)
    (value,) = db.execute("select rea.uuid_v7()").fetchone()
    after = int(time.time() * 1000)
    assert before - 1000 <= value.int >> 80 <= after + 1000  # generous clock skew


def test_later_ids_sort_after_earlier_ones(db):
    db.autocommit = True
    (first,) = db.execute("select rea.uuid_v7()").fetchone()
    db.execute("select pg_sleep(0.01)")
    (second,) = db.execute("select rea.uuid_v7()").fetchone()
    assert first < second

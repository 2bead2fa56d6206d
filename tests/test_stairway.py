"""Every step's rollback restores exactly the schema that was there before it.

The stairway: for each step N in order, from the database built to N-1, dump, apply N,
revert N, dump again and compare, then apply N again and go on. A down file that
forgets an index, a grant or a comment, or an up file that cannot run twice after its
own rollback, fails here and names the step.

One exception, declared in the down file: a contract step drops a column, and its
revert can add it back only at the end of the table (PostgreSQL has no "add column
after"). Such a down file says `-- stairway: column order of SCHEMA.TABLE`, and for that
step the dumps are compared as sets of lines (pg_dump writes the columns and their
grants in column order); every other step exactly.
"""

import re

from conftest import SQL_DIR
from readb import apply
from readb.dump import schema
from readb.steps import discover


def _quiet(_: str) -> None:
    pass


_COLUMN_ORDER = re.compile(r"^-- stairway: column order of (\S+)$", re.M)


def _comparable(dump: str, down_sql: str) -> str | list[str]:
    """The dump, or for a revert that declares a column order it cannot restore, its
    lines sorted with trailing commas dropped: every line must still come back, the
    column lines and the per-column grants, which pg_dump writes in column order,
    anywhere."""
    if not _COLUMN_ORDER.search(down_sql):
        return dump
    return sorted(line.rstrip(",") for line in dump.split("\n"))


def _recorded(conn) -> list[int]:
    """The versions recorded; the read's transaction ends at once: a session idle in a
    transaction is one that `create index concurrently` waits for (7440, 7450), until
    the step's lock timeout fails it."""
    versions = [v for (v,) in conn.execute("select version from readb.applied_steps order by 1")]
    conn.rollback()
    return versions


def test_each_step_reverts_to_the_schema_before_it(empty_url, empty_db):
    opts = apply.Options(empty_url, SQL_DIR)
    previous = 0
    for step in discover(SQL_DIR):
        before = schema(empty_url)
        apply.up(opts, step.version, _quiet)
        assert _recorded(empty_db)[-1] == step.version
        apply.down(opts, previous, _quiet)
        after = _comparable(schema(empty_url), step.down_sql)
        assert after == _comparable(before, step.down_sql), (
            f"reverting {step.name} left the schema changed"
        )
        assert step.version not in _recorded(empty_db)
        apply.up(opts, step.version, _quiet)  # and it applies again after its own rollback
        previous = step.version


def test_down_to_zero_then_up_rebuilds_an_identical_schema(empty_url, empty_db):
    opts = apply.Options(empty_url, SQL_DIR)
    empty = schema(empty_url)
    apply.up(opts, None, _quiet)
    built = schema(empty_url)

    apply.down(opts, 0, _quiet)
    assert schema(empty_url) == empty, "down --to 0 left objects behind"
    assert _recorded(empty_db) == []
    for name in ("rea", "audit", "reporting", "extensions"):
        found = empty_db.execute("select 1 from pg_namespace where nspname = %s", (name,))
        assert found.fetchone() is None, f"schema {name} survived down --to 0"
    empty_db.rollback()

    apply.up(opts, None, _quiet)
    assert schema(empty_url) == built

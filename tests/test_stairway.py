"""Every step's rollback restores exactly the schema that was there before it.

The stairway: for each step N in order, from the database built to N-1, dump, apply N,
revert N, dump again and compare, then apply N again and go on. A down file that
forgets an index, a grant or a comment, or an up file that cannot run twice after its
own rollback, fails here and names the step.
"""

from conftest import SQL_DIR
from readb import apply
from readb.dump import schema
from readb.steps import discover


def _quiet(_: str) -> None:
    pass


def _recorded(conn) -> list[int]:
    versions = [v for (v,) in conn.execute("select version from readb.applied_steps order by 1")]
    # End the reading transaction: its snapshot would make the next `create index
    # concurrently` step wait for it (and fail on the step's lock timeout).
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
        assert schema(empty_url) == before, f"reverting {step.name} left the schema changed"
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

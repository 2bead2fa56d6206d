"""Any run of `up`, `up --to V`, `down --to V` leaves applied exactly what a tiny model predicts."""

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readb import apply

VERSIONS = [10, 20, 30, 40, 50]
FOLDERS = {10: "ddl", 20: "ddl", 30: "rls", 40: "views", 50: "migrations"}


def tree() -> dict[str, str]:
    """Five steps, each creating one table t_<version>."""
    files = {}
    for v in VERSIONS:
        name = f"{FOLDERS[v]}/{v:04d}_t{v}"
        files[f"{name}.sql"] = f"create table t_{v} (id int);\n"
        files[f"{name}.down.sql"] = f"drop table t_{v};\n"
    return files


def model(applied: frozenset[int], op: tuple[str, int | None]) -> frozenset[int]:
    """up adds every version up to the target; down removes every version above it."""
    verb, target = op
    if verb == "up":
        return applied | {v for v in VERSIONS if target is None or v <= target}
    return frozenset(v for v in applied if v <= target)


operations = st.one_of(
    st.just(("up", None)),
    st.tuples(st.just("up"), st.sampled_from(VERSIONS)),
    st.tuples(st.just("down"), st.sampled_from([0, *VERSIONS])),
)


def observed(conn: psycopg.Connection) -> tuple[frozenset[int], frozenset[int]]:
    """(versions recorded, versions whose table exists)."""
    recorded = conn.execute("select version from readb.applied_steps").fetchall()
    tables = conn.execute(
        "select substr(relname, 3)::int from pg_class"
        " where relname ~ '^t_[0-9]+$' and relkind = 'r' and relnamespace = 'public'::regnamespace"
    ).fetchall()
    return frozenset(v for (v,) in recorded), frozenset(v for (v,) in tables)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(ops=st.lists(operations, min_size=1, max_size=6))
def test_applied_steps_follow_the_model(make_steps, empty_url, ops):
    opts = apply.Options(empty_url, make_steps(tree()))
    with psycopg.connect(empty_url, autocommit=True) as conn:
        # a clean slate for this example, without relying on `down`
        conn.execute("drop schema if exists readb cascade")
        for v in VERSIONS:
            conn.execute(f"drop table if exists t_{v}")

        expected: frozenset[int] = frozenset()
        for op in ops:
            verb, target = op
            if verb == "up":
                apply.up(opts, target, say=lambda _line: None)
            else:
                apply.down(opts, target, say=lambda _line: None)
            expected = model(expected, op)
            assert observed(conn) == (expected, expected), f"after {op}"

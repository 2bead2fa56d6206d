"""Two `readb up` at once on one database: one applies, the other waits; each step runs once."""

import os
import subprocess
import sys
from collections import Counter

import psycopg
import pytest

pytestmark = pytest.mark.slow

TREE = {
    "ddl/0010_orders.sql": "create table orders (id int, placed_on date);\n",
    "ddl/0010_orders.down.sql": "drop table orders;\n",
    "ddl/0020_slow.sql": (
        "-- Holds the rollout open long enough for the second run to find it busy.\n"
        "select pg_sleep(2);\n"
    ),
    "ddl/0020_slow.down.sql": "select 1;\n",
    "migrations/0030_orders_placed_on_idx.sql": (
        "-- readb:no-transaction\n"
        "create index concurrently orders_placed_on_idx on orders (placed_on);\n"
    ),
    "migrations/0030_orders_placed_on_idx.down.sql": (
        "-- readb:no-transaction\ndrop index concurrently orders_placed_on_idx;\n"
    ),
    "migrations/0040_customers.sql": "create table customers (id int);\n",
    "migrations/0040_customers.down.sql": "drop table customers;\n",
}
STEPS = ["0010_orders", "0020_slow", "0030_orders_placed_on_idx", "0040_customers"]


def start_up(dsn: str, sql_dir) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.Popen(
        [sys.executable, "-m", "readb", "--dsn", dsn, "--sql-dir", str(sql_dir), "up"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def finish(runs: list[subprocess.Popen]) -> list[tuple[int, str, str]]:
    """Wait for every run; a hang (the two runs waiting on each other) fails the test."""
    results = []
    try:
        for run in runs:
            out, err = run.communicate(timeout=90)
            results.append((run.returncode, out, err))
    except subprocess.TimeoutExpired:
        for run in runs:
            run.kill()
            run.communicate()
        pytest.fail("the two readb runs did not finish within 90 s: they wait for each other")
    return results


def test_two_runs_at_once_apply_each_step_exactly_once(make_steps, empty_url):
    sql_dir = make_steps(TREE)

    results = finish([start_up(empty_url, sql_dir), start_up(empty_url, sql_dir)])

    for returncode, out, err in results:
        assert returncode == 0, err
        assert "Traceback" not in out + err
    applied = Counter(
        line.split()[1]
        for _, out, _ in results
        for line in out.splitlines()
        if line.startswith("applied ")
    )
    assert applied == Counter(STEPS)

    waiters = [(out, err) for _, out, err in results if "waiting for another readb run" in err]
    assert len(waiters) == 1, results
    out, err = waiters[0]
    assert out.strip() == "nothing to apply"
    assert err.startswith("readb: waiting for another readb run (backend pid ")

    with psycopg.connect(empty_url, autocommit=True) as conn:
        recorded = conn.execute("select name from readb.applied_steps order by version").fetchall()
        valid = conn.execute(
            "select indisvalid from pg_index where indexrelid = 'orders_placed_on_idx'::regclass"
        ).fetchone()
    assert [name for (name,) in recorded] == STEPS
    assert valid == (True,)

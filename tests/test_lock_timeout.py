"""A run gives up and changes nothing when another holds the rollout lock or a step's table."""

import time

import psycopg
import pytest

from conftest import run_readb
from readb.lock import LOCK_KEY

TREE = {
    "ddl/0010_accounts.sql": "create table accounts (id int);\n",
    "ddl/0010_accounts.down.sql": "drop table accounts;\n",
    "ddl/0020_balances.sql": (
        "-- A new table, then a column on a table someone else is using.\n"
        "create table balances (id int);\n"
        "alter table accounts add column owner text;\n"
    ),
    "ddl/0020_balances.down.sql": "alter table accounts drop column owner;\ndrop table balances;\n",
}


@pytest.fixture
def other_session(empty_url, empty_db):
    """A second session on the test database, as another rollout or application would be."""
    with psycopg.connect(empty_url, autocommit=True) as conn:
        yield conn


def test_a_held_rollout_lock_makes_up_give_up_with_nothing_applied(
    make_steps, empty_url, other_session
):
    sql_dir = make_steps(TREE)
    other_session.execute("select pg_advisory_lock(%s)", (LOCK_KEY,))
    holder = other_session.info.backend_pid

    started = time.monotonic()
    result = run_readb("--lock-timeout", "1", "up", dsn=empty_url, sql_dir=sql_dir, timeout=60)
    elapsed = time.monotonic() - started

    assert result.returncode == 1
    assert elapsed < 30
    assert "Traceback" not in result.stderr
    *notices, error = result.stderr.splitlines()
    assert notices == [f"readb: waiting for another readb run (backend pid {holder}) to finish"]
    assert error.startswith(
        f"readb: another readb run (backend pid {holder}) still holds the rollout lock after 1s;"
    )
    assert "nothing was changed" in error
    assert result.stdout == ""
    assert other_session.execute(
        "select to_regclass('readb.applied_steps'), to_regclass('accounts')"
    ).fetchone() == (None, None)

    other_session.execute("select pg_advisory_unlock(%s)", (LOCK_KEY,))
    after = run_readb("--lock-timeout", "1", "up", dsn=empty_url, sql_dir=sql_dir)
    assert after.returncode == 0, after.stderr


def test_a_lock_on_a_steps_table_fails_the_step_with_55p03_and_records_nothing(
    make_steps, empty_url, other_session
):
    sql_dir = make_steps(TREE)
    first = run_readb("up", "--to", "10", dsn=empty_url, sql_dir=sql_dir)
    assert first.returncode == 0, first.stderr

    with other_session.transaction():
        other_session.execute("lock table accounts in access exclusive mode")
        result = run_readb(
            "--step-lock-timeout", "500ms", "up", dsn=empty_url, sql_dir=sql_dir, timeout=60
        )

    assert result.returncode == 1
    (message,) = result.stderr.splitlines()
    assert message.startswith(
        "readb: could not apply 0020_balances: sql/ddl/0020_balances.sql:3 "
        "(statement starting at line 3): SQLSTATE 55P03: "
    )
    assert "lock timeout" in message
    assert message.endswith("another transaction holds a lock it needs (--step-lock-timeout))")
    recorded = other_session.execute("select name from readb.applied_steps order by version")
    assert recorded.fetchall() == [("0010_accounts",)]
    assert other_session.execute("select to_regclass('balances')").fetchone() == (None,)
    columns = other_session.execute(
        "select attname from pg_attribute where attrelid = 'accounts'::regclass and attnum > 0"
    ).fetchall()
    assert columns == [("id",)]


def test_steps_run_under_the_given_step_lock_timeout(make_steps, empty_url):
    check = (
        "do $$ begin\n"
        "    if current_setting('lock_timeout') <> '750ms' then\n"
        "        raise exception 'lock_timeout is %', current_setting('lock_timeout');\n"
        "    end if;\n"
        "end $$;\n"
    )
    sql_dir = make_steps({"ddl/0010_check.sql": check, "ddl/0010_check.down.sql": check})
    ok = run_readb("--step-lock-timeout", "750ms", "up", dsn=empty_url, sql_dir=sql_dir)
    assert ok.returncode == 0, ok.stderr

    other = run_readb("down", "--to", "0", dsn=empty_url, sql_dir=sql_dir)
    assert other.returncode == 1
    assert "lock_timeout is 5s" in other.stderr

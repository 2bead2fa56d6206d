"""Every expected failure of readb is one line, and an interrupted readb leaves nothing
running on the server.

From outside, as an operator meets them: a valid login without the privileges, the server
ending readb's sessions in the middle of a step, SIGTERM (what `kill`, systemd and CI
send) and SIGINT (Ctrl-C) during a long seed and during a long step.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psycopg
import pytest
from psycopg import sql

from conftest import SQL_DIR, run_readb, url_for

NOPRIV = "readb_test_nopriv"


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def readb_statements(url: str) -> list[str]:
    """What readb's sessions are running on the server right now (other than idle)."""
    with psycopg.connect(url, autocommit=True) as conn:
        return [
            q
            for (q,) in conn.execute(
                "select query from pg_stat_activity where application_name = 'readb'"
                " and state not in ('idle') and pid <> pg_backend_pid()"
            )
        ]


def wait_until(predicate, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def start_readb(url: str, *args: str, sql_dir=SQL_DIR) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "readb", "--dsn", url, "--sql-dir", str(sql_dir), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
    )


@pytest.fixture
def nopriv_url(db, db_url):
    db.execute(
        sql.SQL(
            "do $$ begin if not exists (select from pg_roles where rolname = {name}) then"
            " create role {role} login; end if; end $$"
        ).format(name=sql.Literal(NOPRIV), role=sql.Identifier(NOPRIV))
    )
    db.commit()
    return url_for(db.info.dbname).replace(f"{db.info.user}@", f"{NOPRIV}@", 1)


@pytest.mark.parametrize(
    "command",
    [["status"], ["verify"], ["up"], ["seed", "--tenants", "1", "--scale", "1"], ["refresh"]],
)
def test_a_login_without_privileges_gets_one_line(nopriv_url, command):
    result = run_readb(*command, dsn=nopriv_url)
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert line.startswith("readb: ") and ("42501" in line or "permission denied" in line), line


def test_the_server_ending_the_sessions_mid_step_is_one_line(empty_url, make_steps):
    steps = make_steps(
        {
            "ddl/0010_slow.sql": "create table slow (id int);\nselect pg_sleep(60);\n",
            "ddl/0010_slow.down.sql": "drop table slow;\n",
        }
    )
    child = start_readb(empty_url, "up", sql_dir=steps)
    assert wait_until(lambda: any("pg_sleep" in q for q in readb_statements(empty_url)))
    with psycopg.connect(empty_url, autocommit=True) as conn:  # as a shutdown would
        conn.execute(
            "select pg_terminate_backend(pid) from pg_stat_activity"
            " where application_name = 'readb' and pid <> pg_backend_pid()"
        )
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 1
    line = one_line(stderr)
    assert "0010_slow" in line and "57P01" in line, line
    with psycopg.connect(empty_url) as conn:
        assert conn.execute("select to_regclass('public.slow')").fetchone()[0] is None


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_during_a_step_cancels_it_on_the_server(empty_url, make_steps, signum, code):
    steps = make_steps(
        {
            "ddl/0010_slow.sql": "create table slow (id int);\nselect pg_sleep(600);\n",
            "ddl/0010_slow.down.sql": "drop table slow;\n",
        }
    )
    child = start_readb(empty_url, "up", sql_dir=steps)
    assert wait_until(lambda: any("pg_sleep" in q for q in readb_statements(empty_url)))
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == code
    assert "cancelled" in one_line(stderr)
    assert wait_until(lambda: not readb_statements(empty_url), timeout=10), readb_statements(
        empty_url
    )
    with psycopg.connect(empty_url) as conn:
        assert conn.execute("select to_regclass('public.slow')").fetchone()[0] is None
        assert conn.execute("select count(*) from readb.applied_steps").fetchone()[0] == 0


def test_sigterm_during_a_seed_cancels_its_insert_on_the_server(db_url):
    child = start_readb(db_url, "seed", "--tenants", "8", "--scale", "6")
    assert wait_until(lambda: any("insert" in q.lower() for q in readb_statements(db_url)))
    time.sleep(0.5)
    child.send_signal(signal.SIGTERM)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 143
    assert "terminated" in one_line(stderr)
    assert wait_until(lambda: not readb_statements(db_url), timeout=10), readb_statements(db_url)
    with psycopg.connect(db_url) as conn:
        assert conn.execute("select count(*) from rea.clients").fetchone()[0] == 0

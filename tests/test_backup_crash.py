"""Crash safety: kill -9 of a durable server during `readb up` and during `readb seed`.

The cluster runs on the durable profile (tools/backup/postgresql.durable.conf: fsync and
full-page writes on, data checksums) on a free port under /tmp. Each test holds a lock
that the run will need, waits until the run is blocked on it in the middle of its work
(a step or the seed transaction half done), then SIGKILLs the postmaster and all its
processes, restarts the server and proves:
- nothing half-applied: the steps recorded are exactly those committed before the crash
  and the schema equals a database built up to the same step; the seed left no row;
- pg_amcheck finds every table and index intact;
- the rerun finishes, and `readb verify` is clean.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import psycopg
import pytest

from conftest import PROJECT_ROOT, run_readb
from readb import dump, pgbin
from readb.seed import SEEDED_TABLES

sys.path.insert(0, str(PROJECT_ROOT / "tools" / "backup"))
import backrest

pytestmark = pytest.mark.slow


@pytest.fixture
def durable() -> Iterator[backrest.Server]:
    """A cluster on the durable profile, not archiving (nothing here needs the WAL kept),
    with an empty database rea."""
    root = backrest.new_site_dir("readb-test-crash-")
    server = backrest.Server(root / "pgdata", backrest.free_port(), root / "run")
    try:
        backrest.init_durable(server, archive_command="/bin/false")
        conf = server.pgdata / "postgresql.conf"
        conf.write_text(conf.read_text() + "archive_mode = off\n")
        server.start()
        with psycopg.connect(server.url(), autocommit=True) as conn:
            assert conn.execute("show fsync").fetchone()[0] == "on"
            assert conn.execute("show full_page_writes").fetchone()[0] == "on"
            assert conn.execute("show data_checksums").fetchone()[0] == "on"
            conn.execute("create database rea")
        yield server
    finally:
        backrest.discard(root)


def _start_readb(url: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "readb", "--dsn", url, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
    )


def _wait_blocked(url: str, run: subprocess.Popen) -> int:
    """Until some session of the run waits for a lock (the run is mid-way); its pid."""
    deadline = time.monotonic() + 300
    with psycopg.connect(url, autocommit=True) as conn:
        while True:
            waiting = conn.execute(
                "select pid from pg_stat_activity"
                " where datname = current_database() and wait_event_type = 'Lock'"
            ).fetchone()
            if waiting:
                return waiting[0]
            assert run.poll() is None, run.communicate()
            assert time.monotonic() < deadline, "the run never blocked on the held lock"
            time.sleep(0.05)


def _crash_and_restart(server: backrest.Server, run: subprocess.Popen) -> None:
    server.kill9()
    run.communicate(timeout=120)
    assert run.returncode != 0  # the run lost its server
    server.start()  # crash recovery replays the WAL


def _at(server: backrest.Server) -> list[str]:
    return ["-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres", "-d", "rea"]


def _amcheck(server: backrest.Server) -> None:
    checked = subprocess.run(
        [pgbin.find("pg_amcheck"), "--install-missing", "--heapallindexed", *_at(server)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # --install-missing created the amcheck extension, which no step builds: readb verify
    # would rightly name it. Leave the database as the steps made it.
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:{server.port}/rea") as conn:
        conn.execute("drop extension amcheck")


def _applied(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        return [n for (n,) in conn.execute("select name from readb.applied_steps order by 1")]


def test_kill_9_during_readb_up_leaves_no_step_half_applied(durable):
    url = durable.url("rea")
    assert run_readb("up", "--to", "6200", dsn=url).returncode == 0
    built = _applied(url)
    holder = psycopg.connect(url)
    # The first later step that rebuilds the reporting views (7200) waits for this lock
    # after it has created functions and dropped views inside its transaction.
    holder.execute("select from reporting.fact_deals_mv limit 1")  # access share, kept
    run = _start_readb(url, "--step-lock-timeout", "10min", "up")
    blocked = _wait_blocked(url, run)
    with psycopg.connect(url, autocommit=True) as conn:
        (done,) = conn.execute(
            "select count(*) from pg_locks where pid = %s and granted"
            " and locktype = 'relation' and mode = 'AccessExclusiveLock'",
            (blocked,),
        ).fetchone()
    assert done > 0  # the step is half done: it holds what it changed so far
    before = _applied(url)
    _crash_and_restart(durable, run)
    holder.close()

    assert _applied(url) == before
    assert len(before) > len(built)  # steps of this run committed before the crash
    with psycopg.connect(durable.url(), autocommit=True) as conn:
        conn.execute("create database reference")
    reference = durable.url("reference")
    assert run_readb("up", "--to", before[-1], dsn=reference).returncode == 0
    assert dump.schema(url) == dump.schema(reference)
    _amcheck(durable)

    rerun = run_readb("up", dsn=url)
    assert rerun.returncode == 0, rerun.stderr
    assert f"applied {before[-1]}" not in rerun.stdout  # committed steps are not redone
    verified = run_readb("verify", dsn=url)
    assert verified.returncode == 0, verified.stderr


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        counts = {
            t: conn.execute(f"select count(*) from rea.{t}").fetchone()[0] for t in SEEDED_TABLES
        }
        counts["audit.audit_logs"] = conn.execute(
            "select count(*) from audit.audit_logs"
        ).fetchone()[0]
        return counts


def test_kill_9_during_readb_seed_leaves_no_row_and_the_rerun_seeds(durable):
    url = durable.url("rea")
    assert run_readb("up", dsn=url).returncode == 0
    holder = psycopg.connect(url)
    # The seed fills communications last: it waits there with every other table loaded.
    holder.execute("lock table rea.communications in share mode")
    run = _start_readb(url, "seed", "--tenants", "2", "--scale", "1")
    _wait_blocked(url, run)
    _crash_and_restart(durable, run)
    holder.close()

    assert set(_counts(url).values()) == {0}
    _amcheck(durable)

    rerun = run_readb("seed", "--tenants", "2", "--scale", "1", dsn=url)
    assert rerun.returncode == 0, rerun.stderr
    assert 0 not in _counts(url).values()
    verified = run_readb("verify", dsn=url)
    assert verified.returncode == 0, verified.stderr

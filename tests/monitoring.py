"""Helpers for the monitoring tests: a rea_monitor LOGIN, its view of the health checks,
and waiting until another session's statistics reach the shared counters.

The tests act as an operator's probe would: a LOGIN role that is a plain member of
rea_monitor (`readb_test_monitor`, created once per cluster and left in place, like the
pooling test's login), connected to the test's database with autocommit, so every query
reads the statistics afresh.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import psycopg
import psycopg.rows

from conftest import HOST, PORT, url_for
from pgbouncer import ensure_login_role
from readb import cluster

MONITOR_LOGIN = "readb_test_monitor"
T = TypeVar("T")


def monitor_url(dbname: str) -> str:
    ensure_login_role(url_for(dbname), MONITOR_LOGIN, "rea_monitor")
    return f"postgresql://{MONITOR_LOGIN}@{HOST}:{PORT}/{dbname}"


def connect_monitor(dbname: str) -> psycopg.Connection:
    return psycopg.connect(monitor_url(dbname), autocommit=True, row_factory=psycopg.rows.dict_row)


def health(monitor: psycopg.Connection) -> dict[str, dict]:
    """check_name -> {status, detail} from monitoring.health."""
    return {r["check_name"]: r for r in monitor.execute("select * from monitoring.health")}


def rows(monitor: psycopg.Connection, view: str) -> list[dict]:
    return monitor.execute(f"select * from monitoring.{view}").fetchall()


def set_threshold(superuser: psycopg.Connection, name: str, value: float) -> None:
    updated = superuser.execute(
        "update monitoring.thresholds set value = %s where name = %s", (value, name)
    )
    assert updated.rowcount == 1, name


def flush_stats(conn: psycopg.Connection) -> None:
    """Make this session's pending statistics visible to others now (PostgreSQL 15
    flushes them at most once a second, when the session goes idle)."""
    conn.execute("select pg_stat_force_next_flush()")
    conn.execute("select 1")


def eventually(probe: Callable[[], T], what: str, wait: float = 30.0) -> T:
    """Poll probe() until it returns something truthy; fail naming `what` if it never
    does. The wait is a bound on a condition another process makes true, not a timing
    assertion: nothing is measured."""
    deadline = time.monotonic() + wait
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"never saw {what}")
        time.sleep(0.1)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def throwaway_server(prefix: str) -> Iterator[tuple[Path, int]]:
    """(data folder, free port) for an extra cluster: a fresh folder under /tmp owned by
    the cluster's OS user, the port chosen now. On exit the server there is stopped and
    the folder deleted, also when the test fails."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        shutil.chown(folder, user=os.environ.get("READB_OS_USER", "postgres"))
    pgdata = folder / "data"
    try:
        yield pgdata, _free_port()
    finally:
        cluster.halt(pgdata)
        shutil.rmtree(folder, ignore_errors=True)

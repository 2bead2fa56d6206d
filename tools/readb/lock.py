"""One rollout per database at a time, through a session-level advisory lock.

The lock is taken by polling pg_try_advisory_lock on an autocommit connection, so no
transaction (and no snapshot) is open while a second run waits. A blocking
pg_advisory_lock would sit inside a statement with a snapshot, and CREATE INDEX
CONCURRENTLY in the first run waits for every such snapshot to go away: each run
would wait for the other forever.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import psycopg

from readb.errors import ReadbError

# "read" in ASCII; the key fits in 32 bits so pg_locks shows it as classid 0, objid KEY.
LOCK_KEY = 0x72656164


@contextmanager
def rollout_lock(
    conn: psycopg.Connection, timeout: float, poll_interval: float = 0.2
) -> Iterator[None]:
    if not conn.autocommit:
        raise ValueError("the rollout lock needs an autocommit connection")
    deadline = time.monotonic() + timeout
    announced = False
    while not _try_lock(conn):
        holder = _holder(conn)
        if time.monotonic() >= deadline:
            raise ReadbError(
                f"another readb run (backend pid {holder}) still holds the rollout lock "
                f"after {timeout:g}s; nothing was changed (raise --lock-timeout to wait longer)"
            )
        if not announced:
            print(
                f"readb: waiting for another readb run (backend pid {holder}) to finish",
                file=sys.stderr,
                flush=True,
            )
            announced = True
        time.sleep(poll_interval)
    try:
        yield
    finally:
        # A session lock ends with its session: if the server went away, there is
        # nothing left to unlock, and the error that matters is the one already raised.
        if not conn.closed and not conn.broken:
            with suppress(psycopg.Error):
                conn.execute("select pg_advisory_unlock(%s)", (LOCK_KEY,))


def _try_lock(conn: psycopg.Connection) -> bool:
    row = conn.execute("select pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()
    return bool(row and row[0])


def _holder(conn: psycopg.Connection) -> str:
    row = conn.execute(
        "select pid from pg_locks where locktype = 'advisory' and classid = 0"
        " and objid = %s and objsubid = 1 and granted and database = "
        "(select oid from pg_database where datname = current_database())",
        (LOCK_KEY,),
    ).fetchone()
    return str(row[0]) if row else "unknown"

"""A streaming read replica for reporting (PostgreSQL's own replication).

readb.cluster.create_standby makes a hot standby of the test server with
`pg_basebackup -R` (the helper behind `python -m readb.cluster standby start`). Then:

- what the primary commits after the copy streams to the replica: two tenants seeded
  and the reporting views refreshed on the primary are read on the replica, as
  rea_reporting (the reporting views) and as rea_app (the tenant tables), with row-level
  security in force: each tenant sees exactly its own rows, no tenant set sees none;
- the replica refuses writes (25006), and `readb up` pointed at it refuses with one line;
- the primary's monitoring.replication shows the replica streaming, and a replica whose
  replay is paused shows a lag in bytes that pages once past its threshold; on the
  standby the same view shows its own receiver;
- the lag from a commit on the primary until the replica shows it is measured and
  printed (median of 5); nothing asserts on it.

The standby lives in a fresh folder under /tmp owned by the cluster's OS user, on a free
port chosen now, and is stopped and deleted at the end, also when the test fails.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Iterator

import psycopg
import psycopg.rows
import pytest
from psycopg import errors

from conftest import PORT, acting_as, run_readb, url_for
from monitoring import (
    connect_monitor,
    eventually,
    health,
    rows,
    set_threshold,
    throwaway_server,
)
from readb import cluster
from readb.seed import DEFAULT_AS_OF, refresh, seed


@pytest.fixture
def standby(db: psycopg.Connection) -> Iterator[int]:
    """A hot standby of the test server; its port."""
    if os.environ.get("READB_TEST_PGHOST"):
        pytest.skip("the standby is made from the local cluster, not from READB_TEST_PGHOST")
    db.commit()
    with throwaway_server("readb-standby-") as (pgdata, port):
        cluster.create_standby(pgdata, port, PORT)
        yield port


def _replica(port: int, dbname: str) -> psycopg.Connection:
    return psycopg.connect(cluster.server_url(dbname, port))


def _caught_up(primary: psycopg.Connection, replica: psycopg.Connection) -> None:
    # the insert position: with synchronous_commit off the last commit may not be written yet
    (lsn,) = primary.execute("select pg_current_wal_insert_lsn()").fetchone()
    eventually(
        lambda: replica.execute(
            "select pg_last_wal_replay_lsn() >= %s::pg_lsn", (str(lsn),)
        ).fetchone()[0],
        "the replica replay the primary's last commit",
    )


def test_reads_on_the_replica_under_rls_and_its_lag(db, standby):
    dbname = db.info.dbname
    with (
        psycopg.connect(url_for(dbname), autocommit=True) as primary,
        _replica(standby, dbname) as replica,
    ):
        assert replica.execute("select pg_is_in_recovery()").fetchone() == (True,)
        seed(primary, 2, 1, 1, DEFAULT_AS_OF)  # written after the copy: it must stream
        refresh(primary)
        _caught_up(primary, replica)

        tenants = [r[0] for r in primary.execute("select id from rea.clients order by id")]
        assert len(tenants) == 2
        for tenant in tenants:
            (deals,) = primary.execute(
                "select count(*) from rea.deals where client_id = %s", (tenant,)
            ).fetchone()
            (facts,) = primary.execute(
                "select count(*) from reporting.fact_deals_mv where client_id = %s", (tenant,)
            ).fetchone()
            assert deals > 0 and facts > 0
            with acting_as(replica, "rea_reporting", tenant):
                seen = replica.execute(
                    "select client_id, count(*) from reporting.fact_deals group by 1"
                ).fetchall()
                assert seen == [(tenant, facts)]
            with acting_as(replica, "rea_app", tenant):
                seen = replica.execute(
                    "select client_id, count(*) from rea.deals group by 1"
                ).fetchall()
                assert seen == [(tenant, deals)]
        replica.rollback()
        with acting_as(replica, "rea_app", None):
            assert replica.execute("select count(*) from rea.deals").fetchone() == (0,)
        replica.rollback()

        with pytest.raises(errors.ReadOnlySqlTransaction):
            replica.execute("update rea.clients set status = status")
        replica.rollback()

        # the lag: from a commit on the primary until the replica shows the row
        primary.execute("create table public.lag_probe (n integer)")
        _caught_up(primary, replica)
        replica.rollback()
        # with the local cluster's synchronous_commit = off, then with commits flushed
        # (on: no synchronous standby is named, so the primary flushes locally and the
        # WAL sender sends at once)
        for setting in ("off", "on"):
            primary.execute("select set_config('synchronous_commit', %s, false)", (setting,))
            lags = []
            for n in range(5):
                started = time.perf_counter()
                primary.execute("insert into public.lag_probe values (%s)", (n,))
                lags.append(_until_visible(replica, n, started))
                replica.rollback()
            primary.execute("truncate public.lag_probe")
            _caught_up(primary, replica)
            print(
                f"\nreplica lag, synchronous_commit={setting}, commit on the primary to visible"
                f" on the replica: median {statistics.median(lags):.1f} ms of {len(lags)}"
                f" (min {min(lags):.1f}, max {max(lags):.1f})"
            )


def _until_visible(replica: psycopg.Connection, n: int, started: float) -> float:
    """Milliseconds from `started` until row n of lag_probe is visible on the replica,
    polling every millisecond (for at most a minute)."""
    while time.perf_counter() - started < 60:
        query = "select exists (select from public.lag_probe where n = %s)"
        if replica.execute(query, (n,)).fetchone()[0]:
            return (time.perf_counter() - started) * 1000
        replica.rollback()
        time.sleep(0.001)
    raise AssertionError(f"row {n} never reached the replica")


def test_readb_refuses_to_apply_steps_on_a_replica(db, standby):
    replica_url = cluster.server_url(db.info.dbname, standby)
    for args in (("up",), ("down", "--to", "7300")):
        result = run_readb(*args, dsn=replica_url)
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            "readb: the database is a read-only replica (in recovery): apply steps on the primary"
        ]


def test_monitoring_shows_the_replica_and_its_lag(db, standby):
    dbname = db.info.dbname
    with (
        psycopg.connect(url_for(dbname), autocommit=True) as primary,
        psycopg.connect(cluster.server_url(dbname, standby), autocommit=True) as replica,
        connect_monitor(dbname) as monitor,
    ):

        def ours() -> list[dict]:
            return [
                r
                for r in rows(monitor, "replication")
                if r["side"] == "primary" and r["state"] == "streaming"
            ]

        assert eventually(ours, "the replica streaming in monitoring.replication")
        assert health(monitor)["replication"]["status"] == "ok"

        replica.execute("select pg_wal_replay_pause()")
        try:
            eventually(
                lambda: (
                    replica.execute("select pg_get_wal_replay_pause_state()").fetchone()
                    == ("paused",)
                ),
                "the replica's replay paused",
            )
            primary.execute("create table public.lag_probe as select generate_series(1, 1000) as n")

            # the standby's own view: WAL received and not replayed
            with connect_monitor_at(standby, dbname) as standby_monitor:
                (me,) = eventually(
                    lambda: [r for r in rows(standby_monitor, "replication") if r["lag_bytes"]],
                    "the standby's own lag in monitoring.replication",
                )
                assert me["side"] == "standby" and me["state"] == "streaming"
                print(f"\nstandby while paused: {me['lag_bytes']} bytes received, not replayed")

            # the primary's view, from the replica's feedback
            lagging = eventually(
                lambda: [r for r in ours() if r["lag_bytes"] and r["lag_bytes"] > 0],
                "a lag in bytes while the replica's replay is paused",
            )
            print(f"primary sees the replica {lagging[0]['lag_bytes']} bytes behind")
            assert health(monitor)["replication"]["status"] in ("ok", "warn")
            set_threshold(primary, "replication_lag_bytes_page", 1)
            check = health(monitor)["replication"]
            assert check["status"] == "page", check
        finally:
            replica.execute("select pg_wal_replay_resume()")


def connect_monitor_at(port: int, dbname: str) -> psycopg.Connection:
    """The monitor's login on the standby (roles are copied with the cluster)."""
    url = cluster.server_url(dbname, port).replace(
        f"{cluster.SUPERUSER}@", "readb_test_monitor@", 1
    )
    return psycopg.connect(url, autocommit=True, row_factory=psycopg.rows.dict_row)

"""The monitoring schema: each view reports the condition it is for, seen from a LOGIN
that is a member of rea_monitor, and nobody else may read it.

Each test makes the condition happen the way it happens in production (a session left
idle in a transaction, a lock held, a failed concurrent index build, a dropped
partition, a day left unsealed, a setting changed by hand) on its own clone of the
built database, committed, so that the monitor's own session sees it; then it removes
the condition where the view should then stop reporting it. Thresholds are lowered
through monitoring.thresholds instead of waiting for a clock.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest
from psycopg import errors

from conftest import SQL_DIR, run_readb, url_for
from monitoring import (
    MONITOR_LOGIN,
    connect_monitor,
    eventually,
    flush_stats,
    health,
    monitor_url,
    rows,
    set_threshold,
)

TENANT_ROLES = ("rea_app", "rea_reporting", "rea_auditor")


@pytest.fixture
def su(db: psycopg.Connection) -> Iterator[psycopg.Connection]:
    """The superuser on this test's database, autocommit: what it does, others see."""
    db.commit()
    with psycopg.connect(url_for(db.info.dbname), autocommit=True) as conn:
        yield conn


@pytest.fixture
def monitor(db: psycopg.Connection) -> Iterator[psycopg.Connection]:
    db.commit()
    with connect_monitor(db.info.dbname) as conn:
        yield conn


@pytest.fixture
def other(db: psycopg.Connection) -> Iterator[psycopg.Connection]:
    """A second superuser session, not autocommit: the one that misbehaves."""
    with psycopg.connect(url_for(db.info.dbname)) as conn:
        yield conn


# --- Who may read it --------------------------------------------------------------------------


def test_rea_monitor_is_a_nologin_member_of_pg_monitor(su):
    row = su.execute(
        "select rolcanlogin, rolsuper, rolbypassrls,"
        " pg_has_role('rea_monitor', 'pg_monitor', 'member')"
        " from pg_roles where rolname = 'rea_monitor'"
    ).fetchone()
    assert row == (False, False, False, True)


def test_every_view_is_readable_by_the_monitor(monitor):
    views = [
        r["viewname"]
        for r in monitor.execute(
            "select viewname from pg_views where schemaname = 'monitoring' order by 1"
        )
    ]
    assert len(views) >= 25
    (loaded,) = (
        monitor.execute(
            "select current_setting('shared_preload_libraries') ~ 'pg_stat_statements' as loaded"
        )
        .fetchone()
        .values()
    )
    for view in views:
        if view == "query_stats" and not loaded:
            continue  # a server without it preloaded (READB_TEST_PGHOST): the view errors
        rows(monitor, view)  # raises if the monitor may not read it


@pytest.mark.parametrize("role", TENANT_ROLES)
def test_the_application_roles_cannot_read_monitoring(db, role):
    with pytest.raises(errors.InsufficientPrivilege), db.transaction():
        db.execute(psycopg.sql.SQL("set local role {}").format(psycopg.sql.Identifier(role)))
        db.execute("select * from monitoring.health")


def test_the_monitor_reads_no_tenant_data(monitor):
    for table in ("rea.customers", "rea.deals", "audit.audit_logs", "reporting.fact_deals"):
        with pytest.raises(errors.InsufficientPrivilege):
            monitor.execute(f"select * from {table}")


# --- Queries and sessions ---------------------------------------------------------------------


def test_query_stats_lists_normalised_statements(su, monitor):
    if not su.execute(
        "select current_setting('shared_preload_libraries') ~ 'pg_stat_statements'"
    ).fetchone()[0]:
        pytest.skip("the server does not preload pg_stat_statements")
    su.execute("select count(*) from rea.currencies where code = 'SAR' and minor_units >= 41")
    found = eventually(
        lambda: [
            r
            for r in rows(monitor, "query_stats")
            if "rea.currencies" in r["query"] and "minor_units >=" in r["query"]
        ],
        "the statement in query_stats",
    )
    assert "'SAR'" not in found[0]["query"] and "$1" in found[0]["query"]  # constants normalised
    assert found[0]["calls"] >= 1 and found[0]["mean_ms"] is not None


def _pid(conn: psycopg.Connection) -> int:
    return conn.info.backend_pid


def test_a_long_running_query_is_reported(su, monitor, db):
    with psycopg.connect(url_for(db.info.dbname), autocommit=True) as sleeper:
        pid = _pid(sleeper)
        worker = threading.Thread(
            target=lambda: _swallow(sleeper, "select pg_sleep(120)"), daemon=True
        )
        worker.start()
        try:
            running = eventually(
                lambda: [r for r in rows(monitor, "running_queries") if r["pid"] == pid],
                "the sleeping query in running_queries",
            )
            assert "pg_sleep" in running[0]["query"]  # another login's text: pg_monitor sees it
            assert health(monitor)["long_running_queries"]["status"] == "ok"
            set_threshold(su, "long_query_seconds", 0)
            assert [r["pid"] for r in rows(monitor, "long_running_queries")] == [pid]
            assert health(monitor)["long_running_queries"]["status"] == "warn"
        finally:
            su.execute("select pg_cancel_backend(%s)", (pid,))
            worker.join()


def _swallow(conn: psycopg.Connection, query: str) -> None:
    with contextlib.suppress(psycopg.errors.QueryCanceled):
        conn.execute(query)


def test_a_session_idle_in_a_transaction_is_reported(su, monitor, other):
    other.execute("select 1")  # opens a transaction, then does nothing
    pid = _pid(other)
    idle = [r for r in rows(monitor, "idle_in_transaction") if r["pid"] == pid]
    assert len(idle) == 1 and idle[0]["state"] == "idle in transaction"
    set_threshold(su, "idle_in_transaction_seconds", 0)
    assert health(monitor)["idle_in_transaction"]["status"] == "warn"
    other.rollback()
    assert not [r for r in rows(monitor, "idle_in_transaction") if r["pid"] == pid]


def test_a_blocked_session_is_reported_with_its_lock_and_its_blocker(su, monitor, db, other):
    su.execute("create table public.probe_rows (id integer primary key, v integer)")
    su.execute("insert into public.probe_rows values (1, 0)")
    other.execute("update public.probe_rows set v = 1 where id = 1")  # holds the row lock
    holder = _pid(other)
    with psycopg.connect(url_for(db.info.dbname), autocommit=True) as waiter:
        waiting = _pid(waiter)
        worker = threading.Thread(
            target=lambda: waiter.execute("update public.probe_rows set v = 2 where id = 1"),
            daemon=True,
        )
        worker.start()
        try:
            blocked = eventually(
                lambda: [
                    r for r in rows(monitor, "blocked_sessions") if r["blocked_pid"] == waiting
                ],
                "the waiting update in blocked_sessions",
            )
            assert blocked[0]["blocking_pid"] == holder
            assert blocked[0]["blocking_state"] == "idle in transaction"
            assert (blocked[0]["locktype"], blocked[0]["wanted_mode"]) == (
                "transactionid",
                "ShareLock",
            )
            set_threshold(su, "blocked_seconds", 0)
            assert health(monitor)["blocked_sessions"]["status"] == "warn"
        finally:
            other.rollback()
            worker.join()
    assert not rows(monitor, "blocked_sessions")


# --- Space, caching, scans --------------------------------------------------------------------


def test_sizes_cache_hits_and_seq_scans_on_big_tables(su, monitor):
    su.execute("create table public.probe_big (id integer, v integer)")
    su.execute("insert into public.probe_big select g, g % 100 from generate_series(1, 5000) as g")
    for _ in range(3):
        su.execute("select count(*) from public.probe_big where v = 7")
    flush_stats(su)
    sizes = {r["table_name"]: r for r in rows(monitor, "table_sizes")}
    assert (
        sizes["probe_big"]["table_bytes"] > 0
        and sizes["probe_big"]["total_bytes"] >= sizes["probe_big"]["table_bytes"]
    )
    assert {r["kind"] for r in rows(monitor, "cache_hit_rates")} == {"table", "index"}

    assert "probe_big" not in {r["table_name"] for r in rows(monitor, "seq_scans_on_big_tables")}
    set_threshold(su, "big_table_rows", 1000)
    set_threshold(su, "seq_scan_min", 3)
    scanned = eventually(
        lambda: [
            r for r in rows(monitor, "seq_scans_on_big_tables") if r["table_name"] == "probe_big"
        ],
        "probe_big in seq_scans_on_big_tables",
    )
    assert scanned[0]["seq_scan"] >= 3 and scanned[0]["live_rows"] == 5000
    assert health(monitor)["seq_scans_on_big_tables"]["status"] == "warn"


def test_a_cache_hit_rate_below_the_minimum_warns(su, monitor):
    su.execute("set enable_seqscan = off")  # read a table through its index
    su.execute("select * from rea.currencies where code = 'SAR'")
    flush_stats(su)
    eventually(
        lambda: all(r["hits"] + r["reads"] > 0 for r in rows(monitor, "cache_hit_rates")),
        "block reads counted in cache_hit_rates",
    )
    set_threshold(su, "cache_reads_min", 0)
    set_threshold(su, "cache_hit_rate_min", 1.01)  # no rate can reach it
    assert health(monitor)["cache_hit_rate"]["status"] == "warn"


# --- Indexes ----------------------------------------------------------------------------------


def test_unused_duplicate_and_covered_indexes_are_reported(su, monitor):
    su.execute("create table public.probe_idx (a integer, b integer, c integer)")
    su.execute("insert into public.probe_idx select g, g, g from generate_series(1, 2000) as g")
    su.execute("create index probe_idx_a_idx on public.probe_idx (a)")
    su.execute("create index probe_idx_a_copy_idx on public.probe_idx (a)")
    su.execute("create index probe_idx_a_b_idx on public.probe_idx (a, b)")
    su.execute("create index probe_idx_b_c_idx on public.probe_idx (b, c)")
    su.execute("analyze public.probe_idx")

    redundant = {
        (r["index_name"], r["kind"], r["duplicate_of"]) for r in rows(monitor, "duplicate_indexes")
    }
    ours = {r for r in redundant if r[0].startswith("public.probe_idx")}
    assert ("public.probe_idx_a_copy_idx", "identical", "public.probe_idx_a_idx") in ours
    assert ("public.probe_idx_a_idx", "covered", "public.probe_idx_a_b_idx") in ours
    assert not [r for r in ours if r[0] in ("public.probe_idx_a_b_idx", "public.probe_idx_b_c_idx")]
    assert health(monitor)["duplicate_indexes"]["status"] == "warn"

    unused = {r["index_name"] for r in rows(monitor, "unused_indexes")}
    assert {"probe_idx_a_idx", "probe_idx_a_b_idx", "probe_idx_b_c_idx"} <= unused
    su.execute("set enable_seqscan = off")
    su.execute("select c from public.probe_idx where b = 5")  # uses probe_idx_b_c_idx
    flush_stats(su)
    eventually(
        lambda: (
            "probe_idx_b_c_idx" not in {r["index_name"] for r in rows(monitor, "unused_indexes")}
        ),
        "probe_idx_b_c_idx leave unused_indexes once used",
    )


def test_unique_and_constraint_indexes_are_never_the_redundant_one(su, monitor):
    su.execute("create table public.probe_keys (a integer primary key, b integer)")
    su.execute("create index probe_keys_a_b_idx on public.probe_keys (a, b)")
    ours = [r for r in rows(monitor, "duplicate_indexes") if r["table_name"] == "public.probe_keys"]
    assert ours == []
    assert "probe_keys_pkey" not in {r["index_name"] for r in rows(monitor, "unused_indexes")}


def test_an_invalid_index_is_reported(su, monitor):
    su.execute("create table public.probe_dupes (a integer)")
    su.execute("insert into public.probe_dupes values (1), (1)")
    with pytest.raises(errors.UniqueViolation):
        su.execute("create unique index concurrently probe_dupes_a_key on public.probe_dupes (a)")
    invalid = [r["index_name"] for r in rows(monitor, "invalid_indexes")]
    assert invalid == ["public.probe_dupes_a_key"]
    assert health(monitor)["invalid_indexes"]["status"] == "warn"
    su.execute("drop index public.probe_dupes_a_key")
    assert rows(monitor, "invalid_indexes") == []


def test_a_foreign_key_without_a_supporting_index_is_reported(su, monitor):
    su.execute("create table public.probe_parent (id integer primary key)")
    su.execute(
        "create table public.probe_child (id integer primary key,"
        " parent_id integer constraint probe_child_parent_fkey references public.probe_parent)"
    )
    names = lambda: {r["constraint_name"] for r in rows(monitor, "foreign_keys_without_index")}  # noqa: E731
    assert "probe_child_parent_fkey" in names()
    su.execute("create index probe_child_parent_idx on public.probe_child (parent_id)")
    assert "probe_child_parent_fkey" not in names()


# --- Vacuum and bloat -------------------------------------------------------------------------


def test_dead_rows_past_the_autovacuum_threshold_then_bloat_after_vacuum(su, monitor):
    # rea_owner's table: the bloat estimate reads the statistics rea_owner may read
    su.execute("set role rea_owner")
    su.execute(
        "create table rea.probe_bloat"
        " (id integer constraint probe_bloat_pkey primary key, pad text)"
        " with (autovacuum_enabled = false)"
    )
    su.execute(
        "insert into rea.probe_bloat select g, repeat('x', 200) from generate_series(1, 20000) as g"
    )
    su.execute("analyze rea.probe_bloat")
    assert not [r for r in rows(monitor, "bloat") if r["table_name"] == "probe_bloat"]

    su.execute("delete from rea.probe_bloat where id % 10 <> 0")  # every page keeps a row
    flush_stats(su)
    lagging = eventually(
        lambda: [
            r for r in rows(monitor, "autovacuum_lagging") if r["table_name"] == "probe_bloat"
        ],
        "probe_bloat in autovacuum_lagging",
    )
    assert lagging[0]["dead_rows"] == 18000 and lagging[0]["autovacuum_enabled"] is False
    assert health(monitor)["autovacuum_lagging"]["status"] == "warn"

    su.execute("vacuum (analyze) rea.probe_bloat")
    su.execute("reset role")
    set_threshold(su, "bloat_bytes_min", 0)
    bloated = {(r["kind"], r["relation_name"]): r for r in rows(monitor, "bloat")}
    assert bloated[("table", "probe_bloat")]["wasted_ratio"] > 0.8
    assert bloated[("index", "probe_bloat_pkey")]["wasted_ratio"] > 0.5
    assert health(monitor)["bloat"]["status"] == "warn"
    su.execute("set role rea_owner")
    su.execute("vacuum (full, analyze) rea.probe_bloat")
    assert not [r for r in rows(monitor, "bloat") if r["table_name"] == "probe_bloat"]


def test_xid_age_warns_and_pages_at_its_thresholds(su, monitor):
    ages = rows(monitor, "xid_age")
    assert any(r["datname"] == su.info.dbname and r["xid_age"] > 0 for r in ages)
    assert health(monitor)["xid_age"]["status"] == "ok"
    set_threshold(su, "xid_age_warn", 1)
    assert health(monitor)["xid_age"]["status"] == "warn"
    set_threshold(su, "xid_age_page", 1)
    assert health(monitor)["xid_age"]["status"] == "page"


# --- The project's own ------------------------------------------------------------------------


def _month(today: date, n: int) -> date:
    index = today.year * 12 + today.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def test_the_audit_partition_horizon_warns_then_pages(su, monitor):
    today = su.execute("select (now() at time zone 'UTC')::date").fetchone()[0]
    horizon = rows(monitor, "audit_partition_horizon")[0]
    assert horizon["current_month_exists"] and horizon["months_ahead"] == 12
    assert health(monitor)["audit_partitions"]["status"] == "ok"
    for n in range(3, 13):
        su.execute(f"drop table audit.audit_logs_{_month(today, n):%Y_%m}")
    assert rows(monitor, "audit_partition_horizon")[0]["months_ahead"] == 2
    assert health(monitor)["audit_partitions"]["status"] == "warn"
    su.execute(f"drop table audit.audit_logs_{_month(today, 1):%Y_%m}")
    check = health(monitor)["audit_partitions"]
    assert check["status"] == "page" and "next month has no partition" in check["detail"]
    su.execute("set role rea_owner")
    su.execute("select audit.create_partitions(12)")
    assert health(monitor)["audit_partitions"]["status"] == "ok"


def _ensure_partition(su: psycopg.Connection, day: date) -> None:
    month = day.replace(day=1)
    name = f"audit_logs_{month:%Y_%m}"
    if su.execute("select to_regclass(%s)", (f"audit.{name}",)).fetchone()[0] is None:
        su.execute(
            f"create table audit.{name} partition of audit.audit_logs"
            " for values from (%s) to (%s)".replace("%s", "'{}'").format(
                datetime.combine(month, datetime.min.time(), UTC).isoformat(),
                datetime.combine(_month(month, 1), datetime.min.time(), UTC).isoformat(),
            )
        )


def test_unsealed_days_page_and_sealing_clears_them_with_the_last_seal_per_tenant(su, monitor):
    today = su.execute("select (now() at time zone 'UTC')::date").fetchone()[0]
    two_days_ago = today - timedelta(days=2)
    _ensure_partition(su, two_days_ago)
    tenant = su.execute("select gen_random_uuid()").fetchone()[0]
    su.execute(
        "insert into audit.audit_logs"
        " (client_id, table_name, record_id, action, new_data, occurred_at)"
        " values (%s, 'deals', 'probe', 'INSERT', '{}', %s)",
        (tenant, datetime.combine(two_days_ago, datetime.min.time(), UTC) + timedelta(hours=12)),
    )
    unsealed = rows(monitor, "audit_unsealed_days")[0]
    assert unsealed["first_unsealed_day"] == two_days_ago and unsealed["unsealed_days"] == 2
    assert health(monitor)["audit_unsealed_days"]["status"] == "page"

    su.execute("select audit.seal_days()")
    assert rows(monitor, "audit_unsealed_days")[0]["unsealed_days"] == 0
    assert health(monitor)["audit_unsealed_days"]["status"] == "ok"
    seals = {r["client_id"]: r for r in rows(monitor, "audit_last_seals")}
    assert seals[tenant]["last_sealed_day"] == two_days_ago
    assert seals[tenant]["days_since_last_sealed_day"] == 2


def test_reporting_freshness_comes_from_every_refresh(su, monitor, db):
    fresh = {r["matview"]: r for r in rows(monitor, "reporting_freshness")}
    assert set(fresh) == {
        "reporting.fact_bookings_mv",
        "reporting.fact_deals_mv",
        "reporting.fact_expenses_mv",
    }
    assert all(r["refreshed_at"] is None and r["is_stale"] for r in fresh.values())
    assert health(monitor)["reporting_freshness"]["status"] == "warn"

    result = run_readb("refresh", dsn=url_for(db.info.dbname))
    assert result.returncode == 0, result.stderr
    fresh = {r["matview"]: r for r in rows(monitor, "reporting_freshness")}
    assert all(r["refreshed_at"] is not None and not r["is_stale"] for r in fresh.values())
    assert health(monitor)["reporting_freshness"]["status"] == "ok"

    # a refresh by anyone else (here rea_owner in psql-like SQL) is recorded too
    su.execute("set role rea_owner")
    before = fresh["reporting.fact_deals_mv"]["refreshed_at"]
    su.execute("refresh materialized view concurrently reporting.fact_deals_mv")
    after = {r["matview"]: r for r in rows(monitor, "reporting_freshness")}[
        "reporting.fact_deals_mv"
    ]
    assert after["refreshed_at"] > before
    su.execute("reset role")

    set_threshold(su, "reporting_stale_seconds", 0)
    assert health(monitor)["reporting_freshness"]["status"] == "warn"
    su.execute("refresh materialized view reporting.fact_deals_mv with no data")
    check = health(monitor)["reporting_freshness"]
    assert check["status"] == "page" and "fact_deals_mv not populated" in check["detail"]


def test_role_settings_that_differ_from_the_provisioned_ones(su, monitor, db):
    dbname = db.info.dbname
    drift = lambda: {  # noqa: E731
        (r["role_name"], r["setting_name"]): r
        for r in rows(monitor, "role_settings_drift")
        if r["role_name"] in ("rea_app", "rea_reporting")
    }
    assert ("rea_app", "work_mem") not in drift()
    # set by hand, in this database only (dropped with it)
    su.execute(f"alter role rea_app in database \"{dbname}\" set work_mem = '7MB'")
    assert drift()[("rea_app", "work_mem")]["problem"] == "not provisioned"
    assert health(monitor)["role_settings"]["status"] == "warn"
    su.execute(
        "insert into monitoring.expected_role_settings values"
        " ('rea_app', 'work_mem', '16MB'), ('rea_reporting', 'work_mem', '32MB')"
    )
    found = drift()
    assert (
        found[("rea_app", "work_mem")]["problem"],
        found[("rea_app", "work_mem")]["actual"],
    ) == ("differs", "7MB")
    assert found[("rea_reporting", "work_mem")]["problem"] == "missing"
    su.execute(f"alter role rea_app in database \"{dbname}\" set work_mem = '16MB'")
    su.execute(f"alter role rea_reporting in database \"{dbname}\" set work_mem = '32MB'")
    assert drift() == {}


# --- readb health -----------------------------------------------------------------------------


def _health(dbname: str, sql_dir=SQL_DIR):
    return run_readb("health", dsn=monitor_url(dbname), sql_dir=sql_dir)


def test_readb_health_prints_every_check_and_exits_0_on_a_healthy_database(db):
    db.commit()
    assert run_readb("refresh", dsn=url_for(db.info.dbname)).returncode == 0
    result = _health(db.info.dbname)
    assert result.returncode == 0, result.stdout + result.stderr
    printed = {line.split()[1]: line.split()[0] for line in result.stdout.splitlines()}
    with connect_monitor(db.info.dbname) as monitor:
        assert set(health(monitor)) | {"readb_steps"} == set(printed)
    assert "page" not in printed.values()
    assert printed["readb_steps"] == "ok"


def test_readb_health_exits_1_with_one_line_when_a_check_pages(su, db):
    su.execute(f"drop table audit.audit_logs_{_month(date.today(), 1):%Y_%m}")
    result = _health(db.info.dbname)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == ["readb: 1 check(s) page: audit_partitions"]
    assert any(line.startswith("page  audit_partitions") for line in result.stdout.splitlines())


def test_readb_health_reports_pending_and_drifted_steps(db, tmp_path):
    db.commit()
    steps = tmp_path / "sql"
    for path in SQL_DIR.rglob("*.sql"):
        target = steps / path.relative_to(SQL_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    (steps / "migrations" / "9990_probe.sql").write_text("select 1;\n")
    (steps / "migrations" / "9990_probe.down.sql").write_text("select 1;\n")
    result = _health(db.info.dbname, steps)
    assert "warn  readb_steps                 1 pending: 9990_probe" in result.stdout

    with connect_monitor(db.info.dbname) as monitor:
        newest = rows(monitor, "readb_steps")[0]["newest_step"]
    changed = next(steps.rglob(f"{newest}.sql"))
    changed.write_text(changed.read_text() + "\n-- edited after it was applied\n")
    result = _health(db.info.dbname, steps)
    assert result.returncode == 1
    assert (
        f"page  readb_steps                 applied steps differ from their files: {newest} (drift)"
        in result.stdout
    )


def test_readb_health_without_the_monitoring_schema_is_one_line(empty_url):
    result = run_readb("health", dsn=empty_url)
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "readb: no monitoring schema here: apply the steps first (readb up)"
    )


def test_monitor_login_is_only_a_member_of_rea_monitor(su):
    groups = {
        r[0]
        for r in su.execute(
            "select g.rolname from pg_auth_members m join pg_roles g on g.oid = m.roleid"
            " join pg_roles u on u.oid = m.member where u.rolname = %s",
            (MONITOR_LOGIN,),
        )
    }
    assert groups == {"rea_monitor"}


def test_monitoring_belongs_to_rea_owner_and_nothing_is_granted_to_public(su):
    """Like test_ownership.py for the three tenant schemas: every object of monitoring is
    rea_owner's (so no function there runs with a superuser's rights), and PUBLIC holds
    nothing on it (a NULL ACL of a routine is EXECUTE for PUBLIC)."""
    offenders = su.execute(
        """
        select 'relation ' || c.relname from pg_class c
        where c.relnamespace = 'monitoring'::regnamespace and c.relowner <> 'rea_owner'::regrole
        union all
        select 'routine ' || p.proname from pg_proc p
        where p.pronamespace = 'monitoring'::regnamespace and p.proowner <> 'rea_owner'::regrole
        union all
        select 'public on relation ' || c.relname from pg_class c
        cross join lateral aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
        where c.relnamespace = 'monitoring'::regnamespace and a.grantee = 0
        union all
        select 'public on routine ' || p.proname from pg_proc p
        cross join lateral aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
        where p.pronamespace = 'monitoring'::regnamespace and a.grantee = 0
        union all
        select 'public on schema' from pg_namespace n
        cross join lateral aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
        where n.nspname = 'monitoring' and a.grantee = 0
        """
    ).fetchall()
    assert offenders == []
    assert su.execute(
        "select nspowner::regrole::text from pg_namespace where nspname = 'monitoring'"
    ).fetchone() == ("rea_owner",)

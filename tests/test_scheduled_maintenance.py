"""Scheduled maintenance with pg_cron (7320_scheduled_maintenance).

- Without pg_cron preloaded (the suite's own cluster), the step schedules nothing and
  says so in one WARNING line that readb shows; monitoring.health warns that the
  maintenance is not scheduled.
- On a throwaway cluster that preloads pg_cron (cron.database_name = the database, jobs
  in background workers), `readb up` schedules the six jobs as rea_maintenance. The test
  makes each job's work visible (a missing future audit partition, an expired one, a day
  left unsealed, a customer past its tenant's retention, reporting views never
  refreshed, audit_logs' parent never analyzed), reschedules the jobs to run at the
  next minute (in two groups), waits for their runs, and checks each effect and that
  monitoring.cron_jobs, read as a rea_monitor login, shows every job succeeded. Then it
  takes rea_owner away from rea_maintenance, lets the jobs run once more, and checks
  that each failure shows in monitoring.cron_jobs (from cron.job_run_details) and that
  monitoring.health pages.

The cluster lives in a fresh folder under /tmp owned by the cluster's OS user, on a free
port chosen now, and is stopped and deleted at the end, also when the test fails. The
three rounds wait for pg_cron's minute boundaries: up to three minutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import psycopg.rows
import pytest

from conftest import run_readb
from monitoring import MONITOR_LOGIN, eventually, throwaway_server
from pgbouncer import ensure_login_role, in_ci
from readb import cluster, pgbin

CRON_DB = "rea_cron"
JOBS = {
    "audit-create-partitions",
    "audit-seal-days",
    "audit-drop-expired",
    "customer-retention",
    "reporting-refresh",
    "analyze-partitioned",
}


def test_without_pg_cron_the_step_warns_and_schedules_nothing(empty_url):
    result = run_readb("up", dsn=empty_url)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    assert len(warnings) == 1
    assert "7320_scheduled_maintenance: pg_cron is not in shared_preload_libraries" in warnings[0]
    with psycopg.connect(empty_url, autocommit=True) as conn:
        assert conn.execute("select to_regnamespace('cron')").fetchone() == (None,)
        status, detail = conn.execute(
            "select status, detail from monitoring.health"
            " where check_name = 'scheduled_maintenance'"
        ).fetchone()
    assert status == "warn" and "pg_cron is not set up" in detail


def _pg_cron_installed() -> bool:
    return (Path(pgbin.find("postgres")).parent.parent / "lib" / "pg_cron.so").is_file()


@pytest.fixture
def cron_url() -> Iterator[str]:
    """A database, every step applied, on a fresh cluster that preloads pg_cron."""
    if not _pg_cron_installed():
        reason = "pg_cron is not installed (apt-get install postgresql-15-cron)"
        if in_ci():
            pytest.fail(f"{reason}; CI=true: a missing pg_cron fails the build")
        pytest.skip(reason)
    with throwaway_server("readb-cron-") as (pgdata, port):
        cluster.initialise(pgdata, port)
        cluster.launch(
            pgdata,
            port,
            (
                "shared_preload_libraries=pg_cron,pg_stat_statements",
                f"cron.database_name={CRON_DB}",
                "cron.use_background_workers=on",
                "max_worker_processes=20",
            ),
        )
        with psycopg.connect(cluster.server_url(at_port=port), autocommit=True) as conn:
            conn.execute(f"create database {CRON_DB}")
        url = cluster.server_url(CRON_DB, port)
        result = run_readb("up", dsn=url)
        assert result.returncode == 0, result.stderr
        assert "WARNING" not in result.stderr
        yield url


def _month(day: date, n: int) -> date:
    index = day.year * 12 + day.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _create_partition(conn: psycopg.Connection, month: date) -> str:
    name = f"audit_logs_{month:%Y_%m}"
    start = datetime.combine(month, datetime.min.time(), UTC)
    end = datetime.combine(_month(month, 1), datetime.min.time(), UTC)
    conn.execute(
        f"create table if not exists audit.{name} partition of audit.audit_logs"
        f" for values from ('{start.isoformat()}') to ('{end.isoformat()}')"
    )
    conn.execute(f"alter table audit.{name} owner to rea_audit_owner")  # as audit's own are
    return name


def _runs(monitor: psycopg.Connection) -> dict[str, dict]:
    return {r["job_name"]: r for r in monitor.execute("select * from monitoring.cron_jobs")}


def _health(monitor: psycopg.Connection) -> dict:
    return monitor.execute(
        "select * from monitoring.health where check_name = 'scheduled_maintenance'"
    ).fetchone()


def _completed(conn: psycopg.Connection) -> dict[str, int]:
    return {
        r["jobname"]: r["n"]
        for r in conn.execute(
            "select j.jobname, count(d.runid) as n from cron.job as j"
            " left join cron.job_run_details as d"
            " on d.jobid = j.jobid and d.status in ('succeeded', 'failed')"
            " group by j.jobname"
        )
    }


def _run_once_more(conn: psycopg.Connection, names: set[str]) -> None:
    """Schedule the jobs `names` for every minute (the others inactive), wait until each
    has one more finished run, then make them all inactive again."""
    before = _completed(conn)
    conn.execute(
        "select cron.alter_job(jobid, schedule => '* * * * *', active => jobname = any(%s))"
        " from cron.job",
        (list(names),),
    )
    eventually(
        lambda: all(n > before[j] for j, n in _completed(conn).items() if j in names),
        f"a run of {sorted(names)}",
        wait=150,
    )
    conn.execute("select cron.alter_job(jobid, active => false) from cron.job")


def test_pg_cron_runs_the_maintenance_and_monitoring_shows_failures(cron_url):
    ensure_login_role(cron_url, MONITOR_LOGIN, "rea_monitor")
    monitor_url = cron_url.replace(f"{cluster.SUPERUSER}@", f"{MONITOR_LOGIN}@", 1)
    with (
        psycopg.connect(cron_url, autocommit=True, row_factory=psycopg.rows.dict_row) as su,
        psycopg.connect(monitor_url, autocommit=True, row_factory=psycopg.rows.dict_row) as mon,
    ):
        jobs = {
            r["jobname"]: r for r in su.execute("select jobname, username, database from cron.job")
        }
        assert set(jobs) == JOBS
        assert {(j["username"], j["database"]) for j in jobs.values()} == {
            ("rea_maintenance", CRON_DB)
        }
        today = su.execute("select (now() at time zone 'UTC')::date as d").fetchone()["d"]

        # the work each job has to do
        missing = f"audit_logs_{_month(today, 6):%Y_%m}"
        su.execute(f"drop table audit.{missing}")
        expired = _create_partition(su, _month(today, -70))
        two_days_ago = today - timedelta(days=2)
        _create_partition(su, _month(two_days_ago, 0))
        client = su.execute(
            "insert into rea.clients (name, base_currency, customer_retention)"
            " values ('Cron Realty', 'SAR', interval '1 month') returning id"
        ).fetchone()["id"]
        customer = su.execute(
            "insert into rea.customers (client_id, full_name, email)"
            " values (%s, 'Old Customer', 'old@example.com') returning id",
            (client,),
        ).fetchone()["id"]
        su.execute(
            "insert into audit.audit_logs"
            " (client_id, table_name, record_id, action, new_data, occurred_at)"
            " values (%s, 'deals', 'probe', 'INSERT', '{}', %s)",
            (client, datetime.combine(two_days_ago, datetime.min.time(), UTC)),
        )
        with su.transaction():  # inactive for two months: triggers off, as a restore would
            su.execute("set local session_replication_role = replica")
            su.execute(
                "update rea.customers set updated_at = now() - interval '2 months' where id = %s",
                (customer,),
            )
        assert (
            su.execute(
                "select count(*) as n from pg_stats where schemaname = 'audit'"
                " and tablename = 'audit_logs' and inherited"
            ).fetchone()["n"]
            == 0
        )

        # Jobs that lock audit_logs' partitions in opposite orders (sealing and analyzing
        # read every partition, dropping one locks it, then the parent) run apart: at
        # the same minute they could deadlock, which is a scheduling matter, not this test's.
        _run_once_more(su, JOBS - {"audit-seal-days", "analyze-partitioned"})
        _run_once_more(su, {"audit-seal-days", "analyze-partitioned"})

        runs = _runs(mon)
        assert set(runs) == JOBS
        assert {n: r["last_status"] for n, r in runs.items()} == dict.fromkeys(JOBS, "succeeded")
        assert su.execute("select to_regclass(%s) as r", (f"audit.{missing}",)).fetchone()["r"]
        assert not su.execute("select to_regclass(%s) as r", (f"audit.{expired}",)).fetchone()["r"]
        unsealed = mon.execute("select * from monitoring.audit_unsealed_days").fetchone()
        assert unsealed["unsealed_days"] == 0
        sealed = su.execute(
            "select day from audit.seals where client_id = %s", (client,)
        ).fetchall()
        assert [r["day"] for r in sealed] == [two_days_ago]
        erased = su.execute(
            "select erased_at, full_name from rea.customers where id = %s", (customer,)
        ).fetchone()
        assert erased["erased_at"] is not None and erased["full_name"] != "Old Customer"
        freshness = mon.execute("select * from monitoring.reporting_freshness").fetchall()
        assert freshness and all(not r["is_stale"] for r in freshness)
        assert {r["matview"] for r in freshness} == {
            r["matview"]
            for r in su.execute(
                "select matview from monitoring.refreshes where refreshed_by = 'rea_maintenance'"
            )
        }
        assert (
            su.execute(
                "select count(*) as n from pg_stats where schemaname = 'audit'"
                " and tablename = 'audit_logs' and inherited"
            ).fetchone()["n"]
            > 0
        )
        check = _health(mon)
        assert check["status"] == "ok", check

        # every job fails once its role loses the owner's rights
        su.execute("revoke rea_owner from rea_maintenance")
        _run_once_more(su, JOBS)
        runs = _runs(mon)
        assert {n: r["last_status"] for n, r in runs.items()} == dict.fromkeys(JOBS, "failed")
        assert all("permission denied" in r["last_message"] for r in runs.values()), runs
        assert all(r["failed_runs"] == 1 for r in runs.values())
        check = _health(mon)
        assert check["status"] == "page"
        assert all(name in check["detail"] for name in JOBS)

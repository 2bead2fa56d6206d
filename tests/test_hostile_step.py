"""Issue 9, finding 4: a migration step cannot leave rea_owner.

The documented rollout (README "The rollout user"): the steps that need a superuser
(first line `-- readb:superuser`, or listed in readb/steps.py) run through the admin
DSN, every other step through `--dsn`, a LOGIN that is a member of rea_owner only
(`readb_deployer`, conftest.split_rollout). The test template is built that way, so every
test's database proves that each unmarked, unlisted step applies as that login. Here a
hostile step, 9990, in a copy of the step folder, tries each way out: `reset role` back to
the deployer, `session_replication_role`, roles, the audit trail. Each fails with 42501,
nothing is recorded, and `readb verify` still finds the database as its steps build it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
import psycopg.conninfo
import pytest

from conftest import DEPLOYER, SQL_DIR, make_tenant, run_readb, split_rollout
from readb.steps import discover

HOSTILE = {
    "reset role, then replica mode": (
        "reset role;\nset session_replication_role = replica;\ndelete from audit.audit_logs;\n"
    ),
    "reset role, then set role to the admin": "reset role;\nset role postgres;\n",
    "a backdoor superuser": "reset role;\ncreate role backdoor login superuser;\n",
    "a backdoor login": "create role backdoor login;\n",
    "delete audit rows": "reset role;\ndelete from audit.audit_logs;\n",
    "disable an audit trigger": (
        "set local role rea_owner;\nalter table rea.deals disable trigger deals_audit_update;\n"
    ),
    "become the audit owner": "grant rea_audit_owner to current_user;\n",
    "move retained_from": "update audit.settings set retained_from = current_date;\n",
    "drop the 60-month check": (
        "alter table audit.settings drop constraint settings_retention_months_check;\n"
    ),
}

# Listed in readb/steps.py or marked on line 1: applied through the admin DSN.
SUPERUSER_STEPS_AFTER_6000 = [
    "7300_monitor_role",
    "7310_monitoring",
    "7320_scheduled_maintenance",
    "7400_data_migrations",
    "7430_search_extensions",
    "7460_search_properties",
    "7510_no_temp_for_public",
    "7530_operator_role",
    "7540_audit_owner",
    "7550_audit_day_locks",
    "7560_audit_evidence",
    "7570_audit_trigger_guard",
]


def deployer_url(admin_url: str) -> str:
    return psycopg.conninfo.make_conninfo(admin_url, user=DEPLOYER)


def with_step(tmp_path: Path, body: str) -> Path:
    """A copy of the project's steps plus the hostile 9990 (not marked)."""
    sql_dir = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql_dir)
    (sql_dir / "migrations" / "9990_hostile.sql").write_text(
        "-- A hostile step: it tries to leave rea_owner.\n" + body
    )
    (sql_dir / "migrations" / "9990_hostile.down.sql").write_text("select 1;\n")
    return sql_dir


def snapshot(conn: psycopg.Connection) -> tuple:
    conn.rollback()
    return (
        conn.execute("select count(*) from audit.audit_logs").fetchone()[0],
        conn.execute("select to_regrole('backdoor') is null").fetchone()[0],
        conn.execute("select row(s.*)::text from audit.settings as s").fetchall(),
        conn.execute(
            "select count(*) from pg_auth_members as m join pg_roles as g on g.oid = m.roleid"
            " where g.rolname = 'rea_audit_owner'"
        ).fetchone()[0],
        conn.execute("select max(version) from readb.applied_steps").fetchone()[0],
    )


def test_the_superuser_steps_are_the_baseline_and_the_listed_or_marked_ones():
    steps = discover(SQL_DIR)
    assert [s.name for s in steps if s.superuser and s.version > 6000] == (
        SUPERUSER_STEPS_AFTER_6000
    )
    assert all(s.superuser for s in steps if s.version <= 6000)


def test_the_documented_rollout_applies_the_unmarked_steps_as_the_rollout_login(
    empty_url, empty_db
):
    result = split_rollout("up", admin_url=empty_url)
    assert result.returncode == 0, result.stderr
    by = dict(empty_db.execute("select name, applied_by from readb.applied_steps").fetchall())
    steps = discover(SQL_DIR)
    assert {s.name for s in steps} == set(by)
    assert {n for n, who in by.items() if who == DEPLOYER} == {
        s.name for s in steps if not s.superuser
    }
    assert {n for n, who in by.items() if who != DEPLOYER} == {s.name for s in steps if s.superuser}
    (member_of,) = empty_db.execute(
        "select array_agg(g.rolname::text) from pg_auth_members as m"
        " join pg_roles as g on g.oid = m.roleid join pg_roles as u on u.oid = m.member"
        " where u.rolname = %s",
        (DEPLOYER,),
    ).fetchone()
    assert member_of == ["rea_owner"]
    verify = run_readb("verify", dsn=empty_url)
    assert verify.returncode == 0, verify.stdout + verify.stderr


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_hostile_step_cannot_leave_rea_owner(case, db, db_url, tmp_path):
    make_tenant(db)  # audit rows to delete
    db.commit()
    before = snapshot(db)
    sql_dir = with_step(tmp_path, HOSTILE[case])
    result = run_readb("--admin-dsn", db_url, "up", dsn=deployer_url(db_url), sql_dir=sql_dir)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "could not apply 9990_hostile" in result.stderr
    assert "SQLSTATE 42501" in result.stderr, result.stderr
    assert snapshot(db) == before
    verify = run_readb("verify", dsn=db_url)
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_without_the_split_the_same_step_makes_a_backdoor(db, db_url, tmp_path):
    """The rule broken once: the step run by a superuser --dsn (the old single
    connection) leaves rea_owner and creates the login."""
    sql_dir = with_step(tmp_path, HOSTILE["a backdoor superuser"])
    try:
        result = run_readb("up", dsn=db_url, sql_dir=sql_dir)
        assert result.returncode == 0, result.stderr
        assert db.execute("select rolsuper from pg_roles where rolname = 'backdoor'").fetchone()
    finally:
        db.rollback()
        db.execute("drop role if exists backdoor")
        db.commit()


def test_a_superuser_step_without_an_admin_dsn_is_refused_up_front(empty_url, empty_db):
    first = run_readb("up", "--to", "0100_roles", dsn=empty_url)
    assert first.returncode == 0, first.stderr
    split_rollout("up", "--to", "0100_roles", admin_url=empty_url)  # the login exists
    result = run_readb("up", dsn=deployer_url(empty_url))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "not a superuser" in lines[0] and "0110_extensions" in lines[0]
    assert "--admin-dsn" in lines[0] and "nothing was changed" in lines[0]
    empty_db.rollback()
    assert empty_db.execute("select count(*) from readb.applied_steps").fetchone() == (1,)
    assert empty_db.execute("select to_regnamespace('rea')").fetchone() == (None,)


def test_an_admin_dsn_that_is_not_a_superuser_is_refused(db_url):
    result = run_readb("--admin-dsn", deployer_url(db_url), "up", dsn=deployer_url(db_url))
    assert result.returncode == 1
    assert "--admin-dsn is not a superuser" in result.stderr

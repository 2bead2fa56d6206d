"""Logical backups: a pg_dump by the backup role restores cleanly with plain pg_restore.

The documented procedure (README, "Backup and recovery"): dump the roles and the
database as a login that is a member of rea_backup (tools/backup/backup_role.sql), with
`--role=rea_backup`; on the new cluster, restore the roles first, then `pg_restore`,
then revoke TEMP from PUBLIC again (`7510_no_temp_for_public`: database privileges are
not in a dump), then `readb verify`. These tests run it into fresh clusters on free ports:

- with the roles restored first, pg_restore exits 0 and the copy has every row, policy,
  grant, owner and trigger of the source, its reporting views populated;
- without the roles, pg_restore fails and the rows all arrive, but `readb verify` says
  the security model is gone instead of "ok";
- the refresh of the reporting views does not depend on row_security (7200), which a
  restore turns off.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from conftest import HOST, PORT, PROJECT_ROOT, SQL_DIR, USER, run_readb
from readb import cluster, pgbin

sys.path.insert(0, str(PROJECT_ROOT / "tools" / "backup"))
import backrest

LOGIN = "readb_test_backup_login"
BACKUP_ROLE_SQL = PROJECT_ROOT / "tools" / "backup" / "backup_role.sql"


def _psql(url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [pgbin.find("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, *args],
        input=stdin,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def source(db_url: str) -> str:
    """This test's database, seeded and refreshed, as an operator's would be."""
    for args in (("seed", "--tenants", "2", "--scale", "1"), ("refresh",)):
        result = run_readb(*args, dsn=db_url)
        assert result.returncode == 0, result.stderr
    return db_url


@pytest.fixture
def backup_login() -> Iterator[str]:
    """A login that holds nothing but membership in rea_backup."""
    admin = f"postgresql://{USER}@{HOST}:{PORT}/postgres"
    done = _psql(admin, "-f", str(BACKUP_ROLE_SQL))
    assert done.returncode == 0, done.stderr
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"drop role if exists {LOGIN}")
        conn.execute(f"create role {LOGIN} login in role rea_backup")
    yield LOGIN
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"drop role if exists {LOGIN}")


@pytest.fixture
def fresh_cluster() -> Iterator[backrest.Server]:
    """A new, empty cluster under /tmp on a free port: no roles but its superuser."""
    root = backrest.new_site_dir("readb-test-restore-")
    server = backrest.Server(root / "pgdata", backrest.free_port(), root / "run")
    try:
        server.initdb(cluster.SERVER_SETTINGS, sync=False)
        server.start()
        yield server
    finally:
        backrest.discard(root)


def _server_args(login: str) -> list[str]:
    return ["-h", HOST, "-p", str(PORT), "-U", login]


def _dump(login: str, dbname: str, path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [pgbin.find("pg_dump"), "-Fc", *extra, *_server_args(login), "-d", dbname, "-f", str(path)],
        capture_output=True,
        text=True,
    )


def _dump_roles(login: str) -> str:
    done = subprocess.run(
        [
            pgbin.find("pg_dumpall"),
            "--roles-only",
            "--no-role-passwords",
            "--role=rea_backup",
            *_server_args(login),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _restore(server: backrest.Server, path: Path) -> subprocess.CompletedProcess:
    with psycopg.connect(server.url(), autocommit=True) as conn:
        conn.execute("create database rea")
    return subprocess.run(
        [pgbin.find("pg_restore"), "-d", server.url("rea"), str(path)],
        capture_output=True,
        text=True,
    )


def _tenant_rows(url: str, view: str) -> dict[str, int]:
    """Rows of a reporting view per tenant, read as rea_reporting with the tenant set."""
    out = {}
    with psycopg.connect(url) as conn:
        tenants = [str(c) for (c,) in conn.execute("select id from rea.clients order by id")]
        for client_id in tenants:
            with conn.transaction():
                conn.execute("set local role rea_reporting")
                conn.execute("select set_config('app.client_id', %s, true)", (client_id,))
                out[client_id] = conn.execute(f"select count(*) from {view}").fetchone()[0]
    return out


def test_a_dump_by_the_backup_role_restores_cleanly_once_the_roles_exist(
    source, backup_login, fresh_cluster, tmp_path
):
    dbname = source.rsplit("/", 1)[1]
    dumped = _dump(backup_login, dbname, tmp_path / "rea.dump", "--role=rea_backup")
    assert dumped.returncode == 0, dumped.stderr
    roles = _dump_roles(backup_login)
    # 1. the roles (the new cluster's bootstrap superuser exists already)
    roles = "\n".join(line for line in roles.splitlines() if line != "CREATE ROLE postgres;")
    restored_roles = _psql(fresh_cluster.url(), stdin=roles)
    assert restored_roles.returncode == 0, restored_roles.stderr
    # 2. plain pg_restore: exit 0, not one error or warning
    restored = _restore(fresh_cluster, tmp_path / "rea.dump")
    assert (restored.returncode, restored.stderr) == (0, "")
    # 3. database privileges are not in the dump: PUBLIC holds TEMP again, verify says so
    copy = fresh_cluster.url("rea")
    verified = run_readb("verify", dsn=copy)
    assert "database rea: PUBLIC holds TEMP" in verified.stderr
    # 4. the revoke again, then readb verify
    revoked = _psql(copy, "-f", str(SQL_DIR / "rls" / "7510_no_temp_for_public.sql"))
    assert revoked.returncode == 0, revoked.stderr
    verified = run_readb("verify", dsn=copy)
    assert verified.returncode == 0, verified.stderr

    before, after = backrest.state(source), backrest.state(copy)
    assert after.tables == before.tables
    assert after.schema == before.schema  # policies, grants, owners, triggers
    assert after.policies == before.policies > 0
    assert after.populated_views and all(after.populated_views.values())
    assert after.tables["reporting.fact_deals_mv"][0] > 0
    for view in ("reporting.fact_deals", "reporting.fact_expenses", "reporting.fact_bookings"):
        assert _tenant_rows(copy, view) == _tenant_rows(source, view)
    with psycopg.connect(copy) as conn:
        assert conn.execute("select * from audit.verify_seals()").fetchall() == []


def test_a_restore_without_the_roles_is_caught_by_readb_verify(
    source, backup_login, fresh_cluster, tmp_path
):
    dbname = source.rsplit("/", 1)[1]
    assert _dump(backup_login, dbname, tmp_path / "rea.dump", "--role=rea_backup").returncode == 0
    restored = _restore(fresh_cluster, tmp_path / "rea.dump")
    assert restored.returncode != 0
    assert 'role "rea_owner" does not exist' in restored.stderr
    copy = fresh_cluster.url("rea")
    # Every row arrived: the copy looks fine to anyone who counts rows...
    assert backrest.table_checksums(copy) == backrest.table_checksums(source)
    # ...but it has no policies, owners or grants, and verify says so.
    verified = run_readb("verify", dsn=copy)
    assert verified.returncode == 1
    assert verified.stderr.startswith("readb: verify found ")
    for expected in (
        "role rea_owner does not exist",
        "role rea_app does not exist",
        "are owned by a superuser, not by the project's roles",
        "tables have row-level security but no policy: audit.",
    ):
        assert expected in verified.stderr


def test_the_backup_role_is_needed_and_works_only_through_set_role(source, backup_login, tmp_path):
    """BYPASSRLS is an attribute, not inherited: a member dumping without --role stops
    at the first FORCE RLS table, which is why the procedure says --role=rea_backup."""
    dbname = source.rsplit("/", 1)[1]
    without = _dump(backup_login, dbname, tmp_path / "a.dump")
    assert without.returncode != 0
    assert "row-level security" in without.stderr
    assert _dump(backup_login, dbname, tmp_path / "b.dump", "--role=rea_backup").returncode == 0
    with psycopg.connect(f"postgresql://{USER}@{HOST}:{PORT}/postgres") as conn:
        attributes = conn.execute(
            "select rolcanlogin, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb,"
            " pg_has_role('rea_backup', 'pg_read_all_data', 'member'),"
            " pg_has_role('rea_backup', 'pg_write_all_data', 'member')"
            " from pg_roles where rolname = 'rea_backup'"
        ).fetchone()
    assert attributes == (False, False, True, False, False, True, False)


def test_the_reporting_views_refresh_with_row_security_off(db):
    """pg_restore runs with row_security = off; the refresh must not depend on it (7200)."""
    db.execute("set row_security = off")
    for (view,) in db.execute(
        "select format('%I.%I', schemaname, matviewname) from pg_matviews"
        " where schemaname = 'reporting' order by 1"
    ).fetchall():
        db.execute(f"refresh materialized view {view}")

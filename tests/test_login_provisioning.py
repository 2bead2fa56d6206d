"""`readb login create`: login roles for the contract's roles, with their session defaults
(hardening issue, finding 5: no statement, lock or idle timeout was set, so one stuck
application session could stall every tenant).

- the login is a plain LOGIN member of exactly its contract role, carries the documented
  defaults, and monitoring.expected_role_settings records them, so role_settings_drift
  (and readb health) are quiet until the login changes its own settings (finding 6: a
  login may `alter role self set ...`, PostgreSQL cannot forbid it; this detects it);
- a stuck rea_app session, idle in a transaction holding row locks, or holding `lock
  table ... in access exclusive mode` (PG15 allows it with UPDATE privilege), is cut off
  by idle_in_transaction_session_timeout, and the other sessions' writes go on; a stuck
  statement is cancelled by statement_timeout.

The defaults are minutes and tens of seconds; the test provisions its logins with
second-long overrides (`--setting`), which is also what they are for.
"""

import secrets
import threading

import psycopg
import psycopg.sql
import pytest
from psycopg import errors

from conftest import HOST, PORT, insert, make_tenant, run_readb
from readb.login import DEFAULTS

FAST = [
    "--setting",
    "idle_in_transaction_session_timeout=1s",
    "--setting",
    "statement_timeout=3s",
    "--setting",
    "lock_timeout=10s",
]


@pytest.fixture
def provisioned(db, db_url):
    """Make logins with readb login create; drop them afterwards (roles are cluster-wide
    and their settings would show as drift in every other database)."""
    made = []

    def make(kind: str, *extra: str) -> str:
        name = f"prov_{kind}_{secrets.token_hex(3)}"
        result = run_readb("login", "create", name, "--role", kind, *extra, dsn=db_url)
        assert result.returncode == 0, result.stderr
        made.append(name)
        return name

    yield make
    db.rollback()
    for name in made:
        db.execute(
            "select pg_terminate_backend(pid) from pg_stat_activity where usename = %s", (name,)
        )
        db.execute(psycopg.sql.SQL("drop role {}").format(psycopg.sql.Identifier(name)))
    db.commit()


def _connect(db: psycopg.Connection, login: str, **kw) -> psycopg.Connection:
    return psycopg.connect(f"postgresql://{login}@{HOST}:{PORT}/{db.info.dbname}", **kw)


def _settings(db: psycopg.Connection, login: str) -> dict[str, str]:
    rows = db.execute(
        "select unnest(s.setconfig) from pg_db_role_setting as s"
        " join pg_roles as r on r.oid = s.setrole where r.rolname = %s and s.setdatabase = 0",
        (login,),
    ).fetchall()
    return dict(r[0].split("=", 1) for r in rows)


@pytest.mark.parametrize("kind", sorted(DEFAULTS))
def test_a_login_gets_its_role_and_its_defaults(db, provisioned, kind):
    name = provisioned(kind)
    group = {"app": "rea_app", "reporting": "rea_reporting"}.get(kind, f"rea_{kind}")
    can_login, attrs, member_of = db.execute(
        "select r.rolcanlogin, r.rolsuper or r.rolbypassrls or r.rolcreaterole or r.rolcreatedb,"
        " array(select g.rolname::text from pg_auth_members as m"
        " join pg_roles as g on g.oid = m.roleid where m.member = r.oid)"
        " from pg_roles as r where r.rolname = %s",
        (name,),
    ).fetchone()
    assert (can_login, attrs, member_of) == (True, False, [group])
    assert _settings(db, name) == DEFAULTS[kind]
    assert {"lock_timeout", "idle_in_transaction_session_timeout", "statement_timeout"} <= set(
        DEFAULTS[kind]
    )
    drift = db.execute(
        "select * from monitoring.role_settings_drift where role_name = %s", (name,)
    ).fetchall()
    assert drift == []


def test_a_login_that_changes_its_own_settings_is_reported(db, db_url, provisioned):
    name = provisioned("app")
    with _connect(db, name, autocommit=True) as conn:
        conn.execute(f"alter role {name} set default_transaction_read_only = on")
        conn.execute(f"alter role {name} set lock_timeout = '1h'")
    drift = db.execute(
        "select setting_name from monitoring.role_settings_drift where role_name = %s order by 1",
        (name,),
    ).fetchall()
    assert drift == [("default_transaction_read_only",), ("lock_timeout",)]
    health = run_readb("health", dsn=db_url)
    assert any(
        line.startswith("warn") and "role_settings" in line for line in health.stdout.splitlines()
    ), health.stdout


def test_the_password_is_set_from_the_environment_as_a_verifier(
    db, db_url, provisioned, monkeypatch
):
    monkeypatch.setenv("PROV_PASSWORD", "correct horse battery staple")
    name = provisioned("reporting", "--password-from-env", "PROV_PASSWORD")
    (stored,) = db.execute(
        "select rolpassword from pg_authid where rolname = %s", (name,)
    ).fetchone()
    assert stored.startswith("SCRAM-SHA-256$")
    monkeypatch.delenv("PROV_PASSWORD")
    result = run_readb(
        "login",
        "create",
        "prov_nopass",
        "--role",
        "app",
        "--password-from-env",
        "PROV_PASSWORD",
        dsn=db_url,
    )
    assert result.returncode == 1 and "PROV_PASSWORD" in result.stderr


def _write(conn: psycopg.Connection, tenant, role_id: object, name: str) -> None:
    """Tenant's ordinary writes: a customer, and a role given to its agent."""
    with conn.transaction():
        conn.execute(
            "select set_config('app.client_id', %s, true), set_config('app.user_id', %s, true)",
            (str(tenant.client_id), str(tenant.agent_id)),
        )
        conn.execute(
            "insert into rea.customers (client_id, full_name) values (%s, %s)",
            (tenant.client_id, name),
        )
        conn.execute(
            "insert into rea.user_roles (client_id, user_id, role_id) values (%s, %s, %s)",
            (tenant.client_id, tenant.agent_id, role_id),
        )


@pytest.mark.parametrize("hold", ["row locks", "access exclusive"])
def test_a_stuck_session_is_cut_off_and_the_others_go_on(db, provisioned, hold):
    a, b = make_tenant(db, "Stuck Realty"), make_tenant(db, "Busy Realty")
    role_b = insert(db, "roles", client_id=b.client_id, name="Agents")["id"]
    db.commit()
    stuck, busy = provisioned("app", *FAST), provisioned("app", *FAST)
    attacker = _connect(db, stuck)
    attacker.execute(
        "select set_config('app.client_id', %s, true), set_config('app.user_id', %s, true)",
        (str(a.client_id), str(a.agent_id)),
    )
    attacker.execute(
        "update rea.customers set full_name = 'Held' where client_id = %s", (a.client_id,)
    )
    if hold == "access exclusive":
        # rea_app holds table-level DELETE on the join tables: enough for LOCK TABLE
        attacker.execute("lock table rea.user_roles in access exclusive mode")
    # the attacker now sits idle in its transaction, holding the locks
    done = []
    with _connect(db, busy, autocommit=True) as other:
        # tenant B's write waits for the lock only until the stuck session is cut off;
        # tenant A's write of the held row too
        worker = threading.Thread(
            target=lambda: (_write(other, b, role_b, "Goes On"), done.append("b"))
        )
        worker.start()
        worker.join(timeout=30)
        assert done == ["b"]
        with other.transaction():
            other.execute(
                "select set_config('app.client_id', %s, true), set_config('app.user_id', %s, true)",
                (str(a.client_id), str(a.agent_id)),
            )
            changed = other.execute(
                "update rea.customers set full_name = 'Next' where client_id = %s", (a.client_id,)
            ).rowcount
        assert changed == 1
    with pytest.raises(errors.IdleInTransactionSessionTimeout):  # 25P03: it was cut off
        attacker.execute("select 1")
    attacker.close()


def test_a_stuck_statement_is_cancelled(db, provisioned):
    name = provisioned("app", *FAST)
    with _connect(db, name) as conn, pytest.raises(errors.QueryCanceled):
        conn.execute("select pg_sleep(30)")

"""The tenant id and the keys travel as bound parameters, never as literals (hardening
issue, finding 6): a literal is part of the statement's text, which every other session of
the same login reads in pg_stat_activity, and which the server log writes out when the
statement fails (log_min_error_statement) or is logged (log_statement).

A login made by `readb login create --role app` (log_parameter_max_length = 0 and
log_parameter_max_length_on_error = 0) calls rea.set_customer_identifiers() through
psycopg, which binds parameters server-side, with a key that is too short (22023): the
failed statement is in the log (the test turns statement logging on for the login) and in
pg_stat_activity, the key and the national id are in neither. The same call with literals
shows the key to another session: the control that makes the first assertion mean
something.
"""

import secrets

import psycopg
import pytest
from psycopg import errors

from conftest import HOST, PORT, run_readb
from readb import cluster

LOGGED = ["--setting", "log_statement=all", "--setting", "log_min_error_statement=error"]


@pytest.fixture
def app_login(db, db_url):
    name = f"bound_app_{secrets.token_hex(3)}"
    result = run_readb("login", "create", name, "--role", "app", *LOGGED, dsn=db_url)
    assert result.returncode == 0, result.stderr
    yield name
    db.rollback()
    db.execute("select pg_terminate_backend(pid) from pg_stat_activity where usename = %s", (name,))
    db.execute(f"drop role {name}")
    db.commit()


def _connect(db, login):
    return psycopg.connect(f"postgresql://{login}@{HOST}:{PORT}/{db.info.dbname}", autocommit=True)


def _their_query(watcher: psycopg.Connection, pid: int) -> str:
    return watcher.execute("select query from pg_stat_activity where pid = %s", (pid,)).fetchone()[
        0
    ]


def _fail_with_a_short_key(conn, watcher, tenant, key: str, national_id: str, bound: bool) -> str:
    """The failing call, in a transaction left open (aborted) while the watcher, another
    session of the same login, reads its query in pg_stat_activity; then rolled back."""
    conn.execute("begin")
    conn.execute(
        "select set_config('app.client_id', %s, true), set_config('app.user_id', %s, true)",
        (str(tenant.client_id), str(tenant.agent_id)),
    )
    with pytest.raises(errors.InvalidParameterValue):
        if bound:
            conn.execute(
                "select rea.set_customer_identifiers(%s, %s, null, %s)",
                (tenant.customer_id, national_id, key),
            )
        else:  # what the contract forbids
            conn.execute(
                f"select rea.set_customer_identifiers('{tenant.customer_id}', '{national_id}',"
                f" null, '{key}')"
            )
    seen = _their_query(watcher, conn.info.backend_pid)
    conn.execute("rollback")
    return seen


def test_a_bound_key_is_in_no_log_and_no_other_session(db, tenant, app_login):
    log = cluster.data_dir() / "server.log"
    if HOST != "127.0.0.1" or not log.is_file():
        pytest.skip("the server's log is not on this machine")
    db.commit()
    key, national_id = f"K{secrets.token_hex(4)}", f"9{secrets.randbelow(10**9):09d}"
    start = log.stat().st_size
    with _connect(db, app_login) as conn, _connect(db, app_login) as watcher:
        seen = _fail_with_a_short_key(conn, watcher, tenant, key, national_id, bound=True)
    with log.open(errors="replace") as f:
        f.seek(start)
        logged = f.read()
    assert "set_customer_identifiers($1, $2, null, $3)" in logged  # the statement was logged
    assert "set_customer_identifiers($1, $2, null, $3)" in seen
    for secret in (key, national_id, str(tenant.client_id)):
        assert secret not in logged
        assert secret not in seen


def test_a_literal_key_is_shown_to_another_session_of_the_login(db, tenant, app_login):
    db.commit()
    key = f"K{secrets.token_hex(4)}"
    with _connect(db, app_login) as conn, _connect(db, app_login) as watcher:
        seen = _fail_with_a_short_key(conn, watcher, tenant, key, "1234567890", bound=False)
    assert key in seen

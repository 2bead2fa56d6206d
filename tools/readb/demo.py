"""The demo as each role sees it: its login roles, its closing summary, `readb psql`.

    python -m readb.demo logins URL    # demo_app, demo_reporting, demo_auditor (idempotent)
    python -m readb.demo summary URL   # steps, rows per table, the URLs, a psql session

`make demo` runs both after `readb up`, `seed` and `refresh`. The logins are LOGIN
members of the contract's roles, with no password: the local cluster trusts loopback
connections, which is why it is for demos and tests only. `readb psql --as app
--tenant NAME` (see `psql_command`) opens psql as one of them with an agency's context
set for the whole interactive session; it refuses any server but the local demo cluster
unless told `--any-server`.
"""

from __future__ import annotations

import ipaddress
import os
import sys
from dataclasses import dataclass

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from readb import cluster, login, pgbin
from readb.errors import ReadbError
from readb.seed import SEEDED_TABLES

# --as NAME -> (the contract role, the demo login that holds it)
LOGINS = {
    "app": ("rea_app", "demo_app"),
    "reporting": ("rea_reporting", "demo_reporting"),
    "auditor": ("rea_auditor", "demo_auditor"),
}


def ensure_logins(conn: psycopg.Connection) -> list[str]:
    """Create the demo logins that are missing, through `readb login create` (so they
    carry the provisioned session defaults); the names created."""
    made = []
    for kind, (_, name) in LOGINS.items():
        exists = conn.execute("select 1 from pg_roles where rolname = %s", (name,)).fetchone()
        login.create(conn, name, kind)
        if not exists:
            made.append(name)
    return made


def login_url(dsn: str, login: str) -> str:
    """The same server and database as `dsn`, as `login`, without a password."""
    params = {k: v for k, v in conninfo_to_dict(dsn).items() if k not in ("user", "password")}
    host, port, dbname = (
        params.get("host", "127.0.0.1"),
        params.get("port", "5432"),
        params["dbname"],
    )
    return f"postgresql://{login}@{host}:{port}/{dbname}"


def summary(dsn: str) -> str:
    with psycopg.connect(dsn) as conn:
        steps = conn.execute("select count(*) from readb.applied_steps").fetchone()[0]
        rows = {
            table: conn.execute(
                sql.SQL("select count(*) from rea.{}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in SEEDED_TABLES
        }
        first = conn.execute(
            "select c.name, c.id::text, u.id::text from rea.clients as c"
            " join lateral (select id from rea.users where client_id = c.id"
            "               order by email limit 1) as u on true"
            " order by c.name limit 1"
        ).fetchone()
    name, client_id, user_id = first or ("NAME", "CLIENT-UUID", "USER-UUID")
    app_url = login_url(dsn, LOGINS["app"][1])
    lines = [
        f"steps applied: {steps}",
        "rows: " + ", ".join(f"{table} {count:,}" for table, count in rows.items()),
        "",
        f"superuser   {dsn}",
        "            (a superuser bypasses row-level security: it sees every agency's rows)",
    ]
    for as_name, (role, name) in LOGINS.items():
        lines.append(f"{as_name:<11} {login_url(dsn, name)}   ({role})")
    lines += [
        "",
        f"As the application, agency {name}: set the tenant and the actor inside a",
        "transaction (in psql's autocommit mode set_config(..., true) ends with its own",
        "statement, and the next query sees no tenant: no rows, no warning):",
        f"  psql {app_url} -v tenant={client_id} -v actor={user_id}",
        "  begin;",
        "  select set_config('app.client_id', :'tenant', true),",
        "         set_config('app.user_id', :'actor', true);",
        "  select count(*) from rea.customers;",
        "  commit;",
        "Or with the context set for the whole session:",
        f'  .venv/bin/readb --dsn {dsn} psql --as app --tenant "{name}"',
    ]
    return "\n".join(lines) + "\n"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _refuse_unless_demo(params: dict[str, str], any_server: bool) -> None:
    if any_server:
        return
    host, port = params.get("host", ""), params.get("port", "5432")
    if not (_is_loopback(host) and str(port) == str(cluster.port())):
        raise ReadbError(
            f"readb psql opens a session with one agency's context set for its whole life,"
            f" which is for the local demo cluster (127.0.0.1:{cluster.port()}) only;"
            f" {host or 'this server'}:{port} is not it (pass --any-server if you mean it)"
        )


@dataclass(frozen=True)
class Session:
    argv: list[str]
    env: dict[str, str]
    banner: str


def psql_command(
    dsn: str, as_role: str, tenant: str, actor: str | None, any_server: bool, extra: list[str]
) -> Session:
    """The psql command line and environment for `readb psql`."""
    params = {k: str(v) for k, v in conninfo_to_dict(dsn).items()}
    _refuse_unless_demo(params, any_server)
    role, login = LOGINS[as_role]
    try:
        with psycopg.connect(dsn, connect_timeout=10) as conn:
            if not conn.execute("select 1 from pg_roles where rolname = %s", (login,)).fetchone():
                raise ReadbError(f"there is no login {login}: run make demo first")
            found = conn.execute(
                "select id::text from rea.clients where name = %s", (tenant,)
            ).fetchone()
            if found is None:
                names = [n for (n,) in conn.execute("select name from rea.clients order by 1")]
                raise ReadbError(
                    f"no agency is named {tenant!r}; there are: {', '.join(names) or 'none'}"
                )
            client_id = found[0]
            user = conn.execute(
                "select id::text, email from rea.users where client_id = %s"
                " and (%s::text is null or email = %s) order by email limit 1",
                (client_id, actor, actor),
            ).fetchone()
    except psycopg.Error as exc:
        first = (exc.diag.message_primary or str(exc)).splitlines()[0]
        raise ReadbError(f"cannot look up the agency: {first}") from None
    if user is None:
        raise ReadbError(
            f"agency {tenant!r} has no user {actor!r}"
            if actor
            else f"agency {tenant!r} has no users"
        )
    user_id, email = user
    target = {k: v for k, v in params.items() if k not in ("user", "password")}
    target["user"] = login
    env = dict(os.environ)
    # Session-level settings, given at connection start: the context lasts as long as
    # this psql, which is what an interactive look at the data wants (and what an
    # application behind a pool must never do; it sets them per transaction).
    env["PGOPTIONS"] = (
        env.get("PGOPTIONS", "") + f" -c app.client_id={client_id} -c app.user_id={user_id}"
    ).strip()
    argv = [pgbin.find("psql"), "-X", make_conninfo(**target), *extra]
    banner = (
        f"psql as {login} ({role}), agency {tenant} ({client_id}), actor {email};"
        " the context is set for the whole session (demo only: the application sets it"
        " in each transaction)"
    )
    return Session(argv, env, banner)


def main(argv: list[str]) -> int:
    try:
        match argv:
            case ["logins", dsn]:
                with psycopg.connect(dsn, autocommit=True) as conn:
                    for login in ensure_logins(conn):
                        print(f"created login {login}")
            case ["summary", dsn]:
                sys.stdout.write(summary(dsn))
            case _:
                print("usage: python -m readb.demo logins URL | summary URL", file=sys.stderr)
                return 2
    except (ReadbError, psycopg.Error) as exc:
        print(f"readb.demo: {str(exc).strip().splitlines()[0]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Login roles for the contract's roles, with their session defaults in one place.

    readb --dsn ADMIN_URL login create NAME --role app|reporting|auditor|monitor
          [--password-from-env VAR] [--setting NAME=VALUE ...]

creates (or brings back in line) a LOGIN role that is a plain member of exactly one
contract role, sets the role's defaults (`alter role ... set`, for every database) and
records them in `monitoring.expected_role_settings`, which `monitoring.role_settings_drift`
and `readb health` compare with what the role holds later (a login may `alter role self
set ...`: PostgreSQL cannot forbid it, this detects it).

Why a command and not a SQL function: a function that creates roles must run as a role
with CREATEROLE, and on PostgreSQL 15 a CREATEROLE role can grant itself almost any role;
the admin DSN's session is the only one that should hold that. The password comes from an
environment variable and reaches the server only as a SCRAM verifier computed here
(libpq's PQencryptPasswordConn), never as plain text in a statement.
"""

from __future__ import annotations

import os
import re

import psycopg
from psycopg import sql

from readb.errors import ReadbError

# --role NAME -> the contract role the login is a member of
ROLES = {
    "app": "rea_app",
    "reporting": "rea_reporting",
    "auditor": "rea_auditor",
    "monitor": "rea_monitor",
}

# The defaults every login of a role gets. A stuck session is cut off (idle in a
# transaction: its locks go; a statement: cancelled), a lock wait fails instead of
# queueing everyone behind it. The application's bound parameters (identifier keys) are
# never written to the server log, not even for a failing statement. The read-only roles
# start every transaction read-only.
_SESSION = {
    "lock_timeout": "5s",
    "idle_in_transaction_session_timeout": "60s",
}
DEFAULTS: dict[str, dict[str, str]] = {
    "app": _SESSION
    | {
        "statement_timeout": "30s",
        "log_parameter_max_length": "0",
        "log_parameter_max_length_on_error": "0",
    },
    "reporting": _SESSION | {"statement_timeout": "120s", "default_transaction_read_only": "on"},
    "auditor": _SESSION | {"statement_timeout": "300s", "default_transaction_read_only": "on"},
    "monitor": _SESSION | {"statement_timeout": "10s", "default_transaction_read_only": "on"},
}

_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def settings_for(role: str, overrides: list[str]) -> dict[str, str]:
    """The role's defaults with NAME=VALUE overrides applied (a new NAME is added)."""
    settings = dict(DEFAULTS[role])
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep or not _NAME.fullmatch(name) or not value:
            raise ReadbError(f"--setting {item!r}: expected NAME=VALUE")
        settings[name] = value
    return settings


def create(
    conn: psycopg.Connection,
    name: str,
    role: str,
    password_env: str | None = None,
    overrides: list[str] | None = None,
) -> list[str]:
    """Create or align the login `name`; returns the lines to print."""
    if not _NAME.fullmatch(name) or name.startswith(("rea_", "pg_")):
        raise ReadbError(f"login name {name!r}: lowercase, not rea_* or pg_*")
    group = ROLES[role]
    settings = settings_for(role, overrides or [])
    password = None
    if password_env is not None:
        password = os.environ.get(password_env)
        if not password:
            raise ReadbError(f"--password-from-env {password_env}: the variable is unset or empty")
    ident = sql.Identifier(name)
    with conn.transaction():
        row = conn.execute(
            "select rolsuper or rolbypassrls or rolcreaterole or rolcreatedb or rolreplication"
            " from pg_catalog.pg_roles where rolname = %s",
            (name,),
        ).fetchone()
        if row and row[0]:
            raise ReadbError(f"role {name} exists with privileges a login of {group} must not hold")
        if row is None:
            conn.execute(sql.SQL("create role {} login").format(ident))
        conn.execute(
            sql.SQL(
                "alter role {} login inherit nosuperuser nocreatedb nocreaterole"
                " noreplication nobypassrls"
            ).format(ident)
        )
        for (other,) in conn.execute(
            "select g.rolname from pg_catalog.pg_auth_members as m"
            " join pg_catalog.pg_roles as g on g.oid = m.roleid"
            " join pg_catalog.pg_roles as r on r.oid = m.member"
            " where r.rolname = %s and g.rolname <> %s",
            (name, group),
        ).fetchall():
            conn.execute(sql.SQL("revoke {} from {}").format(sql.Identifier(other), ident))
        conn.execute(sql.SQL("grant {} to {}").format(sql.Identifier(group), ident))
        conn.execute(sql.SQL("alter role {} reset all").format(ident))
        for setting, value in settings.items():
            conn.execute(
                sql.SQL("alter role {} set {} = {}").format(
                    ident, sql.Identifier(setting), sql.Literal(value)
                )
            )
        if password is not None:
            verifier = conn.pgconn.encrypt_password(
                password.encode(), name.encode(), b"scram-sha-256"
            )
            conn.execute(
                sql.SQL("alter role {} password {}").format(ident, sql.Literal(verifier.decode()))
            )
        conn.execute("delete from monitoring.expected_role_settings where role_name = %s", (name,))
        for setting, value in settings.items():
            conn.execute(
                "insert into monitoring.expected_role_settings"
                " (role_name, setting_name, setting_value) values (%s, %s, %s)",
                (name, setting, value),
            )
    lines = [f"login {name}: member of {group}" + (", password set" if password else "")]
    lines += [f"  {setting} = {value}" for setting, value in settings.items()]
    return lines

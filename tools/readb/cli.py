"""readb: apply the numbered SQL steps under sql/ to a PostgreSQL database.

Every expected failure (bad DSN, drift, a failing step, a lock held by another run)
ends in one line on stderr and a non-zero exit; tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

import psycopg

from readb import apply, audit, demo, docs, dump, health, login, seed
from readb.errors import ReadbError
from readb.record import refuse_out_of_order
from readb.steps import discover, resolve_version

# The sql/ folder of the checkout readb is installed from (an editable install).
CHECKOUT_SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
STEP_FOLDERS = ("ddl", "rls", "views", "migrations")


def find_sql_dir(start: Path) -> Path | None:
    """The nearest `sql/` holding step folders, from `start` upward (as git finds its
    root): in a second worktree, its own steps, not those of the checkout whose venv
    runs readb."""
    for folder in (start, *start.parents):
        candidate = folder / "sql"
        if any((candidate / name).is_dir() for name in STEP_FOLDERS):
            return candidate
    return None


def sql_dir_for(explicit: Path | None, say_where: bool = True) -> Path:
    """--sql-dir, else $READB_SQL_DIR, else the nearest sql/ upward from here, else the
    installed checkout's. Says which on stderr when it is not ./sql."""
    if explicit:
        return explicit
    if env := os.environ.get("READB_SQL_DIR"):
        return Path(env)
    cwd = Path.cwd()
    found = find_sql_dir(cwd)
    if found is None and CHECKOUT_SQL_DIR.is_dir():
        found = CHECKOUT_SQL_DIR
        why = "none found from the current folder upward: the installed checkout's"
    else:
        why = "the nearest sql/ from the current folder upward"
    if found is None:
        raise ReadbError("no step folder: run readb inside a checkout, or pass --sql-dir DIR")
    if say_where and found.resolve() != (cwd / "sql").resolve():
        print(f"readb: steps from {found} ({why})", file=sys.stderr, flush=True)
    return found


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """Usage mistakes end in one line too (exit 2), like every other error."""
        self.exit(2, f"readb: {message} (see readb --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="readb", description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", help="connection URL (default: $DATABASE_URL)")
    parser.add_argument(
        "--admin-dsn",
        metavar="URL",
        help="a superuser's connection URL for the steps that need one (first line"
        " '-- readb:superuser', or listed in readb/steps.py); every other step runs through"
        " --dsn, a login that is a member of rea_owner only (default: $READB_ADMIN_DSN, else"
        " --dsn itself when it is a superuser)",
    )
    parser.add_argument(
        "--sql-dir",
        type=Path,
        help="folder holding ddl/ rls/ views/ migrations/ (default: $READB_SQL_DIR, else"
        " the nearest sql/ from the current folder upward, else the installed checkout's)",
    )
    parser.add_argument(
        "--lock-timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="how long to wait for another readb run on the same database (default 60)",
    )
    parser.add_argument(
        "--step-lock-timeout",
        default="5s",
        metavar="DURATION",
        help="PostgreSQL lock_timeout while a step runs, so a step never queues behind a "
        "long transaction while blocking everyone else (default 5s)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p_up = sub.add_parser("up", help="apply every pending step in order")
    p_up.add_argument("--to", metavar="VERSION", help="stop after this step (number or name)")
    p_down = sub.add_parser("down", help="revert applied steps newer than VERSION")
    p_down.add_argument("--to", metavar="VERSION", required=True, help="0 reverts everything")
    sub.add_parser("status", help="each step: applied (when, checksum) or pending; exit 1 on drift")
    sub.add_parser(
        "verify",
        help="exit 1 naming each difference between the database and its steps",
    )
    p_plan = sub.add_parser("plan", help="print the rollout script for psql")
    p_plan.add_argument("--sql", action="store_true", required=True, help="print it as SQL")
    p_seed = sub.add_parser("seed", help="load deterministic demo data")
    p_seed.add_argument("--tenants", type=int, required=True, metavar="N")
    p_seed.add_argument("--scale", type=int, required=True, metavar="S", help="1 is small")
    p_seed.add_argument("--random-seed", type=int, default=1, metavar="K")
    p_seed.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=seed.DEFAULT_AS_OF,
        metavar="DATE",
        help=f"last day of the three years of history (default {seed.DEFAULT_AS_OF})",
    )
    sub.add_parser("refresh", help="refresh the reporting materialized views")
    sub.add_parser("dump", help="print the normalised schema (what sql/schema.sql holds)")
    sub.add_parser("docs", help="print the schema documentation (what docs/schema.md holds)")
    sub.add_parser("steps", help="list the steps on disk, without a database")
    p_psql = sub.add_parser(
        "psql",
        help="open psql on the local demo as a contract role, with an agency's context set",
        description="Open psql as demo_app, demo_reporting or demo_auditor (made by make demo)"
        " with app.client_id and app.user_id set for the whole session. --dsn is the demo's"
        " superuser URL, used to look the agency up. Arguments after -- go to psql.",
    )
    p_psql.add_argument("--as", dest="as_role", choices=sorted(demo.LOGINS), default="app")
    p_psql.add_argument("--tenant", required=True, metavar="NAME", help="the agency's name")
    p_psql.add_argument("--actor", metavar="EMAIL", help="the acting user (default: the first)")
    p_psql.add_argument(
        "--any-server",
        action="store_true",
        help="allow a server other than the local demo cluster",
    )
    p_psql.add_argument("psql_args", nargs="*", metavar="-- PSQL-ARG", help=argparse.SUPPRESS)
    sub.add_parser(
        "health", help="print the monitoring checks; exit 1 when one that should page fails"
    )
    p_login = sub.add_parser("login", help="provision login roles (with an admin DSN)")
    login_sub = p_login.add_subparsers(dest="login_command", required=True, metavar="ACTION")
    p_create = login_sub.add_parser(
        "create",
        help="create a LOGIN member of one contract role, with the role's session defaults",
        description="Create (or align) a LOGIN role that is a member of exactly one contract"
        " role, set its defaults (statement, lock and idle-in-transaction timeouts, ...) and"
        " record them in monitoring.expected_role_settings.",
    )
    p_create.add_argument("name", help="the login's name")
    p_create.add_argument("--role", required=True, choices=sorted(login.ROLES))
    p_create.add_argument(
        "--password-from-env", metavar="VAR", help="set the password from this variable"
    )
    p_create.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override or add one default (repeatable)",
    )
    p_audit = sub.add_parser("audit", help="the audit trail's seals: heads, verify, seal")
    audit_sub = p_audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    audit_sub.add_parser(
        "heads", help="print the latest seal of each tenant (and unsealed days) as JSON lines"
    )
    p_verify = audit_sub.add_parser(
        "verify", help="check the rows, the seal chain and every head of FILE; exit 1 naming each"
    )
    p_verify.add_argument("--heads", type=Path, metavar="FILE", help="JSON lines from audit heads")
    audit_sub.add_parser("seal", help="seal every closed UTC day (the daily job)")
    return parser


def _say(line: str) -> None:
    print(line, flush=True)


# The commands that read the step folder.
_NEED_STEPS = {"up", "down", "status", "verify", "plan", "steps", "health"}


def _options(args: argparse.Namespace, *, need_dsn: bool = True) -> apply.Options:
    dsn = args.dsn or os.environ.get("DATABASE_URL", "")
    if need_dsn and not dsn:
        raise ReadbError("no database: pass --dsn URL or set DATABASE_URL")
    sql_dir = sql_dir_for(args.sql_dir) if args.command in _NEED_STEPS else Path("sql")
    if args.lock_timeout < 0:
        raise ReadbError("--lock-timeout must be zero or more seconds")
    admin_dsn = args.admin_dsn or os.environ.get("READB_ADMIN_DSN", "")
    return apply.Options(dsn, sql_dir, args.lock_timeout, args.step_lock_timeout, admin_dsn)


def _status(opts: apply.Options) -> int:
    rows = apply.states(opts)
    bad = 0
    for s in rows:
        if s.applied:
            when = s.applied.applied_at.isoformat(sep=" ", timespec="seconds")
            detail = f"{when}  sha256:{s.applied.checksum[:12]}"
        else:
            detail = ""
        if s.state == "drift" and s.step:
            detail += f"  file now sha256:{s.step.checksum[:12]}"
        bad += s.state in ("drift", "missing")
        print(f"{s.name:<40} {s.state:<8} {detail}".rstrip())
    pending = sum(s.state == "pending" for s in rows)
    print(f"-- {len(rows) - pending} applied, {pending} pending, {bad} drifted or missing")
    try:
        refuse_out_of_order(rows)
    except ReadbError as exc:
        print(f"-- {exc}")
        bad += 1
    return 1 if bad else 0


def _run(args: argparse.Namespace) -> int:
    if args.command == "steps":
        for step in discover(_options(args, need_dsn=False).sql_dir):
            mode = "" if step.transactional else "  (no transaction)"
            print(f"{step.name:<40} {step.folder:<11} sha256:{step.checksum[:12]}{mode}")
        return 0
    opts = _options(args)
    if args.command == "up":
        to = None if args.to is None else resolve_version(discover(opts.sql_dir), args.to)
        apply.up(opts, to, _say)
        return 0
    if args.command == "down":
        apply.down(opts, resolve_version(discover(opts.sql_dir), args.to), _say)
        return 0
    if args.command == "status":
        return _status(opts)
    if args.command == "verify":
        problems = apply.verify(opts)
        for problem in problems:
            print(problem)
        if problems:
            raise ReadbError(f"verify found {len(problems)} problem(s): " + "; ".join(problems))
        print("ok: every step is applied and matches its file; the schema is what they build")
        return 0
    if args.command == "plan":
        sys.stdout.write(apply.plan_sql(opts))
        return 0
    if args.command == "seed":
        with apply.connect(opts.dsn) as conn:
            result = seed.seed(conn, args.tenants, args.scale, args.random_seed, args.as_of)
        if result is None:
            print("already seeded with these arguments: nothing to do")
            return 0
        for table, count in result.rows.items():
            print(f"{table:<18} {count:>9}")
        rate = result.total / result.seconds if result.seconds else 0
        print(f"-- {result.total} rows in {result.seconds:.1f} s ({rate:,.0f} rows/s)")
        return 0
    if args.command == "refresh":
        with apply.connect(opts.dsn) as conn:
            for view in seed.refresh(conn):
                how = "concurrently" if view.concurrently else "first fill"
                print(f"refreshed {view.view} ({how}, {view.seconds * 1000:.0f} ms)")
        return 0
    if args.command == "health":
        with apply.connect(opts.dsn) as conn:
            found = health.checks(conn, opts.sql_dir)
        for check in found:
            print(f"{check.status:<5} {check.name:<27} {check.detail}")
        paging = [c.name for c in found if c.status == "page"]
        if paging:
            raise ReadbError(f"{len(paging)} check(s) page: " + ", ".join(paging))
        return 0
    if args.command == "audit":
        return _audit(args, opts)
    if args.command == "dump":
        sys.stdout.write(dump.schema(opts.dsn))
        return 0
    if args.command == "docs":
        sys.stdout.write(docs.schema_markdown(opts.dsn))
        return 0
    if args.command == "login":
        with apply.connect(opts.dsn) as conn:
            lines = login.create(conn, args.name, args.role, args.password_from_env, args.setting)
        for line in lines:
            print(line)
        return 0
    if args.command == "psql":
        session = demo.psql_command(
            opts.dsn, args.as_role, args.tenant, args.actor, args.any_server, args.psql_args
        )
        print(session.banner, file=sys.stderr, flush=True)
        os.execve(session.argv[0], session.argv, session.env)
    raise AssertionError(args.command)


def _audit(args: argparse.Namespace, opts: apply.Options) -> int:
    file_heads = audit.read_heads(args.heads) if getattr(args, "heads", None) else []
    with apply.connect(opts.dsn) as conn:
        if args.audit_command == "heads":
            for head in audit.heads(conn):
                print(json.dumps(head, sort_keys=True))
            return 0
        if args.audit_command == "seal":
            print(f"sealed {audit.seal(conn)} day(s)")
            return 0
        problems = audit.verify(conn, file_heads)
    for problem in problems:
        print(problem)
    if problems:
        raise ReadbError(f"audit verify found {len(problems)} problem(s): " + "; ".join(problems))
    checked = f", and the {len(file_heads)} head(s) of {args.heads}" if args.heads else ""
    print(f"ok: every sealed day matches its seal, the chain holds{checked}")
    return 0


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: psycopg cancels the statement running on the
    server, and psql is asked to cancel a step's (readb.psql._cancel), before exit."""


def _terminate(signum: int, frame: object) -> NoReturn:
    raise Terminated


def describe_database_error(exc: psycopg.Error) -> str:
    """One line for an error the server (or the connection to it) gave us."""
    if isinstance(exc, psycopg.OperationalError) and exc.sqlstate in (
        None,
        "57P01",
        "57P02",
        "57P03",
    ):
        first = (exc.diag.message_primary or str(exc)).strip().splitlines()
        return f"lost the connection to the server: {first[0] if first else type(exc).__name__}"
    message = (exc.diag.message_primary or str(exc)).strip().splitlines()
    hint = (
        " (is this login a member of the role the command needs?)"
        if exc.sqlstate == "42501"
        else ""
    )
    return f"SQLSTATE {exc.sqlstate}: {message[0] if message else type(exc).__name__}{hint}"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return _run(args)
    except ReadbError as exc:
        print(f"readb: {exc}", file=sys.stderr)
        return 1
    except psycopg.Error as exc:
        print(f"readb: {describe_database_error(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        what = "terminated" if isinstance(exc, Terminated) else "interrupted"
        print(f"readb: {what}; the statement running on the server was cancelled", file=sys.stderr)
        return 143 if isinstance(exc, Terminated) else 130


if __name__ == "__main__":
    sys.exit(main())

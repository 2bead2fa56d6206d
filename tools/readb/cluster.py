"""A throwaway local PostgreSQL cluster for the demo, the schema dump and the tests.

    python -m readb.cluster start        # initdb once, then start; prints the server URL
    python -m readb.cluster url DBNAME   # URL of a database in it (created if missing)
    python -m readb.cluster status | stop | destroy

initdb and pg_ctl refuse to run as root. Run as root, the cluster belongs to an
unprivileged OS user ($READB_OS_USER, default `postgres`) and every server program is
started through `runuser -u USER --`. The data folder is `.pgdata` in the project,
unless $READB_PGDATA says otherwise or, as root, the unprivileged user cannot reach
the project folder (a clone under /root): then it lives under /tmp.

The server listens on 127.0.0.1 only, on $READB_PGPORT or else on the first free port
from 54329 on, chosen when the cluster is created and kept in `readb.port` in its data
folder. It uses trust authentication and runs without fsync: it holds nothing that
needs to survive a crash. Every start loads pg_stat_statements
(`shared_preload_libraries`, given on the command line so that clusters created before
it was added load it too): the `monitoring` views read it.

    python -m readb.cluster standby start   # a hot standby of it (pg_basebackup -R)
    python -m readb.cluster standby url DBNAME | status | stop | destroy

The standby is a streaming replica of the local cluster, in the data folder's sibling
`<data folder>-standby`, on the first free port after the primary's (kept in its
`readb.port`): read-only, for trying reporting reads against a replica.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
from psycopg import sql

from readb import pgbin
from readb.errors import ReadbError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SUPERUSER = "postgres"  # the cluster's superuser name, whoever runs it

SERVER_SETTINGS = """
# --- readb local cluster: throwaway, loopback only, speed over durability ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 256MB
max_locks_per_transaction = 256
log_min_messages = warning
log_min_error_statement = panic
"""


DEFAULT_PORT = 54329
# Libraries every start of a project cluster loads (the monitoring views need the first).
PRELOAD = "pg_stat_statements"


def port() -> int:
    """$READB_PGPORT, else the port this cluster was given when it was created."""
    if env := os.environ.get("READB_PGPORT"):
        return int(env)
    remembered = data_dir() / "readb.port"
    if remembered.is_file():
        return int(remembered.read_text().strip())
    return _free_port()


def _free_port(first: int = DEFAULT_PORT) -> int:
    """The first free loopback port from 54329 on, so two checkouts can run side by side."""
    for candidate in range(first, first + 100):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return candidate
    raise ReadbError(f"no free port in {first}-{first + 99}: set READB_PGPORT")


def _is_root() -> bool:
    return os.geteuid() == 0


def _os_user() -> str | None:
    """The unprivileged user that owns and runs the cluster; None: the current user."""
    if not _is_root():
        return None
    name = os.environ.get("READB_OS_USER", "postgres")
    try:
        pwd.getpwnam(name)
    except KeyError:
        raise ReadbError(
            f"running as root, the cluster must run as an unprivileged user, and '{name}' "
            "does not exist: install PostgreSQL's server package (it creates 'postgres') "
            "or set READB_OS_USER to an existing unprivileged user"
        ) from None
    return name


def _as_owner(command: list[str]) -> list[str]:
    user = _os_user()
    return ["runuser", "-u", user, "--", *command] if user else command


def _owner_can_use(path: Path) -> bool:
    probe = _as_owner(["test", "-w", str(path), "-a", "-x", str(path)])
    return subprocess.run(probe, capture_output=True).returncode == 0


def data_dir() -> Path:
    if env := os.environ.get("READB_PGDATA"):
        return Path(env).resolve()
    local = PROJECT_ROOT / ".pgdata"
    if _os_user() is None:
        return local
    fallback = Path("/tmp") / (
        "readb-pgdata-" + hashlib.sha256(str(PROJECT_ROOT).encode()).hexdigest()[:12]
    )
    if fallback.exists() and not local.exists():
        return fallback
    local.mkdir(mode=0o700, exist_ok=True)
    shutil.chown(local, user=_os_user())
    if _owner_can_use(local):
        return local
    local.rmdir()  # the owner cannot reach the project folder: keep the data elsewhere
    return fallback


def server_url(dbname: str = "postgres", at_port: int | None = None) -> str:
    return f"postgresql://{SUPERUSER}@127.0.0.1:{at_port or port()}/{dbname}"


def _initialised(pgdata: Path) -> bool:
    return (pgdata / "PG_VERSION").is_file()


def running(pgdata: Path | None = None) -> bool:
    pgdata = pgdata or data_dir()
    if not _initialised(pgdata):
        return False
    status = subprocess.run(
        _as_owner([pgbin.find("pg_ctl"), "-D", str(pgdata), "status"]), capture_output=True
    )
    return status.returncode == 0


def _run(command: list[str], what: str) -> None:
    completed = subprocess.run(_as_owner(command), capture_output=True, text=True)
    if completed.returncode != 0:
        output = (completed.stderr or completed.stdout).strip().splitlines()
        raise ReadbError(f"{what} failed: {output[-1] if output else completed.returncode}")


def _quiet(line: str) -> None:
    pass


def start(say: Callable[[str], None] = _quiet) -> str:
    """Create the cluster if needed and start it if stopped; the superuser URL. `say`
    hears what is being done (the CLI prints it; the tests stay quiet)."""
    pgdata = data_dir()
    what = "fsync off, trust authentication: for demos and tests only, never for data"
    if not _initialised(pgdata):
        say(f"cluster: creating a PostgreSQL cluster in {pgdata} (initdb, a few seconds)")
        initialise(pgdata, port())
    if running(pgdata):
        say(f"cluster: PostgreSQL is running in {pgdata} on 127.0.0.1:{port()} ({what})")
    else:
        say(f"cluster: starting PostgreSQL in {pgdata} on 127.0.0.1:{port()} ({what})")
    launch(pgdata, port())
    return server_url()


def initialise(pgdata: Path, at_port: int) -> None:
    """initdb a throwaway cluster in pgdata (as the unprivileged owner when root), with
    SERVER_SETTINGS, remembering at_port."""
    pgdata.mkdir(mode=0o700, parents=True, exist_ok=True)
    if user := _os_user():
        shutil.chown(pgdata, user=user)
    _run(
        [
            pgbin.find("initdb"),
            "-D",
            str(pgdata),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ],
        "initdb",
    )
    conf = pgdata / "postgresql.conf"
    conf.write_text(conf.read_text() + SERVER_SETTINGS)
    (pgdata / "readb.port").write_text(f"{at_port}\n")


def launch(pgdata: Path, at_port: int, settings: tuple[str, ...] = ()) -> None:
    """Start the cluster in pgdata (if it is not running) on at_port, with PRELOAD and
    any extra `name=value` settings on the command line (later ones win, so a setting
    may replace shared_preload_libraries), and wait until it answers."""
    if not running(pgdata):
        log = pgdata / "server.log"
        options = " ".join(
            [f"-p {at_port}", f"-c shared_preload_libraries={PRELOAD}"]
            + [f"-c {setting}" for setting in settings]
        )
        completed = subprocess.run(
            _as_owner(
                [
                    pgbin.find("pg_ctl"),
                    "-D",
                    str(pgdata),
                    "-l",
                    str(log),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            capture_output=True,
            text=True,
        )
        if completed.returncode != 0:
            tail = log.read_text(errors="replace").strip().splitlines()[-3:] if log.exists() else []
            raise ReadbError(
                f"could not start PostgreSQL on port {at_port} (data in {pgdata}): "
                + (" | ".join(tail) or completed.stderr.strip())
                + " -- is the port taken? set READB_PGPORT"
            )
    _wait_ready(at_port)


def _wait_ready(at_port: int | None = None, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(server_url(at_port=at_port), connect_timeout=3) as conn:
                conn.execute("select 1")
                return
        except psycopg.OperationalError as exc:
            if time.monotonic() > deadline:
                raise ReadbError(
                    f"PostgreSQL on port {at_port or port()} does not answer: {exc}"
                ) from None
            time.sleep(0.2)


def halt(pgdata: Path) -> None:
    """Stop the cluster in pgdata if it runs (fast shutdown)."""
    if running(pgdata):
        _run([pgbin.find("pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"], "pg_ctl stop")


def create_standby(pgdata: Path, at_port: int, primary_port: int) -> str:
    """Make pgdata a hot standby of the cluster on primary_port and start it on at_port;
    its URL. pg_basebackup -R copies the primary with the WAL it needs (-X stream) and
    writes standby.signal and primary_conninfo, so the copy starts as a streaming replica
    (the local cluster's pg_hba trusts replication connections from 127.0.0.1)."""
    pgdata.mkdir(mode=0o700, parents=True, exist_ok=True)
    if user := _os_user():
        shutil.chown(pgdata, user=user)
    if not _initialised(pgdata):
        _run(
            [
                pgbin.find("pg_basebackup"),
                "-D",
                str(pgdata),
                "-h",
                "127.0.0.1",
                "-p",
                str(primary_port),
                "-U",
                SUPERUSER,
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "--no-sync",
            ],
            "pg_basebackup",
        )
        (pgdata / "readb.port").write_text(f"{at_port}\n")
    launch(pgdata, at_port, ("hot_standby=on",))
    return server_url(at_port=at_port)


def standby_dir() -> Path:
    return data_dir().with_name(data_dir().name + "-standby")


def standby_port() -> int:
    remembered = standby_dir() / "readb.port"
    if remembered.is_file():
        return int(remembered.read_text().strip())
    return _free_port(port() + 1)


def stop() -> None:
    halt(standby_dir())
    halt(data_dir())


def destroy() -> None:
    stop()
    for pgdata in (standby_dir(), data_dir()):
        if pgdata.exists():
            shutil.rmtree(pgdata)


def ensure_database(dbname: str) -> str:
    """The URL of `dbname` in the running cluster, creating it if needed."""
    with psycopg.connect(server_url(), autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", (dbname,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(dbname)))
    return server_url(dbname)


def drop_database(dbname: str) -> None:
    with psycopg.connect(server_url(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(dbname))
        )


def _tell(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    usage = (
        "usage: python -m readb.cluster "
        "start | url DBNAME | fresh DBNAME | drop DBNAME | status | stop | destroy"
        " | standby start | standby url DBNAME | standby status | standby stop | standby destroy"
    )
    try:
        match argv:
            case ["start"]:
                print(start(_tell))
            case ["url", dbname]:
                start(_tell)
                print(ensure_database(dbname))
            case ["fresh", dbname]:
                start(_tell)
                drop_database(dbname)
                print(ensure_database(dbname))
            case ["drop", dbname]:
                drop_database(dbname)
            case ["status"]:
                state = "running" if running() else "stopped"
                print(f"{state}: {data_dir()} on 127.0.0.1:{port()}")
            case ["stop"]:
                stop()
            case ["destroy"]:
                destroy()
            case ["standby", "start"]:
                start()
                print(create_standby(standby_dir(), standby_port(), port()))
            case ["standby", "url", dbname]:
                print(server_url(dbname, standby_port()))
            case ["standby", "status"]:
                state = "running" if running(standby_dir()) else "stopped"
                print(f"{state}: {standby_dir()} on 127.0.0.1:{standby_port()}")
            case ["standby", "stop"]:
                halt(standby_dir())
            case ["standby", "destroy"]:
                halt(standby_dir())
                shutil.rmtree(standby_dir(), ignore_errors=True)
            case _:
                print(usage, file=sys.stderr)
                return 2
    except ReadbError as exc:
        print(f"readb.cluster: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""A throwaway PgBouncer in front of the test server, for the connection-pooling tests.

    with PgBouncer(databases={"readb_test": (HOST, PORT)}, users=["readb_test_app"]) as pb:
        psycopg.connect(pb.url("readb_test", "readb_test_app"), autocommit=True,
                        prepare_threshold=None)

It runs in transaction pooling mode with ONE server connection per database
(`default_pool_size = 1`, `max_db_connections = 1`, no reserve pool): every transaction
of every client goes over the same PostgreSQL backend, one after the other, which is the
worst case for state leaking from one client's transaction into the next one's. The
server reset query is not run between transactions (PgBouncer's default in transaction
mode), as in production.

PgBouncer refuses to run as root: as root it runs as the cluster's unprivileged OS user
(`postgres`, $READB_OS_USER), through `runuser`, like the cluster itself. Its
configuration, auth file, pid file and log live in a fresh folder under /tmp that user
owns. It listens on a free port of 127.0.0.1 (no Unix socket) with trust authentication:
the users must be listed in the auth file, and the server must accept them (the local
cluster trusts every loopback connection).

The binary is $PGBOUNCER, else `pgbouncer` on $PATH, else Debian's /usr/sbin/pgbouncer
(/usr/sbin is not on every PATH). The process runs in the foreground in its own process
group; leaving the `with` block (also on an exception) terminates that group, kills it
if it does not exit within 10 s, and deletes the folder.

Clients must not use server-side prepared statements (PgBouncer 1.18 cannot route them
in transaction mode): connect with psycopg's `prepare_threshold=None`.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

import psycopg
from psycopg import sql

from readb import cluster

CANDIDATES = ("/usr/sbin/pgbouncer", "/usr/local/sbin/pgbouncer", "/usr/local/bin/pgbouncer")


def find_binary() -> str | None:
    """The pgbouncer executable, or None when it is not installed."""
    if env := os.environ.get("PGBOUNCER"):
        return env if os.access(env, os.X_OK) else None
    if found := shutil.which("pgbouncer"):
        return found
    return next((c for c in CANDIDATES if os.access(c, os.X_OK)), None)


def in_ci() -> bool:
    """CI sets CI=true: there a missing pgbouncer is a failure, not a skip."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _signal_group(pgid: int, sig: int) -> bool:
    """Send sig to the process group pgid (one we started); False if it no longer exists."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    return True


class PgBouncerError(RuntimeError):
    pass


class PgBouncer:
    """A PgBouncer process in transaction pooling mode, one server connection per database.

    databases: alias -> (host, port) of the PostgreSQL server; the alias is also the name
    of the database on that server. users: the login roles clients may connect as.
    """

    def __init__(
        self,
        databases: dict[str, tuple[str, int]],
        users: list[str],
        binary: str | None = None,
        pool_size: int = 1,
        startup_timeout: float = 15.0,
    ) -> None:
        self.binary = binary or find_binary()
        if self.binary is None:
            raise PgBouncerError("pgbouncer is not installed (apt-get install pgbouncer)")
        self.databases = databases
        self.users = users
        self.pool_size = pool_size
        self.startup_timeout = startup_timeout
        self.host = "127.0.0.1"
        self.port = 0
        self.workdir: Path | None = None
        self._process: subprocess.Popen | None = None

    # --- the public face ---------------------------------------------------------------

    def url(self, dbname: str, user: str) -> str:
        return f"postgresql://{user}@{self.host}:{self.port}/{dbname}"

    def log(self) -> str:
        """Everything PgBouncer wrote so far (for failure messages)."""
        if self.workdir is None:
            return ""
        path = self.workdir / "pgbouncer.out"
        return path.read_text(errors="replace") if path.exists() else ""

    def __enter__(self) -> PgBouncer:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- start and stop --------------------------------------------------------------

    def _config(self) -> str:
        assert self.workdir is not None
        databases = "\n".join(
            f"{alias} = host={host} port={port} dbname={alias}"
            for alias, (host, port) in self.databases.items()
        )
        return f"""\
[databases]
{databases}

[pgbouncer]
listen_addr = {self.host}
listen_port = {self.port}
unix_socket_dir =
auth_type = trust
auth_file = {self.workdir / "userlist.txt"}
pidfile = {self.workdir / "pgbouncer.pid"}
logfile =
pool_mode = transaction
default_pool_size = {self.pool_size}
min_pool_size = 0
reserve_pool_size = 0
max_db_connections = {self.pool_size}
max_client_conn = 100
server_reset_query = DISCARD ALL
server_reset_query_always = 0
ignore_startup_parameters = extra_float_digits,options
query_wait_timeout = 20
server_connect_timeout = 10
server_login_retry = 1
log_connections = 0
log_disconnections = 0
"""

    def start(self) -> None:
        owner = cluster._os_user()  # None unless we are root
        self.workdir = Path(tempfile.mkdtemp(prefix="readb-pgbouncer-", dir="/tmp"))
        self.workdir.chmod(0o700)
        if owner:
            shutil.chown(self.workdir, user=owner)
        (self.workdir / "userlist.txt").write_text(
            "".join(f'{_quote(user)} ""\n' for user in self.users)
        )
        for _attempt in range(3):  # the free port may be taken between probe and bind
            self.port = _free_port()
            (self.workdir / "pgbouncer.ini").write_text(self._config())
            if owner:
                for name in ("userlist.txt", "pgbouncer.ini"):
                    shutil.chown(self.workdir / name, user=owner)
            with open(self.workdir / "pgbouncer.out", "ab") as out:
                self._process = subprocess.Popen(
                    cluster._as_owner([self.binary, str(self.workdir / "pgbouncer.ini")]),
                    cwd=self.workdir,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group: stop() ends it whole
                )
            if self._wait_listening():
                return
            self._terminate()
        raise PgBouncerError(f"pgbouncer did not start:\n{self.log()[-2000:]}")

    def _wait_listening(self) -> bool:
        """True once this process says it listens on our port (its log line, not a mere
        TCP connect: another program may have taken the port since we probed it)."""
        assert self._process is not None
        ready = f"listening on {self.host}:{self.port}\n"
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                return False  # exited: bad configuration, or the port was taken
            if ready in self.log():
                return True
            time.sleep(0.02)
        return False

    def _pgbouncer_pid(self, pgid: int) -> int | None:
        """The pid in pgbouncer's pid file, if that process is still in our group."""
        assert self.workdir is not None
        try:
            pid = int((self.workdir / "pgbouncer.pid").read_text().split()[0])
            return pid if os.getpgid(pid) == pgid else None
        except (OSError, ValueError, IndexError):
            return None

    def _terminate(self) -> None:
        """End the process group (runuser and pgbouncer): SIGTERM, after 10 s SIGKILL."""
        process, self._process = self._process, None
        if process is None:
            return
        # SIGTERM to pgbouncer itself (immediate shutdown); runuser then exits with it.
        # Signalled first, runuser would forward the signal and then sleep 2 s.
        if (pid := self._pgbouncer_pid(process.pid)) is not None:
            os.kill(pid, signal.SIGTERM)
        else:
            _signal_group(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _signal_group(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        # runuser waits for its child, but make sure nothing of the group outlives us
        deadline = time.monotonic() + 10
        while _signal_group(process.pid, 0):
            if time.monotonic() > deadline:
                _signal_group(process.pid, signal.SIGKILL)
                break
            time.sleep(0.05)

    def stop(self) -> None:
        self._terminate()
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None


LOGIN_ROLE_SQL = """
do $$
begin
    if not exists (select from pg_catalog.pg_roles where rolname = {name}) then
        begin
            execute format('create role %I login', {name});
        exception when duplicate_object or unique_violation then
            null;  -- created meanwhile by a concurrent test run
        end;
    end if;
end;
$$
"""


def ensure_login_role(superuser_url: str, name: str, member_of: str) -> None:
    """Create (if missing) the LOGIN role `name`, a plain member of the group `member_of`.

    Roles are cluster-wide and outlive the test's database: this is idempotent and
    tolerates a concurrent creation, and it (re)asserts the attributes the tests rely on:
    it can log in, inherits the group's privileges, and is neither superuser nor BYPASSRLS.
    The role is left in place (another database or test run may be using it).
    """
    with psycopg.connect(superuser_url, autocommit=True) as conn:
        conn.execute(sql.SQL(LOGIN_ROLE_SQL).format(name=sql.Literal(name)))
        conn.execute(
            sql.SQL("alter role {} login inherit nosuperuser nobypassrls nocreaterole").format(
                sql.Identifier(name)
            )
        )
        member = conn.execute("select pg_has_role(%s, %s, 'member')", (name, member_of)).fetchone()
        if not member[0]:
            conn.execute(
                sql.SQL("grant {} to {}").format(sql.Identifier(member_of), sql.Identifier(name))
            )

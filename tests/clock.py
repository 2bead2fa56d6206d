"""A throwaway PostgreSQL server whose clock reads a date of the test's choosing.

    with ClockedServer() as server:
        server.start_at(datetime(2026, 12, 31, 23, 59, tzinfo=UTC))
        url = server.create_database("built_in_december")

The server runs under libfaketime (Debian package `faketime`): LD_PRELOAD makes every
clock call of the postmaster and of the backends it forks read the given time, from
which the clock then runs on at its normal rate (`FAKETIME="@..."`). The monotonic clock
is left alone (`DONT_FAKE_MONOTONIC`), so timeouts and latches behave. `start_at()` on a
running server restarts it at the new time; tests move the clock forwards only, as time
does, so the WAL's timestamps never go backwards.

The server is initialised in a fresh folder under /tmp owned by the cluster's OS user
(`postgres` as root, like the project's cluster, see readb.cluster), listens on a free
port of 127.0.0.1 with trust authentication and the same throwaway settings as the
project's cluster, and is stopped and deleted when the `with` block ends, also on an
exception.

The library is $FAKETIME_LIB, else libfaketime.so.1 in the usual places. Without it the
tests that need it skip, except in CI (CI=true), where `.ci/run` installs it and a
missing library is a failure.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

import psycopg
from psycopg import sql

from readb import cluster, pgbin

LIBRARY_GLOBS = (
    "/usr/lib/*/faketime/libfaketime.so.1",
    "/usr/lib/faketime/libfaketime.so.1",
    "/usr/local/lib/faketime/libfaketime.so.1",
)


def find_library() -> str | None:
    if env := os.environ.get("FAKETIME_LIB"):
        return env if os.path.isfile(env) else None
    for pattern in LIBRARY_GLOBS:
        if found := sorted(glob.glob(pattern)):
            return found[0]
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ClockedServer:
    def __init__(self) -> None:
        library = find_library()
        if library is None:
            raise RuntimeError("libfaketime is not installed (apt-get install faketime)")
        self.library = library
        self.port = _free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="readb-clocked-"))
        self.pgdata = self.folder / "data"
        self.running = False

    def __enter__(self) -> ClockedServer:
        user = cluster._os_user()
        if user:
            shutil.chown(self.folder, user=user)
        self._run(
            [
                pgbin.find("initdb"),
                "-D",
                str(self.pgdata),
                "-U",
                cluster.SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        )
        conf = self.pgdata / "postgresql.conf"
        # The project's throwaway settings; the clusters' connections are few here.
        settings = cluster.SERVER_SETTINGS.replace("max_connections = 200", "max_connections = 40")
        conf.write_text(conf.read_text() + settings)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, command: list[str], env: dict[str, str] | None = None) -> None:
        completed = subprocess.run(
            cluster._as_owner(command), capture_output=True, text=True, env=env, timeout=120
        )
        if completed.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {completed.stderr or completed.stdout}")

    def start_at(self, moment: datetime) -> None:
        """(Re)start the server with its clock at `moment` (an aware datetime)."""
        self.stop()
        stamp = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        # runuser resets the environment: pass the variables through env(1).
        faked = [
            "env",
            f"LD_PRELOAD={self.library}",
            f"FAKETIME=@{stamp}",
            "DONT_FAKE_MONOTONIC=1",
            "TZ=UTC",
        ]
        self._run(
            [
                *faked,
                pgbin.find("pg_ctl"),
                "-D",
                str(self.pgdata),
                "-l",
                str(self.folder / "server.log"),
                "-o",
                f"-p {self.port}",
                "-w",
                "-t",
                "60",
                "start",
            ]
        )
        self.running = True

    def stop(self) -> None:
        if self.running:
            self._run([pgbin.find("pg_ctl"), "-D", str(self.pgdata), "-m", "fast", "-w", "stop"])
            self.running = False

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{cluster.SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def now(self) -> datetime:
        with psycopg.connect(self.url()) as conn:
            return conn.execute("select now()").fetchone()[0]

    def create_database(self, dbname: str) -> str:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(dbname)))
        return self.url(dbname)

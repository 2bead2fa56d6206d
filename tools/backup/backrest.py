"""Backups of the REA INVEST database with pgBackRest: a durable cluster, its stanza,
full, differential and incremental backups, point-in-time restores, and the drill.

    .venv/bin/python tools/backup/backrest.py init [--site DIR]
    .venv/bin/python tools/backup/backrest.py backup --type full|diff|incr [--site DIR]
    .venv/bin/python tools/backup/backrest.py info | check | verify [--site DIR]
    .venv/bin/python tools/backup/backrest.py restore --target-time TS [--site DIR]
    .venv/bin/python tools/backup/backrest.py stop | destroy [--site DIR]
    .venv/bin/python tools/backup/backrest.py drill [--tenants 2] [--scale 1]

A site is one folder (owned by the server's OS user, outside /root): `pgdata/` the durable
cluster (tools/backup/postgresql.durable.conf, data checksums, WAL archived by pgBackRest),
`repo/` its encrypted pgBackRest repository, `pgbackrest.conf` (from
tools/backup/pgbackrest.conf.template), `run/` the unix socket, `log/`, `lock/`, `spool/`.
`restore` restores into a new folder `restore-<n>/` of the site and starts it on a free
port with archiving off, so the copy never pushes WAL into the source's repository.
`drill` does the whole restore drill on a throwaway site and prints RTO, RPO, sizes and
times (what tests/test_backup_drill.py proves).

As root, every server program runs as $READB_OS_USER (default postgres): initdb,
pg_ctl and pgbackrest refuse root.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

import psycopg
from psycopg import sql

from readb import dump, pgbin
from readb.errors import ReadbError

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parents[1]
PROFILE = HERE / "postgresql.durable.conf"
TEMPLATE = HERE / "pgbackrest.conf.template"
STANZA = "rea"
SUPERUSER = "postgres"
# The site of this checkout (`make backup-init`): under /tmp, which the server's OS user
# can reach wherever the checkout lives, named after the checkout so two can coexist.
DEFAULT_SITE = Path("/tmp") / (
    "readb-backup-" + hashlib.sha256(str(PROJECT_ROOT).encode()).hexdigest()[:12]
)

# What a site's cluster changes from the durable profile: where it listens, how much
# memory it takes on a shared test machine, and which pgBackRest configuration the
# archive_command reads. Everything else is the profile as committed.
LOCAL_SETTINGS = """\
# --- this host: loopback only, a private socket folder, a small shared_buffers ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '{socket}'
unix_socket_permissions = 0700
shared_buffers = 128MB
effective_cache_size = 512MB
archive_command = '{archive_command}'
"""

Say = Callable[[str], None]


# --- OS user and processes ------------------------------------------------------------------


def os_user() -> str | None:
    """The unprivileged user that runs the servers and pgBackRest; None: the current user."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get("READB_OS_USER", "postgres")
    try:
        pwd.getpwnam(name)
    except KeyError:
        raise ReadbError(f"running as root needs the unprivileged OS user '{name}'") from None
    return name


def as_owner(command: list[str]) -> list[str]:
    user = os_user()
    return ["runuser", "-u", user, "--", *command] if user else command


def run(command: list[str], what: str, *, timeout: float = 600) -> str:
    """Run a server-side program as the owner; its stdout, or a one-line ReadbError."""
    completed = subprocess.run(as_owner(command), capture_output=True, text=True, timeout=timeout)
    if completed.returncode != 0:
        lines = (completed.stderr or completed.stdout).strip().splitlines()
        raise ReadbError(f"{what} failed: {lines[-1] if lines else completed.returncode}")
    return completed.stdout


def owned_dir(path: Path) -> Path:
    """Create `path` (mode 0700) owned by the server's OS user."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if user := os_user():
        shutil.chown(path, user=user)
    return path


def free_port() -> int:
    """A loopback port free now, chosen by the kernel (never a fixed one)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def new_site_dir(prefix: str = "readb-backup-") -> Path:
    """A fresh folder under /tmp that the server's OS user owns."""
    return owned_dir(Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp")))


# --- A server ---------------------------------------------------------------------------------


@dataclass
class Server:
    """One PostgreSQL cluster: its data folder, port and unix socket folder."""

    pgdata: Path
    port: int
    socket_dir: Path

    def url(self, dbname: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{dbname}"

    def initdb(self, settings: str, *, sync: bool = True) -> None:
        """initdb with data checksums, then `settings` appended to postgresql.conf.
        sync=False: initdb does not flush its files (a throwaway cluster)."""
        owned_dir(self.pgdata)
        owned_dir(self.socket_dir)
        run(
            [
                pgbin.find("initdb"),
                "-D",
                str(self.pgdata),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--data-checksums",
                *([] if sync else ["--no-sync"]),
            ],
            "initdb",
        )
        conf = self.pgdata / "postgresql.conf"
        conf.write_text(conf.read_text() + settings)

    def start(self, timeout: float = 300) -> None:
        log = self.pgdata / "server.log"
        options = f"-p {self.port} -k {self.socket_dir}"
        command = [pgbin.find("pg_ctl"), "-D", str(self.pgdata), "-l", str(log), "-o", options]
        completed = subprocess.run(
            as_owner([*command, "-w", "-t", str(int(timeout)), "start"]),
            capture_output=True,
            text=True,
        )
        if completed.returncode != 0:
            tail = log.read_text(errors="replace").strip().splitlines()[-3:] if log.exists() else []
            raise ReadbError(
                f"could not start PostgreSQL in {self.pgdata} on port {self.port}: "
                + (" | ".join(tail) or completed.stderr.strip())
            )

    def running(self) -> bool:
        if not (self.pgdata / "PG_VERSION").is_file():
            return False
        status = [pgbin.find("pg_ctl"), "-D", str(self.pgdata), "status"]
        return subprocess.run(as_owner(status), capture_output=True).returncode == 0

    def stop(self) -> None:
        if self.running():
            stop = [pgbin.find("pg_ctl"), "-D", str(self.pgdata), "-m", "fast", "-w", "stop"]
            run(stop, "pg_ctl stop")

    def postmaster_pid(self) -> int:
        return int((self.pgdata / "postmaster.pid").read_text().splitlines()[0])

    def kill9(self) -> None:
        """Crash the server: SIGKILL to the postmaster and every process it started, as a
        power cut would leave it (minus the OS cache, which fsync = on already flushed)."""
        pid = self.postmaster_pid()
        children = [
            int(p.name)
            for p in Path("/proc").iterdir()
            if p.name.isdigit() and _parent_pid(p) == pid
        ]
        for victim in [pid, *children]:
            with suppress(ProcessLookupError):
                os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 30
        # Until each is gone, reaped too: a new postmaster refuses to start while the old
        # pid still exists, even as a zombie.
        while any(Path(f"/proc/{p}").exists() for p in [pid, *children]):
            if time.monotonic() > deadline:
                raise ReadbError(f"postmaster {pid} survived SIGKILL")
            time.sleep(0.05)

    def wait_writable(self, timeout: float = 300) -> None:
        """Until the server accepts connections and is out of recovery (promoted)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self.url(), connect_timeout=2, autocommit=True) as conn:
                    if not conn.execute("select pg_is_in_recovery()").fetchone()[0]:
                        return
            except psycopg.OperationalError:
                if not self.running():
                    log = self.pgdata / "server.log"
                    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
                    fatal = [line for line in lines if "FATAL" in line or "PANIC" in line]
                    raise ReadbError(
                        f"the server in {self.pgdata} stopped: "
                        + (fatal[-1] if fatal else " | ".join(lines[-2:]))
                    ) from None
            if time.monotonic() > deadline:
                raise ReadbError(f"the server in {self.pgdata} is not writable after {timeout} s")
            time.sleep(0.05)


def discard(root: Path) -> None:
    """Stop every server whose data folder is under `root` (fast, else immediate), then
    delete `root`; whatever state a failed test left them in."""
    for version in root.glob("**/PG_VERSION"):
        pgdata = version.parent
        if not (pgdata / "postmaster.pid").exists():
            continue
        for mode in ("fast", "immediate"):
            stop = [pgbin.find("pg_ctl"), "-D", str(pgdata), "-m", mode, "-w", "stop"]
            if subprocess.run(as_owner(stop), capture_output=True, timeout=120).returncode == 0:
                break
    shutil.rmtree(root, ignore_errors=True)


def _parent_pid(proc: Path) -> int | None:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def durable_settings(socket_dir: Path, archive_command: str) -> str:
    """The committed profile, included as a file of the data folder, then this host's lines."""
    local = LOCAL_SETTINGS.format(socket=socket_dir, archive_command=archive_command)
    return "\n# --- readb: the durable profile (tools/backup/postgresql.durable.conf) ---\n" + (
        f"include 'durable.conf'\n{local}"
    )


def init_durable(server: Server, archive_command: str) -> None:
    """A cluster on the durable profile: checksums, fsync, full-page writes, archiving."""
    server.initdb(durable_settings(server.socket_dir, archive_command))
    profile = server.pgdata / "durable.conf"
    shutil.copyfile(PROFILE, profile)
    if user := os_user():
        shutil.chown(profile, user=user)


# --- A site: a durable cluster and its pgBackRest repository ------------------------------


@dataclass
class Site:
    root: Path

    @property
    def config(self) -> Path:
        return self.root / "pgbackrest.conf"

    @property
    def repo(self) -> Path:
        return self.root / "repo"

    @property
    def server(self) -> Server:
        return Server(self.root / "pgdata", self.port, self.root / "run")

    @property
    def port(self) -> int:
        return int((self.root / "port").read_text())

    def pgbackrest(self, *args: str, timeout: float = 600) -> str:
        command = ["pgbackrest", f"--config={self.config}", f"--stanza={STANZA}", *args]
        return run(command, f"pgbackrest {args[-1]}", timeout=timeout)

    def create(self, port: int | None = None) -> None:
        """The durable cluster, started; the encrypted repository; stanza-create; check."""
        if shutil.which("pgbackrest") is None:
            raise ReadbError("pgbackrest is not installed (Debian: apt-get install pgbackrest)")
        owned_dir(self.root)
        (self.root / "port").write_text(str(port or free_port()))
        for sub in ("repo", "log", "lock", "spool", "run"):
            owned_dir(self.root / sub)
        text = TEMPLATE.read_text()
        values = {
            "REPO": self.repo,
            "CIPHER_PASS": secrets.token_urlsafe(32),  # a fresh passphrase per site
            "LOG": self.root / "log",
            "LOCK": self.root / "lock",
            "SPOOL": self.root / "spool",
            "PGDATA": self.root / "pgdata",
            "PORT": self.port,
            "SOCKET": self.root / "run",
        }
        for key, value in values.items():
            text = text.replace(f"@{key}@", str(value))
        self.config.write_text(text)
        self.config.chmod(0o600)
        if user := os_user():
            shutil.chown(self.config, user=user)
        archive = f"pgbackrest --config={self.config} --stanza={STANZA} archive-push %p"
        init_durable(self.server, archive)
        self.server.start()
        self.pgbackrest("stanza-create")
        self.pgbackrest("check")

    def backup(self, kind: str) -> BackupInfo:
        started = time.monotonic()
        self.pgbackrest(f"--type={kind}", "backup")
        seconds = time.monotonic() - started
        latest = self.info()["backup"][-1]
        return BackupInfo(
            label=latest["label"],
            kind=latest["type"],
            seconds=seconds,
            database_bytes=latest["info"]["size"],
            delta_bytes=latest["info"]["delta"],
            repo_bytes=latest["info"]["repository"]["delta"],
        )

    def info(self) -> dict:
        return json.loads(self.pgbackrest("--output=json", "info"))[0]

    def restore(self, target_time: str, into: Path, port: int | None = None) -> Restored:
        """Restore the backup set to `target_time` ('latest': the end of the archive) into
        `into`, start it on a free port with archiving off, wait until it is promoted and
        writable. RTO: restore start to that. A time with no commit archived after it
        cannot be confirmed: PostgreSQL stops ("recovery ended before configured recovery
        target was reached")."""
        owned_dir(into)
        server = Server(into, port or free_port(), owned_dir(into.parent / f"{into.name}-run"))
        started = time.monotonic()
        if target_time == "latest":  # replay every archived segment, then promote
            target = ["--type=default"]
        else:
            target = ["--type=time", f"--target={target_time}", "--target-action=promote"]
        self.pgbackrest(f"--pg1-path={into}", *target, "--archive-mode=off", "restore")
        restored_at = time.monotonic()
        server.start()
        server.wait_writable()
        return Restored(server, time.monotonic() - started, restored_at - started)

    def archived_timelines(self) -> set[str]:
        """Timelines in the repository's archive, from its WAL segments and timeline
        history files (file names are not encrypted): a restored copy that archived into
        it would add its new timeline, its history file first."""
        found = set()
        for path in self.repo.glob("archive/*/*/**/*"):
            if re.fullmatch(
                r"[0-9A-F]{24}-[0-9a-f]{40}(\..+)?|[0-9A-F]{8}\.history(\..+)?", path.name
            ):
                found.add(path.name[:8])
        return found

    def repo_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.repo.rglob("*") if p.is_file())

    def archive_bytes(self) -> int:
        return sum(p.stat().st_size for p in (self.repo / "archive").rglob("*") if p.is_file())


@dataclass(frozen=True)
class BackupInfo:
    label: str
    kind: str
    seconds: float
    database_bytes: int  # the cluster's size at the backup
    delta_bytes: int  # what this backup copied
    repo_bytes: int  # what it takes in the repository (compressed, encrypted)


@dataclass(frozen=True)
class Restored:
    server: Server
    rto_seconds: float  # restore start to a promoted server accepting writes
    restore_seconds: float  # pgbackrest restore alone (the rest is WAL replay and start)


# --- What a database holds: rows, schema, security model ---------------------------------


@dataclass(frozen=True)
class State:
    tables: dict[str, tuple[int, str]]  # relation -> (rows, md5 of its rows in order)
    schema: str  # normalised pg_dump --schema-only, owners and grants included
    policies: int
    populated_views: dict[str, bool]


def table_checksums(url: str) -> dict[str, tuple[int, str]]:
    """Row count and an md5 over every row (as text, sorted) of every table in rea, audit,
    reporting and readb, read as the superuser (no RLS in the way)."""
    with psycopg.connect(url, autocommit=True) as conn:
        relations = conn.execute(
            "select format('%I.%I', n.nspname, c.relname) from pg_class c"
            " join pg_namespace n on n.oid = c.relnamespace"
            " where c.relkind in ('r', 'm') and n.nspname in ('rea', 'audit', 'reporting', 'readb')"
            " order by 1"
        ).fetchall()
        out = {}
        for (relation,) in relations:
            out[relation] = conn.execute(
                sql.SQL(
                    "select count(*), coalesce(md5(string_agg(t::text, '|' order by t::text)), '')"
                    " from {} as t"
                ).format(sql.SQL(relation))
            ).fetchone()
        return out


def full_schema(url: str) -> str:
    """pg_dump --schema-only with owners and privileges, normalised like sql/schema.sql."""
    completed = subprocess.run(
        [pgbin.find("pg_dump"), "--schema-only", "--restrict-key=readb", "-d", url],
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise ReadbError(f"pg_dump failed: {completed.stderr.strip().splitlines()[:1]}")
    return dump.normalise(completed.stdout)


def state(url: str) -> State:
    with psycopg.connect(url, autocommit=True) as conn:
        (policies,) = conn.execute("select count(*) from pg_policy").fetchone()
        views = dict(
            conn.execute(
                "select format('%I.%I', schemaname, matviewname), ispopulated from pg_matviews"
                " where schemaname = 'reporting' order by 1"
            ).fetchall()
        )
    return State(table_checksums(url), full_schema(url), policies, views)


def readb(*args: str, dsn: str) -> subprocess.CompletedProcess:
    """The readb CLI in a child process, as an operator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "readb", "--dsn", dsn, *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
    )


def must(result: subprocess.CompletedProcess, what: str) -> str:
    if result.returncode != 0:
        raise ReadbError(f"{what} failed: {(result.stderr or result.stdout).strip()}")
    return result.stdout


# --- The drill -----------------------------------------------------------------------------------


@dataclass
class Drill:
    """What the restore drill saw; the test asserts on it, `drill` prints it."""

    site: Site
    target_time: str = ""
    at_target: State | None = None
    after_target: State | None = None
    restored: State | None = None
    backups: list[BackupInfo] = field(default_factory=list)
    rto_seconds: float = 0.0
    restore_seconds: float = 0.0
    archive_timeout: str = ""
    restored_archive_mode: str = ""
    timelines_before: set[str] = field(default_factory=set)
    timelines_after: set[str] = field(default_factory=set)
    restored_verify: subprocess.CompletedProcess | None = None
    restored_seals: list = field(default_factory=list)
    restored_app_rows: int = 0
    source_check_after: bool = False
    seals_made: int = 0
    repo_verified: bool = False
    restored_archiver: tuple[int, int] = (-1, -1)  # the copy's archived, failed counts
    encrypted: bool = False
    after_expire: list[str] = field(default_factory=list)
    repo_bytes: int = 0  # before the retention test
    archive_bytes: int = 0
    repo_bytes_after_expire: int = 0
    data_bytes: int = 0


DB = "rea"


def _seed(url: str, tenants: int, scale: int, random_seed: int) -> None:
    args = ("seed", "--tenants", str(tenants), "--scale", str(scale))
    must(readb(*args, "--random-seed", str(random_seed), dsn=url), "readb seed")


def _seal_yesterday(url: str) -> int:
    """Give the trail a sealed day: one audit row per tenant yesterday (written directly,
    as the superuser; the seed's rows are all from today, which cannot be sealed yet),
    then audit.seal_days() as rea_owner, as the daily job runs it. The seals made."""
    with psycopg.connect(url, autocommit=True) as conn, conn.transaction():
        day = conn.execute("select (now() at time zone 'UTC')::date - 1").fetchone()[0]
        month = day.replace(day=1)
        partition = f"audit.audit_logs_{month:%Y_%m}"
        if conn.execute("select to_regclass(%s)", (partition,)).fetchone()[0] is None:
            conn.execute("set local role rea_owner")
            conn.execute(
                sql.SQL(
                    "create table {} partition of audit.audit_logs for values from ({}) to ({})"
                ).format(
                    sql.SQL(partition),
                    sql.Literal(f"{month} 00:00+00"),
                    sql.Literal(f"{(month + timedelta(days=32)).replace(day=1)} 00:00+00"),
                )
            )
            conn.execute("reset role")
        conn.execute(
            "insert into audit.audit_logs"
            " (client_id, table_name, record_id, action, new_data, occurred_at)"
            " select id, 'clients', id, 'INSERT', '{}'::jsonb, %s from rea.clients",
            (datetime.combine(day, dtime(12), UTC),),
        )
        conn.execute("set local role rea_owner")
        return conn.execute("select audit.seal_days()").fetchone()[0]


def _changes(url: str) -> None:
    """Writes an application makes: a deal moves on, an expense is edited, as rea_app."""
    with psycopg.connect(url, autocommit=True) as conn, conn.transaction():
        client_id, agent = conn.execute(
            "select client_id, id from rea.users order by client_id, id limit 1"
        ).fetchone()
        conn.execute("set local role rea_app")
        conn.execute(
            "select set_config('app.client_id', %s, true), set_config('app.user_id', %s, true)",
            (str(client_id), str(agent)),
        )
        conn.execute(
            "update rea.expenses set description = coalesce(description, '') || ' (checked)'"
            " where id in (select id from rea.expenses order by id limit 5)"
        )


def run_drill(site: Site, tenants: int = 2, scale: int = 1, say: Say = lambda _line: None) -> Drill:
    """Seed, full backup, changes, note a time, more changes, differential backup, restore
    to the noted time into a new folder on another port; the drill's observations."""
    drill = Drill(site)
    site.create()
    source = site.server
    url = source.url(DB)
    with psycopg.connect(source.url(), autocommit=True) as conn:
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(DB)))
        drill.archive_timeout = conn.execute("show archive_timeout").fetchone()[0]
    must(readb("up", dsn=url), "readb up")
    _seed(url, tenants, scale, 1)
    must(readb("refresh", dsn=url), "readb refresh")
    drill.seals_made = _seal_yesterday(url)
    say("seeded; full backup")
    drill.backups.append(site.backup("full"))
    _seed(url, 1, scale, 2)  # a new tenant arrives
    _changes(url)
    must(readb("refresh", dsn=url), "readb refresh")
    with psycopg.connect(url, autocommit=True) as conn:
        drill.target_time = conn.execute(
            "select to_char(clock_timestamp() at time zone 'UTC',"
            " 'YYYY-MM-DD HH24:MI:SS.US') || '+00'"
        ).fetchone()[0]
    drill.at_target = state(url)
    say(f"target time {drill.target_time}; more changes")
    _seed(url, 1, scale, 3)  # after the target: must not be in the restored copy
    _changes(url)
    must(readb("refresh", dsn=url), "readb refresh")
    drill.after_target = state(url)
    drill.backups.append(site.backup("diff"))
    _changes(url)
    drill.backups.append(site.backup("incr"))
    with psycopg.connect(url, autocommit=True) as conn:
        drill.data_bytes = conn.execute("select pg_database_size(current_database())").fetchone()[0]
    drill.timelines_before = site.archived_timelines()
    say("restoring to the target time")
    restored = site.restore(drill.target_time, site.root / "restore-1")
    drill.rto_seconds, drill.restore_seconds = restored.rto_seconds, restored.restore_seconds
    try:
        copy = restored.server.url(DB)
        drill.restored = state(copy)
        drill.restored_verify = readb("verify", dsn=copy)
        with psycopg.connect(copy, autocommit=True) as conn:
            drill.restored_archive_mode = conn.execute("show archive_mode").fetchone()[0]
            drill.restored_seals = conn.execute("select * from audit.verify_seals()").fetchall()
            with conn.transaction():
                client_id = conn.execute(
                    "select id from rea.clients order by id limit 1"
                ).fetchone()
                conn.execute("set local role rea_reporting")
                conn.execute("select set_config('app.client_id', %s, true)", (str(client_id[0]),))
                (drill.restored_app_rows,) = conn.execute(
                    "select count(*) from reporting.fact_deals"
                ).fetchone()
            # Writes on the copy, then a segment switch: archived, they would show up in
            # the source's repository as a new timeline.
            conn.execute("create table public.drill_probe as select 1 as x")
            conn.execute("select pg_switch_wal()")
            conn.execute("checkpoint")
            drill.timelines_after = _new_timelines(site, drill.timelines_before)
            drill.restored_archiver = conn.execute(
                "select archived_count, failed_count from pg_stat_archiver"
            ).fetchone()
    finally:
        restored.server.stop()
    site.pgbackrest("check")
    drill.source_check_after = True
    site.pgbackrest("verify")  # every file of the repository reads back and matches
    drill.repo_verified = True
    drill.encrypted = _encrypted(site)
    drill.repo_bytes, drill.archive_bytes = site.repo_bytes(), site.archive_bytes()
    # Retention: a second full backup, then expire keeping one full: the first full and
    # the differential and incremental on top of it go, and the WAL before the new full.
    drill.backups.append(site.backup("full"))
    site.pgbackrest("--repo1-retention-full=1", "expire")
    drill.after_expire = [b["label"] for b in site.info()["backup"]]
    drill.repo_bytes_after_expire = site.repo_bytes()
    return drill


def _encrypted(site: Site) -> bool:
    """Every file of the first backup is AES-256-CBC ciphertext (OpenSSL's "Salted__"
    header), never zstd or plain text."""
    files = [p for p in (site.repo / "backup").rglob("*") if p.is_file()]
    return bool(files) and all(p.read_bytes()[:8] == b"Salted__" for p in files)


def _new_timelines(site: Site, before: set[str], wait: float = 5.0) -> set[str]:
    """The repository's timelines, once a new one shows up or after `wait` seconds: an
    archiver pushes a switched segment within a second or two."""
    deadline = time.monotonic() + wait
    while (now := site.archived_timelines()) == before and time.monotonic() < deadline:
        time.sleep(0.2)
    return now


def print_drill(drill: Drill, say: Say = print) -> None:
    mib = 1024 * 1024
    say(f"database size: {drill.data_bytes / mib:.1f} MiB (rea)")
    for b in drill.backups:
        say(
            f"{b.kind:<5} backup {b.label}: {b.seconds:.1f} s, cluster {b.database_bytes / mib:.1f}"
            f" MiB, copied {b.delta_bytes / mib:.1f} MiB, in repo {b.repo_bytes / mib:.2f} MiB"
        )
    say(
        f"repository after full, diff, incr: {drill.repo_bytes / mib:.1f} MiB"
        f" (WAL archive {drill.archive_bytes / mib:.1f} MiB); after a second full and"
        f" expire keeping one: {drill.repo_bytes_after_expire / mib:.1f} MiB"
    )
    say(
        f"RTO: {drill.rto_seconds:.1f} s from restore start to a promoted server accepting writes"
        f" (pgbackrest restore {drill.restore_seconds:.1f} s, then WAL replay and start)"
    )
    say(
        f"RPO: at most archive_timeout = {drill.archive_timeout} when the primary's disks are lost"
        " (the segment being filled is not yet archived); 0 for a restore to any archived time"
    )


# --- CLI ---------------------------------------------------------------------------------------


@contextmanager
def _site_dir(path: Path | None) -> Iterator[Path]:
    if path is not None:
        yield path
        return
    root = new_site_dir("readb-backup-drill-")
    try:
        yield root
    finally:
        discard(root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=None, help=f"default {DEFAULT_SITE}")
    sub = parser.add_subparsers(dest="command", required=True)
    p_init = sub.add_parser("init", help="durable cluster, encrypted repo, stanza, database rea")
    p_init.add_argument("--tenants", type=int, default=3)
    p_init.add_argument("--scale", type=int, default=1)
    p_backup = sub.add_parser("backup", help="a full, differential or incremental backup")
    p_backup.add_argument("--type", choices=("full", "diff", "incr"), required=True)
    for name in ("info", "check", "verify", "stop", "destroy"):
        sub.add_parser(name)
    p_restore = sub.add_parser("restore", help="PITR into a new folder of the site")
    p_restore.add_argument(
        "--target-time",
        required=True,
        metavar="'YYYY-MM-DD HH:MM:SS+00' | latest",
        help="a time with a commit archived after it, or latest: the end of the archive",
    )
    p_drill = sub.add_parser("drill", help="the whole restore drill on a throwaway site")
    p_drill.add_argument("--tenants", type=int, default=2)
    p_drill.add_argument("--scale", type=int, default=1)
    args = parser.parse_args(argv)
    site = Site((args.site or DEFAULT_SITE).resolve())
    try:
        if args.command == "drill":
            with _site_dir(args.site) as root:
                drill_site = Site(root)
                try:
                    drill = run_drill(drill_site, args.tenants, args.scale, print)
                finally:
                    if (root / "port").exists():
                        drill_site.server.stop()
                print_drill(drill)
            return 0
        if args.command == "init":
            if (site.root / "port").exists():
                raise ReadbError(f"{site.root} exists: make backup-destroy first")
            site.create()
            url = site.server.url(DB)
            with psycopg.connect(site.server.url(), autocommit=True) as conn:
                conn.execute(sql.SQL("create database {}").format(sql.Identifier(DB)))
            must(readb("up", dsn=url), "readb up")
            _seed(url, args.tenants, args.scale, 1)
            must(readb("refresh", dsn=url), "readb refresh")
            print(
                f"durable cluster {url} (data {site.root / 'pgdata'}), archiving into {site.repo}"
            )
        elif args.command == "backup":
            if not site.server.running():
                site.server.start()
            b = site.backup(args.type)
            print(f"{b.kind} backup {b.label}: {b.seconds:.1f} s, {b.repo_bytes} bytes in repo")
        elif args.command in ("check", "verify"):
            if args.command == "check" and not site.server.running():
                site.server.start()
            site.pgbackrest(args.command)
            print(f"{args.command}: ok")
        elif args.command == "info":
            print(site.pgbackrest("info"), end="")
        elif args.command == "restore":
            n = 1 + len(list(site.root.glob("restore-*[0-9]")))
            restored = site.restore(args.target_time, site.root / f"restore-{n}")
            print(
                f"restored into {restored.server.pgdata}: {restored.server.url(DB)}"
                f" (RTO {restored.rto_seconds:.1f} s); stop it with pg_ctl -D ... stop"
            )
        elif args.command == "stop":
            for restored in site.root.glob("restore-*[0-9]"):
                Server(restored, 0, restored).stop()
            site.server.stop()
        elif args.command == "destroy":
            for restored in site.root.glob("restore-*[0-9]"):
                Server(restored, 0, restored).stop()
            site.server.stop()
            shutil.rmtree(site.root)
    except ReadbError as exc:
        print(f"backrest: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A local three-node Citus cluster: a coordinator and two workers, for the scale-out tests.

    python -m readb.citus_cluster up [DBNAME]        # start the nodes; the coordinator URL
    python -m readb.citus_cluster url DBNAME         # DBNAME on every node; its URL
    python -m readb.citus_cluster build DBNAME       # readb up on the coordinator, then distribute
    python -m readb.citus_cluster distribute DBNAME  # again after shard moves (idempotent)
    python -m readb.citus_cluster add-worker         # a third (fourth, ...) worker, registered
    python -m readb.citus_cluster status | down | destroy

Each node is an ordinary throwaway cluster made by `readb.cluster` (initdb as the
unprivileged OS user when root, loopback only, trust, fsync off), started with
`shared_preload_libraries = 'citus,pg_stat_statements'` (Citus must come first; the
project preloads pg_stat_statements), `wal_level = logical` (shard moves copy with
logical replication) and `max_prepared_transactions` (Citus commits multi-node writes
with two-phase commit). The nodes live in `$READB_CITUS_DATA` (default: the local
cluster's data folder with `-citus` appended), one sub-folder each
(`coordinator`, `worker1`, ...), on the first free ports from `$READB_CITUS_PORT`
(default 54400), remembered in each node's `readb.port`.

A database on the cluster exists on every node with `create extension citus`; the
coordinator knows its own host (`citus_set_coordinator_host`) and every worker
(`citus_add_node`). Citus is looked up, not installed: without it `up` fails with one
line that says how to get it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import psycopg
from psycopg import sql

from readb import cluster, pgbin
from readb.errors import ReadbError

DEFAULT_PORT = 54400
WORKERS = 2
SETTINGS = (
    "shared_preload_libraries=citus,pg_stat_statements",
    "wal_level=logical",
    "max_prepared_transactions=100",
    "max_replication_slots=20",
    "max_wal_senders=20",
    "shared_buffers=128MB",
    # Triggers on distributed tables (the audit trail, the workflows) run on the shards.
    "citus.enable_unsafe_triggers=on",
)


def installed() -> str | None:
    """None when Citus can be loaded by this machine's PostgreSQL, else why not."""
    try:
        libdir = subprocess.run(
            [pgbin.find("pg_config"), "--pkglibdir"], capture_output=True, text=True, check=True
        ).stdout.strip()
        sharedir = subprocess.run(
            [pgbin.find("pg_config"), "--sharedir"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (ReadbError, OSError, subprocess.CalledProcessError) as exc:
        return f"pg_config not found ({exc})"
    if not (Path(libdir) / "citus.so").is_file():
        return f"Citus is not installed ({libdir}/citus.so missing)"
    if not (Path(sharedir) / "extension" / "citus.control").is_file():
        return f"Citus is not installed ({sharedir}/extension/citus.control missing)"
    return None


def base_dir() -> Path:
    if env := os.environ.get("READB_CITUS_DATA"):
        return Path(env).resolve()
    local = cluster.data_dir()
    return local.with_name(local.name + "-citus")


def node_names() -> list[str]:
    """coordinator, worker1, worker2 and any added worker, in order."""
    names = ["coordinator"] + [f"worker{i}" for i in range(1, WORKERS + 1)]
    extra = sorted(
        (p.name for p in base_dir().glob("worker*") if p.name not in names),
        key=lambda n: int(n.removeprefix("worker") or 0),
    )
    return names + extra


def _node_dir(name: str) -> Path:
    return base_dir() / name


def _node_port(name: str) -> int:
    remembered = _node_dir(name) / "readb.port"
    if remembered.is_file():
        return int(remembered.read_text().strip())
    taken = {
        int((_node_dir(n) / "readb.port").read_text())
        for n in node_names()
        if (_node_dir(n) / "readb.port").is_file()
    }
    first = int(os.environ.get("READB_CITUS_PORT", DEFAULT_PORT))
    candidate = first
    while True:
        candidate = cluster._free_port(candidate)
        if candidate not in taken:
            return candidate
        candidate += 1


def node_url(name: str, dbname: str = "postgres") -> str:
    return cluster.server_url(dbname, _node_port(name))


def coordinator_url(dbname: str = "postgres") -> str:
    return node_url("coordinator", dbname)


def _start_node(name: str) -> None:
    pgdata = _node_dir(name)
    at_port = _node_port(name)
    if not cluster._initialised(pgdata):
        base_dir().mkdir(parents=True, exist_ok=True)
        if user := cluster._os_user():
            shutil.chown(base_dir(), user=user)
        cluster.initialise(pgdata, at_port)
    cluster.launch(pgdata, at_port, SETTINGS)


def up(dbname: str | None = None) -> str:
    """Create and start every node; with dbname, make that database ready on all of them."""
    if why := installed():
        raise ReadbError(
            f"{why}: build it with ../shared/citus/build.sh (this machine) "
            "or install Citus's packages (https://docs.citusdata.com)"
        )
    for name in node_names():
        _start_node(name)
    return ensure_database(dbname) if dbname else coordinator_url()


def ensure_database(dbname: str) -> str:
    """dbname on every node with the citus extension; the coordinator knows its workers."""
    for name in node_names():
        with psycopg.connect(node_url(name), autocommit=True) as conn:
            if not conn.execute(
                "select 1 from pg_database where datname = %s", (dbname,)
            ).fetchone():
                conn.execute(sql.SQL("create database {}").format(sql.Identifier(dbname)))
        with psycopg.connect(node_url(name, dbname), autocommit=True) as conn:
            conn.execute("create extension if not exists citus")
    with psycopg.connect(coordinator_url(dbname), autocommit=True) as conn:
        conn.execute(
            "select pg_catalog.citus_set_coordinator_host('127.0.0.1', %s)",
            (_node_port("coordinator"),),
        )
        known = {
            row[0]
            for row in conn.execute(
                "select nodeport from pg_catalog.pg_dist_node where groupid <> 0"
            ).fetchall()
        }
        for name in node_names()[1:]:
            if _node_port(name) not in known:
                conn.execute(
                    "select pg_catalog.citus_add_node('127.0.0.1', %s)", (_node_port(name),)
                )
    return coordinator_url(dbname)


DISTRIBUTE_SQL = Path(__file__).resolve().parents[2] / "sql" / "citus" / "distribute.sql"


def build(dbname: str, say: Callable[[str], None] = lambda line: None) -> str:
    """DBNAME made ready on every node, every step applied on the coordinator, then
    distributed by sql/citus/distribute.sql; the coordinator URL.

    `readb up` runs with citus.enable_ddl_propagation off: the steps build the schema on
    the coordinator as on a single server (with propagation on, Citus would replay each
    statement on the workers over connections of the role that runs it, and a step mixes
    the superuser and rea_owner in one transaction). distribute.sql then puts on every node
    what the shards need: extensions, functions, shell tables, policies, grants, triggers."""
    url = up(dbname)
    env = os.environ | {"PGOPTIONS": "-c citus.enable_ddl_propagation=off"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "readb", "--dsn", url, "up"], capture_output=True, text=True, env=env
    )
    if done.returncode != 0:
        raise ReadbError(f"readb up failed: {(done.stderr.strip().splitlines() or ['?'])[-1]}")
    say("readb up: done")
    distribute(dbname)
    say("distribute.sql: done")
    return url


def distribute(dbname: str) -> None:
    """Run sql/citus/distribute.sql on DBNAME's coordinator. It is idempotent; run it again
    after a shard split, move or rebalance: new shards get the shard-level grants."""
    done = subprocess.run(
        [
            *(pgbin.find("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1"),
            *("-d", coordinator_url(dbname), "-f", str(DISTRIBUTE_SQL)),
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        errors = [line for line in done.stderr.splitlines() if "ERROR" in line]
        raise ReadbError(f"distribute.sql failed: {(errors or ['?'])[-1]}")


def databases() -> list[str]:
    """The databases of the coordinator that have Citus (where a new worker must join)."""
    with psycopg.connect(coordinator_url(), autocommit=True) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "select datname from pg_database where not datistemplate and datname <> 'postgres'"
            ).fetchall()
        ]
    found = []
    for dbname in names:
        with psycopg.connect(coordinator_url(dbname), autocommit=True) as conn:
            if conn.execute("select 1 from pg_extension where extname = 'citus'").fetchone():
                found.append(dbname)
    return found


def add_worker() -> str:
    """Start one more worker and register it in every Citus database (empty: rebalance
    to give it shards); its name."""
    name = f"worker{len(node_names())}"
    _node_dir(name).mkdir(parents=True, exist_ok=True)
    if user := cluster._os_user():
        shutil.chown(_node_dir(name), user=user)
    _start_node(name)
    for dbname in databases():
        ensure_database(dbname)
    return name


def drop_database(dbname: str) -> None:
    """Drop dbname on every node (workers first)."""
    for name in reversed(node_names()):
        with psycopg.connect(node_url(name), autocommit=True) as conn:
            conn.execute(
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(dbname))
            )


def running() -> bool:
    return all(cluster.running(_node_dir(name)) for name in node_names())


def down() -> None:
    for name in reversed(node_names()):
        cluster.halt(_node_dir(name))


def destroy() -> None:
    down()
    if base_dir().exists():
        shutil.rmtree(base_dir())


def main(argv: list[str]) -> int:
    usage = (
        "usage: python -m readb.citus_cluster "
        "up [DBNAME] | url DBNAME | build DBNAME | distribute DBNAME | drop DBNAME | add-worker"
        " | status | down | destroy"
    )
    try:
        match argv:
            case ["up"]:
                print(up())
            case ["up", dbname] | ["url", dbname]:
                print(up(dbname))
            case ["build", dbname]:
                print(build(dbname, lambda line: print(line, file=sys.stderr)))
            case ["distribute", dbname]:
                distribute(dbname)
            case ["drop", dbname]:
                drop_database(dbname)
            case ["add-worker"]:
                up()
                name = add_worker()
                print(f"{name}: {node_url(name)}")
            case ["status"]:
                for name in node_names():
                    state = "running" if cluster.running(_node_dir(name)) else "stopped"
                    print(f"{name}: {state}: {_node_dir(name)} on 127.0.0.1:{_node_port(name)}")
            case ["down"]:
                down()
            case ["destroy"]:
                destroy()
            case _:
                print(usage, file=sys.stderr)
                return 2
    except ReadbError as exc:
        print(f"readb.citus_cluster: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

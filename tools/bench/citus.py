"""One tenant's latency on a single server against the same on the local Citus cluster.

    python tools/bench/citus.py [--runs 300]

Builds a database on each (`readb up` on the local cluster; `citus_cluster.build` on a
coordinator and two workers), makes one agency on each, then times, interleaved, as a
LOGIN member of rea_app with the tenant set per transaction (SET LOCAL, as Citus needs):
a tenant read (available properties, filtered by client_id) and a tenant write (a
customer inserted, with its audit row). Prints the median and 90th percentile of each
and the cluster/single ratio. All nodes share this machine's two cores: the cluster's
numbers are its coordination overhead, not what separate machines would give.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))

from readb import citus_cluster, cluster

DB = "readb_bench_citus"


def _prepare(url: str) -> tuple[str, str]:
    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_roles where rolname = 'bench_app'").fetchone():
            conn.execute("create role bench_app login in role rea_app")
        from conftest import make_tenant

        tenant = make_tenant(conn, f"Bench Realty {time.time_ns()}")
        for i in range(50):
            tenant.property(conn, title=f"Flat {i}")
    return url.replace("postgres@", "bench_app@", 1), str(tenant.client_id)


def _timed(conn: psycopg.Connection, client_id: str, what: str) -> float:
    started = time.perf_counter()
    with conn.transaction():
        conn.execute(sql.SQL("set local app.client_id = {}").format(sql.Literal(client_id)))
        if what == "read":
            conn.execute(
                "select id, title from rea.properties where client_id = %s"
                " and status = 'available' order by id limit 20",
                (client_id,),
            ).fetchall()
        else:
            conn.execute(
                "insert into rea.customers (client_id, full_name) values (%s, 'Bench Buyer')",
                (client_id,),
            )
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    runs = parser.parse_args().runs
    cluster.start()
    single = cluster.server_url(DB)
    cluster.drop_database(DB)
    cluster.ensure_database(DB)
    subprocess.run(
        [sys.executable, "-m", "readb", "--dsn", single, "up"], check=True, capture_output=True
    )
    citus_cluster.up()
    with contextlib.suppress(psycopg.Error):
        citus_cluster.drop_database(DB)
    distributed = citus_cluster.build(DB)
    targets = {"single": _prepare(single), "citus": _prepare(distributed)}
    samples = {(t, w): [] for t in targets for w in ("read", "write")}
    conns = {t: psycopg.connect(url) for t, (url, _) in targets.items()}
    try:
        for _ in range(runs):
            for what in ("read", "write"):
                for target, (_, client_id) in targets.items():
                    samples[(target, what)].append(_timed(conns[target], client_id, what))
    finally:
        for conn in conns.values():
            conn.close()
    print(f"one tenant, {runs} runs each, interleaved; ms per transaction")
    for what in ("read", "write"):
        line = []
        for target in targets:
            values = sorted(samples[(target, what)])
            p90 = values[int(len(values) * 0.9)]
            line.append(f"{target}: median {statistics.median(values):.2f} p90 {p90:.2f}")
        ratio = statistics.median(samples[("citus", what)]) / statistics.median(
            samples[("single", what)]
        )
        print(f"{what:5}  " + "  ".join(line) + f"  citus/single {ratio:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

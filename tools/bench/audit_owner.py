"""The audited single-row write path before and after the audit owner (7540-7570), side by side.

    .venv/bin/python tools/bench/audit_owner.py [--single 1000] [--rounds 5] [--before 7420]

Builds two databases on the local cluster with the real CLI: `readb_bench_before` (steps up
to --before: advisory day locks, the trail owned by rea_owner) and `readb_bench_after`
(every step: rea_audit_owner, row locks on audit.day_locks, the trigger guard). Each gets one
tenant. A batch is --single transactions of BEGIN, set local role rea_app, set_config of
tenant and actor, one INSERT into rea.branches (audited), COMMIT. Batches alternate between
the two databases, the order rotating each round; it prints each side's median throughput
and the ratio after/before. Numbers on a shared machine are noisy: compare the medians of
one run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import psycopg

from readb import cluster


def build(name: str, to: str | None) -> str:
    with psycopg.connect(cluster.server_url(), autocommit=True) as conn:
        conn.execute(f"drop database if exists {name} with (force)")
        conn.execute(f"create database {name}")
    url = cluster.server_url(name)
    args = [sys.executable, "-m", "readb", "--dsn", url, "up", *(["--to", to] if to else [])]
    subprocess.run(args, check=True, capture_output=True)
    return url


def tenant(url: str) -> tuple[str, str]:
    with psycopg.connect(url, autocommit=True) as conn:
        (cid,) = conn.execute(
            "insert into rea.clients (name, base_currency) values ('Bench', 'SAR') returning id"
        ).fetchone()
        (uid,) = conn.execute(
            "insert into rea.users (client_id, full_name, email)"
            " values (%s, 'B', 'bench@example.com') returning id",
            (cid,),
        ).fetchone()
    return str(cid), str(uid)


def batch(conn: psycopg.Connection, cid: str, uid: str, n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        with conn.transaction():
            conn.execute("set local role rea_app")
            conn.execute(
                "select set_config('app.client_id', %s, true), set_config('app.user_id', %s, true)",
                (cid, uid),
            )
            conn.execute(
                "insert into rea.branches (client_id, name, city)"
                " values (%s, gen_random_uuid()::text, 'c')",
                (cid,),
            )
    return n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--single", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", default="7420")
    args = parser.parse_args()
    cluster.start()
    sides = {
        "before": build("readb_bench_before", args.before),
        "after": build("readb_bench_after", None),
    }
    conns = {k: psycopg.connect(url, autocommit=True) for k, url in sides.items()}
    ids = {k: tenant(url) for k, url in sides.items()}
    rates: dict[str, list[float]] = {k: [] for k in sides}
    for k in sides:  # warm up
        batch(conns[k], *ids[k], max(args.single // 10, 1))
    for r in range(args.rounds):
        order = list(sides) if r % 2 == 0 else list(reversed(sides))
        for k in order:
            rates[k].append(batch(conns[k], *ids[k], args.single))
    for k in sides:
        print(
            f"{k:<7} median {statistics.median(rates[k]):8.0f} tx/s   rounds: "
            + ", ".join(f"{x:.0f}" for x in rates[k])
        )
    ratio = statistics.median(rates["after"]) / statistics.median(rates["before"])
    print(f"after/before throughput: {ratio:.2f}")


if __name__ == "__main__":
    main()

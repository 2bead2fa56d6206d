"""The single-row write path before and after the hardening of issue 9, side by side.

    .venv/bin/python tools/bench/write_path.py [--before 7420] [--transactions 300] [--rounds 7]

Builds two databases on the local cluster with the real CLI: `readb_bench_before` up to
step --before (the last step before the hardening) and `readb_bench_after` with every
step, each seeded with one tenant (`readb seed --tenants 1 --scale 1`). Then, as rea_app
(`set role`, in one session per database), it runs rounds of --transactions transactions
of the application's shape: BEGIN; set_config of tenant and actor (bound parameters); one
INSERT into rea.customers; one UPDATE of that row; COMMIT. Each statement goes through
the policies (rea.current_client_id(), inlined), the row triggers (pinned search_path
now) and the audit trigger, whose actor lookup (7520) is the one new query per
statement. Rounds alternate the order of the two databases; it prints the median time
per transaction of each and the ratio after/before. Numbers on a shared machine are
noisy: compare the medians of one run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import psycopg
from psycopg import sql

from readb import cluster


def build(name: str, to: str | None) -> str:
    with psycopg.connect(cluster.server_url(), autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    url = cluster.server_url(name)
    up = ["up"] + (["--to", to] if to else [])
    for args in (up, ["seed", "--tenants", "1", "--scale", "1"]):
        subprocess.run(
            [sys.executable, "-m", "readb", "--dsn", url, *args],
            check=True,
            capture_output=True,
        )
    return url


def session(url: str) -> tuple[psycopg.Connection, str, str]:
    conn = psycopg.connect(url, autocommit=True)
    client_id, user_id = conn.execute(
        "select c.id::text, (select u.id::text from rea.users as u where u.client_id = c.id"
        " order by u.id limit 1) from rea.clients as c limit 1"
    ).fetchone()
    conn.execute("set role rea_app")
    return conn, client_id, user_id


def one_round(conn: psycopg.Connection, client_id: str, user_id: str, n: int) -> float:
    started = time.perf_counter()
    for i in range(n):
        with conn.transaction():
            conn.execute(
                "select set_config('app.client_id', %s, true), set_config('app.user_id', %s, true)",
                (client_id, user_id),
            )
            (row_id,) = conn.execute(
                "insert into rea.customers (client_id, full_name) values (%s, %s) returning id",
                (client_id, f"Bench customer {i}"),
            ).fetchone()
            conn.execute(
                "update rea.customers set full_name = %s where client_id = %s and id = %s",
                (f"Bench customer {i} renamed", client_id, row_id),
            )
    return (time.perf_counter() - started) / n * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="7420", help="the last step before (default 7420)")
    parser.add_argument("--transactions", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    cluster.start()
    urls = {
        "before": build("readb_bench_before", args.before),
        "after": build("readb_bench_after", None),
    }
    sessions = {k: session(u) for k, u in urls.items()}
    for conn, cid, uid in sessions.values():  # warm up: plans, caches
        one_round(conn, cid, uid, 30)
    samples: dict[str, list[float]] = {"before": [], "after": []}
    for r in range(args.rounds):
        order = ["before", "after"] if r % 2 == 0 else ["after", "before"]
        for k in order:
            conn, cid, uid = sessions[k]
            samples[k].append(one_round(conn, cid, uid, args.transactions))
    med = {k: statistics.median(v) for k, v in samples.items()}
    print(
        f"single-row write path as rea_app (BEGIN, set_config, INSERT, UPDATE, COMMIT),"
        f" {args.rounds} rounds x {args.transactions} transactions, median ms per transaction:"
    )
    for k in ("before", "after"):
        spread = ", ".join(f"{s:.3f}" for s in samples[k])
        print(
            f"  {k:<6} (steps to {args.before if k == 'before' else 'the newest'}):"
            f" {med[k]:.3f} ms   [{spread}]"
        )
    print(f"  ratio after/before: {med['after'] / med['before']:.3f}")
    for conn, _, _ in sessions.values():
        conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What each monitoring check costs: every view of the monitoring schema, timed.

    .venv/bin/python tools/bench/health.py [--tenants 3] [--scale 1] [--runs 5] [--dsn URL]

Each view is read whole (`select * from monitoring.<view>`, every row fetched) --runs
times, as the superuser (who sees what rea_monitor sees, and more), interleaved view by
view; prints the median and the maximum in milliseconds and the rows returned, then the
same for `readb health` as a command (connection, every check, the step files compared).

Without --dsn it builds a fresh database `readb_bench_health` on the local cluster with
the real CLI (`readb up`, `readb seed --tenants N --scale S`, `readb refresh`) and
ANALYZEs it, so the bloat estimates have statistics. With --dsn it only reads. Numbers
on a shared machine are noisy: compare the medians of one run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import psycopg

from readb import cluster

DB = "readb_bench_health"


def cli(url: str, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "readb", "--dsn", url, *args], check=False, capture_output=True
    )
    return (time.perf_counter() - started) * 1000


def prepare(tenants: int, scale: int) -> str:
    cluster.start()
    cluster.drop_database(DB)
    url = cluster.ensure_database(DB)
    for args in (("up",), ("seed", "--tenants", str(tenants), "--scale", str(scale)), ("refresh",)):
        subprocess.run(
            [sys.executable, "-m", "readb", "--dsn", url, *args], check=True, capture_output=True
        )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("analyze")
    return url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=3)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dsn")
    args = parser.parse_args()
    url = args.dsn or prepare(args.tenants, args.scale)
    timings: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        (size,) = conn.execute(
            "select pg_size_pretty(pg_database_size(current_database()))"
        ).fetchone()
        views = [
            v
            for (v,) in conn.execute(
                "select viewname from pg_views where schemaname = 'monitoring' order by 1"
            )
        ]
        for _ in range(args.runs):
            for view in views:
                started = time.perf_counter()
                counts[view] = len(conn.execute(f"select * from monitoring.{view}").fetchall())
                timings.setdefault(view, []).append((time.perf_counter() - started) * 1000)
    for _ in range(args.runs):
        timings.setdefault("(readb health, the command)", []).append(cli(url, "health"))
    print(f"database {url.rsplit('/', 1)[-1]}: {size}; {args.runs} runs each")
    print(f"{'view':<32} {'median ms':>10} {'max ms':>8} {'rows':>6}")
    for name, values in timings.items():
        rows = counts.get(name, "")
        print(f"{name:<32} {statistics.median(values):>10.1f} {max(values):>8.1f} {rows:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time `readb up` on an empty database: N fresh databases, one full rollout each.

    .venv/bin/python tools/bench/up.py [--runs 5]

Prints each run and the median, in milliseconds. It uses the local cluster (started if
needed) and the real CLI in a child process, as an operator would run it. Numbers on a
shared machine are noisy: compare medians taken in one run, never single timings.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from readb import cluster


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cluster.start()
    timings = []
    for run in range(args.runs):
        dbname = f"readb_bench_up_{run}"
        cluster.drop_database(dbname)
        url = cluster.ensure_database(dbname)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "readb", "--dsn", url, "up"], check=True, capture_output=True
        )
        timings.append((time.perf_counter() - started) * 1000)
        cluster.drop_database(dbname)
        print(f"run {run + 1}: readb up on an empty database: {timings[-1]:.0f} ms")
    steps = subprocess.run(
        [sys.executable, "-m", "readb", "steps"], check=True, capture_output=True, text=True
    ).stdout.count("\n")
    print(f"median of {args.runs}: {statistics.median(timings):.0f} ms for {steps} steps")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Property search before and after 7430-7460: by features (jsonb @>) and by words (pg_trgm).

    .venv/bin/python tools/bench/search.py [--tenants 5] [--scale 40] [--reps 30] [--dsn URL]

Builds (or, with --dsn, reuses) a database up to 7420, seeds it (`readb seed`), and
times each search, interleaved, --reps times per way, in milliseconds from the client:
  RLS       as rea_app with the tenant set, the plain query: the policies add the tenant;
  explicit  as the superuser (no RLS) with `client_id = ...` written into the query;
  function  as rea_app, search.properties() (after only): security definer, owned by
            rea_search, which bypasses RLS and filters by rea.require_client_id().
Then `readb up` (the pg_trgm and btree_gin extensions, the two concurrent GIN indexes,
the search function) and the same again. Prints the median and the p95 per way, before
and after, the ratio before/after of the medians, the rows found (equal on every way)
and each way's plan reduced to its scan nodes, so a reader sees which used the index.
Without --dsn the database is `readb_bench_search` on the local cluster, dropped and
built again each run. Noisy shared machine: compare medians of one run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

import psycopg

from readb import cluster

WORDS_EXPR = "(p.title || ' ' || coalesce(p.district, ''))"

SEARCHES = (
    (
        "features @> 5 bedrooms, 4 bathrooms, furnished",
        {"bedrooms": 5, "bathrooms": 4, "furnished": True},
        None,
    ),
    ("words 'Malqa villa' in title and district", None, "Malqa villa"),
    ("features 3 bedrooms and words 'Olaya apartment'", {"bedrooms": 3}, "Olaya apartment"),
)


def plain_query(features: dict | None, words: str | None, explicit: bool) -> str:
    where = ["p.deleted_at is null"]
    if explicit:
        where.insert(0, "p.client_id = %(client_id)s")
    if features is not None:
        where.append("p.features @> %(features)s::jsonb")
    if words is not None:
        # What search.properties() asks: the longest word through the index, every word.
        where.append(f"%(longest)s operator(extensions.<%%) {WORDS_EXPR}")
        where.append(
            "not exists (select from regexp_split_to_table(%(words)s, '\\s+') as w"
            f" where w <> '' and not w operator(extensions.<%%) {WORDS_EXPR})"
        )
    return (
        "select p.id from rea.properties as p where "
        + " and ".join(where)
        + " order by p.id limit 50"
    )


FUNCTION_QUERY = "select s.id from search.properties(%(features)s::jsonb, %(words)s, 50) as s"


def run_cli(url: str, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "readb", "--dsn", url, *args], check=True, capture_output=True
    )
    return time.perf_counter() - started


def plan_of(conn: psycopg.Connection, query: str, params: dict) -> str:
    rows = conn.execute("explain (costs off) " + query, params).fetchall()
    nodes = []
    for (line,) in rows:
        text = line.strip().lstrip("-> ").strip()
        if "Scan" in text or text.startswith("Function"):
            nodes.append(text)
    return "; ".join(nodes)


def timed(
    conn: psycopg.Connection, query: str, params: dict, as_app: bool, client_id: object
) -> tuple:
    with conn.transaction():
        if as_app:
            conn.execute("set local role rea_app")
            conn.execute("select set_config('app.client_id', %s, true)", (str(client_id),))
        started = time.perf_counter()
        rows = conn.execute(query, params).fetchall()
        return (time.perf_counter() - started) * 1000, len(rows)


def measure(url: str, reps: int, client_id: object, after: bool) -> dict:
    results = {}
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("analyze rea.properties")
        for name, features, words in SEARCHES:
            params = {
                "client_id": client_id,
                "features": None if features is None else json.dumps(features),
                "words": words,
                "longest": None if words is None else max(words.split(), key=len),
            }
            ways = {
                "RLS": (plain_query(features, words, False), True),
                "explicit": (plain_query(features, words, True), False),
            }
            if after:
                ways["function"] = (FUNCTION_QUERY, True)
            if not after and words is not None:
                # Before 7430 there is no pg_trgm: word searches cannot run at all.
                results[name] = None
                continue
            times = {way: [] for way in ways}
            found = {}
            for rep in range(reps):
                order = list(ways) if rep % 2 == 0 else list(reversed(ways))
                for way in order:
                    query, as_app = ways[way]
                    ms, count = timed(conn, query, params, as_app, client_id)
                    times[way].append(ms)
                    found[way] = count
            plans = {}
            for way, (query, as_app) in ways.items():
                with conn.transaction():
                    if as_app:
                        conn.execute("set local role rea_app")
                        conn.execute(
                            "select set_config('app.client_id', %s, true)", (str(client_id),)
                        )
                    plans[way] = (
                        "(plpgsql: see below)"
                        if way == "function"
                        else plan_of(conn, query, params)
                    )
            results[name] = {
                way: (
                    statistics.median(ms),
                    statistics.quantiles(ms, n=20)[-1] if len(ms) > 1 else ms[0],
                    found[way],
                    plans[way],
                )
                for way, ms in times.items()
            }
    return results


def function_plan(url: str, client_id: object) -> list[str]:
    """The plans of the statements inside search.properties(), from auto_explain."""
    lines = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("load 'auto_explain'")
        conn.execute("set auto_explain.log_min_duration = 0")
        conn.execute("set auto_explain.log_nested_statements = on")
        conn.execute("set auto_explain.log_level = notice")
        conn.execute("set client_min_messages = notice")
        notices: list[str] = []
        conn.add_notice_handler(lambda d: notices.append(d.message_primary or ""))
        for name, features, words in SEARCHES:
            with conn.transaction():
                conn.execute("set local role rea_app")
                conn.execute("select set_config('app.client_id', %s, true)", (str(client_id),))
                notices.clear()
                conn.execute(
                    FUNCTION_QUERY,
                    {
                        "features": None if features is None else json.dumps(features),
                        "words": words,
                    },
                ).fetchall()
            scans = [
                ln.strip().lstrip("-> ").strip()
                for n in notices
                if "rea.properties" in n or "properties p" in n or "on properties" in n
                for ln in n.splitlines()
                if "Scan" in ln
            ]
            lines.append(f"  {name}: {'; '.join(dict.fromkeys(scans)) or '?'}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=5)
    parser.add_argument("--scale", type=int, default=40)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--dsn")
    args = parser.parse_args()
    if args.dsn:
        url = args.dsn
    else:
        cluster.start()
        cluster.drop_database("readb_bench_search")
        url = cluster.ensure_database("readb_bench_search")
    run_cli(url, "up", "--to", "7420")
    with psycopg.connect(url, autocommit=True) as conn:
        if conn.execute("select not exists (select from rea.clients)").fetchone()[0]:
            seconds = run_cli(
                url, "seed", "--tenants", str(args.tenants), "--scale", str(args.scale)
            )
            print(f"readb seed --tenants {args.tenants} --scale {args.scale}: {seconds:.1f} s")
        tenants, properties = conn.execute(
            "select (select count(*) from rea.clients), (select count(*) from rea.properties)"
        ).fetchone()
        (client_id,) = conn.execute("select id from rea.clients order by id limit 1").fetchone()
    print(f"rows: {tenants} tenants, {properties:,} properties; searching the first tenant's")
    before = measure(url, args.reps, client_id, after=False)
    seconds = run_cli(url, "up")
    print(
        "readb up (7430-7499: extensions, concurrent GIN indexes, search.properties):"
        f" {seconds:.1f} s"
    )
    after = measure(url, args.reps, client_id, after=True)
    print(f"\nmedian ms (p95), {args.reps} runs per way, interleaved")
    for name, _, _ in SEARCHES:
        print(f"\n{name}")
        for way in ("RLS", "explicit", "function"):
            b = before[name][way] if before[name] and way in before[name] else None
            a = after[name].get(way)
            left = f"before {b[0]:7.2f} ({b[1]:7.2f})" if b else "before       -          "
            right = f"after {a[0]:7.2f} ({a[1]:7.2f}), {a[2]} rows" if a else ""
            ratio = f"  before/after {b[0] / a[0]:5.1f}x" if a and b else ""
            print(f"  {way:9s} {left}  {right}{ratio}")
        for way in ("RLS", "explicit"):
            if before[name]:
                print(f"    plan before, {way}: {before[name][way][3]}")
            print(f"    plan after,  {way}: {after[name][way][3]}")
    print("\nplans inside search.properties() (auto_explain):")
    for line in function_plan(url, client_id):
        print(line)
    if not args.dsn:
        cluster.drop_database("readb_bench_search")


if __name__ == "__main__":
    main()

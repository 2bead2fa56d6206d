"""Measure what row-level security costs typical tenant queries: RLS against an explicit filter.

    .venv/bin/python tools/bench/rls.py [--tenants 10] [--scale 5] [--reps 200] [--dsn URL]

Each query runs two ways, interleaved (the order alternates each repetition), --reps
times each:
  RLS       in a transaction as rea_app (`set local role rea_app`, app.client_id and
            app.user_id set with set_config(..., true), like the application): the
            tenant comes from the policies (and, for the dashboard, from the tenant
            filter of the reporting.fact_deals view);
  explicit  the same query as the superuser, who bypasses RLS, with `client_id = %s`
            written into it (the dashboard reads reporting.fact_deals_mv directly).
Only the query is timed, from the client (send, execute, fetch every row); psycopg
prepares a statement after its fifth execution, on both sides alike. Prints median and
p95 in milliseconds, the ratio RLS/explicit of the medians, the row counts (which must
be equal) and, per query, each side's EXPLAIN reduced to one line of plan nodes with
their indexes, so a reader sees whether RLS changed the plan.

Without --dsn it builds a fresh database `readb_bench_rls` on the local cluster with the
real CLI (`readb up`, `readb seed --tenants N --scale S`, `readb refresh`) and ANALYZEs
it. With --dsn the database is brought up to date and seeded only if it holds no
tenant, then refreshed and analyzed. Numbers on a shared machine are noisy: compare
the medians of one run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

import psycopg

from readb import cluster


@dataclass(frozen=True)
class Query:
    name: str
    rls: str  # as rea_app under RLS; parameters named %(...)s
    explicit: str  # as the superuser, with the tenant written in: %(client_id)s


QUERIES = (
    Query(
        "available properties in a city, by price, limit 50",
        """
        select p.id, p.title, p.district, p.asking_price, p.currency
        from rea.properties as p
        where p.city = %(city)s and p.status = 'available' and p.deleted_at is null
        order by p.asking_price
        limit 50
        """,
        """
        select p.id, p.title, p.district, p.asking_price, p.currency
        from rea.properties as p
        where p.client_id = %(client_id)s
            and p.city = %(city)s and p.status = 'available' and p.deleted_at is null
        order by p.asking_price
        limit 50
        """,
    ),
    Query(
        "a customer's deals with property titles",
        """
        select d.id, d.stage, d.amount, d.currency, d.deal_date, p.title
        from rea.deals as d
        inner join rea.properties as p on d.client_id = p.client_id and d.property_id = p.id
        where d.customer_id = %(customer_id)s and d.deleted_at is null
        order by d.deal_date desc
        """,
        """
        select d.id, d.stage, d.amount, d.currency, d.deal_date, p.title
        from rea.deals as d
        inner join rea.properties as p on d.client_id = p.client_id and d.property_id = p.id
        where d.client_id = %(client_id)s
            and d.customer_id = %(customer_id)s and d.deleted_at is null
        order by d.deal_date desc
        """,
    ),
    Query(
        "a branch's bookings starting this month",
        """
        select b.id, b.status, b.starts_at, b.ends_at, p.title
        from rea.bookings as b
        inner join rea.properties as p on b.client_id = p.client_id and b.property_id = p.id
        where p.branch_id = %(branch_id)s
            and b.starts_at >= %(month)s and b.starts_at < %(month)s + interval '1 month'
        order by b.starts_at
        """,
        """
        select b.id, b.status, b.starts_at, b.ends_at, p.title
        from rea.bookings as b
        inner join rea.properties as p on b.client_id = p.client_id and b.property_id = p.id
        where b.client_id = %(client_id)s and p.branch_id = %(branch_id)s
            and b.starts_at >= %(month)s and b.starts_at < %(month)s + interval '1 month'
        order by b.starts_at
        """,
    ),
    Query(
        "dashboard: won deals by month (reporting.fact_deals)",
        """
        select f.month, count(*), sum(f.amount_base), sum(f.commission_base)
        from reporting.fact_deals as f
        where f.stage = 'won'
        group by f.month
        order by f.month
        """,
        """
        select f.month, count(*), sum(f.amount_base), sum(f.commission_base)
        from reporting.fact_deals_mv as f
        where f.client_id = %(client_id)s and f.stage = 'won'
        group by f.month
        order by f.month
        """,
    ),
)


def run_cli(url: str, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "readb", "--dsn", url, *args], check=True, capture_output=True
    )
    return time.perf_counter() - started


def prepare(url: str, tenants: int, scale: int) -> dict[str, Any]:
    """Build, seed, refresh and analyze; pick the parameters of the queries."""
    run_cli(url, "up")
    with psycopg.connect(url, autocommit=True) as conn:
        if conn.execute("select not exists (select from rea.clients)").fetchone()[0]:
            seconds = run_cli(url, "seed", "--tenants", str(tenants), "--scale", str(scale))
            print(f"readb seed --tenants {tenants} --scale {scale}: {seconds:.1f} s")
        seconds = run_cli(url, "refresh")
        print(f"readb refresh: {seconds:.1f} s")
        conn.execute("analyze")
        counts = conn.execute(
            """
            select
                (select count(*) from rea.clients),
                (select count(*) from rea.properties),
                (select count(*) from rea.deals),
                (select count(*) from rea.bookings),
                (select count(*) from reporting.fact_deals_mv)
            """
        ).fetchone()
        print(
            "rows: {} tenants, {:,} properties, {:,} deals, {:,} bookings, "
            "{:,} in reporting.fact_deals_mv".format(*counts)
        )
        # The first tenant; its busiest city and customer.
        client_id, user_id = conn.execute(
            """
            select
                c.id,
                (select u.id from rea.users as u where u.client_id = c.id order by u.id limit 1)
            from rea.clients as c
            order by c.id
            limit 1
            """
        ).fetchone()
        (city,) = conn.execute(
            """
            select city from rea.properties
            where client_id = %s and status = 'available' and deleted_at is null
            group by city order by count(*) desc, city limit 1
            """,
            (client_id,),
        ).fetchone()
        (customer_id,) = conn.execute(
            """
            select customer_id from rea.deals where client_id = %s
            group by customer_id order by count(*) desc, customer_id limit 1
            """,
            (client_id,),
        ).fetchone()
        # "This month": the latest month in which bookings start, up to today.
        branch_id, month = conn.execute(
            """
            with latest as (
                select date_trunc('month', max(starts_at)) as month
                from rea.bookings where client_id = %(c)s and starts_at <= now()
            )
            select p.branch_id, l.month
            from latest as l
            inner join rea.bookings as b
                on b.client_id = %(c)s
                and b.starts_at >= l.month and b.starts_at < l.month + interval '1 month'
            inner join rea.properties as p on b.client_id = p.client_id and b.property_id = p.id
            where p.branch_id is not null
            group by 1, 2 order by count(*) desc, 1 limit 1
            """,
            {"c": client_id},
        ).fetchone()
    return {
        "client_id": client_id,
        "user_id": user_id,
        "city": city,
        "customer_id": customer_id,
        "branch_id": branch_id,
        "month": month,
    }


def timed(conn: psycopg.Connection, query: str, params: dict[str, Any]) -> tuple[float, int]:
    started = time.perf_counter()
    rows = conn.execute(query, params).fetchall()
    return (time.perf_counter() - started) * 1000, len(rows)


def as_app(conn: psycopg.Connection, params: dict[str, Any]) -> None:
    conn.execute("set local role rea_app")
    conn.execute(
        "select set_config('app.client_id', %s, true), set_config('app.user_id', %s, true)",
        (str(params["client_id"]), str(params["user_id"])),
    )


def run_rls(conn: psycopg.Connection, query: Query, params: dict[str, Any]) -> tuple[float, int]:
    with conn.transaction(force_rollback=True):
        as_app(conn, params)
        return timed(conn, query.rls, params)


def run_explicit(
    conn: psycopg.Connection, query: Query, params: dict[str, Any]
) -> tuple[float, int]:
    with conn.transaction(force_rollback=True):
        return timed(conn, query.explicit, params)


def plan_line(conn: psycopg.Connection, sql_text: str, params: dict[str, Any]) -> str:
    """The plan's nodes, depth first, in one line: node type, index, relation."""
    plan = conn.execute("explain (format json) " + sql_text, params).fetchone()[0][0]["Plan"]
    parts: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        text = node["Node Type"]
        if "Index Name" in node:
            text += f" using {node['Index Name']}"
        if "Relation Name" in node:
            text += f" on {node['Relation Name']}"
        if node.get("Subplan Name"):
            text = f"[{node['Subplan Name']}] {text}"
        parts.append(text)
        for child in node.get("Plans", []):
            walk(child)

    walk(plan)
    return " > ".join(parts)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=10)
    parser.add_argument("--scale", type=int, default=5)
    parser.add_argument("--reps", type=int, default=200, help="repetitions of each query, each way")
    parser.add_argument("--dsn", help="default: a fresh database on the local cluster")
    args = parser.parse_args()

    url = args.dsn
    if url is None:
        cluster.start()
        cluster.drop_database("readb_bench_rls")
        url = cluster.ensure_database("readb_bench_rls")
    params = prepare(url, args.tenants, args.scale)
    print(
        f"tenant {params['client_id']}: city {params['city']}, "
        f"branch {params['branch_id']}, month {params['month']:%Y-%m}"
    )

    rls: dict[str, list[float]] = {q.name: [] for q in QUERIES}
    explicit: dict[str, list[float]] = {q.name: [] for q in QUERIES}
    rows: dict[str, tuple[int, int]] = {}
    with psycopg.connect(url) as conn:
        for rep in range(args.reps):
            for query in QUERIES:
                if rep % 2 == 0:
                    rls_ms, rls_rows = run_rls(conn, query, params)
                    explicit_ms, explicit_rows = run_explicit(conn, query, params)
                else:
                    explicit_ms, explicit_rows = run_explicit(conn, query, params)
                    rls_ms, rls_rows = run_rls(conn, query, params)
                rls[query.name].append(rls_ms)
                explicit[query.name].append(explicit_ms)
                rows[query.name] = (rls_rows, explicit_rows)

        print(f"\n{args.reps} runs each way, interleaved; milliseconds")
        print(
            f"{'query':<52} {'rows':>9} {'RLS med':>8} {'p95':>7} {'expl med':>9} {'p95':>7} "
            f"{'RLS/expl':>9}"
        )
        for query in QUERIES:
            rls_median = statistics.median(rls[query.name])
            explicit_median = statistics.median(explicit[query.name])
            rls_rows, explicit_rows = rows[query.name]
            print(
                f"{query.name:<52} {f'{rls_rows}/{explicit_rows}':>9} {rls_median:>8.3f} "
                f"{percentile(rls[query.name], 0.95):>7.3f} {explicit_median:>9.3f} "
                f"{percentile(explicit[query.name], 0.95):>7.3f} "
                f"{rls_median / explicit_median:>8.2f}x"
            )
        print("\nplans (EXPLAIN, nodes depth first)")
        for query in QUERIES:
            with conn.transaction(force_rollback=True):
                as_app(conn, params)
                rls_plan = plan_line(conn, query.rls, params)
            with conn.transaction(force_rollback=True):
                explicit_plan = plan_line(conn, query.explicit, params)
            print(f"{query.name}:")
            print(f"  RLS:      {rls_plan}")
            print(f"  explicit: {explicit_plan}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The application's workload at scale, under RLS against an explicit filter: `make bench`.

    .venv/bin/python tools/bench/workload.py [--tenants 20] [--scale 20] [--skew 20]
        [--reps 300] [--write-reps 100] [--dsn URL] [--database NAME] [--fresh]

Seeds, or reuses, a database on the local cluster (`readb up`, then `readb seed --tenants
N --scale S --random-seed 1` and one more tenant, `--random-seed 2 --scale S*skew`: an
agency far bigger than the rest, as real SaaS data is), refreshes the reporting views
and ANALYZEs. Then, for a mid-size tenant (the median of the N) and for the big one:

- every read of `tools/bench/queries/*.sql`, `--reps` times each way, interleaved
  (the order alternates): under RLS, on a connection of a LOGIN member of `rea_app`
  with the tenant and the actor set in the transaction; and explicit, on a superuser
  connection (which bypasses RLS) with the file's `-- explicit` lines kept. A line
  ending in `-- explicit` is only in the explicit query, one ending in `-- rls` only in
  the RLS one. Prepared statements on both sides (`prepare=True`); only the query is
  timed, from the client, fetching every row;
- every write of `tools/bench/writes/*.sql` (statements separated by `;` at a line's
  end), `--write-reps` times as `rea_app`, BEGIN .. the statements, timed to the end of
  the transaction, which is rolled back so the data (and the next run) stays the same;
- the refresh of each reporting view (concurrently), the sizes of the domain tables,
  their indexes and the audit trail, and the seed's rows/s (measured when this run
  seeded; kept in `bench.seed_times` for the runs that reuse the database).

One table per tenant: p50 / p95 / max under RLS, p50 / p95 explicit, the ratio of the
p95s, the rows, and, when the RLS p95 breaks the goal (2 ms mid-size, 10 ms big
tenant) or the ratio is above 1.10, the plan's nodes (EXPLAIN ANALYZE under RLS, depth
first, with the shared buffers it touched). Numbers on a shared machine are noisy:
compare the numbers of one run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import psycopg.sql

from readb import cluster

HERE = Path(__file__).resolve().parent
GOAL_MS = {"mid-size": 2.0, "big": 10.0}
GOAL_RATIO = 1.10
APP_LOGIN = "bench_app"
IDENTIFIER_KEY = "bench identifier key, not a secret"


@dataclass(frozen=True)
class Work:
    name: str
    rls: list[str]  # statements as rea_app under RLS
    explicit: list[str]  # the same as the superuser, with the explicit tenant filter


def keep(text: str, side: str) -> str:
    """The text for one side: drop the other side's tagged lines, strip the tags."""
    other = "-- explicit" if side == "rls" else "-- rls"
    lines = []
    for line in text.splitlines():
        stripped = line.rstrip()
        if stripped.endswith(other):
            continue
        for tag in ("-- explicit", "-- rls"):
            if stripped.endswith(tag):
                stripped = stripped[: -len(tag)].rstrip()
        if stripped.lstrip().startswith("--"):
            continue
        lines.append(stripped)
    return "\n".join(lines)


def statements(text: str) -> list[str]:
    parts, current = [], []
    for line in text.splitlines():
        current.append(line)
        if line.rstrip().endswith(";"):
            parts.append("\n".join(current).rstrip().rstrip(";"))
            current = []
    if "".join(current).strip():
        parts.append("\n".join(current))
    return [p for p in parts if p.strip()]


def load(folder: str) -> list[Work]:
    works = []
    for path in sorted((HERE / folder).glob("*.sql")):
        text = path.read_text()
        works.append(
            Work(
                path.stem,
                statements(keep(text, "rls")),
                statements(keep(text, "explicit")),
            )
        )
    return works


def run_cli(url: str, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "readb", "--dsn", url, *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - started, done.stdout


def seeded_rows(output: str) -> int:
    for line in output.splitlines():
        if line.startswith("-- ") and " rows in " in line:
            return int(line.split()[1])
    return 0


def seed(url: str, tenants: int, scale: int, skew: int) -> None:
    """Seed when the database holds no tenant; print the seed's rows/s (this run's or kept)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("create schema if not exists bench")
        conn.execute(
            """
            create table if not exists bench.seed_times (
                arguments text primary key, seed_rows bigint not null, seconds numeric not null,
                measured_at timestamptz not null default now()
            )
            """
        )
        empty = conn.execute("select not exists (select from rea.clients)").fetchone()[0]
    if empty:
        runs = (
            ("--tenants", str(tenants), "--scale", str(scale), "--random-seed", "1"),
            ("--tenants", "1", "--scale", str(scale * skew), "--random-seed", "2"),
        )
        for args in runs:
            seconds, output = run_cli(url, "seed", *args)
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(
                    "insert into bench.seed_times (arguments, seed_rows, seconds)"
                    " values (%s, %s, %s)",
                    (" ".join(args), seeded_rows(output), seconds),
                )
    with psycopg.connect(url, autocommit=True) as conn:
        for args, rows, seconds, measured_at in conn.execute(
            "select arguments, seed_rows, seconds, measured_at from bench.seed_times"
            " order by measured_at"
        ):
            note = "" if empty else f" (measured {measured_at:%Y-%m-%d %H:%M}, database reused)"
            print(
                f"readb seed {args}: {rows:,} rows in {seconds:.1f} s, "
                f"{rows / float(seconds):,.0f} rows/s{note}"
            )


def ensure_login(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute(
            "select exists (select from pg_roles where rolname = %s)", (APP_LOGIN,)
        ).fetchone()[0]:
            conn.execute(f"create role {APP_LOGIN} login in role rea_app")


def tenant_params(conn: psycopg.Connection, client_id: uuid.UUID) -> dict[str, Any]:
    """What the queries of one tenant look for: its busiest city, customer, agent, ..."""

    def one(sql_text: str) -> Any:
        row = conn.execute(sql_text, {"c": client_id}).fetchone()
        return None if row is None else row[0]

    params: dict[str, Any] = {"client_id": client_id, "identifier_key": IDENTIFIER_KEY}
    params["base_currency"] = one("select base_currency from rea.clients where id = %(c)s")
    params["city"] = one(
        """select city from rea.properties where client_id = %(c)s and status = 'available'
        group by city order by count(*) desc, city limit 1"""
    )
    params["features"] = '{"bedrooms": 3}'
    params["title_pattern"] = (
        "%"
        + one(
            """select split_part(title, ' ', 1) from rea.properties where client_id = %(c)s
        order by id limit 1"""
        )
        + "%"
    )
    customer = conn.execute(
        """select c.id, c.phone, upper(c.email::text) from rea.customers as c
        where c.client_id = %(c)s and c.phone is not null and c.email is not null
        order by c.id offset 7 limit 1""",
        {"c": client_id},
    ).fetchone()
    params["phone_customer_id"], params["phone"], params["email"] = customer
    params["customer_id"] = one(
        """select customer_id from rea.communications where client_id = %(c)s
        group by customer_id order by count(*) desc, customer_id limit 1"""
    )
    params["agent_id"] = one(
        """select agent_user_id from rea.deals
        where client_id = %(c)s and stage not in ('won', 'lost') and agent_user_id is not null
        group by 1 order by count(*) desc, 1 limit 1"""
    )
    params["user_id"] = params["agent_id"]
    params["branch_id"] = one(
        """select u.branch_id from rea.approvals as a
        inner join rea.users as u on a.client_id = u.client_id and a.requested_by = u.id
        where a.client_id = %(c)s and a.status = 'pending' and u.branch_id is not null
        group by 1 order by count(*) desc, 1 limit 1"""
    )
    params["property_id"] = one(
        """select property_id from rea.bookings where client_id = %(c)s
        group by 1 order by count(*) desc, 1 limit 1"""
    )
    params["month"] = conn.execute(
        """select date_trunc('month', max(starts_at))::date - interval '1 month' from rea.bookings
        where client_id = %(c)s and property_id = %(p)s and starts_at <= now()""",
        {"c": client_id, "p": params["property_id"]},
    ).fetchone()[0]
    params["lead_deal_id"] = one(
        "select id from rea.deals where client_id = %(c)s and stage = 'lead' order by id limit 1"
    )
    params["free_property_id"] = one(
        """select p.id from rea.properties as p where p.client_id = %(c)s and p.status = 'available'
        and p.deleted_at is null and p.branch_id is not null
        and not exists (select from rea.bookings as b where b.client_id = p.client_id
            and b.property_id = p.id and b.status = 'ACTIVE')
        order by p.id limit 1"""
    )
    params["new_email"] = "bench.customer@example.com"
    params["national_id"] = "1000000007"
    return params


def tenant_rows(conn: psycopg.Connection, table: str, client_id: uuid.UUID) -> int:
    query = psycopg.sql.SQL("select count(*) from rea.{} where client_id = %s").format(
        psycopg.sql.Identifier(table)
    )
    return conn.execute(query, (client_id,)).fetchone()[0]


def set_identifiers(url: str, params: dict[str, Any]) -> None:
    """Give the phone customer a national id, so the blind index finds one row."""
    with psycopg.connect(url) as conn:
        conn.execute(
            "select set_config('app.client_id', %s, true), set_config('app.user_id', %s, true)",
            (str(params["client_id"]), str(params["user_id"])),
        )
        conn.execute(
            "select rea.set_customer_identifiers(%s, %s, %s, %s)",
            (params["phone_customer_id"], params["national_id"], "P1234567", IDENTIFIER_KEY),
        )


def context(conn: psycopg.Connection, params: dict[str, Any]) -> None:
    conn.execute(
        "select set_config('app.client_id', %s, true), set_config('app.user_id', %s, true)",
        (str(params["client_id"]), str(params["user_id"])),
    )


def timed(conn: psycopg.Connection, stmts: list[str], params: dict[str, Any]) -> tuple[float, int]:
    """Time the statements in one rolled-back transaction; rows fetched (or changed)."""
    with conn.transaction(force_rollback=True):
        context(conn, params)
        rows = 0
        started = time.perf_counter()
        for stmt in stmts:
            cur = conn.execute(stmt, params, prepare=True)
            rows += len(cur.fetchall()) if cur.description else cur.rowcount
        return (time.perf_counter() - started) * 1000, rows


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def plan_line(conn: psycopg.Connection, stmt: str, params: dict[str, Any]) -> str:
    with conn.transaction(force_rollback=True):
        context(conn, params)
        plan = conn.execute("explain (analyze, buffers, format json) " + stmt, params).fetchone()[0]
    plan = plan[0]["Plan"]
    parts: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        text = node["Node Type"]
        if "Index Name" in node:
            text += f" using {node['Index Name']}"
        if "Relation Name" in node:
            text += f" on {node['Relation Name']}"
        if node.get("Subplan Name"):
            text = f"[{node['Subplan Name']}] {text}"
        if node.get("Filter"):
            text += f" (filter, {node.get('Rows Removed by Filter', 0)} removed)"
        parts.append(text)
        for child in node.get("Plans", []):
            walk(child)

    walk(plan)
    return (
        f"{plan.get('Shared Hit Blocks', 0) + plan.get('Shared Read Blocks', 0)} buffers: "
        + " > ".join(parts)
    )


def bench_reads(
    app: psycopg.Connection, su: psycopg.Connection, label: str, params: dict[str, Any], reps: int
) -> None:
    works = load("queries")
    rls: dict[str, list[float]] = {w.name: [] for w in works}
    explicit: dict[str, list[float]] = {w.name: [] for w in works}
    rows: dict[str, tuple[int, int]] = {}
    for rep in range(reps):
        for work in works:
            if rep % 2 == 0:
                r_ms, r_rows = timed(app, work.rls, params)
                e_ms, e_rows = timed(su, work.explicit, params)
            else:
                e_ms, e_rows = timed(su, work.explicit, params)
                r_ms, r_rows = timed(app, work.rls, params)
            rls[work.name].append(r_ms)
            explicit[work.name].append(e_ms)
            rows[work.name] = (r_rows, e_rows)
    goal = GOAL_MS[label]
    print(
        f"\nreads, {label} tenant {params['client_id']}: {reps} runs each way, interleaved, "
        f"prepared; ms; goal RLS p95 <= {goal:g} ms and RLS/explicit p95 <= {GOAL_RATIO}"
    )
    print(
        f"{'query':<38} {'rows':>9} {'RLS p50':>8} {'p95':>7} {'max':>7} "
        f"{'expl p50':>8} {'p95':>7} {'ratio':>6}  goal"
    )
    broken = []
    for work in works:
        r95, e95 = percentile(rls[work.name], 0.95), percentile(explicit[work.name], 0.95)
        ok = r95 <= goal and r95 / e95 <= GOAL_RATIO
        if not ok:
            broken.append(work)
        r_rows, e_rows = rows[work.name]
        print(
            f"{work.name:<38} {f'{r_rows}/{e_rows}':>9} "
            f"{statistics.median(rls[work.name]):>8.3f} {r95:>7.3f} {max(rls[work.name]):>7.3f} "
            f"{statistics.median(explicit[work.name]):>8.3f} "
            f"{e95:>7.3f} {r95 / e95:>5.2f}x  {'met' if ok else 'MISSED'}"
        )
    for work in broken:
        print(f"  {work.name}: RLS plan {plan_line(app, work.rls[0], params)}")
        print(f"  {' ' * len(work.name)}  explicit {plan_line(su, work.explicit[0], params)}")


def bench_writes(app: psycopg.Connection, label: str, params: dict[str, Any], reps: int) -> None:
    works = load("writes")
    print(f"\nwrites, {label} tenant: {reps} transactions each as rea_app (rolled back); ms")
    print(f"{'write':<38} {'rows':>5} {'p50':>8} {'p95':>7} {'max':>7}")
    for work in works:
        times = []
        count = 0
        for _ in range(reps):
            ms, count = timed(app, work.rls, params)
            times.append(ms)
        print(
            f"{work.name:<38} {count:>5} {statistics.median(times):>8.3f} "
            f"{percentile(times, 0.95):>7.3f} {max(times):>7.3f}"
        )


def refresh_and_sizes(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        print("\nrefresh (concurrently), s")
        for (view,) in conn.execute(
            """select format('%I.%I', schemaname, matviewname) from pg_matviews
            where schemaname = 'reporting' order by 1"""
        ).fetchall():
            started = time.perf_counter()
            conn.execute(f"refresh materialized view concurrently {view}")
            print(f"  {view:<36} {time.perf_counter() - started:>7.2f}")
        (database,) = conn.execute("select pg_database_size(current_database())").fetchone()
        domain, indexes, audit, audit_rows, domain_rows = conn.execute(
            """
            select
                sum(pg_table_size(c.oid)) filter (where n.nspname = 'rea'),
                sum(pg_indexes_size(c.oid)) filter (where n.nspname = 'rea'),
                sum(pg_total_relation_size(c.oid)) filter (where n.nspname = 'audit'),
                (select count(*) from audit.audit_logs),
                sum(c.reltuples) filter (where n.nspname = 'rea')
            from pg_class as c
            inner join pg_namespace as n on n.oid = c.relnamespace
            where c.relkind = 'r' and n.nspname in ('rea', 'audit')
            """
        ).fetchone()
        print(
            f"\nsizes: domain tables (rea) {domain / 2**20:,.1f} MB, ~{domain_rows:,.0f} rows; "
            f"their indexes {indexes / 2**20:,.1f} MB; audit trail {audit / 2**20:,.1f} MB "
            f"with indexes, {audit_rows:,} rows; audit/domain tables {audit / domain:.2f}x; "
            f"database {database / 2**20:,.0f} MB"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=20)
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument(
        "--skew", type=int, default=20, help="the big tenant's scale is scale x skew"
    )
    parser.add_argument("--reps", type=int, default=300, help="runs of each read, each way")
    parser.add_argument("--write-reps", type=int, default=100)
    parser.add_argument("--database", default="readb_bench", help="on the local cluster")
    parser.add_argument("--fresh", action="store_true", help="drop the database first")
    parser.add_argument("--dsn", help="a database readb manages, instead of the local cluster's")
    args = parser.parse_args()

    url = args.dsn
    if url is None:
        cluster.start()
        if args.fresh:
            cluster.drop_database(args.database)
        url = cluster.ensure_database(args.database)
    run_cli(url, "up")
    seed(url, args.tenants, args.scale, args.skew)
    run_cli(url, "refresh")
    ensure_login(url)
    with psycopg.connect(url, autocommit=True) as su:
        su.execute("analyze")
        tenants = su.execute(
            """
            select c.id, count(*) as customers
            from rea.clients as c
            inner join rea.customers as u on u.client_id = c.id
            group by c.id order by customers, c.id
            """
        ).fetchall()
    mid = tenants[(len(tenants) - 1) // 2][0]
    big = tenants[-1][0]
    app_url = psycopg.conninfo.make_conninfo(url, user=APP_LOGIN)
    with (
        psycopg.connect(app_url, autocommit=True) as app,
        psycopg.connect(url, autocommit=True) as su,
    ):
        for label, client_id in (("mid-size", mid), ("big", big)):
            params = tenant_params(su, client_id)
            set_identifiers(url, params)
            sizes = ", ".join(
                f"{tenant_rows(su, table, client_id):,} {table}"
                for table in ("customers", "properties", "deals", "expenses", "approvals")
            )
            print(f"\n{label} tenant: {sizes}")
            bench_reads(app, su, label, params, args.reps)
            bench_writes(app, label, params, args.write_reps)
    refresh_and_sizes(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())

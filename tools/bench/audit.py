"""Measure what the audit trail costs an INSERT: bulk and single-row, with and without it.

    .venv/bin/python tools/bench/audit.py [--rows 200000] [--single 2000] [--rounds 5]
                                          [--dsn URL]

Variants, on two tables side by side:
  A  no audit: the table's `<name>_audit_insert` trigger dropped (inside the measured
     transaction for bulk runs, so it rolls back; committed and put back afterwards for
     single-row runs). Dropped, not disabled: PostgreSQL 15 still fills a disabled
     trigger's transition table (a 45 MB temporary file for 200,000 rows).
  B  our design (sql/ddl/6110_audit_triggers.sql): one AFTER ... FOR EACH STATEMENT
     trigger with a transition table, one INSERT ... SELECT into audit.audit_logs.
  C  for reference, the classic per-row PL/pgSQL trigger: one audit row per row from
     to_jsonb(new), our trigger dropped.
Tables: rea.communications (the real table: its foreign keys, checks, row trigger) and
bench.bare (`like rea.communications including defaults including indexes`: the same
columns, defaults, primary key and index, no foreign keys, checks or other triggers, with
the audit triggers put on by audit.audit_table()), so the ratio is not flattered by the
real table's own costs.

Bulk: one `insert ... select ... from generate_series` of --rows rows in a transaction as
the superuser, app.client_id/app.user_id set like the application, timed from the client
up to just before ROLLBACK. Single-row: --single transactions of BEGIN, set_config, one
INSERT, COMMIT; the rows stay. The tables are vacuumed and a checkpoint taken before each
run (bulk) and batch (single), so each starts equal. Rounds are interleaved (the variant
order rotates each round) and medians reported; ratios are against A (time for bulk,
throughput for single). Beside the wall-clock times it prints the CPU time of the server
process (from /proc, when the server runs on this machine), which other load on a shared
machine disturbs less.

Without --dsn it builds a fresh database `readb_bench_audit` on the local cluster with the
real CLI (`readb up`, `readb seed --tenants 2 --scale 1`). With --dsn the database must
be one that readb manages: it is brought up to date and seeded if it holds no tenant,
and the benchmark leaves a schema `bench` and committed rows (and their audit rows) in
it. Numbers on a shared machine are noisy: compare the medians of one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

import psycopg
from psycopg import sql

from readb import cluster

REAL = "rea.communications"
BARE = "bench.bare"
VARIANTS = ("A", "B", "C")
LABELS = {"A": "no audit", "B": "our design", "C": "per-row"}
BODY = (
    "Reminder: your viewing is confirmed for tomorrow at 10:00. Reply STOP to opt out of messages."
)

REFERENCE_TRIGGER_FUNCTION = """
create or replace function bench.row_audit()
returns trigger
language plpgsql
as $$
begin
    insert into audit.audit_logs (
        client_id, table_name, record_id, action, new_data, actor_id, occurred_at
    ) values (
        new.client_id, tg_table_name, new.id::text, tg_op, to_jsonb(new),
        rea.current_actor_id(), now()
    );
    return null;
end;
$$
"""


@dataclass(frozen=True)
class Context:
    client_id: str
    user_id: str
    customer_id: str


def run_cli(url: str, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "readb", "--dsn", url, *args], check=True, capture_output=True
    )


def prepare(url: str) -> Context:
    """Bring the database up to date, seed it if empty, and build schema bench."""
    run_cli(url, "up")
    with psycopg.connect(url, autocommit=True) as conn:
        if conn.execute("select not exists (select from rea.clients)").fetchone()[0]:
            run_cli(url, "seed", "--tenants", "2", "--scale", "1")
        row = conn.execute(
            """
            select c.id, u.id, x.id
            from rea.clients as c
            cross join lateral (
                select id from rea.users where client_id = c.id order by id limit 1
            ) as u
            cross join lateral (
                select id from rea.customers where client_id = c.id order by id limit 1
            ) as x
            order by c.id
            limit 1
            """
        ).fetchone()
        if row is None:
            raise SystemExit("audit.py: no tenant with a user and a customer in the database")
        ctx = Context(*(str(value) for value in row))
        conn.execute("create schema if not exists bench")
        conn.execute(f"drop table if exists {BARE}")
        conn.execute(f"create table {BARE} (like {REAL} including defaults including indexes)")
        conn.execute(
            f"call audit.audit_table('{BARE}', 'client_id', '{{id}}', '{{subject,body,metadata}}')"
        )
        conn.execute(REFERENCE_TRIGGER_FUNCTION)
        check_bare_is_audited(conn, ctx)
        conn.execute(f"vacuum analyze {REAL}, {BARE}, audit.audit_logs")
    return ctx


def check_bare_is_audited(conn: psycopg.Connection, ctx: Context) -> None:
    """audit.audit_table() on a table outside rea: 10 rows in, 10 redacted audit rows out."""
    with conn.transaction(force_rollback=True):
        set_context(conn, ctx)
        conn.execute(insert_statement(BARE, ctx, 10))
        count, redacted = conn.execute(
            """
            select count(*), count(*) filter (where not new_data ?| '{subject,body,metadata}')
            from audit.audit_logs
            where table_name = 'bare' and transaction_id = pg_current_xact_id()
            """
        ).fetchone()
    if (count, redacted) != (10, 10):
        raise SystemExit(
            f"audit.py: audit.audit_table('{BARE}', ...) wrote {count} audit rows "
            f"({redacted} redacted) for 10 inserted rows"
        )
    print(
        f"audit.audit_table('{BARE}', 'client_id', '{{id}}', '{{subject,body,metadata}}') works "
        "outside schema rea: 10 rows inserted, 10 audit rows, personal columns left out"
    )


def set_context(conn: psycopg.Connection, ctx: Context) -> None:
    conn.execute(
        "select set_config('app.client_id', %s, true), set_config('app.user_id', %s, true)",
        (ctx.client_id, ctx.user_id),
    )


def insert_statement(table: str, ctx: Context, rows: int) -> sql.Composed:
    return sql.SQL(
        "insert into {} (client_id, customer_id, user_id, channel, direction, body, metadata)"
        " select {}, {}, {}, 'sms', 'outbound', {}, '{{}}' from generate_series(1, {})"
    ).format(
        sql.SQL(table),
        sql.Literal(ctx.client_id),
        sql.Literal(ctx.customer_id),
        sql.Literal(ctx.user_id),
        sql.Literal(BODY),
        sql.Literal(rows),
    )


def trigger_name(table: str) -> str:
    return table.split(".")[1] + "_audit_insert"


def switch_to(conn: psycopg.Connection, table: str, variant: str) -> None:
    """Drop our insert trigger (A, C) and put the per-row reference trigger on (C)."""
    if variant in ("A", "C"):
        conn.execute(f"drop trigger {trigger_name(table)} on {table}")
    if variant == "C":
        conn.execute(
            f"create trigger bench_row_audit after insert on {table}"
            " for each row execute function bench.row_audit()"
        )


def backend_cpu(conn: psycopg.Connection) -> float | None:
    """CPU seconds the server process of `conn` has used, if this machine can read it."""
    try:
        with open(f"/proc/{conn.info.backend_pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float | None  # seconds of the server process, None when not readable


def measured(conn: psycopg.Connection, started_cpu: float | None, started: float) -> Sample:
    wall = time.perf_counter() - started
    ended_cpu = backend_cpu(conn)
    cpu = None if started_cpu is None or ended_cpu is None else ended_cpu - started_cpu
    return Sample(wall, cpu)


def bulk_run(conn: psycopg.Connection, ctx: Context, table: str, variant: str, rows: int) -> Sample:
    """One INSERT ... SELECT of `rows` rows, rolled back afterwards."""
    conn.autocommit = True
    conn.execute(f"vacuum {table}, audit.audit_logs")
    conn.execute("checkpoint")
    conn.autocommit = False
    statement = insert_statement(table, ctx, rows)
    with conn.transaction(force_rollback=True):
        set_context(conn, ctx)
        switch_to(conn, table, variant)
        started_cpu, started = backend_cpu(conn), time.perf_counter()
        conn.execute(statement)
        return measured(conn, started_cpu, started)


def single_run(
    conn: psycopg.Connection, ctx: Context, table: str, variant: str, count: int
) -> Sample:
    """`count` one-row transactions (committed)."""
    conn.autocommit = True
    conn.execute(f"vacuum {table}, audit.audit_logs")  # the dead rows of rolled-back bulk runs
    conn.execute("checkpoint")
    definition = conn.execute(
        "select pg_get_triggerdef(oid) from pg_trigger"
        " where tgrelid = %s::regclass and tgname = %s",
        (table, trigger_name(table)),
    ).fetchone()[0]
    conn.autocommit = False
    with conn.transaction():
        switch_to(conn, table, variant)
    statement = insert_statement(table, ctx, 1)
    try:
        started_cpu, started = backend_cpu(conn), time.perf_counter()
        for _ in range(count):
            with conn.transaction():
                set_context(conn, ctx)
                conn.execute(statement)
        return measured(conn, started_cpu, started)
    finally:
        with conn.transaction():
            if variant == "C":
                conn.execute(f"drop trigger bench_row_audit on {table}")
            if variant in ("A", "C"):
                conn.execute(definition)


def rotated(round_number: int) -> list[str]:
    shift = round_number % len(VARIANTS)
    return list(VARIANTS[shift:] + VARIANTS[:shift])


Results = dict[str, dict[str, list[Sample]]]


def medians(samples: dict[str, list[Sample]]) -> tuple[dict[str, float], dict[str, float] | None]:
    wall = {v: statistics.median(s.wall for s in samples[v]) for v in VARIANTS}
    if any(s.cpu is None for v in VARIANTS for s in samples[v]):
        return wall, None
    return wall, {v: statistics.median(s.cpu or 0.0 for s in samples[v]) for v in VARIANTS}


def report(title: str, results: Results, count: int, bulk: bool) -> None:
    """Medians per table and variant; ratios against A (time for bulk, throughput for single)."""
    print(f"\n{title}")
    if bulk:
        wall_head, cpu_head = "wall seconds", "server CPU seconds"
        ratio_note = "B/A and C/A: time against no audit (target B/A <= 2)"
    else:
        wall_head, cpu_head = "rows/s (wall)", "server CPU us/row"
        ratio_note = "B/A and C/A: throughput against no audit (target B/A >= 0.9)"
    print(f"{'':<20} {wall_head:^37} | {cpu_head:^37}")
    print(f"{'table':<20} " + " | ".join([f"{'A':>7} {'B':>7} {'C':>7} {'B/A':>6} {'C/A':>6}"] * 2))
    verdicts = []
    for table, samples in results.items():
        wall, cpu = medians(samples)
        if bulk:
            shown = {v: f"{wall[v]:.2f}" for v in VARIANTS}
            ratios = {v: wall[v] / wall["A"] for v in VARIANTS}
        else:
            shown = {v: f"{count / wall[v]:.0f}" for v in VARIANTS}
            ratios = {v: wall["A"] / wall[v] for v in VARIANTS}
        line = f"{table:<20} " + " ".join(f"{shown[v]:>7}" for v in VARIANTS)
        line += f" {ratios['B']:>5.2f}x {ratios['C']:>5.2f}x | "
        if cpu is None:
            line += "(not readable: server not local)"
        else:
            if bulk:
                cpu_shown = {v: f"{cpu[v]:.2f}" for v in VARIANTS}
                cpu_ratios = {v: cpu[v] / cpu["A"] for v in VARIANTS}
            else:
                cpu_shown = {v: f"{cpu[v] / count * 1e6:.0f}" for v in VARIANTS}
                cpu_ratios = {v: cpu["A"] / cpu[v] for v in VARIANTS}
            line += " ".join(f"{cpu_shown[v]:>7}" for v in VARIANTS)
            line += f" {cpu_ratios['B']:>5.2f}x {cpu_ratios['C']:>5.2f}x"
        print(line)
        met = ratios["B"] <= 2 if bulk else ratios["B"] >= 0.9
        verdicts.append(f"{table} {ratios['B']:.2f}x {'met' if met else 'MISSED'}")
    print(f"A {LABELS['A']}, B {LABELS['B']}, C {LABELS['C']}; {ratio_note}")
    print("our design, wall: " + "; ".join(verdicts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="rows of the bulk insert")
    parser.add_argument("--single", type=int, default=2_000, help="one-row transactions")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dsn", help="default: a fresh database on the local cluster")
    args = parser.parse_args()

    url = args.dsn
    if url is None:
        cluster.start()
        cluster.drop_database("readb_bench_audit")
        url = cluster.ensure_database("readb_bench_audit")
    ctx = prepare(url)
    tables = (REAL, BARE)
    bulk: Results = {t: {v: [] for v in VARIANTS} for t in tables}
    single: Results = {t: {v: [] for v in VARIANTS} for t in tables}
    with psycopg.connect(url) as conn:
        for round_number in range(args.rounds):
            for table in tables:
                for variant in rotated(round_number):
                    bulk[table][variant].append(bulk_run(conn, ctx, table, variant, args.rows))
                for variant in rotated(round_number):
                    single[table][variant].append(
                        single_run(conn, ctx, table, variant, args.single)
                    )
            progress = "; ".join(
                f"{t}: bulk s "
                + "/".join(f"{bulk[t][v][-1].wall:.2f}" for v in VARIANTS)
                + ", single rows/s "
                + "/".join(f"{args.single / single[t][v][-1].wall:.0f}" for v in VARIANTS)
                for t in tables
            )
            print(f"round {round_number + 1}/{args.rounds} (A/B/C) {progress}", file=sys.stderr)
    report(
        f"bulk: one INSERT ... SELECT of {args.rows:,} rows, median of {args.rounds} rounds",
        bulk,
        args.rows,
        bulk=True,
    )
    report(
        f"single-row: {args.single:,} one-row transactions, median of {args.rounds} rounds",
        single,
        args.single,
        bulk=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

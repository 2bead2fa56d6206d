"""The online migrations (7430-7490), applied by `readb up` one by one under application load.

A seeded database built to 7420; application threads, two per tenant, every tenant,
connected as a LOGIN member of rea_app with the tenant and the actor set in each
transaction as the application sets them, read and write all the time: list and count
(reads), change a price, add a property (writes), search through search.properties()
once 7460 is in, and, as the two releases of the application would during the rename,
write the area under the old name (old code, until it is retired right before the
contract step) and under the new one (new code, from 7470 on), checking in the same
transaction that the other name reads the same. Meanwhile a sampler polls
pg_stat_activity and pg_locks every 20 ms for sessions waiting on a lock.

`readb up --to N` applies each migration with the runner's default step lock timeout
(5 s: `--step-lock-timeout`, PostgreSQL's lock_timeout while a step runs). Asserted: every
step applied; no application transaction failed; no application transaction took as long
as the step lock timeout, and no sampled lock wait of the application or the step did;
every tenant's reads and writes went on. Printed (pytest -s, or `make bench-migrations`):
per migration, how long it took, the longest application transaction and the longest
lock waits seen, and the rows/s of the batched backfill.

READB_LOAD_TENANTS (3) and READB_LOAD_SCALE (1) size the seeded database.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import psycopg
import pytest
from psycopg.types.json import Jsonb

from conftest import HOST, PORT, run_readb
from pgbouncer import ensure_login_role

STEPS = [
    "7430_search_extensions",
    "7440_properties_features_idx",
    "7450_properties_words_idx",
    "7460_search_properties",
    "7470_properties_built_up_area_expand",
    "7475_properties_built_up_area_backfill",
    "7480_properties_built_up_area_validate",
    "7490_properties_area_sqm_contract",
]
STEP_LOCK_TIMEOUT = 5.0  # seconds: readb's default --step-lock-timeout
APP_LOGIN = "readb_test_load_app"
TENANTS = int(os.environ.get("READB_LOAD_TENANTS", "3"))
SCALE = int(os.environ.get("READB_LOAD_SCALE", "1"))
WORKERS_PER_TENANT = 2


@dataclass
class Agency:
    client_id: object
    user_id: object
    currency: str
    property_ids: list


@dataclass
class Traffic:
    """What the application threads read and the driver changes, and what they saw."""

    label: str = "before"
    search: bool = False  # 7460 applied: the new search is deployed
    old_code: bool = True  # writes area_sqm: retired before 7490
    new_code: bool = False  # writes built_up_area_sqm: deployed with 7470
    both_names: bool = False  # between 7470 and 7490: each write is checked under the other name
    stop: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)
    old_in_flight: int = 0
    errors: list = field(default_factory=list)
    longest: dict = field(default_factory=lambda: defaultdict(lambda: (0.0, "")))
    done: dict = field(default_factory=lambda: defaultdict(int))  # (tenant, kind) -> count
    waits: list = field(default_factory=list)  # [label, who, first seen, last seen]


def _agencies(url: str) -> list[Agency]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select c.id, (select u.id from rea.users as u where u.client_id = c.id"
            " order by u.id limit 1), c.base_currency,"
            " array(select p.id from rea.properties as p where p.client_id = c.id"
            " order by p.id limit 200)"
            " from rea.clients as c order by c.id"
        ).fetchall()
    return [Agency(c, u, cur, list(ids)) for c, u, cur, ids in rows]


def _transaction(conn, traffic: Traffic, agency: Agency, rng: random.Random, n: int) -> str:
    """One application transaction; returns its kind."""
    choices = ["read", "read", "price", "insert"]
    if traffic.search:
        choices.append("search")
    if traffic.old_code:
        choices.append("old_code")
    if traffic.new_code:
        choices.append("new_code")
    kind = rng.choice(choices)
    if kind == "old_code":
        with traffic.lock:
            if not traffic.old_code:
                return "skipped"
            traffic.old_in_flight += 1
    try:
        with conn.transaction():
            conn.execute(
                "select set_config('app.client_id', %s, true), set_config('app.user_id', %s, true)",
                (str(agency.client_id), str(agency.user_id)),
            )
            pid = rng.choice(agency.property_ids)
            if kind == "read":
                conn.execute(
                    "select p.id, p.title, p.status, p.asking_price from rea.properties as p"
                    " where p.status = 'available' and p.deleted_at is null"
                    " order by p.asking_price limit 20"
                ).fetchall()
                conn.execute("select count(*) from rea.deals where stage = 'won'").fetchone()
            elif kind == "price":
                conn.execute(
                    "update rea.properties set asking_price = asking_price + 1000 where id = %s",
                    (pid,),
                )
            elif kind == "insert":
                (new_id,) = conn.execute(
                    "insert into rea.properties (client_id, listing_type, property_type, title,"
                    " city, district, asking_price, currency, features)"
                    " values (%s, 'agency_owned', 'apartment', %s, 'Riyadh', 'Al Malqa', 500000,"
                    " %s, %s) returning id",
                    (agency.client_id, f"Load flat {n}", agency.currency, Jsonb({"bedrooms": 2})),
                ).fetchone()
                agency.property_ids.append(new_id)
            elif kind == "search":
                conn.execute(
                    "select count(*) from search.properties(%s, 'Malqa')", (Jsonb({"bedrooms": 2}),)
                ).fetchone()
            else:
                area = rng.randint(50, 900)
                old, new = ("area_sqm", "built_up_area_sqm")
                written, other = (old, new) if kind == "old_code" else (new, old)
                conn.execute(
                    f"update rea.properties set {written} = %s where id = %s",
                    (area, pid),
                )
                if traffic.both_names:  # expand window: both names exist and agree
                    (seen,) = conn.execute(
                        f"select {other} from rea.properties where id = %s",
                        (pid,),
                    ).fetchone()
                    if seen != area:
                        traffic.errors.append((traffic.label, kind, "sync", f"{other}={seen}"))
    finally:
        if kind == "old_code":
            with traffic.lock:
                traffic.old_in_flight -= 1
    return kind


def _worker(url: str, traffic: Traffic, agency: Agency, seed: int) -> None:
    rng = random.Random(seed)
    with psycopg.connect(url, autocommit=True, application_name="load-app") as conn:
        n = 0
        while not traffic.stop:
            n += 1
            label = traffic.label
            started = time.perf_counter()
            try:
                kind = _transaction(conn, traffic, agency, rng, n)
            except psycopg.Error as exc:
                traffic.errors.append((label, "?", exc.sqlstate, str(exc).splitlines()[0]))
                continue
            seconds = time.perf_counter() - started
            with traffic.lock:
                if seconds > traffic.longest[label][0]:
                    traffic.longest[label] = (seconds, kind)
                traffic.done[(agency.client_id, kind)] += 1


def _sampler(url: str, traffic: Traffic, dbname: str) -> None:
    """Every 20 ms: the sessions of this database waiting on a lock, whose they are
    (the application's login, or the step's psql). A wait lasts from the first sample
    that sees the session waiting to the last one in a row: a long statement that waits
    several times (the backfill's CALL, for rows the application holds) has several."""
    waiting: dict = {}  # pid -> [label, who, first, last], the waits seen in the last sample
    with psycopg.connect(url, autocommit=True, application_name="load-sampler") as conn:
        while not traffic.stop:
            now = time.perf_counter()
            seen = dict(
                conn.execute(
                    "select a.pid, case when a.usename = %s then 'app' else 'step' end"
                    " from pg_stat_activity as a"
                    " where a.datname = %s and a.wait_event_type = 'Lock'",
                    (APP_LOGIN, dbname),
                ).fetchall()
            )
            for pid in [p for p in waiting if p not in seen]:
                traffic.waits.append(waiting.pop(pid))
            for pid, who in seen.items():
                waiting.setdefault(pid, [traffic.label, who, now, now])[3] = now
            time.sleep(0.02)
        traffic.waits.extend(waiting.values())


@pytest.fixture
def seeded(empty_url, empty_db):
    assert run_readb("up", "--to", "7420", dsn=empty_url).returncode == 0
    result = run_readb(
        "seed", "--tenants", str(TENANTS), "--scale", str(SCALE), dsn=empty_url, timeout=900
    )
    assert result.returncode == 0, result.stderr
    ensure_login_role(empty_url, APP_LOGIN, "rea_app")
    return empty_url, empty_db.info.dbname


def test_each_migration_applies_under_load_without_failing_or_blocking_the_application(seeded):
    url, dbname = seeded
    app_url = f"postgresql://{APP_LOGIN}@{HOST}:{PORT}/{dbname}"
    traffic = Traffic()
    agencies = _agencies(url)
    threads = [
        threading.Thread(target=_worker, args=(app_url, traffic, a, i * 100 + k), daemon=True)
        for i, a in enumerate(agencies)
        for k in range(WORKERS_PER_TENANT)
    ]
    threads.append(threading.Thread(target=_sampler, args=(url, traffic, dbname), daemon=True))
    for t in threads:
        t.start()
    applied: dict[str, tuple[float, str]] = {}
    try:
        time.sleep(1.0)
        for step in STEPS:
            if step.endswith("_contract"):
                # The release that writes only built_up_area_sqm is out: old code retires
                # (its last transactions finish) before the contract step runs.
                with traffic.lock:
                    traffic.old_code = False
                    traffic.both_names = False
                while traffic.old_in_flight:
                    time.sleep(0.01)
            traffic.label = step
            started = time.perf_counter()
            result = run_readb("up", "--to", step[:4], dsn=url, timeout=600)
            seconds = time.perf_counter() - started
            assert result.returncode == 0, f"{step}: {result.stderr}"
            assert f"applied {step}" in result.stdout, result.stdout
            changed = [ln.strip() for ln in result.stdout.splitlines() if "changed" in ln]
            applied[step] = (seconds, changed[0] if changed else "")
            traffic.label = f"after {step}"
            if step == "7460_search_properties":
                traffic.search = True
            if step.endswith("_expand"):
                traffic.new_code = traffic.both_names = True
            time.sleep(0.5)
    finally:
        traffic.stop = True
        for t in threads:
            t.join(timeout=30)

    step_waits: dict[str, float] = defaultdict(float)
    app_waits: dict[str, float] = defaultdict(float)
    for label, who, first, last in traffic.waits:
        waits = app_waits if who == "app" else step_waits
        waits[label] = max(waits[label], last - first + 0.02)
    print(f"\n{TENANTS} tenants, --scale {SCALE}, {len(threads) - 1} application threads")
    print(
        f"{'migration':40s} {'readb up s':>10s} {'app tx max ms':>14s}"
        f" {'app lock wait ms':>17s} {'step lock wait ms':>18s}"
    )
    for label in ["before", *[x for s in STEPS for x in (s, f"after {s}")]]:
        seconds = f"{applied[label][0]:.2f}" if label in applied else ""
        longest, kind = traffic.longest.get(label, (0.0, ""))
        print(
            f"{label:40s} {seconds:>10s} {longest * 1000:9.0f} {kind:>4.4s}"
            f" {app_waits.get(label, 0) * 1000:17.0f} {step_waits.get(label, 0) * 1000:18.0f}"
        )
    for _, changed in applied.values():
        if changed:
            print(changed)
    print(
        "transactions: "
        + ", ".join(
            f"{kind} {sum(v for (_, k), v in traffic.done.items() if k == kind)}"
            for kind in ("read", "price", "insert", "search", "old_code", "new_code")
        )
    )

    assert traffic.errors == []
    longest_tx = max(seconds for seconds, _ in traffic.longest.values())
    assert longest_tx < STEP_LOCK_TIMEOUT
    assert all(w < STEP_LOCK_TIMEOUT for w in [*app_waits.values(), *step_waits.values()])
    for agency in agencies:
        for kind in ("read", "price", "insert", "search", "old_code", "new_code"):
            assert traffic.done[(agency.client_id, kind)] > 0, (agency.client_id, kind)

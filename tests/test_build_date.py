"""The schema, the seed data and the reporting views do not depend on the day they are built.

What the clock decides at build time is runtime state: the audit trail's monthly
partitions (`6100_audit_log` makes this month and the next twelve, `readb up` and the
monthly job make the rest). `readb dump` leaves partitions out, so `sql/schema.sql`
must come out the same whatever the date. These tests build the schema on servers whose
clock reads other dates (libfaketime, tests/clock.py): two months apart, and across the
turn of a year (a build that starts at 23:59 on 31 December and ends in January), and
compare the dumps with each other and with the committed snapshot. Then an upgrade a
year later, the seed, and the fact views at those dates.

Each date is a restart of one throwaway server, always forwards in time.
"""

from __future__ import annotations

import shutil
import time
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
import pytest

from clock import ClockedServer, find_library
from conftest import SQL_DIR, run_readb
from pgbouncer import in_ci
from readb import docs, dump
from test_seed import digest as seed_digest

NOVEMBER = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
NEW_YEARS_EVE = datetime(2026, 12, 31, 23, 59, 50, tzinfo=UTC)
YEAR_TURN = datetime(2027, 1, 1, tzinfo=UTC)
JANUARY = datetime(2027, 1, 1, 0, 0, 30, tzinfo=UTC)
MARCH = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
NEXT_DECEMBER = datetime(2027, 12, 5, 9, 0, tzinfo=UTC)  # past the 12 months built in November


def clocked_server():
    if find_library() is None:
        reason = "libfaketime is not installed (apt-get install faketime)"
        if in_ci():
            pytest.fail(f"{reason}; CI=true: a missing libfaketime fails the build")
        pytest.skip(reason)
    return ClockedServer()


@pytest.fixture(scope="module")
def server():
    """The server of the builds and the upgrade: its clock only moves forwards."""
    with clocked_server() as clocked:
        yield clocked


@pytest.fixture
def own_server():
    """A server of the test's own, for a test that needs an earlier date."""
    with clocked_server() as clocked:
        yield clocked


def partitions(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select c.relname from pg_inherits as i join pg_class as c on c.oid = i.inhrelid"
            " where i.inhparent = 'audit.audit_logs'::regclass order by 1"
        ).fetchall()
    return [name for (name,) in rows]


def build(url: str, *args: str) -> None:
    result = run_readb("up", *args, dsn=url)
    assert result.returncode == 0, result.stderr


def fact_digest(url: str) -> dict[str, str]:
    """One md5 per reporting materialized view over its rows, stamped columns left out."""
    with psycopg.connect(url) as conn:
        views = [
            v
            for (v,) in conn.execute(
                "select format('%I.%I', schemaname, matviewname) from pg_matviews"
                " where schemaname = 'reporting' order by 1"
            )
        ]
        return {
            view: conn.execute(
                "select md5(coalesce(string_agg(r::text, E'\\n' order by r::text), ''))"
                f" from (select to_jsonb(v) - %s::text[] as r from {view} as v) as rows",
                (["updated_at", "decided_at", "closed_at"],),
            ).fetchone()[0]
            for view in views
        }


@pytest.fixture(scope="module")
def builds(server):
    """Dumps and partitions of the schema built at each date; the November database
    is kept for the upgrade test."""
    out = {}
    for label, moment in [("nov", NOVEMBER), ("eve", NEW_YEARS_EVE), ("jan", JANUARY)]:
        server.start_at(moment)
        url = server.create_database(f"built_{label}")
        if label == "eve":  # the audit step in 2026, the steps after it in 2027
            build(url, "--to", "6100")
            wait_for(server, YEAR_TURN)
        build(url)
        out[label] = (
            url,
            dump.schema(url),
            partitions(url),
            applied_between(url),
            docs.schema_markdown(url),
        )
    return out


def wait_for(server: ClockedServer, moment: datetime) -> None:
    """Sleep until the server's clock reads `moment`."""
    while (left := (moment - server.now()).total_seconds()) > 0:
        time.sleep(min(left, 0.5))


def applied_between(url: str) -> tuple[datetime, datetime]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "select min(applied_at), max(applied_at) from readb.applied_steps"
        ).fetchone()


def test_the_clock_really_moved(builds):
    """Guard: the builds saw different months, so the comparisons below compare something."""
    assert builds["nov"][2][0] == "audit_logs_2026_11"
    assert builds["nov"][2][-1] == "audit_logs_2027_11"
    assert builds["jan"][2][0] == "audit_logs_2027_01"
    assert builds["jan"][2][-1] == "audit_logs_2028_01"
    # The eve build made its partitions in 2026 and ended in 2027.
    assert builds["eve"][2][0] == "audit_logs_2026_12"
    first, last = builds["eve"][3]
    assert first < YEAR_TURN <= last, (first, last)


def test_the_dump_is_the_same_on_any_build_date(builds):
    nov, eve, jan = (builds[k][1] for k in ("nov", "eve", "jan"))
    assert nov == eve == jan
    assert "audit_logs_20" not in nov  # no month-named object in the snapshot


def test_the_committed_snapshot_is_what_any_date_builds(builds):
    committed = (SQL_DIR / "schema.sql").read_text()
    assert builds["jan"][1] == committed, "sql/schema.sql differs from a January build"


def test_the_schema_docs_are_the_same_on_any_build_date(builds):
    """docs/schema.md leaves the partitions out as the dump does: any date, same text."""
    nov, eve, jan = (builds[k][4] for k in ("nov", "eve", "jan"))
    assert nov == eve == jan
    assert "audit_logs_20" not in nov
    committed = (SQL_DIR.parent / "docs" / "schema.md").read_text()
    assert jan == committed, "docs/schema.md differs from a January build: run `make docs`"


def test_the_snapshot_says_where_the_partitions_went(builds):
    assert dump.RUNTIME_NOTE.format(table="audit.audit_logs") in builds["nov"][1]


def test_an_upgrade_a_year_later_makes_the_partitions_ahead(server, builds, tmp_path: Path):
    """Built in November 2026; upgraded by `readb up` in December 2027, when the twelve
    months the step made have run out. verify names the missing month first; the upgrade
    (its maintenance call, not a migration) makes the months ahead; verify is clean."""
    url = builds["nov"][0]
    server.start_at(MARCH)
    assert run_readb("verify", dsn=url).returncode == 0

    server.start_at(NEXT_DECEMBER)
    before = run_readb("verify", dsn=url)
    assert before.returncode == 1
    assert "audit.audit_logs_2027_12 is missing" in before.stdout + before.stderr

    steps = tmp_path / "sql"
    shutil.copytree(SQL_DIR, steps)
    (steps / "migrations" / "9990_later.sql").write_text(
        "-- A later step: any change at all.\ncomment on schema rea is 'later';\n"
    )
    (steps / "migrations" / "9990_later.down.sql").write_text("comment on schema rea is null;\n")
    upgraded = run_readb("up", dsn=url, sql_dir=steps)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "applied 9990_later" in upgraded.stdout
    assert "made audit.audit_logs_2027_12" in upgraded.stdout
    assert partitions(url)[-1] == "audit_logs_2028_12"
    assert run_readb("verify", dsn=url, sql_dir=steps).returncode == 0

    with psycopg.connect(url) as conn:  # an audited write lands in this month's partition
        conn.execute("update rea.currencies set name = name || '' where code = 'SAR'")
        (where,) = conn.execute(
            "select tableoid::regclass::text from audit.audit_logs order by id desc limit 1"
        ).fetchone()
    assert where == "audit.audit_logs_2027_12"


def test_seed_and_facts_are_the_same_on_any_date(own_server):
    """The seed's rows come from its arguments (--as-of), never from the clock, and the
    fact views from the rows: loaded across the turn of the year and a month later, they
    are equal (but for the columns the database stamps with the load time)."""
    own_server.start_at(datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC))
    eve = own_server.create_database("seed_eve")
    build(eve)
    assert run_readb("seed", "--tenants", "2", "--scale", "1", dsn=eve).returncode == 0
    assert run_readb("refresh", dsn=eve).returncode == 0

    own_server.start_at(datetime(2027, 2, 1, 0, 0, 5, tzinfo=UTC))
    later = own_server.create_database("seed_later")
    build(later)
    assert run_readb("seed", "--tenants", "2", "--scale", "1", dsn=later).returncode == 0
    assert run_readb("refresh", dsn=later).returncode == 0

    assert seed_digest(eve) == seed_digest(later)
    assert fact_digest(eve) == fact_digest(later)
    assert run_readb("verify", dsn=eve).returncode == 0


def test_seed_refuses_a_history_that_ends_after_the_servers_date(own_server):
    """On a server whose clock is behind the default --as-of, seed says so in one line
    and writes nothing (the rules would refuse events in the future halfway through)."""
    own_server.start_at(datetime(2026, 9, 1, 12, 0, tzinfo=UTC))  # before the default as-of
    url = own_server.create_database("seed_early")
    build(url)
    result = run_readb("seed", "--tenants", "1", "--scale", "1", dsn=url)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "readb: --as-of 2026-09-30 is after the server's date 2026-09-01 (UTC): the rules"
        " refuse a history that ends in the future; give an earlier --as-of"
    ]
    with psycopg.connect(url) as conn:
        assert conn.execute("select count(*) from rea.clients").fetchone()[0] == 0
    earlier = run_readb(
        "seed", "--tenants", "1", "--scale", "1", "--as-of", str(date(2026, 8, 31)), dsn=url
    )
    assert earlier.returncode == 0, earlier.stderr

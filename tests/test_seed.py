"""readb seed: deterministic, complete (every entity and state, every tenant), linear in scale."""

from datetime import date

import psycopg
import pytest
from psycopg import sql

from conftest import run_readb
from readb.errors import ReadbError
from readb.seed import DEFAULT_AS_OF, SEEDED_TABLES, seed

# Columns the database stamps with the load time: not part of "the same rows".
STAMPED = ["updated_at", "decided_at", "closed_at"]

# Per tenant and per unit of scale, for the tables that grow with it (README's table).
PER_SCALE = {
    "users": 8,
    "customers": 150,
    "properties": 100,
    "deals": 80,
    "bookings": 100,
    "expenses": 200,
    "communications": 400,
}


def load(url: str, tenants: int = 2, scale: int = 1, random_seed: int = 1):
    with psycopg.connect(url, autocommit=True) as conn:
        return seed(conn, tenants, scale, random_seed, DEFAULT_AS_OF)


def digest(url: str) -> dict[str, str]:
    """One md5 per table over its rows as JSON, stamped columns left out."""
    out = {}
    with psycopg.connect(url) as conn:
        for table in SEEDED_TABLES:
            skip = [*STAMPED, "created_at"] if table == "fx_rates" else STAMPED
            query = sql.SQL(
                "select md5(coalesce(string_agg(r::text, E'\\n' order by r::text), ''))"
                " from (select to_jsonb(t) - %s::text[] as r from rea.{} as t) as rows"
            ).format(sql.Identifier(table))
            out[table] = conn.execute(query, (skip,)).fetchone()[0]
    return out


@pytest.fixture
def second_url(empty_url):
    """Another fully built database beside db_url."""
    result = run_readb("up", dsn=empty_url)
    assert result.returncode == 0, result.stderr
    return empty_url


def test_the_same_arguments_give_the_same_rows(db_url, second_url):
    load(db_url, random_seed=7)
    load(second_url, random_seed=7)
    assert digest(db_url) == digest(second_url)


def test_another_random_seed_gives_other_rows(db_url, second_url):
    load(db_url, random_seed=7)
    load(second_url, random_seed=8)
    first, second = digest(db_url), digest(second_url)
    assert first["customers"] != second["customers"]
    assert first["fx_rates"] == second["fx_rates"]  # the market is the market


EXPECTED_STATES = {
    ("deals", "stage"): {"lead", "negotiation", "pending_approval", "approved", "won", "lost"},
    ("bookings", "status"): {"PENDING", "ACTIVE", "CANCELLED", "EXPIRED", "COMPLETED"},
    ("approvals", "status"): {"pending", "approved", "rejected", "cancelled"},
    ("approvals", "subject_type"): {"deal", "expense"},
    ("expenses", "status"): {"pending_approval", "approved", "rejected"},
    ("properties", "status"): {
        "available",
        "reserved",
        "under_offer",
        "sold",
        "rented",
        "withdrawn",
    },
    ("properties", "listing_type"): {"agency_owned", "branch_owned", "brokerage"},
    ("users", "status"): {"active", "disabled"},
    ("communications", "channel"): {"phone", "email", "sms", "whatsapp", "meeting", "portal"},
    ("commission_rules", "deal_type"): {"sale", "rental"},
}


@pytest.mark.parametrize("random_seed", [1, 2])
def test_every_entity_and_every_state_for_every_tenant(db, db_url, random_seed):
    load(db_url, tenants=3, random_seed=random_seed)
    db.rollback()
    clients = [c for (c,) in db.execute("select id from rea.clients")]
    assert len(clients) == 3
    tenant_tables = [t for t in SEEDED_TABLES if t not in ("fx_rates", "clients")]
    for table in tenant_tables:
        having = db.execute(
            sql.SQL("select count(distinct client_id) from rea.{}").format(sql.Identifier(table))
        ).fetchone()[0]
        assert having == 3, f"{table}: only {having} of 3 tenants have rows"
    for (table, column), states in EXPECTED_STATES.items():
        rows = db.execute(
            sql.SQL("select client_id, array_agg(distinct {}) from rea.{} group by 1").format(
                sql.Identifier(column), sql.Identifier(table)
            )
        ).fetchall()
        assert len(rows) == 3
        for client_id, found in rows:
            assert set(found) == states, f"{table}.{column} of {client_id}"
    soft_deleted = db.execute(
        "select count(distinct client_id) from rea.customers where deleted_at is not null"
    ).fetchone()
    assert soft_deleted == (3,)


def test_rows_grow_linearly_with_scale(db_url):
    small = load(db_url, tenants=1, scale=1, random_seed=11)
    large = load(db_url, tenants=1, scale=3, random_seed=12)
    for table, per_scale in PER_SCALE.items():
        assert small.rows[table] == per_scale, table
        assert large.rows[table] == 3 * per_scale, table
    assert 2.5 * small.rows["approvals"] <= large.rows["approvals"] <= 3.5 * small.rows["approvals"]
    assert large.rows["fx_rates"] == 0  # shared: loaded once, by the first seed


def test_seeding_again_with_the_same_seed_changes_nothing(db_url):
    load(db_url)
    before = digest(db_url)
    again = run_readb("seed", "--tenants", "2", "--scale", "1", dsn=db_url)
    assert again.returncode == 0, again.stderr
    assert "already seeded" in again.stdout
    assert digest(db_url) == before


def test_seed_reports_rows_per_second(db_url):
    result = run_readb("seed", "--tenants", "1", "--scale", "1", "--random-seed", "5", dsn=db_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].endswith("rows/s)")


def test_seed_refuses_a_database_without_the_schema(empty_url):
    with pytest.raises(ReadbError, match="readb up"):
        load(empty_url)
    result = run_readb("seed", "--tenants", "1", "--scale", "1", dsn=empty_url)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_the_history_spans_three_years_up_to_as_of(db):
    with psycopg.connect(f"{db.info.dsn}", autocommit=True) as conn:
        seed(conn, 1, 1, 3, date(2025, 12, 31))
    first, last = db.execute("select min(deal_date), max(deal_date) from rea.deals").fetchone()
    assert date(2022, 12, 31) <= first < date(2023, 3, 1)
    assert date(2025, 10, 1) < last <= date(2025, 12, 31)

"""The fact views carry every live row once, amounts as entered, and amounts converted
into the tenant's base currency at the rate in force on the business date.

The conversion is checked against a small Python model of the rule (the latest rate on or
before the date, stored either way round, the opposite pair as its inverse; rounded half
up to the base currency's minor units), not against the SQL function the views call.
"""

import bisect
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import psycopg
import pytest
from psycopg import errors

from conftest import acting_as, insert, run_readb
from readb.errors import ReadbError
from readb.seed import DEFAULT_AS_OF, refresh, seed

FACTS = {
    # view: (source query giving id, amount, currency, business date)
    "fact_deals": "select client_id, id, amount, currency, deal_date from rea.deals"
    " where deleted_at is null",
    "fact_expenses": "select client_id, id, amount, currency, expense_date from rea.expenses",
    "fact_bookings": "select client_id, id, deposit_amount, deposit_currency, starts_at::date"
    " from rea.bookings",
}


class FxModel:
    def __init__(self, conn: psycopg.Connection):
        self.rates: dict[tuple[str, str], tuple[list[date], list[Decimal]]] = {}
        rows = conn.execute(
            "select base_currency, quote_currency, rate_date, rate from rea.fx_rates"
            " order by 1, 2, 3"
        ).fetchall()
        grouped = defaultdict(list)
        for base, quote, day, rate in rows:
            grouped[(base, quote)].append((day, rate))
        for pair, series in grouped.items():
            self.rates[pair] = ([d for d, _ in series], [r for _, r in series])
        self.minor = dict(conn.execute("select code, minor_units from rea.currencies").fetchall())

    def _latest(self, pair: tuple[str, str], day: date) -> tuple[date, Decimal] | None:
        if pair not in self.rates:
            return None
        days, values = self.rates[pair]
        at = bisect.bisect_right(days, day)
        return (days[at - 1], values[at - 1]) if at else None

    def convert(self, amount: Decimal, source: str, target: str, day: date) -> tuple[Decimal, bool]:
        """(converted amount, exact): inverse rates are divided at PostgreSQL's own
        numeric precision, so they may differ from ours in the last minor unit."""
        quantum = Decimal(1).scaleb(-self.minor[target])
        if source == target:
            return amount.quantize(quantum, ROUND_HALF_UP), True
        direct = self._latest((source, target), day)
        inverse = self._latest((target, source), day)
        if direct is not None and (inverse is None or direct[0] >= inverse[0]):
            return (amount * direct[1]).quantize(quantum, ROUND_HALF_UP), True
        assert inverse is not None, f"no rate {source}->{target} on {day}"
        return (amount / inverse[1]).quantize(quantum, ROUND_HALF_UP), False


@pytest.fixture
def seeded(db, db_url):
    """Seven tenants (base currencies SAR, AED and USD), views refreshed."""
    with psycopg.connect(db_url, autocommit=True) as conn:
        seed(conn, 7, 1, 1, DEFAULT_AS_OF)
        refresh(conn)
    db.rollback()
    return db


def fact_rows(conn, view: str, columns: str) -> list[tuple]:
    """Every tenant's rows of a reporting view, read the way roles read them: as
    rea_reporting, one tenant at a time."""
    rows = []
    for (client_id,) in conn.execute("select id from rea.clients order by id").fetchall():
        with acting_as(conn, "rea_reporting", client_id):
            rows += conn.execute(f"select {columns} from reporting.{view}").fetchall()
    return rows


@pytest.mark.parametrize("view", FACTS)
def test_every_live_row_once_with_its_amount_as_entered(seeded, view):
    source = {row[1]: row for row in seeded.execute(FACTS[view]).fetchall()}
    fact = fact_rows(seeded, view, "client_id, id, amount, currency")
    assert len(fact) == len(source) > 0
    for client_id, id_, amount, currency in fact:
        assert (client_id, amount, currency) == (source[id_][0], source[id_][2], source[id_][3])


@pytest.mark.parametrize("view", FACTS)
def test_base_amounts_follow_the_rate_in_force_for_every_tenant(seeded, view):
    fx = FxModel(seeded)
    bases = dict(seeded.execute("select id, base_currency from rea.clients").fetchall())
    assert set(bases.values()) == {"SAR", "AED", "USD"}
    source = {row[1]: row for row in seeded.execute(FACTS[view]).fetchall()}
    totals: dict[object, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0)])
    rows = fact_rows(seeded, view, "client_id, id, amount_base, base_currency")
    for client_id, id_, amount_base, base_currency in rows:
        assert base_currency == bases[client_id]
        _, _, amount, currency, day = source[id_]
        if amount is None:
            assert amount_base is None
            continue
        expected, exact = fx.convert(amount, currency, base_currency, day)
        unit = Decimal(1).scaleb(-fx.minor[base_currency])
        assert abs(amount_base - expected) <= (0 if exact else unit), (view, id_)
        totals[client_id][0] += amount_base
        totals[client_id][1] += expected
        totals[client_id][2] += 0 if exact else unit
    assert len(totals) == 7
    for client_id, (fact_total, model_total, tolerance) in totals.items():
        assert abs(fact_total - model_total) <= tolerance, client_id


def test_views_can_be_refreshed_concurrently(db):
    """REFRESH ... CONCURRENTLY needs a unique index on plain columns of every row."""
    missing = db.execute(
        """
        select m.matviewname from pg_matviews m
        where m.schemaname = 'reporting' and not exists (
            select from pg_index i
            where i.indrelid = format('%I.%I', m.schemaname, m.matviewname)::regclass
              and i.indisunique and i.indpred is null and 0 <> all (i.indkey)
        )
        """
    ).fetchall()
    assert missing == []
    assert {
        v
        for (v,) in db.execute("select matviewname from pg_matviews where schemaname = 'reporting'")
    } == {f"{view}_mv" for view in FACTS}


def test_refresh_shows_new_rows_and_reports_each_view(db, db_url, tenant):
    db.commit()
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(
            "insert into rea.fx_rates (base_currency, quote_currency, rate_date, rate)"
            " values ('USD', 'SAR', '2026-01-01', 3.75)"
        )
        conn.execute(
            "insert into rea.expenses (client_id, category, amount, currency, expense_date)"
            " values (%s, 'marketing', 100, 'USD', '2026-02-01')",
            (tenant.client_id,),
        )
    result = run_readb("refresh", dsn=db_url)
    assert result.returncode == 0, result.stderr
    assert sorted(line.split()[1] for line in result.stdout.splitlines()) == [
        f"reporting.{view}_mv" for view in sorted(FACTS)
    ]
    with acting_as(db, "rea_reporting", tenant.client_id):
        row = db.execute(
            "select amount, currency, amount_base, base_currency from reporting.fact_expenses"
        ).fetchone()
    assert row == (Decimal("100.00"), "USD", Decimal("375.00"), "SAR")


def test_a_missing_rate_fails_the_refresh_loudly(db, db_url, tenant):
    insert(
        db,
        "expenses",
        client_id=tenant.client_id,
        category="travel",
        amount=50,
        currency="GBP",
        expense_date=date(2026, 3, 1),
    )
    db.commit()
    with psycopg.connect(db_url, autocommit=True) as conn, pytest.raises(ReadbError) as caught:
        refresh(conn)
    assert "P0002" in str(caught.value) and "GBP" in str(caught.value)
    with pytest.raises(errors.NoDataFound):
        db.execute("select rea.convert_amount(50, 'GBP', 'SAR', '2026-03-01')")

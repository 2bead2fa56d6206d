"""Amounts move between currencies only at a stored rate, and never at a made-up one.

rea.fx_rate(from, to, date) is the number of `to` units one `from` unit buys on `date`:

- the same currency on both sides is 1;
- else the latest rate on or before the date, stored either way round: from -> to as it
  is, to -> from as its inverse; when both pairs have a rate on that latest date, the
  direct one;
- else it raises SQLSTATE P0002 (no_data_found): never NULL, never 1.0.

rea.convert_amount(amount, from, to, date) multiplies by that rate and rounds half away from
zero to the minor units of `to` (SAR 2 decimals, KWD 3, JPY 0). A stored rate is positive
and between two different currencies.
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import errors

DAY = date(2024, 6, 1)
MINOR_UNITS = {"SAR": 2, "USD": 2, "EUR": 2, "KWD": 3, "BHD": 3, "JPY": 0}

DB_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("10000"), places=6)


def store_rate(db, base, quote, rate, on=DAY):
    db.execute(
        "insert into rea.fx_rates (base_currency, quote_currency, rate_date, rate)"
        " values (%s, %s, %s, %s)",
        (base, quote, on, rate),
    )


def fx_rate(db, source, target, on=DAY):
    return db.execute("select rea.fx_rate(%s, %s, %s)", (source, target, on)).fetchone()[0]


def convert(db, amount, source, target, on=DAY):
    return db.execute(
        "select rea.convert_amount(%s, %s, %s, %s)", (amount, source, target, on)
    ).fetchone()[0]


def minor_unit(currency: str) -> Decimal:
    return Decimal(1).scaleb(-MINOR_UNITS[currency])


def rounded(value: Decimal, currency: str) -> Decimal:
    return value.quantize(minor_unit(currency), ROUND_HALF_UP)


def raises_no_rate(db, call):
    with pytest.raises(errors.NoDataFound) as caught, db.transaction():
        call()
    assert caught.value.sqlstate == "P0002"


# --- the rate in force --------------------------------------------------------------------


def test_the_same_currency_converts_at_one_without_any_stored_rate(db):
    assert db.execute("select count(*) from rea.fx_rates").fetchone()[0] == 0
    assert fx_rate(db, "SAR", "SAR") == 1
    assert convert(db, Decimal("123.45"), "SAR", "SAR") == Decimal("123.45")


def test_the_latest_rate_on_or_before_the_date_is_used(db):
    for day, rate in [(date(2024, 1, 1), "3.70"), (date(2024, 3, 1), "3.75"), (DAY, "3.80")]:
        store_rate(db, "USD", "SAR", Decimal(rate), on=day)
    expected = {
        date(2024, 1, 1): "3.70",
        date(2024, 2, 29): "3.70",
        date(2024, 3, 1): "3.75",
        date(2024, 5, 31): "3.75",
        DAY: "3.80",
        date(2030, 1, 1): "3.80",
    }
    assert {day: fx_rate(db, "USD", "SAR", day) for day in expected} == {
        day: Decimal(rate) for day, rate in expected.items()
    }
    assert convert(db, Decimal(1000), "USD", "SAR", date(2024, 4, 1)) == Decimal("3750.00")


def test_a_date_before_the_first_rate_raises_rather_than_guessing(db):
    store_rate(db, "USD", "SAR", Decimal("3.75"), on=DAY)
    day_before = DAY - timedelta(days=1)
    raises_no_rate(db, lambda: fx_rate(db, "USD", "SAR", day_before))
    raises_no_rate(db, lambda: convert(db, Decimal(100), "USD", "SAR", day_before))
    raises_no_rate(db, lambda: fx_rate(db, "SAR", "USD", day_before))


def test_a_pair_never_stored_raises(db):
    store_rate(db, "USD", "SAR", Decimal("3.75"))
    raises_no_rate(db, lambda: fx_rate(db, "EUR", "SAR"))
    raises_no_rate(db, lambda: convert(db, Decimal(100), "EUR", "SAR"))


def test_a_fresher_opposite_rate_beats_a_stale_direct_one(db):
    store_rate(db, "USD", "SAR", Decimal("3.75"), on=DAY - timedelta(days=30))
    store_rate(db, "SAR", "USD", Decimal("0.25"), on=DAY - timedelta(days=1))
    assert fx_rate(db, "USD", "SAR") == 4
    store_rate(db, "USD", "SAR", Decimal("3.80"), on=DAY - timedelta(days=1))
    assert fx_rate(db, "USD", "SAR") == Decimal("3.80")  # a tie goes to the direct rate


def test_only_the_opposite_pair_stored_gives_its_inverse(db):
    store_rate(db, "USD", "SAR", Decimal("3.75"))
    inverse = fx_rate(db, "SAR", "USD")
    assert abs(inverse * Decimal("3.75") - 1) < Decimal("1e-15")
    assert convert(db, Decimal(3750), "SAR", "USD") == Decimal("1000.00")
    assert convert(db, Decimal(100), "SAR", "USD") == Decimal("26.67")


# --- what a stored rate may be ------------------------------------------------------------


@pytest.mark.parametrize("rate", ["0", "-3.75", "0.00000000001"])  # the last rounds to 0
def test_a_rate_is_positive(db, rate):
    with pytest.raises(errors.CheckViolation) as caught, db.transaction():
        store_rate(db, "USD", "SAR", Decimal(rate))
    assert caught.value.diag.constraint_name == "fx_rates_rate_check"


def test_a_rate_is_between_two_different_currencies(db):
    with pytest.raises(errors.CheckViolation) as caught, db.transaction():
        store_rate(db, "SAR", "SAR", Decimal(1))
    assert caught.value.diag.constraint_name == "fx_rates_pair_check"


# --- properties ---------------------------------------------------------------------------


@st.composite
def round_trips(draw):
    source, target = draw(st.permutations(list(MINOR_UNITS)))[:2]
    amount = draw(
        st.decimals(min_value=0, max_value=10**7, places=MINOR_UNITS[source]).map(
            lambda a: rounded(a, source)
        )
    )
    return source, target, draw(rates), amount


@DB_SETTINGS
@given(case=round_trips())
def test_a_round_trip_returns_the_amount_within_the_rounding_of_both_legs(db, case):
    """A -> B at the stored rate r, then B -> A at its inverse, lands within
    0.5 minor unit of B times the rate B -> A, plus 0.5 minor unit of A.

    With b = round_B(a * r) and a' = round_A(b * inv), inv = fx_rate(B, A):
    |a' - a| <= |a' - b * inv| + |b - a * r| * inv + |a| * |r * inv - 1|
             <= 0.5 unit_A     + 0.5 unit_B * inv  + |a| * |r * inv - 1|,
    where the last term is the precision of the inverse PostgreSQL divides out
    (at least 16 significant digits, so below a millionth of a minor unit here).
    """
    source, target, rate, amount = case
    with db.transaction(force_rollback=True):
        store_rate(db, source, target, rate)
        there = convert(db, amount, source, target)
        back = convert(db, there, target, source)
        inverse = fx_rate(db, target, source)
    with localcontext() as ctx:
        ctx.prec = 80
        assert there == rounded(amount * rate, target)
        inverse_error = abs(amount) * abs(rate * inverse - 1)
        assert inverse_error < minor_unit(source) * Decimal("1e-6")
        bound = minor_unit(target) * inverse / 2 + minor_unit(source) / 2 + inverse_error
        assert abs(back - amount) <= bound


@DB_SETTINGS
@given(
    target=st.sampled_from(["KWD", "BHD", "JPY", "SAR", "EUR"]),
    rate=rates,
    amount=st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=4),
)
def test_a_conversion_is_rounded_half_up_to_the_minor_units_of_its_target(db, target, rate, amount):
    with db.transaction(force_rollback=True):
        store_rate(db, "USD", target, rate)
        converted = convert(db, amount, "USD", target)
    with localcontext() as ctx:
        ctx.prec = 80
        assert converted == rounded(amount * rate, target)
    assert converted.as_tuple().exponent == -MINOR_UNITS[target]


POOL = ["USD", "SAR", "EUR", "KWD"]
FIRST = date(2024, 1, 1)
days = st.integers(0, 20).map(lambda n: FIRST + timedelta(days=n))
stored = st.dictionaries(
    st.tuples(st.permutations(POOL).map(lambda p: (p[0], p[1])), days), rates, max_size=8
)
queries = st.lists(
    st.tuples(st.sampled_from(POOL), st.sampled_from(POOL), st.integers(-3, 25)),
    min_size=1,
    max_size=6,
)


def model_rate(rows, source, target, day):
    """('one' | 'direct' | 'inverse', rate) in force, or None when there is none."""
    if source == target:
        return ("one", Decimal(1))

    def latest(base, quote):
        on_or_before = [
            (d, r) for (pair, d), r in rows.items() if pair == (base, quote) and d <= day
        ]
        return max(on_or_before) if on_or_before else None  # (date, rate)

    direct, inverse = latest(source, target), latest(target, source)
    if direct is not None and (inverse is None or direct[0] >= inverse[0]):
        return ("direct", direct[1])
    if inverse is not None:
        return ("inverse", inverse[1])
    return None


@DB_SETTINGS
@given(rows=stored, asked=queries)
def test_fx_rate_agrees_with_a_model_of_the_rule_and_a_missing_rate_always_raises(db, rows, asked):
    with db.transaction(force_rollback=True):
        for ((base, quote), day), rate in rows.items():
            store_rate(db, base, quote, rate, on=day)
        for source, target, offset in asked:
            day = FIRST + timedelta(days=offset)
            expected = model_rate(rows, source, target, day)
            if expected is None:
                raises_no_rate(db, lambda s=source, t=target, d=day: fx_rate(db, s, t, d))
                raises_no_rate(
                    db, lambda s=source, t=target, d=day: convert(db, Decimal(1), s, t, d)
                )
                continue
            kind, rate = expected
            found = fx_rate(db, source, target, day)
            if kind == "inverse":
                assert abs(found * rate - 1) < Decimal("1e-15"), (source, target, day)
            else:
                assert found == rate, (source, target, day)


def test_converting_into_an_unknown_currency_raises_instead_of_returning_null(db):
    store_rate(db, "USD", "SAR", Decimal("3.75"))
    with pytest.raises(psycopg.Error), db.transaction():
        db.execute("select rea.convert_amount(100, 'USD', 'sar', %s)", (DAY,))

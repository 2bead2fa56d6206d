"""An amount carries no more decimals than its currency has (SAR 2, KWD 3, JPY 0)."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import errors

from conftest import insert

MINOR_UNITS = {"SAR": 2, "KWD": 3, "JPY": 0, "USD": 2, "BHD": 3}


def _expense(db, tenant, amount, currency):
    return insert(
        db,
        "expenses",
        client_id=tenant.client_id,
        category="office",
        amount=amount,
        currency=currency,
    )


@pytest.mark.parametrize(
    ("amount", "currency"),
    [("10.50", "SAR"), ("1.234", "KWD"), ("1500", "JPY"), ("0.001", "BHD")],
)
def test_an_amount_within_its_currency_is_kept_exactly(db, tenant, amount, currency):
    row = _expense(db, tenant, Decimal(amount), currency)
    assert row["amount"] == Decimal(amount)


@pytest.mark.parametrize(
    ("amount", "currency"), [("10.505", "SAR"), ("1.2345", "KWD"), ("1500.5", "JPY")]
)
def test_an_amount_finer_than_its_currency_is_refused(db, tenant, amount, currency):
    with pytest.raises(errors.CheckViolation) as caught, db.transaction():
        _expense(db, tenant, Decimal(amount), currency)
    assert caught.value.diag.constraint_name == "expenses_amount_minor_units_check"


@pytest.mark.parametrize(
    ("table", "column", "values"),
    [
        ("properties", "asking_price", {"asking_price": Decimal("100.001"), "currency": "SAR"}),
        (
            "bookings",
            "deposit_amount",
            {"deposit_amount": Decimal("5.5"), "deposit_currency": "JPY"},
        ),
        ("deals", "amount", {"amount": Decimal("9.999"), "currency": "USD"}),
        (
            "commission_rules",
            "fixed_amount",
            {"fixed_amount": Decimal("1.11"), "currency": "JPY"},
        ),
    ],
)
def test_every_money_column_is_held_to_its_currency(db, tenant, table, column, values):
    prop = tenant.property(db)
    base = {
        "properties": {
            "listing_type": "agency_owned",
            "property_type": "villa",
            "title": "Villa",
            "city": "Jeddah",
        },
        "bookings": {
            "property_id": prop["id"],
            "customer_id": tenant.customer_id,
            "starts_at": "2026-01-01",
            "ends_at": "2026-01-05",
        },
        "deals": {
            "property_id": prop["id"],
            "customer_id": tenant.customer_id,
            "deal_type": "sale",
        },
        "commission_rules": {
            "listing_type": "agency_owned",
            "deal_type": "sale",
            "effective": "[2026-01-01,)",
        },
    }[table]
    with pytest.raises(errors.CheckViolation) as caught, db.transaction():
        insert(db, table, client_id=tenant.client_id, **base, **values)
    assert caught.value.diag.constraint_name == f"{table}_{column}_minor_units_check"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    currency=st.sampled_from(sorted(MINOR_UNITS)),
    amount=st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("1000000"), places=4),
)
def test_accepted_exactly_when_the_decimals_fit(db, tenant, currency, amount):
    fits = amount == round(amount, MINOR_UNITS[currency])
    with db.transaction(force_rollback=True):
        try:
            _expense(db, tenant, amount, currency)
            accepted = True
        except errors.CheckViolation as exc:
            assert exc.diag.constraint_name == "expenses_amount_minor_units_check"
            accepted = False
    assert accepted == fits

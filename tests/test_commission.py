"""The database computes a deal's commission; the application never writes it.

A deal earns what the commission rule in force on its deal_date pays for the property's
listing type and the deal type: a percentage of the amount, rounded half up to the deal
currency's minor units, or the rule's fixed amount in the rule's currency. No rule in
force: commission_rule_id, commission_amount and commission_currency are all null. The
commission follows its inputs (amount, currency, deal_date, ...) and ignores direct writes.
Periods of one (client, listing_type, deal_type) never overlap
(commission_rules_no_overlap_excl), and a rule pays a percentage or a fixed amount, never
both (commission_rules_one_basis_check).
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import errors

from conftest import insert, make_tenant

YEAR_2024 = "[2024-01-01,2025-01-01)"


def _rule(db, tenant, effective=YEAR_2024, **values):
    return insert(
        db,
        "commission_rules",
        client_id=tenant.client_id,
        listing_type=values.pop("listing_type", "agency_owned"),
        deal_type=values.pop("deal_type", "sale"),
        effective=effective,
        **values,
    )


def _deal(db, tenant, prop, amount, currency="SAR", deal_date=date(2024, 6, 1), **values):
    return insert(
        db,
        "deals",
        client_id=tenant.client_id,
        property_id=prop["id"],
        customer_id=tenant.customer_id,
        deal_type=values.pop("deal_type", "sale"),
        amount=Decimal(amount),
        currency=currency,
        deal_date=deal_date,
        **values,
    )


def _commission(db, deal):
    """(rule id, amount, currency) of the deal as the database holds it now."""
    return db.execute(
        "select commission_rule_id, commission_amount, commission_currency"
        " from rea.deals where client_id = %s and id = %s",
        (deal["client_id"], deal["id"]),
    ).fetchone()


def _update_deal(db, deal, **changes):
    assignments = ", ".join(f"{column} = %s" for column in changes)
    db.execute(
        f"update rea.deals set {assignments} where client_id = %s and id = %s",
        (*changes.values(), deal["client_id"], deal["id"]),
    )


def _refused(db, exc_type, constraint, **values):
    with pytest.raises(exc_type) as caught, db.transaction():
        _rule(db, **values)
    assert caught.value.diag.constraint_name == constraint


# --- What a deal earns --------------------------------------------------------------------


def test_a_percentage_rule_pays_its_share_rounded_half_up_to_halalas(db, tenant):
    rule = _rule(db, tenant, percentage=Decimal("2.5"))
    deal = _deal(db, tenant, tenant.property(db), "850000.30")  # 21250.0075 SAR
    assert _commission(db, deal) == (rule["id"], Decimal("21250.01"), "SAR")


def test_a_percentage_rule_rounds_to_whole_yen(db, tenant):
    rule = _rule(db, tenant, percentage=Decimal("2.5"))
    deal = _deal(db, tenant, tenant.property(db), "1000010.00", currency="JPY")  # 25000.25
    assert _commission(db, deal) == (rule["id"], Decimal("25000"), "JPY")


def test_a_percentage_rule_rounds_half_up_to_kuwaiti_fils(db, tenant):
    rule = _rule(db, tenant, percentage=Decimal("2.5"))
    deal = _deal(db, tenant, tenant.property(db), "100.100", currency="KWD")  # 2.5025 KWD
    assert _commission(db, deal) == (rule["id"], Decimal("2.503"), "KWD")


def test_a_fixed_rule_pays_its_amount_in_its_currency_whatever_the_deal(db, tenant):
    rule = _rule(db, tenant, fixed_amount=Decimal("5000"), currency="USD")
    prop = tenant.property(db)
    small = _deal(db, tenant, prop, "100000.00")
    large = _deal(db, tenant, prop, "9000000.00", currency="AED")
    assert _commission(db, small) == (rule["id"], Decimal("5000.00"), "USD")
    assert _commission(db, large) == (rule["id"], Decimal("5000.00"), "USD")


def test_no_rule_in_force_on_the_deal_date_means_no_commission(db, tenant):
    _rule(db, tenant, percentage=Decimal("2.5"))  # in force during 2024 only
    deal = _deal(db, tenant, tenant.property(db), "850000.00", deal_date=date(2025, 1, 1))
    assert _commission(db, deal) == (None, None, None)


def test_only_the_rule_for_the_listing_type_and_deal_type_applies(db, tenant):
    _rule(db, tenant, listing_type="brokerage", percentage=Decimal("5"))
    _rule(db, tenant, deal_type="rental", percentage=Decimal("8"))
    sale = _rule(db, tenant, percentage=Decimal("2"))
    agency_owned = tenant.property(db)
    assert _commission(db, _deal(db, tenant, agency_owned, "1000.00")) == (
        sale["id"],
        Decimal("20.00"),
        "SAR",
    )
    owner = tenant.property(db, listing_type="brokerage", owner_customer_id=tenant.customer_id)
    rental = _deal(db, tenant, owner, "1000.00", deal_type="rental")
    assert _commission(db, rental) == (None, None, None)


def test_the_rule_in_force_on_the_deal_date_is_the_one_used(db, tenant):
    first_half = _rule(db, tenant, "[2024-01-01,2024-07-01)", percentage=Decimal("2"))
    second_half = _rule(db, tenant, "[2024-07-01,2025-01-01)", percentage=Decimal("3"))
    prop = tenant.property(db)
    june = _deal(db, tenant, prop, "1000.00", deal_date=date(2024, 6, 30))
    july = _deal(db, tenant, prop, "1000.00", deal_date=date(2024, 7, 1))
    assert _commission(db, june) == (first_half["id"], Decimal("20.00"), "SAR")
    assert _commission(db, july) == (second_half["id"], Decimal("30.00"), "SAR")

    _update_deal(db, june, deal_date=date(2024, 7, 15))
    assert _commission(db, june) == (second_half["id"], Decimal("30.00"), "SAR")


def test_changing_the_amount_recomputes_the_commission(db, tenant):
    rule = _rule(db, tenant, percentage=Decimal("2.5"))
    deal = _deal(db, tenant, tenant.property(db), "1000.00")
    _update_deal(db, deal, amount=Decimal("2000.00"))
    assert _commission(db, deal) == (rule["id"], Decimal("50.00"), "SAR")


def test_a_commission_written_by_the_application_is_ignored(db, tenant):
    rule = _rule(db, tenant, percentage=Decimal("2.5"))
    other = _rule(db, tenant, listing_type="brokerage", fixed_amount=Decimal("1"), currency="USD")
    deal = _deal(
        db,
        tenant,
        tenant.property(db),
        "1000.00",
        commission_rule_id=other["id"],
        commission_amount=Decimal("999999.00"),
        commission_currency="USD",
    )
    assert _commission(db, deal) == (rule["id"], Decimal("25.00"), "SAR")

    _update_deal(db, deal, commission_amount=Decimal("0.01"), commission_currency="USD")
    assert _commission(db, deal) == (rule["id"], Decimal("25.00"), "SAR")
    _update_deal(db, deal, commission_rule_id=None, commission_amount=None)
    assert _commission(db, deal) == (rule["id"], Decimal("25.00"), "SAR")


# --- The rules themselves ------------------------------------------------------------------


def test_periods_of_one_rule_key_never_overlap(db, tenant):
    _rule(db, tenant, YEAR_2024, percentage=Decimal("2"))
    _refused(
        db,
        errors.ExclusionViolation,
        "commission_rules_no_overlap_excl",
        tenant=tenant,
        effective="[2024-12-31,2025-06-01)",
        percentage=Decimal("3"),
    )
    _refused(
        db,
        errors.ExclusionViolation,
        "commission_rules_no_overlap_excl",
        tenant=tenant,
        effective="[2023-01-01,)",
        fixed_amount=Decimal("100"),
        currency="SAR",
    )


def test_adjacent_periods_and_other_keys_may_share_dates(db, tenant, other_tenant):
    _rule(db, tenant, YEAR_2024, percentage=Decimal("2"))
    _rule(db, tenant, "[2025-01-01,2026-01-01)", percentage=Decimal("3"))  # [a,b) then [b,c)
    _rule(db, tenant, "[2023-01-01,2024-01-01)", percentage=Decimal("1"))
    _rule(db, tenant, YEAR_2024, listing_type="brokerage", percentage=Decimal("5"))
    _rule(db, tenant, YEAR_2024, deal_type="rental", percentage=Decimal("8"))
    _rule(db, other_tenant, YEAR_2024, percentage=Decimal("2"))
    count = db.execute("select count(*) from rea.commission_rules").fetchone()[0]
    assert count == 6


@pytest.mark.parametrize(
    "basis",
    [
        {"percentage": Decimal("2"), "fixed_amount": Decimal("100"), "currency": "SAR"},
        {},
    ],
    ids=["both", "neither"],
)
def test_a_rule_pays_a_percentage_or_a_fixed_amount_never_both(db, tenant, basis):
    _refused(db, errors.CheckViolation, "commission_rules_one_basis_check", tenant=tenant, **basis)


# --- The arithmetic, for any amount and percentage ----------------------------------------

CENT = Decimal("0.01")
# Any SAR amount deals.amount (numeric(19, 4)) can hold, and any percentage a rule can.
amounts = st.decimals(min_value=CENT, max_value=Decimal("999999999999999.99"), places=2)
percentages = st.decimals(min_value=CENT, max_value=Decimal(100), places=2)


def _expected(amount: Decimal, percentage: Decimal, unit: Decimal = CENT) -> Decimal:
    return (amount * percentage / 100).quantize(unit, rounding=ROUND_HALF_UP)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(amount=amounts, percentage=percentages)
def test_a_percentage_commission_is_the_amount_times_the_rate_rounded_half_up(
    db, amount, percentage
):
    with db.transaction(force_rollback=True):
        tenant = make_tenant(db)
        _rule(db, tenant, percentage=percentage)
        deal = _deal(db, tenant, tenant.property(db), amount)
        assert _commission(db, deal)[1:] == (_expected(amount, percentage), "SAR")


def test_a_commission_above_a_trillion_dinars_is_rounded_only_once(db, tenant):
    amount, percentage = Decimal("100000000000000.015"), Decimal("3.33")
    _rule(db, tenant, percentage=percentage)
    deal = _deal(db, tenant, tenant.property(db), amount, currency="KWD")
    expected = _expected(amount, percentage, unit=Decimal("0.001"))
    assert expected == Decimal("3330000000000.000")
    assert _commission(db, deal)[1] == expected

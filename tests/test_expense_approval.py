"""A large expense is approved only after a second person approves it; a decided one is final.

- an expense has a positive amount, a category from a closed list, and optionally a property
  of its own tenant;
- it may become approved (on insert or by an update) while its amount, converted into the
  tenant's base currency at the rate in force on the expense date and rounded to that
  currency's minor units, is at most the tenant's expense_approval_threshold (10000 SAR
  by default); above it, only once an approval for it (subject_type 'expense') has been
  approved; otherwise expenses_approval_required_check;
- an expense in a currency with no rate on its date cannot be approved at all (P0002);
- approved and rejected expenses are final: status, amount, currency and expense date no
  longer change (expenses_decided_check).
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import errors

from conftest import insert, violates

EXPENSE_DAY = date(2024, 6, 1)
RATE_DAY = date(2024, 1, 1)
CATEGORIES = {
    "maintenance",
    "marketing",
    "utilities",
    "salaries",
    "legal",
    "travel",
    "office",
    "other",
}

DB_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def store_rate(db, base, quote, rate, on=RATE_DAY):
    db.execute(
        "insert into rea.fx_rates (base_currency, quote_currency, rate_date, rate)"
        " values (%s, %s, %s, %s)",
        (base, quote, on, rate),
    )


def expense(db, tenant, **overrides):
    values = {
        "client_id": tenant.client_id,
        "recorded_by": tenant.agent_id,
        "category": "maintenance",
        "amount": Decimal("500.00"),
        "currency": "SAR",
        "expense_date": EXPENSE_DAY,
    } | overrides
    return insert(db, "expenses", **values)


def set_status(db, tenant, expense_id, status):
    db.execute(
        "update rea.expenses set status = %s where client_id = %s and id = %s",
        (status, tenant.client_id, expense_id),
    )


def request_approval(db, tenant, expense_id):
    return insert(
        db,
        "approvals",
        client_id=tenant.client_id,
        subject_type="expense",
        expense_id=expense_id,
        requested_by=tenant.agent_id,
        reason="roof repair",
    )


def decide(db, tenant, approval_id, status):
    db.execute(
        "update rea.approvals set status = %s, approver_id = %s where client_id = %s and id = %s",
        (status, tenant.manager_id, tenant.client_id, approval_id),
    )


def needs_approval(db, action):
    violates(db, "expenses_approval_required_check", errors.CheckViolation, action)


# --- what an expense is -------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["0", "-10", "-0.01"])
def test_an_amount_is_positive(db, tenant, amount):
    violates(
        db,
        "expenses_amount_check",
        errors.CheckViolation,
        lambda: expense(db, tenant, amount=Decimal(amount)),
    )


def test_every_category_of_the_list_is_accepted(db, tenant):
    for category in sorted(CATEGORIES):
        expense(db, tenant, category=category)


@settings(DB_SETTINGS, max_examples=40)
@given(
    category=st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=15).filter(
        lambda c: c not in CATEGORIES
    )
)
def test_any_other_category_is_refused(db, tenant, category):
    with db.transaction(force_rollback=True):
        violates(
            db,
            "expenses_category_check",
            errors.CheckViolation,
            lambda: expense(db, tenant, category=category),
        )


def test_a_property_is_optional_but_must_be_the_tenants_own(db, tenant, other_tenant):
    assert expense(db, tenant)["property_id"] is None
    own = tenant.property(db)
    assert expense(db, tenant, property_id=own["id"])["property_id"] == own["id"]
    foreign = other_tenant.property(db)
    violates(
        db,
        "expenses_property_fkey",
        errors.ForeignKeyViolation,
        lambda: expense(db, tenant, property_id=foreign["id"]),
    )


# --- the approval threshold ---------------------------------------------------------------


def test_the_default_threshold_is_10000_in_the_base_currency(db, tenant):
    assert db.execute(
        "select base_currency, expense_approval_threshold from rea.clients where id = %s",
        (tenant.client_id,),
    ).fetchone() == ("SAR", Decimal("10000.00"))


def test_at_the_threshold_an_expense_may_be_approved_at_once(db, tenant):
    assert expense(db, tenant, amount=Decimal("10000.00"), status="approved")["status"] == (
        "approved"
    )
    small = expense(db, tenant, amount=Decimal("9999.99"))
    set_status(db, tenant, small["id"], "approved")


def test_above_the_threshold_inserting_it_approved_is_refused(db, tenant):
    needs_approval(db, lambda: expense(db, tenant, amount=Decimal("10000.01"), status="approved"))


def test_above_the_threshold_updating_it_to_approved_is_refused(db, tenant):
    large = expense(db, tenant, amount=Decimal("10000.01"))
    needs_approval(db, lambda: set_status(db, tenant, large["id"], "approved"))


def test_a_foreign_currency_amount_is_compared_after_conversion(db, tenant):
    store_rate(db, "USD", "SAR", Decimal("3.75"))
    # 3000 USD * 3.75 = 11250 SAR: above the threshold, although 3000 < 10000
    needs_approval(
        db, lambda: expense(db, tenant, amount=Decimal(3000), currency="USD", status="approved")
    )
    # 2666.66 USD * 3.75 = 9999.975, rounded to 9999.98 SAR: below it
    expense(db, tenant, amount=Decimal("2666.66"), currency="USD", status="approved")


def test_the_threshold_is_the_tenants_own(db, tenant, other_tenant):
    db.execute(
        "update rea.clients set expense_approval_threshold = 50000 where id = %s",
        (tenant.client_id,),
    )
    expense(db, tenant, amount=Decimal(11250), status="approved")
    needs_approval(db, lambda: expense(db, other_tenant, amount=Decimal(11250), status="approved"))


def test_an_approved_approval_lets_a_large_expense_be_approved(db, tenant):
    store_rate(db, "USD", "SAR", Decimal("3.75"))
    large = expense(db, tenant, amount=Decimal(3000), currency="USD")
    approval = request_approval(db, tenant, large["id"])
    needs_approval(db, lambda: set_status(db, tenant, large["id"], "approved"))
    decide(db, tenant, approval["id"], "approved")
    set_status(db, tenant, large["id"], "approved")
    assert db.execute(
        "select status from rea.expenses where client_id = %s and id = %s",
        (tenant.client_id, large["id"]),
    ).fetchone() == ("approved",)


@pytest.mark.parametrize("decision", ["pending", "rejected", "cancelled"])
def test_an_approval_that_was_not_approved_does_not_count(db, tenant, decision):
    large = expense(db, tenant, amount=Decimal(20000))
    approval = request_approval(db, tenant, large["id"])
    if decision != "pending":
        decide(db, tenant, approval["id"], decision)
    needs_approval(db, lambda: set_status(db, tenant, large["id"], "approved"))


def test_an_approval_of_another_expense_does_not_count(db, tenant):
    first = expense(db, tenant, amount=Decimal(20000))
    second = expense(db, tenant, amount=Decimal(20000))
    decide(db, tenant, request_approval(db, tenant, first["id"])["id"], "approved")
    needs_approval(db, lambda: set_status(db, tenant, second["id"], "approved"))
    set_status(db, tenant, first["id"], "approved")


def test_without_a_rate_an_expense_cannot_be_approved(db, tenant):
    store_rate(db, "USD", "SAR", Decimal("3.75"), on=date(2024, 7, 1))  # after the expense
    for currency in ("EUR", "USD"):
        with pytest.raises(errors.NoDataFound) as caught, db.transaction():
            expense(db, tenant, amount=Decimal(10), currency=currency, status="approved")
        assert caught.value.sqlstate == "P0002"
    # recorded, it waits for a rate
    pending = expense(db, tenant, amount=Decimal(10), currency="EUR")
    with pytest.raises(errors.NoDataFound), db.transaction():
        set_status(db, tenant, pending["id"], "approved")


# --- a decided expense is final -----------------------------------------------------------


@pytest.mark.parametrize("decided", ["approved", "rejected"])
@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("status", "pending_approval"),
        ("amount", Decimal("600.00")),
        ("currency", "USD"),
        ("expense_date", date(2024, 6, 2)),
    ],
)
def test_a_decided_expense_keeps_its_status_amount_currency_and_date(
    db, tenant, decided, column, value
):
    store_rate(db, "USD", "SAR", Decimal("3.75"))
    final = expense(db, tenant, status=decided)
    violates(
        db,
        "expenses_decided_check",
        errors.CheckViolation,
        lambda: db.execute(
            f"update rea.expenses set {column} = %s where client_id = %s and id = %s",
            (value, tenant.client_id, final["id"]),
        ),
    )


def test_a_rejected_expense_cannot_be_approved_later(db, tenant):
    rejected = expense(db, tenant, status="rejected")
    violates(
        db,
        "expenses_decided_check",
        errors.CheckViolation,
        lambda: set_status(db, tenant, rejected["id"], "approved"),
    )


def test_a_decided_expense_may_still_get_a_better_description(db, tenant):
    final = expense(db, tenant, status="approved")
    db.execute(
        "update rea.expenses set description = 'AC repair, flat 4' where client_id = %s"
        " and id = %s",
        (tenant.client_id, final["id"]),
    )


# --- the rule as a model ------------------------------------------------------------------

RATES_TO_SAR = {"SAR": Decimal(1), "USD": Decimal("3.75"), "KWD": Decimal("12.213")}


@st.composite
def expenses_near_the_threshold(draw):
    threshold = draw(st.sampled_from([Decimal("500"), Decimal("10000"), Decimal("25000.50")]))
    currency = draw(st.sampled_from(sorted(RATES_TO_SAR)))
    cents = draw(st.integers(-300, 300))
    target = (threshold + Decimal(cents) / 100) / RATES_TO_SAR[currency]
    amount = max(target.quantize(Decimal("0.01"), ROUND_HALF_UP), Decimal("0.01"))
    return threshold, currency, amount, draw(st.booleans())


@DB_SETTINGS
@given(case=expenses_near_the_threshold())
def test_acceptance_is_exactly_amount_in_base_currency_at_most_the_threshold(db, tenant, case):
    threshold, currency, amount, by_update = case
    amount_in_sar = (amount * RATES_TO_SAR[currency]).quantize(Decimal("0.01"), ROUND_HALF_UP)
    with db.transaction(force_rollback=True):
        db.execute(
            "update rea.clients set expense_approval_threshold = %s where id = %s",
            (threshold, tenant.client_id),
        )
        for code, rate in RATES_TO_SAR.items():
            if code != "SAR":
                store_rate(db, code, "SAR", rate)
        try:
            with db.transaction():
                if by_update:
                    row = expense(db, tenant, amount=amount, currency=currency)
                    set_status(db, tenant, row["id"], "approved")
                else:
                    expense(db, tenant, amount=amount, currency=currency, status="approved")
            accepted = True
        except errors.CheckViolation as exc:
            assert exc.diag.constraint_name == "expenses_approval_required_check"
            accepted = False
    assert accepted == (amount_in_sar <= threshold)


# --- what was approved is what is paid --------------------------------------------------


def _change_amount(db, tenant, expense_id, amount):
    db.execute(
        "update rea.expenses set amount = %s where client_id = %s and id = %s",
        (amount, tenant.client_id, expense_id),
    )


@pytest.mark.parametrize("decision", ["pending", "approved"])
def test_the_terms_are_frozen_while_an_approval_is_pending_or_approved(db, tenant, decision):
    large = expense(db, tenant, amount=Decimal(12000))
    approval = request_approval(db, tenant, large["id"])
    if decision == "approved":
        decide(db, tenant, approval["id"], "approved")
    violates(
        db,
        "expenses_terms_frozen_check",
        errors.CheckViolation,
        lambda: _change_amount(db, tenant, large["id"], Decimal(9_000_000)),
    )
    if decision == "approved":  # and approving it with a new amount in one go is no way out
        violates(
            db,
            "expenses_terms_frozen_check",
            errors.CheckViolation,
            lambda: db.execute(
                "update rea.expenses set amount = 9000000, status = 'approved' where id = %s",
                (large["id"],),
            ),
        )


def test_after_a_rejection_the_terms_open_again(db, tenant):
    large = expense(db, tenant, amount=Decimal(12000))
    approval = request_approval(db, tenant, large["id"])
    decide(db, tenant, approval["id"], "rejected")
    _change_amount(db, tenant, large["id"], Decimal(11000))


@pytest.mark.parametrize("status", ["approved", "rejected"])
def test_a_decided_expense_cancels_its_pending_approval(db, tenant, status):
    small = expense(db, tenant, amount=Decimal(100))
    approval = request_approval(db, tenant, small["id"])
    set_status(db, tenant, small["id"], status)
    assert db.execute(
        "select status, decided_at is not null from rea.approvals where id = %s",
        (approval["id"],),
    ).fetchone() == ("cancelled", True)

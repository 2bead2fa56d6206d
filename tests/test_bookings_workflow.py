"""A booking moves PENDING -> ACTIVE | CANCELLED | EXPIRED and ACTIVE -> COMPLETED |
CANCELLED | EXPIRED, starting PENDING or ACTIVE (bookings_status_transition_check); a
property has at most one ACTIVE booking (bookings_one_active_per_property_key) and is
reserved exactly while it has one, available otherwise. Only an available property can get
an ACTIVE booking (bookings_property_available_check); a booking's period ends after it
starts (bookings_period_check); a deposit has both an amount and a currency, or neither
(bookings_deposit_check).
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import errors

from conftest import insert, make_tenant, violates

STATUSES = ("PENDING", "ACTIVE", "CANCELLED", "EXPIRED", "COMPLETED")
MOVES = {
    "PENDING": {"ACTIVE", "CANCELLED", "EXPIRED"},
    "ACTIVE": {"COMPLETED", "CANCELLED", "EXPIRED"},
}
STARTS = datetime(2024, 6, 1, 14, tzinfo=UTC)
ENDS = STARTS + timedelta(days=7)


def _book(db, tenant, prop, status="PENDING", **values):
    return insert(
        db,
        "bookings",
        client_id=tenant.client_id,
        property_id=prop["id"],
        customer_id=tenant.customer_id,
        status=status,
        starts_at=values.pop("starts_at", STARTS),
        ends_at=values.pop("ends_at", ENDS),
        **values,
    )


def _move(db, booking_id, status):
    db.execute("update rea.bookings set status = %s where id = %s", (status, booking_id))


def _refused(db, exc_type, constraint, action, *args, **kwargs):
    violates(db, constraint, exc_type, lambda: action(*args, **kwargs))


# --- The model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Book:
    property: int  # which of the two properties
    status: str


@dataclass(frozen=True)
class Move:
    booking: int  # which booking made so far (modulo how many there are)
    status: str


@dataclass
class Model:
    """The rule in a few lines: each method answers None if the operation is allowed (and
    applies it), else the name of the rule that refuses it."""

    bookings: list[tuple[int, str]] = field(default_factory=list)  # (property, status)

    def has_active(self, prop: int) -> bool:
        return (prop, "ACTIVE") in self.bookings

    def property_status(self, prop: int) -> str:
        return "reserved" if self.has_active(prop) else "available"

    def book(self, prop: int, status: str) -> str | None:
        if status == "ACTIVE" and self.has_active(prop):
            return "bookings_one_active_per_property_key"
        self.bookings.append((prop, status))
        return None

    def move(self, index: int, status: str) -> str | None:
        prop, current = self.bookings[index]
        if status == current:  # not a move: the row is merely updated
            return None
        if status not in MOVES.get(current, ()):
            return "bookings_status_transition_check"
        if status == "ACTIVE" and self.has_active(prop):
            return "bookings_one_active_per_property_key"
        self.bookings[index] = (prop, status)
        return None


def _attempt(db, action, *args):
    """Run one operation in a savepoint: (its result, None) or (None, the refusing rule)."""
    try:
        with db.transaction():
            return action(*args), None
    except (errors.CheckViolation, errors.UniqueViolation) as refused:
        return None, refused.diag.constraint_name


operations = st.lists(
    st.one_of(
        st.builds(Book, st.integers(0, 1), st.sampled_from(["PENDING", "ACTIVE"])),
        st.builds(Move, st.integers(0, 5), st.sampled_from(STATUSES)),
    ),
    min_size=5,
    max_size=25,
)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=operations)
def test_the_database_accepts_exactly_the_moves_the_model_accepts(db, operations):
    with db.transaction(force_rollback=True):
        tenant = make_tenant(db)
        properties = [tenant.property(db, title=f"Flat {n}") for n in (1, 2)]
        model, booking_ids = Model(), []
        for op in operations:
            if isinstance(op, Book):
                expected = model.book(op.property, op.status)
                row, refused = _attempt(db, _book, db, tenant, properties[op.property], op.status)
                if row is not None:
                    booking_ids.append(row["id"])
            elif booking_ids:
                index = op.booking % len(booking_ids)
                expected = model.move(index, op.status)
                _, refused = _attempt(db, _move, db, booking_ids[index], op.status)
            else:
                continue
            assert refused == expected, op

            statuses = dict(db.execute("select id, status from rea.bookings").fetchall())
            assert [statuses.pop(i) for i in booking_ids] == [s for _, s in model.bookings]
            assert statuses == {}
            property_statuses = dict(db.execute("select id, status from rea.properties"))
            assert [property_statuses[p["id"]] for p in properties] == [
                model.property_status(n) for n in (0, 1)
            ]


# --- The rules one by one -------------------------------------------------------------------


@pytest.mark.parametrize("status", ["CANCELLED", "EXPIRED", "COMPLETED"])
def test_a_booking_starts_pending_or_active(db, tenant, status):
    _refused(
        db,
        errors.CheckViolation,
        "bookings_status_transition_check",
        _book,
        db,
        tenant,
        tenant.property(db),
        status,
    )


@pytest.mark.parametrize("ends_at", [STARTS, STARTS - timedelta(seconds=1)], ids=["=", "<"])
def test_the_period_ends_after_it_starts(db, tenant, ends_at):
    prop = tenant.property(db)
    _refused(
        db, errors.CheckViolation, "bookings_period_check", _book, db, tenant, prop, ends_at=ends_at
    )
    _book(db, tenant, prop, ends_at=STARTS + timedelta(seconds=1))


@pytest.mark.parametrize(
    "unavailable",
    [
        {"status": "sold"},
        {"status": "rented"},
        {"status": "under_offer"},
        {"status": "withdrawn"},
        {"deleted_at": STARTS},
    ],
    ids=["sold", "rented", "under_offer", "withdrawn", "deleted"],
)
def test_only_an_available_property_gets_an_active_booking(db, tenant, unavailable):
    rule = "bookings_property_available_check"
    prop = tenant.property(db, **unavailable)
    _refused(db, errors.CheckViolation, rule, _book, db, tenant, prop, "ACTIVE")
    _refused(db, errors.CheckViolation, rule, _book, db, tenant, prop, "PENDING")

    # booked while it was available, then sold (or the like) before the booking started
    prop = tenant.property(db)
    pending = _book(db, tenant, prop, "PENDING")
    db.execute(
        "update rea.properties set status = coalesce(%s, status), deleted_at = %s"
        " where client_id = %s and id = %s",
        (
            unavailable.get("status"),
            unavailable.get("deleted_at"),
            tenant.client_id,
            prop["id"],
        ),
    )
    _refused(db, errors.CheckViolation, rule, _move, db, pending["id"], "ACTIVE")


@pytest.mark.parametrize(
    "deposit",
    [
        {"deposit_amount": Decimal("5000")},
        {"deposit_currency": "SAR"},
        {"deposit_amount": Decimal("0"), "deposit_currency": "SAR"},
    ],
    ids=["amount only", "currency only", "zero amount"],
)
def test_a_deposit_has_a_positive_amount_and_a_currency_or_neither(db, tenant, deposit):
    prop = tenant.property(db)
    _refused(
        db, errors.CheckViolation, "bookings_deposit_check", _book, db, tenant, prop, **deposit
    )
    _book(db, tenant, prop, deposit_amount=Decimal("5000"), deposit_currency="SAR")
    _book(db, tenant, prop)

"""At most one ACTIVE booking per property, however many transactions race for it.

The partial unique index bookings_one_active_per_property_key decides the race: the first
insert to commit wins, every other one waits for it and then fails with 23505. The winner's
property is reserved; when its booking is cancelled the property is available again and
the next race can start.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from psycopg import errors

from conftest import insert, make_tenant

RACERS = 8
ROUNDS = 5
STARTS = datetime(2024, 6, 1, 14, tzinfo=UTC)

pytestmark = pytest.mark.slow


def _race_for(db_url, tenant, prop, barrier):
    """One racer: its own connection, an ACTIVE booking, a commit. Returns the booking id,
    or the name of the constraint that refused it."""
    with psycopg.connect(db_url) as conn:
        barrier.wait(timeout=30)
        try:
            with conn.transaction():
                booking = insert(
                    conn,
                    "bookings",
                    client_id=tenant.client_id,
                    property_id=prop,
                    customer_id=tenant.customer_id,
                    status="ACTIVE",
                    starts_at=STARTS,
                    ends_at=STARTS + timedelta(days=7),
                )
        except errors.UniqueViolation as refused:
            return refused.diag.constraint_name
        return booking["id"]


def test_exactly_one_of_many_racing_active_bookings_commits(db_url):
    # Committed before the race, so every racer sees them: not in the db fixture's transaction.
    with psycopg.connect(db_url, autocommit=True) as setup:
        tenant = make_tenant(setup)
        prop = tenant.property(setup)["id"]

        def property_status():
            query = "select status from rea.properties where id = %s"
            return setup.execute(query, (prop,)).fetchone()[0]

        def active_bookings():
            return setup.execute(
                "select id from rea.bookings where property_id = %s and status = 'ACTIVE'", (prop,)
            ).fetchall()

        for _ in range(ROUNDS):
            barrier = threading.Barrier(RACERS)
            with ThreadPoolExecutor(RACERS) as pool:
                racers = [
                    pool.submit(_race_for, db_url, tenant, prop, barrier) for _ in range(RACERS)
                ]
                outcomes = [racer.result() for racer in racers]

            losers = [o for o in outcomes if o == "bookings_one_active_per_property_key"]
            winners = [o for o in outcomes if o not in losers]
            assert len(winners) == 1, outcomes
            assert len(losers) == RACERS - 1
            [winner] = winners
            assert active_bookings() == [(winner,)]
            assert property_status() == "reserved"

            setup.execute("update rea.bookings set status = 'CANCELLED' where id = %s", (winner,))
            assert property_status() == "available"

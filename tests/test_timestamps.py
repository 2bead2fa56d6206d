"""The database keeps created_at and updated_at: an update moves updated_at, never created_at."""

from datetime import UTC, datetime

import pytest

# The tables of the baseline's first steps; test_catalog_conventions.py checks every
# table in rea for the timestamps and this trigger.
TABLES_WITH_TOUCH_TRIGGER = ("rea.clients", "rea.currencies")


def test_update_sets_updated_at_and_keeps_created_at(db):
    db.autocommit = True  # each statement its own transaction, so now() moves between them
    client_id, created_at = db.execute(
        "insert into rea.clients (name, base_currency) values ('Dammam Estates', 'SAR')"
        " returning id, created_at"
    ).fetchone()
    forged = datetime(2000, 1, 1, tzinfo=UTC)
    db.execute(
        "update rea.clients set status = 'suspended', created_at = %s, updated_at = %s"
        " where id = %s",
        (forged, forged, client_id),
    )
    after_created, after_updated = db.execute(
        "select created_at, updated_at from rea.clients where id = %s", (client_id,)
    ).fetchone()
    assert after_created == created_at
    assert after_updated > created_at


@pytest.mark.parametrize("table", TABLES_WITH_TOUCH_TRIGGER)
def test_table_has_the_touch_trigger(db, table):
    found = db.execute(
        "select 1 from pg_trigger where tgrelid = %s::regclass"
        " and tgfoid = 'rea.touch_updated_at'::regproc and not tgisinternal",
        (table,),
    ).fetchone()
    assert found is not None

"""rea.clients, the tenants: named uniquely, in a known base currency, with a known status."""

import psycopg
import pytest
from psycopg import errors


def _insert(db, name="Al Noor Realty", currency="SAR", status="active"):
    return db.execute(
        "insert into rea.clients (name, base_currency, status) values (%s, %s, %s)"
        " returning id, created_at, updated_at",
        (name, currency, status),
    ).fetchone()


def _violates(db, constraint, exc_type, **kwargs):
    with pytest.raises(exc_type) as caught, db.transaction():
        _insert(db, **kwargs)
    assert caught.value.diag.constraint_name == constraint


def test_a_client_gets_a_time_ordered_id_and_timestamps(db):
    client_id, created_at, updated_at = _insert(db)
    assert client_id.version == 7
    assert created_at == updated_at


def test_names_are_unique_whatever_the_case(db):
    _insert(db, name="Riyadh Homes")
    _violates(db, "clients_name_key", errors.UniqueViolation, name="RIYADH homes")


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_a_name_is_neither_blank_nor_huge(db, name):
    _violates(db, "clients_name_check", errors.CheckViolation, name=name)


def test_base_currency_must_be_a_known_currency(db):
    _violates(db, "clients_base_currency_fkey", errors.ForeignKeyViolation, currency="XYZ")


def test_status_is_one_of_three(db):
    for status in ("active", "suspended", "closed"):
        _insert(db, name=f"Agency {status}", status=status)
    _violates(db, "clients_status_check", errors.CheckViolation, name="Other", status="deleted")


def test_a_currency_in_use_cannot_be_deleted(db):
    _insert(db, currency="AED")
    with pytest.raises(psycopg.errors.ForeignKeyViolation), db.transaction():
        db.execute("delete from rea.currencies where code = 'AED'")

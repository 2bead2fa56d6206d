"""An operator adds an agency without a superuser (hardening issue, finding 6).

From a LOGIN member of rea_operator (a NOLOGIN contract role holding nothing but execute
on rea.provision_agency()): one call makes the client row with its base currency, the
first user, an Administrators role with every permission given to that user; every row
is in the audit trail with the operator's login as db_user and no actor; a duplicate name
is refused by clients_name_key; the operator reads no tenant's rows; the caller's tenant
context is as it was after the call.
"""

import psycopg
import pytest
from psycopg import errors

from conftest import HOST, PORT, make_tenant
from pgbouncer import ensure_login_role

OPERATOR = "readb_test_operator"


@pytest.fixture
def operator(db):
    make_tenant(db, "Existing Realty")
    db.commit()
    ensure_login_role(
        f"postgresql://postgres@{HOST}:{PORT}/{db.info.dbname}", OPERATOR, "rea_operator"
    )
    with psycopg.connect(f"postgresql://{OPERATOR}@{HOST}:{PORT}/{db.info.dbname}") as conn:
        yield conn


def _provision(conn, name="New Realty", currency="AED", email="admin@new.example"):
    return conn.execute(
        "select rea.provision_agency(%s, %s, %s, %s)", (name, currency, "Noor Admin", email)
    ).fetchone()[0]


def test_an_operator_adds_an_agency_with_its_first_admin(db, operator):
    client_id = _provision(operator)
    assert operator.execute(
        "select current_setting('app.client_id', true), current_setting('app.user_id', true)"
    ).fetchone() in (("", ""), (None, None))
    operator.commit()
    base, users = db.execute(
        "select c.base_currency, array(select u.email::text from rea.users as u"
        " where u.client_id = c.id) from rea.clients as c where c.id = %s",
        (client_id,),
    ).fetchone()
    assert (base, users) == ("AED", ["admin@new.example"])
    granted = db.execute(
        "select array_agg(rp.permission_code order by rp.permission_code)"
        " from rea.user_roles as ur join rea.role_permissions as rp"
        " on rp.client_id = ur.client_id and rp.role_id = ur.role_id where ur.client_id = %s",
        (client_id,),
    ).fetchone()[0]
    assert granted == [c for (c,) in db.execute("select code from rea.permissions order by code")]
    audited = db.execute(
        "select table_name, count(*), bool_and(db_user = %s), bool_and(actor_id is null)"
        " from audit.audit_logs where client_id = %s group by 1 order by 1",
        (OPERATOR, client_id),
    ).fetchall()
    assert {t for t, *_ in audited} == {
        "clients",
        "users",
        "roles",
        "role_permissions",
        "user_roles",
    }
    assert all(by_operator and no_actor for _, _, by_operator, no_actor in audited)


def test_a_duplicate_agency_is_refused_by_name(operator):
    _provision(operator, name="Twin Realty")
    with pytest.raises(errors.UniqueViolation) as caught:
        _provision(operator, name="twin realty", email="other@twin.example")
    assert caught.value.diag.constraint_name == "clients_name_key"


def test_an_unknown_currency_is_refused(operator):
    with pytest.raises(errors.ForeignKeyViolation) as caught:
        _provision(operator, currency="XXX")
    assert caught.value.diag.constraint_name == "clients_base_currency_fkey"


@pytest.mark.parametrize(
    "statement",
    [
        "select count(*) from rea.clients",
        "select count(*) from rea.users",
        "insert into rea.clients (name, base_currency) values ('Direct', 'SAR')",
        "select * from audit.audit_logs",
    ],
)
def test_the_operator_holds_nothing_else(operator, statement):
    with pytest.raises(errors.InsufficientPrivilege):
        operator.execute(statement)


def test_the_operator_role_has_no_superpowers(db):
    row = db.execute(
        "select rolcanlogin, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb"
        " from pg_roles where rolname = 'rea_operator'"
    ).fetchone()
    assert row == (False, False, False, False, False)

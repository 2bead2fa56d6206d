"""Customers' personal data under the Saudi PDPL: 6020_customer_personal_data, 6030_customer_rights.

- National id and passport number are stored only encrypted (pgp_sym_encrypt under a key
  the application binds as a parameter), beside a keyed HMAC for exact lookup; the key is
  never stored anywhere in the database and never appears in statement text. A wrong key
  is 39000, a short or missing one 22023.
- Lookup by identifier ignores spaces, dashes and case, and stays inside the current
  tenant; a national id belongs to one customer of a tenant (customers_national_id_key),
  but the same one may exist in another tenant.
- rea.rotate_identifier_key() re-encrypts the current tenant's identifiers, all or nothing.
- The application cannot write the encrypted or HMAC columns itself (42501).
- Every named rule of the step refuses what it should, by its name.
- rea.export_customer() returns everything held about one customer of the current tenant,
  without ciphertext; rea.apply_customer_retention() erases exactly the customers inactive
  for longer than the tenant's customer_retention, except those on legal hold or with an
  open deal or booking.

Everything the application does here runs as rea_app with the tenant set, through
conftest's acting_as(); the superuser only prepares rows and inspects the storage.

"Stored nowhere" is checked over every row of every table and materialized view outside
the system schemas (pg_class rather than information_schema.columns, which leaves out
materialized views), each row cast to text. Outside this test's reach: a server that logs
statements (log_statement, log_min_duration_statement) also logs their bound parameters,
the key included, unless log_parameter_max_length = 0 for the application's login.
"""

import re
from datetime import timedelta

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import errors, sql
from psycopg.rows import dict_row

from conftest import Tenant, acting_as, as_app, insert, refused, violates, where_found

KEY = "kTq9-correct-horse-battery-staple"  # what the application holds, >= 16 characters
NEW_KEY = "Zx81-new-identifier-key-2027"
WRONG_KEY = "not-the-key-at-all-xyz"
CIPHERTEXT_COLUMNS = (
    "national_id_encrypted",
    "national_id_hmac",
    "passport_number_encrypted",
    "passport_number_hmac",
)
DB_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


# --- helpers ------------------------------------------------------------------------------


def set_identifiers(db, customer_id, national_id, passport_number, key=KEY) -> None:
    db.execute(
        "select rea.set_customer_identifiers(%s, %s, %s, %s)",
        (customer_id, national_id, passport_number, key),
    )


def identifiers(db, customer_id, key=KEY) -> tuple | None:
    return db.execute(
        "select * from rea.customer_identifiers(%s, %s)", (customer_id, key)
    ).fetchone()


def find(db, kind, value, key=KEY) -> list:
    rows = db.execute(
        "select * from rea.find_customers_by_identifier(%s, %s, %s)", (kind, value, key)
    ).fetchall()
    return [r[0] for r in rows]


def stored(db, customer_id) -> dict:
    """The customer's encrypted and HMAC columns, as the superuser reads them."""
    with db.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            sql.SQL("select {} from rea.customers where id = %s").format(
                sql.SQL(", ").join(map(sql.Identifier, CIPHERTEXT_COLUMNS))
            ),
            (customer_id,),
        ).fetchone()


def decrypt(db, ciphertext: bytes, key: str) -> str:
    return db.execute("select extensions.pgp_sym_decrypt(%s, %s)", (ciphertext, key)).fetchone()[0]


def customer(db, t: Tenant, name: str = "Noura Buyer", **values) -> dict:
    return insert(db, "customers", client_id=t.client_id, full_name=name, **values)


# --- encryption at rest -------------------------------------------------------------------


def test_identifiers_are_stored_only_encrypted_and_read_back_with_the_key(db, tenant):
    with as_app(db, tenant):
        set_identifiers(db, tenant.customer_id, "10 2345-6789", "ab-123 456")
        assert identifiers(db, tenant.customer_id) == ("1023456789", "AB123456")

    columns = stored(db, tenant.customer_id)
    assert all(columns[c] is not None for c in CIPHERTEXT_COLUMNS)
    for column in CIPHERTEXT_COLUMNS:
        for plain in ("10 2345-6789", "1023456789", "ab-123 456", "AB123456"):
            assert plain.encode() not in columns[column]
    assert decrypt(db, columns["national_id_encrypted"], KEY) == "1023456789"
    assert decrypt(db, columns["passport_number_encrypted"], KEY) == "AB123456"


def test_null_clears_an_identifier(db, tenant):
    with as_app(db, tenant):
        set_identifiers(db, tenant.customer_id, "1023456789", "AB123456")
        set_identifiers(db, tenant.customer_id, "1023456789", None)
        assert identifiers(db, tenant.customer_id) == ("1023456789", None)
        assert find(db, "passport_number", "AB123456") == []
    assert stored(db, tenant.customer_id)["passport_number_hmac"] is None


identifier_core = st.text(
    alphabet="0123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz", min_size=5, max_size=20
)
SEPARATORS = st.sampled_from(["", "", " ", "-", " - ", "\t", "  "])


@st.composite
def formatted(draw, core: str) -> str:
    """core with spaces, dashes and tabs between its characters, as people type it."""
    seps = draw(st.lists(SEPARATORS, min_size=len(core) + 1, max_size=len(core) + 1))
    return seps[0] + "".join(c + s for c, s in zip(core, seps[1:], strict=True))


def normalised(value: str) -> str:
    """The Python model of rea.normalise_identifier() for these inputs."""
    return re.sub(r"[\s-]", "", value).upper()


@DB_SETTINGS
@given(data=st.data(), core=identifier_core)
def test_lookup_ignores_spaces_dashes_and_case(db, tenant, data, core):
    typed_in = data.draw(formatted(core), label="stored as")
    looked_up = data.draw(formatted(core.swapcase()), label="looked up as")
    with db.transaction(force_rollback=True), as_app(db, tenant):
        set_identifiers(db, tenant.customer_id, typed_in, typed_in)
        assert identifiers(db, tenant.customer_id) == (normalised(core), normalised(core))
        assert find(db, "national_id", looked_up) == [tenant.customer_id]
        assert find(db, "passport_number", looked_up) == [tenant.customer_id]
        assert find(db, "national_id", looked_up + "0") == []
        ciphertext = stored(db, tenant.customer_id)
        for column in CIPHERTEXT_COLUMNS:
            assert normalised(core).encode() not in ciphertext[column]
            assert typed_in.encode() not in ciphertext[column]


# Arabic-Indic digits too: the application converts them to 0-9 before it calls.
@pytest.mark.parametrize("value", ["1234", "12345678901234567890X", "12#45678", "١٢٣٤٥٦٧"])
def test_a_malformed_identifier_is_refused(db, tenant, value):
    with as_app(db, tenant):
        refused(
            db,
            errors.InvalidParameterValue,
            "select rea.set_customer_identifiers(%s, %s, null, %s)",
            (tenant.customer_id, value, KEY),
        )


# --- the key ------------------------------------------------------------------------------


def test_a_wrong_key_cannot_decrypt(db, tenant):
    with as_app(db, tenant):
        set_identifiers(db, tenant.customer_id, "1023456789", "AB123456")
        refused(
            db,
            errors.ExternalRoutineInvocationException,
            "select * from rea.customer_identifiers(%s, %s)",
            (tenant.customer_id, WRONG_KEY),
        )
        assert find(db, "national_id", "1023456789", WRONG_KEY) == []


CALLS_WITH_A_KEY = {
    "set_customer_identifiers": (
        "select rea.set_customer_identifiers({id}, '1023456789', null, {key})"
    ),
    "customer_identifiers": "select * from rea.customer_identifiers({id}, {key})",
    "find_customers_by_identifier": (
        "select * from rea.find_customers_by_identifier('national_id', '1023456789', {key})"
    ),
    "rotate_identifier_key, old": f"select rea.rotate_identifier_key({{key}}, '{NEW_KEY}')",
    "rotate_identifier_key, new": f"select rea.rotate_identifier_key('{KEY}', {{key}})",
}


@pytest.mark.parametrize("call", sorted(CALLS_WITH_A_KEY))
@pytest.mark.parametrize("key", [None, "", "fifteen-chars.."], ids=["null", "empty", "short"])
def test_a_missing_or_short_key_is_refused(db, tenant, call, key):
    query = sql.SQL(CALLS_WITH_A_KEY[call]).format(
        id=sql.Placeholder("id"), key=sql.Placeholder("key")
    )
    with as_app(db, tenant):
        set_identifiers(db, tenant.customer_id, "1023456789", None)
        refused(db, errors.InvalidParameterValue, query, {"id": tenant.customer_id, "key": key})
        assert identifiers(db, tenant.customer_id) == ("1023456789", None)


def test_the_key_is_stored_nowhere_and_never_in_statement_text(db, db_url, tenant, other_tenant):
    """The key passes as a bound parameter: pg_stat_activity (what any monitoring sees)
    shows $n, and no column of any table holds the key, in clear or as bytes."""
    watcher = psycopg.connect(db_url, autocommit=True)

    def last_statement() -> str:
        return watcher.execute(
            "select query from pg_stat_activity where pid = %s", (db.info.backend_pid,)
        ).fetchone()[0]

    try:
        with as_app(db, tenant):
            set_identifiers(db, tenant.customer_id, "1023456789", "AB123456")
            assert KEY not in last_statement()
            assert identifiers(db, tenant.customer_id) == ("1023456789", "AB123456")
            assert KEY not in last_statement()
            assert find(db, "national_id", "1023456789") == [tenant.customer_id]
            assert KEY not in last_statement()
            db.execute("select rea.rotate_identifier_key(%s, %s)", (KEY, NEW_KEY))
            assert KEY not in last_statement()
            assert NEW_KEY not in last_statement()
            db.execute("select rea.export_customer(%s)", (tenant.customer_id,))
        with as_app(db, other_tenant):
            set_identifiers(db, other_tenant.customer_id, "1023456789", None)
            db.execute("select rea.erase_customer(%s)", (other_tenant.customer_id,))
            assert KEY not in last_statement()

            # the control: a key written into the statement text is what the watcher sees
            db.execute(sql.SQL("select {}::text").format(sql.Literal(KEY)))
            assert KEY in last_statement()
    finally:
        watcher.close()

    assert where_found(db, [KEY, NEW_KEY]) == set()
    # the control: the search finds what is stored, in clear or in bytea
    assert ("rea.customers", "Khalid Buyer") in where_found(db, ["Khalid Buyer"])
    db.execute("create table public.key_holder (k bytea)")
    db.execute("insert into public.key_holder values (%s)", (KEY.encode(),))
    assert where_found(db, [KEY]) == {("public.key_holder", KEY)}


# --- lookup stays inside the tenant -------------------------------------------------------


def test_lookup_finds_only_the_current_tenants_customer(db, tenant, other_tenant):
    with as_app(db, tenant):
        set_identifiers(db, tenant.customer_id, "1023456789", "AB123456")
    with as_app(db, other_tenant):  # the same national id in another tenant is allowed
        set_identifiers(db, other_tenant.customer_id, "10-2345-6789", "AB123456")
        assert find(db, "national_id", "1023456789") == [other_tenant.customer_id]
        assert find(db, "passport_number", "ab123456") == [other_tenant.customer_id]
        assert identifiers(db, tenant.customer_id) is None  # not visible from here
    with as_app(db, tenant):
        assert find(db, "national_id", "1023456789") == [tenant.customer_id]
        assert find(db, "passport_number", "AB 123 456") == [tenant.customer_id]


def test_lookup_needs_a_known_kind(db, tenant):
    with as_app(db, tenant):
        set_identifiers(db, tenant.customer_id, "1023456789", None)
        for kind in ("iqama", "national_id_hmac", "", None, "NATIONAL_ID"):
            refused(
                db,
                errors.InvalidParameterValue,
                "select * from rea.find_customers_by_identifier(%s, '1023456789', %s)",
                (kind, KEY),
            )


def test_a_national_id_belongs_to_one_customer_of_a_tenant(db, tenant):
    second = customer(db, tenant)
    with as_app(db, tenant):
        set_identifiers(db, tenant.customer_id, "1023456789", "AB123456")
        violates(
            db,
            "customers_national_id_key",
            errors.UniqueViolation,
            lambda: set_identifiers(db, second["id"], "10 2345 6789", None),
        )
        # a passport may be shared (a family business's records): looked up, not unique
        set_identifiers(db, second["id"], "2098765432", "ab123456")
        assert sorted(find(db, "passport_number", "AB123456")) == sorted(
            [tenant.customer_id, second["id"]]
        )


def test_identifiers_of_another_tenants_customer_cannot_be_set(db, tenant, other_tenant):
    with as_app(db, tenant):
        refused(
            db,
            errors.NoDataFound,
            "select rea.set_customer_identifiers(%s, '1023456789', null, %s)",
            (other_tenant.customer_id, KEY),
        )
    assert stored(db, other_tenant.customer_id)["national_id_hmac"] is None


# --- key rotation -------------------------------------------------------------------------


def test_rotation_moves_the_tenants_identifiers_to_the_new_key(db, tenant, other_tenant):
    second = customer(db, tenant)
    customer(db, tenant, "No Identifiers")  # nothing to rotate for this one
    with as_app(db, tenant):
        set_identifiers(db, tenant.customer_id, "1023456789", "AB123456")
        set_identifiers(db, second["id"], "2098765432", None)
    with as_app(db, other_tenant):
        set_identifiers(db, other_tenant.customer_id, "1023456789", "AB123456")
    others_before = stored(db, other_tenant.customer_id)

    with as_app(db, tenant):
        assert db.execute(
            "select rea.rotate_identifier_key(%s, %s)", (KEY, NEW_KEY)
        ).fetchone() == (2,)
        assert identifiers(db, tenant.customer_id, NEW_KEY) == ("1023456789", "AB123456")
        assert identifiers(db, second["id"], NEW_KEY) == ("2098765432", None)
        refused(
            db,
            errors.ExternalRoutineInvocationException,
            "select * from rea.customer_identifiers(%s, %s)",
            (tenant.customer_id, KEY),
        )
        assert find(db, "national_id", "1023456789", NEW_KEY) == [tenant.customer_id]
        assert find(db, "passport_number", "AB123456", NEW_KEY) == [tenant.customer_id]
        assert find(db, "national_id", "1023456789", KEY) == []
        assert find(db, "national_id", "2098765432", KEY) == []

    assert stored(db, other_tenant.customer_id) == others_before
    with as_app(db, other_tenant):
        assert identifiers(db, other_tenant.customer_id, KEY) == ("1023456789", "AB123456")


def test_rotation_with_a_wrong_old_key_changes_nothing(db, tenant):
    """All or nothing: one customer under the old key and one under another key, so the
    rotation fails half-way through; the first customer is not left rotated."""
    second = customer(db, tenant)
    with as_app(db, tenant):
        set_identifiers(db, tenant.customer_id, "1023456789", "AB123456")
        set_identifiers(db, second["id"], "2098765432", None, key=WRONG_KEY)
    before = {c: stored(db, c) for c in (tenant.customer_id, second["id"])}
    with as_app(db, tenant):
        for old_key in (KEY, WRONG_KEY):
            refused(
                db,
                errors.ExternalRoutineInvocationException,
                "select rea.rotate_identifier_key(%s, %s)",
                (old_key, NEW_KEY),
            )
    assert {c: stored(db, c) for c in before} == before


# --- the application cannot write ciphertext itself ---------------------------------------


@pytest.mark.parametrize("column", CIPHERTEXT_COLUMNS)
def test_the_application_cannot_write_ciphertext_or_hmac(db, tenant, column):
    with as_app(db, tenant):
        refused(
            db,
            errors.InsufficientPrivilege,
            sql.SQL("update rea.customers set {} = %s where id = %s").format(
                sql.Identifier(column)
            ),
            (b"\x01forged", tenant.customer_id),
        )
        refused(
            db,
            errors.InsufficientPrivilege,
            sql.SQL(
                "insert into rea.customers (client_id, full_name, {}) values (%s, 'X', %s)"
            ).format(sql.Identifier(column)),
            (tenant.client_id, b"\x01forged"),
        )


# --- the named rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("constraint", "column"),
    [
        ("customers_national_id_check", "national_id_encrypted"),
        ("customers_national_id_check", "national_id_hmac"),
        ("customers_passport_number_check", "passport_number_encrypted"),
        ("customers_passport_number_check", "passport_number_hmac"),
    ],
)
def test_ciphertext_and_hmac_come_together(db, tenant, constraint, column):
    """Only a superuser can write these columns directly: even then, one without the
    other is refused."""
    violates(
        db,
        constraint,
        errors.CheckViolation,
        lambda: db.execute(
            sql.SQL("update rea.customers set {} = '\\x01' where id = %s").format(
                sql.Identifier(column)
            ),
            (tenant.customer_id,),
        ),
    )


def test_marketing_consent_records_when(db, tenant):
    with as_app(db, tenant):
        violates(
            db,
            "customers_marketing_consent_check",
            errors.CheckViolation,
            lambda: customer(db, tenant, marketing_consent=True),
        )
        row = customer(db, tenant, marketing_consent=True, marketing_consent_at="2026-01-05")
        assert row["marketing_consent"]


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_legal_hold_needs_a_reason(db, tenant, reason):
    with as_app(db, tenant):
        violates(
            db,
            "customers_legal_hold_check",
            errors.CheckViolation,
            lambda: db.execute(
                "update rea.customers set legal_hold = true, legal_hold_reason = %s where id = %s",
                (reason, tenant.customer_id),
            ),
        )
        db.execute(
            "update rea.customers set legal_hold = true, legal_hold_reason = 'court case 12/2026'"
            " where id = %s",
            (tenant.customer_id,),
        )


@pytest.mark.parametrize(
    "kept",
    [
        {"email": "khalid@example.com"},
        {"phone": "+966 50 123 4567"},
        {"marketing_consent": True, "marketing_consent_at": "2026-01-05"},
        {"national_id_encrypted": b"\x01", "national_id_hmac": b"\x02"},
        {"passport_number_encrypted": b"\x01", "passport_number_hmac": b"\x02"},
    ],
    ids=lambda kept: next(iter(kept)),
)
def test_an_erased_customer_holds_no_personal_data(db, tenant, kept):
    """erased_at is written only by rea.erase_customer(); as the superuser, marking a row
    erased while it still holds personal data is refused."""
    erasable = {
        "email": None,
        "phone": None,
        "marketing_consent": False,
        "marketing_consent_at": None,
    }
    values = erasable | kept
    assignments = sql.SQL(", ").join(
        sql.SQL("{} = {}").format(sql.Identifier(k), sql.Placeholder(k)) for k in values
    )
    violates(
        db,
        "customers_erased_check",
        errors.CheckViolation,
        lambda: db.execute(
            sql.SQL("update rea.customers set erased_at = now(), {} where id = %(id)s").format(
                assignments
            ),
            values | {"id": tenant.customer_id},
        ),
    )
    db.execute(  # the same without the personal data is what erasure leaves
        sql.SQL("update rea.customers set erased_at = now(), {} where id = %(id)s").format(
            sql.SQL(", ").join(
                sql.SQL("{} = {}").format(sql.Identifier(k), sql.Placeholder(k)) for k in erasable
            )
        ),
        erasable | {"id": tenant.customer_id},
    )


@pytest.mark.parametrize("retention", ["29 days", "0", "-5 years", "1 month - 1 second"])
def test_customer_retention_is_at_least_a_month(db, tenant, retention):
    with as_app(db, tenant):
        violates(
            db,
            "clients_customer_retention_check",
            errors.CheckViolation,
            lambda: db.execute(
                "update rea.clients set customer_retention = %s::interval where id = %s",
                (retention, tenant.client_id),
            ),
        )
        db.execute(
            "update rea.clients set customer_retention = '1 month' where id = %s",
            (tenant.client_id,),
        )


# --- access: rea.export_customer() --------------------------------------------------------


def _deal(db, t: Tenant, customer_id) -> dict:
    return insert(
        db,
        "deals",
        client_id=t.client_id,
        property_id=t.property(db)["id"],
        customer_id=customer_id,
        deal_type="sale",
        amount=900000,
        currency="SAR",
    )


def _booking(db, t: Tenant, customer_id, **values) -> dict:
    return insert(
        db,
        "bookings",
        client_id=t.client_id,
        property_id=t.property(db)["id"],
        customer_id=customer_id,
        starts_at="2026-02-01",
        ends_at="2026-02-08",
        **values,
    )


def _communication(db, t: Tenant, customer_id, **values) -> dict:
    return insert(
        db,
        "communications",
        client_id=t.client_id,
        customer_id=customer_id,
        channel="sms",
        direction="outbound",
        **values,
    )


def test_export_holds_everything_about_the_customer_and_nothing_else(db, tenant, other_tenant):
    other = customer(db, tenant, "Another Customer")
    deals = [_deal(db, tenant, tenant.customer_id)["id"] for _ in range(2)]
    bookings = [_booking(db, tenant, tenant.customer_id, notes="needs parking")["id"]]
    talks = [
        _communication(db, tenant, tenant.customer_id, body=f"message {i}")["id"] for i in range(3)
    ]
    _deal(db, tenant, other["id"])
    _booking(db, tenant, other["id"])
    _communication(db, tenant, other["id"], body="for someone else")
    _communication(db, other_tenant, other_tenant.customer_id, body="another tenant")
    columns = {
        r[0]
        for r in db.execute(
            "select column_name from information_schema.columns"
            " where table_schema = 'rea' and table_name = 'customers'"
        )
    }

    with as_app(db, tenant):
        set_identifiers(db, tenant.customer_id, "1023456789", None)
        export = db.execute("select rea.export_customer(%s)", (tenant.customer_id,)).fetchone()[0]

    assert set(export) == {"customer", "identifiers_held", "deals", "bookings", "communications"}
    assert set(export["customer"]) == columns - set(CIPHERTEXT_COLUMNS)
    assert export["customer"]["id"] == str(tenant.customer_id)
    assert export["customer"]["full_name"] == "Khalid Buyer"
    assert export["customer"]["email"] == "khalid@example.com"
    assert export["customer"]["phone"] == "+966 50 123 4567"
    assert export["identifiers_held"] == {"national_id": True, "passport_number": False}
    assert sorted(d["id"] for d in export["deals"]) == sorted(map(str, deals))
    assert [b["id"] for b in export["bookings"]] == list(map(str, bookings))
    assert export["bookings"][0]["notes"] == "needs parking"
    assert sorted(m["id"] for m in export["communications"]) == sorted(map(str, talks))
    assert {m["body"] for m in export["communications"]} == {"message 0", "message 1", "message 2"}
    assert "1023456789" not in str(export)


def test_export_is_of_the_current_tenants_customers_only(db, tenant, other_tenant):
    with as_app(db, tenant):
        refused(
            db, errors.NoDataFound, "select rea.export_customer(%s)", (other_tenant.customer_id,)
        )
        refused(db, errors.NullValueNotAllowed, "select rea.export_customer(null)")
    with acting_as(db, "rea_app", None, tenant.agent_id):
        refused(
            db,
            errors.InsufficientPrivilege,
            "select rea.export_customer(%s)",
            (tenant.customer_id,),
        )


# --- retention: rea.apply_customer_retention() --------------------------------------------


def backdate(db, table: str, row_id, when) -> None:
    """Set a row's updated_at in the past: rea.touch_updated_at() would stamp now(), so
    its trigger is off for this one statement (in the test's transaction)."""
    trigger = sql.Identifier(f"{table}_touch_updated_at")
    db.execute(
        sql.SQL("alter table rea.{} disable trigger {}").format(sql.Identifier(table), trigger)
    )
    db.execute(
        sql.SQL("update rea.{} set updated_at = %s where id = %s").format(sql.Identifier(table)),
        (when, row_id),
    )
    db.execute(
        sql.SQL("alter table rea.{} enable trigger {}").format(sql.Identifier(table), trigger)
    )


def test_retention_erases_exactly_the_customers_inactive_beyond_the_period(
    db, tenant, other_tenant
):
    now = db.execute("select now()").fetchone()[0]
    long_ago, lately = now - timedelta(days=2 * 365), now - timedelta(days=30)
    with as_app(db, tenant):
        db.execute(
            "update rea.clients set customer_retention = '1 year' where id = %s",
            (tenant.client_id,),
        )

    def old_customer(name: str, **values) -> object:
        row = customer(
            db,
            tenant,
            name,
            email="someone@example.com",
            created_at=long_ago,
            updated_at=long_ago,
            **values,
        )
        return row["id"]

    def closed_deal(customer_id, when) -> None:
        deal = _deal(db, tenant, customer_id)
        db.execute("update rea.deals set stage = 'lost' where id = %s", (deal["id"],))
        backdate(db, "deals", deal["id"], when)

    def booking(customer_id, status, when) -> None:
        row = _booking(
            db, tenant, customer_id, status="PENDING" if status != "ACTIVE" else "ACTIVE"
        )
        if status not in ("PENDING", "ACTIVE"):
            db.execute("update rea.bookings set status = %s where id = %s", (status, row["id"]))
        backdate(db, "bookings", row["id"], when)

    expired = {old_customer("Quiet for two years")}
    c = old_customer("Lost deal long ago")
    closed_deal(c, long_ago)
    expired.add(c)
    c = old_customer("Cancelled booking long ago")
    booking(c, "CANCELLED", long_ago)
    expired.add(c)
    c = old_customer("Old call")
    _communication(db, tenant, c, occurred_at=now - timedelta(days=3 * 365))
    expired.add(c)

    kept = {tenant.customer_id}  # active today
    kept.add(old_customer("On hold", legal_hold=True, legal_hold_reason="litigation"))
    c = old_customer("Open deal")
    backdate(db, "deals", _deal(db, tenant, c)["id"], long_ago)  # a lead, still open
    kept.add(c)
    c = old_customer("Deal lost lately")
    closed_deal(c, lately)
    kept.add(c)
    for status in ("PENDING", "ACTIVE"):
        c = old_customer(f"{status} booking")
        booking(c, status, long_ago)
        kept.add(c)
    c = old_customer("Booking cancelled lately")
    booking(c, "CANCELLED", lately)
    kept.add(c)
    c = old_customer("Message lately")
    _communication(db, tenant, c, occurred_at=lately)
    kept.add(c)
    elsewhere = insert(
        db,
        "customers",
        client_id=other_tenant.client_id,
        full_name="Other tenant, quiet",
        created_at=long_ago,
        updated_at=long_ago,
    )["id"]

    with as_app(db, tenant):
        assert db.execute("select rea.apply_customer_retention(now())").fetchone() == (
            len(expired),
        )
        erased = {
            r[0] for r in db.execute("select id from rea.customers where erased_at is not null")
        }
        assert erased == expired
        assert db.execute(
            "select count(*) from rea.customers where id = any(%s) and email is not null",
            (list(expired),),
        ).fetchone() == (0,)
        # once erased, nothing is left to do
        assert db.execute("select rea.apply_customer_retention(now())").fetchone() == (0,)
    assert db.execute(
        "select erased_at from rea.customers where id = %s", (elsewhere,)
    ).fetchone() == (None,)


def test_retention_counts_from_as_of(db, tenant):
    now = db.execute("select now()").fetchone()[0]
    quiet = customer(
        db,
        tenant,
        "Quiet",
        created_at=now - timedelta(days=400),
        updated_at=now - timedelta(days=400),
    )
    with as_app(db, tenant):
        db.execute(
            "update rea.clients set customer_retention = '1 year' where id = %s",
            (tenant.client_id,),
        )
        # a year before as_of the customer was still active
        assert db.execute(
            "select rea.apply_customer_retention(now() - interval '60 days')"
        ).fetchone() == (0,)
        assert db.execute("select rea.apply_customer_retention(now())").fetchone() == (1,)
        assert db.execute(
            "select full_name from rea.customers where id = %s", (quiet["id"],)
        ).fetchone() == ("Erased customer",)


@pytest.mark.parametrize("as_of", ["now() + interval '1 day'", "'infinity'", "null"])
def test_retention_refuses_an_as_of_not_yet_passed(db, tenant, as_of):
    with as_app(db, tenant):
        refused(
            db,
            errors.InvalidParameterValue,
            sql.SQL("select rea.apply_customer_retention(({})::timestamptz)").format(
                sql.SQL(as_of)
            ),
        )


def test_retention_needs_a_tenant(db, tenant):
    with acting_as(db, "rea_app", None, tenant.agent_id):
        refused(db, errors.InsufficientPrivilege, "select rea.apply_customer_retention(now())")


def test_identifier_functions_need_a_tenant(db, tenant):
    with acting_as(db, "rea_app", None, tenant.agent_id):
        refused(
            db,
            errors.InsufficientPrivilege,
            "select rea.set_customer_identifiers(%s, '1023456789', null, %s)",
            (tenant.customer_id, KEY),
        )
        refused(
            db,
            errors.InsufficientPrivilege,
            "select rea.rotate_identifier_key(%s, %s)",
            (KEY, NEW_KEY),
        )
        # reads fail closed without an error: nothing is visible
        assert identifiers(db, tenant.customer_id) is None
        assert find(db, "national_id", "1023456789") == []

"""PDPL erasure: rea.erase_customer(id) removes a customer's personal data from everywhere
the database holds it, and keeps the agency's books.

Proven here, for personal data Hypothesis makes up (names, e-mail addresses, phone
numbers, identifiers, the subjects, bodies and metadata of communications, booking
notes): after erasure no table or materialized view in any schema (rea, audit,
reporting, readb, public, ...) holds any of those values or the identifiers' ciphertext,
the audit trail included, while before it the same search finds each of them. The
customer's row stays (marked erased, named 'Erased customer'), its deals and bookings
keep their amounts, currencies and states, its communications keep channel, direction
and time and only the metadata keys their channel requires, and the audit trail records
the erasure (which columns changed, and who erased) without the values.
Erasure refuses a customer on legal hold (55000) and changes nothing then; it sees only
the current tenant's customers (P0002), needs a tenant (42501) and a customer (22004),
and erasing twice is harmless.

What this cannot show, and what erasure does not do: the old row versions stay in the
table files as dead tuples until VACUUM removes them, and the WAL, its archive, replicas'
copies and backups hold the old values until they are recycled or expire. Erasure is
complete only once those have gone by (the operator's retention of WAL and backups is
part of the PDPL answer). Statement logs are out of reach too: a server configured with
log_statement = 'all' logs the INSERT that wrote a name (the key never: it is bound).
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import errors
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from conftest import Tenant, acting_as, as_app, insert, refresh_facts, refused, where_found

KEY = "kTq9-correct-horse-battery-staple"
ERASED_NAME = "Erased customer"
DB_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Distinctive values: long enough, and made of letters that hexadecimal text (uuids,
# hashes, bytea) never contains, so a value found after erasure is a leak, not chance.
# No quotes or backslashes: a row's text escapes those, and the search must see the value
# as it was written.
NOT_HEX = "ghijklmnopqrstuvwyzGHIJKLMNOPQRSTUVWYZ" + "ابتثجحخدذرزسشصضطظعغفقكلمنهوي" + "éüñçøå"
word = st.text(alphabet=NOT_HEX, min_size=8, max_size=16)
sentence = st.lists(word, min_size=1, max_size=4).map(" ".join)
email = st.builds("{}.{}@{}.example".format, word, word, word)
phone = st.builds(
    "+966 59 {} {}".format,
    st.integers(0, 999).map("{:03}".format),
    st.integers(0, 9999).map("{:04}".format),
)
national_id = st.text(alphabet="0123456789", min_size=10, max_size=10).map(lambda s: "1" + s)
passport = st.builds(
    "{}{}".format,
    st.text("GHJKLMNPRSTUVWYZ", min_size=2, max_size=2),
    st.text("0123456789", min_size=7, max_size=7),
)


@pytest.fixture
def rates(db) -> None:
    """Rates into the tenants' base currency (SAR), so the reporting views can refresh."""
    for currency, rate in (("USD", 3.75), ("AED", 1.021)):
        insert(
            db,
            "fx_rates",
            base_currency=currency,
            quote_currency="SAR",
            rate_date="2020-01-01",
            rate=rate,
        )


def erase(db, customer_id) -> None:
    db.execute("select rea.erase_customer(%s)", (customer_id,))


def rows(db, query, params=()) -> list[dict]:
    with db.cursor(row_factory=dict_row) as cur:
        return cur.execute(query, params).fetchall()


# --- a customer with everything ------------------------------------------------------------


def make_customer_with_history(db, t: Tenant, p: dict) -> dict:
    """As the application: the customer, two deals, two bookings with notes, a phone call,
    an e-mail and a message, and the identifiers. Returns the ids."""
    with as_app(db, t):
        customer = insert(
            db,
            "customers",
            client_id=t.client_id,
            full_name=p["name"],
            email=p["email"],
            phone=p["phone"],
            marketing_consent=True,
            marketing_consent_at="2026-01-05",
        )["id"]
        db.execute(
            "select rea.set_customer_identifiers(%s, %s, %s, %s)",
            (customer, p["national_id"], p["passport"], KEY),
        )
        deals, bookings = [], []
        for amount, currency in ((1_250_000, "SAR"), (95_000.5, "USD")):
            prop = t.property(db)["id"]
            deals.append(
                insert(
                    db,
                    "deals",
                    client_id=t.client_id,
                    property_id=prop,
                    customer_id=customer,
                    agent_user_id=t.agent_id,
                    deal_type="sale",
                    amount=amount,
                    currency=currency,
                )["id"]
            )
        for status, note in zip(("PENDING", "ACTIVE"), p["notes"], strict=True):
            bookings.append(
                insert(
                    db,
                    "bookings",
                    client_id=t.client_id,
                    property_id=t.property(db)["id"],
                    customer_id=customer,
                    agent_user_id=t.agent_id,
                    status=status,
                    starts_at="2026-03-01",
                    ends_at="2026-03-15",
                    deposit_amount=5000,
                    deposit_currency="AED",
                    notes=note,
                )["id"]
            )
        talks = {
            "phone": {"duration_seconds": p["duration"], "call_note": p["meta"][0]},
            "email": {"message_id": p["message_id"], "thread": p["meta"][1], "cc": [p["meta"][2]]},
            "whatsapp": {"sender_name": p["meta"][3]},
        }
        for (channel, metadata), (subject, body) in zip(talks.items(), p["messages"], strict=True):
            insert(
                db,
                "communications",
                client_id=t.client_id,
                customer_id=customer,
                user_id=t.agent_id,
                channel=channel,
                direction="inbound",
                subject=subject,
                body=body,
                metadata=Jsonb(metadata),
            )
    return {"customer": customer, "deals": deals, "bookings": bookings}


personal_data = st.fixed_dictionaries(
    {
        "name": sentence,
        "email": email,
        "phone": phone,
        "national_id": national_id,
        "passport": passport,
        "notes": st.lists(sentence, min_size=2, max_size=2),
        "messages": st.lists(st.tuples(sentence, sentence), min_size=3, max_size=3),
        "meta": st.lists(word, min_size=4, max_size=4),
        "message_id": st.builds("<{}@{}.example>".format, word, word),
        "duration": st.integers(0, 10_000),
    }
)


def clear_values(p: dict) -> list[str]:
    """Every value of p that the database holds in clear before erasure."""
    values = [p["name"], p["email"], p["phone"], p["message_id"], *p["notes"], *p["meta"]]
    values += [text for message in p["messages"] for text in message]
    return values


def books(db, ids: dict) -> tuple[list[dict], list[dict], list[dict]]:
    """What erasure must keep: deals whole, bookings but their notes (and the time they
    were touched), communications' channel, direction and time."""
    deals = rows(db, "select * from rea.deals where id = any(%s) order by id", (ids["deals"],))
    bookings = rows(
        db,
        "select id, property_id, customer_id, agent_user_id, status, starts_at, ends_at,"
        " deposit_amount, deposit_currency, created_at from rea.bookings"
        " where id = any(%s) order by id",
        (ids["bookings"],),
    )
    talks = rows(
        db,
        "select id, user_id, channel, direction, occurred_at, created_at from rea.communications"
        " where customer_id = %s order by id",
        (ids["customer"],),
    )
    return deals, bookings, talks


@DB_SETTINGS
@given(p=personal_data)
def test_erasure_leaves_no_personal_data_anywhere_and_keeps_the_books(db, tenant, rates, p):
    with db.transaction(force_rollback=True):
        ids = make_customer_with_history(db, tenant, p)
        ciphertexts = [
            bytes(v).hex()
            for v in db.execute(
                "select national_id_encrypted, national_id_hmac, passport_number_encrypted,"
                " passport_number_hmac from rea.customers where id = %s",
                (ids["customer"],),
            ).fetchone()
        ]
        needles = [*clear_values(p), p["national_id"], p["passport"], *ciphertexts]
        refresh_facts(db)
        # the control: before erasure the search sees each value where it was written,
        # the identifiers only as ciphertext, and the audit trail holds none of them
        before = where_found(db, needles)
        assert {n for _, n in before} == {*clear_values(p), *ciphertexts}
        assert {r for r, _ in before} <= {"rea.customers", "rea.bookings", "rea.communications"}
        kept = books(db, ids)

        with as_app(db, tenant):
            erase(db, ids["customer"])

        refresh_facts(db)
        assert where_found(db, needles) == set()
        assert books(db, ids) == kept

        row = rows(db, "select * from rea.customers where id = %s", (ids["customer"],))[0]
        assert row["full_name"] == ERASED_NAME
        assert row["erased_at"] is not None
        assert row["marketing_consent"] is False
        assert row["marketing_consent_at"] is None
        metadata = dict(
            db.execute(
                "select channel, metadata from rea.communications where customer_id = %s",
                (ids["customer"],),
            ).fetchall()
        )
        assert metadata == {
            "phone": {"duration_seconds": p["duration"]},
            "email": {"message_id": "erased"},
            "whatsapp": {},
        }
        assert db.execute(
            "select count(*) from rea.communications where customer_id = %s"
            " and (subject is not null or body is not null)",
            (ids["customer"],),
        ).fetchone() == (0,)

        audit = rows(
            db,
            "select actor_id, changed_columns, old_data, new_data from audit.audit_logs"
            " where table_name = 'customers' and record_id = %s and action = 'UPDATE'"
            " and 'erased_at' = any(changed_columns)",
            (str(ids["customer"]),),
        )
        assert len(audit) == 1
        assert audit[0]["actor_id"] == tenant.agent_id
        assert {"full_name", "email", "phone", "national_id_encrypted", "erased_at"} <= set(
            audit[0]["changed_columns"]
        )
        for image in (audit[0]["old_data"], audit[0]["new_data"]):
            assert not {"full_name", "email", "phone", "national_id_encrypted"} & set(image)


# --- refusals and repetition ---------------------------------------------------------------


def snapshot(db, customer_id) -> list:
    """The customer's rows and everything hanging off them, as text."""
    return db.execute(
        """
        select 'c' || c::text from rea.customers as c where c.id = %(id)s
        union all select 'd' || d::text from rea.deals as d where d.customer_id = %(id)s
        union all select 'b' || b::text from rea.bookings as b where b.customer_id = %(id)s
        union all select 'm' || m::text from rea.communications as m where m.customer_id = %(id)s
        order by 1
        """,
        {"id": customer_id},
    ).fetchall()


SAMPLE = {
    "name": "Hind Saleh Qahtani",
    "email": "hind.q@mail.example",
    "phone": "+966 59 111 2222",
    "national_id": "1098765432",
    "passport": "PK4455667",
    "notes": ["Hind prefers mornings", "Hind's brother will sign"],
    "messages": [("Viewing", "Hind asked about parking")] * 3,
    "meta": ["call with Hind", "thread-hind", "hind.cc@mail.example", "Hind S."],
    "message_id": "<hind-1@mail.example>",
    "duration": 120,
}


def test_a_customer_on_legal_hold_is_not_erased(db, tenant):
    ids = make_customer_with_history(db, tenant, SAMPLE)
    with as_app(db, tenant):
        db.execute(
            "update rea.customers set legal_hold = true, legal_hold_reason = 'court order 7/2026'"
            " where id = %s",
            (ids["customer"],),
        )
        before = snapshot(db, ids["customer"])
        refused(
            db,
            errors.ObjectNotInPrerequisiteState,
            "select rea.erase_customer(%s)",
            (ids["customer"],),
        )
        assert snapshot(db, ids["customer"]) == before
        # lifting the hold makes it erasable
        db.execute("update rea.customers set legal_hold = false where id = %s", (ids["customer"],))
        erase(db, ids["customer"])
        assert db.execute(
            "select full_name from rea.customers where id = %s", (ids["customer"],)
        ).fetchone() == (ERASED_NAME,)


def test_another_tenants_customer_is_not_found(db, tenant, other_tenant):
    ids = make_customer_with_history(db, other_tenant, SAMPLE)
    before = snapshot(db, ids["customer"])
    with as_app(db, tenant):
        refused(db, errors.NoDataFound, "select rea.erase_customer(%s)", (ids["customer"],))
        refused(
            db,
            errors.NoDataFound,
            "select rea.erase_customer(%s)",
            ("00000000-0000-7000-8000-000000000000",),
        )
    assert snapshot(db, ids["customer"]) == before


def test_erasure_needs_a_customer_and_a_tenant(db, tenant):
    before = snapshot(db, tenant.customer_id)
    with as_app(db, tenant):
        refused(db, errors.NullValueNotAllowed, "select rea.erase_customer(null)")
    with acting_as(db, "rea_app", None, tenant.agent_id):
        refused(
            db, errors.InsufficientPrivilege, "select rea.erase_customer(%s)", (tenant.customer_id,)
        )
    assert snapshot(db, tenant.customer_id) == before


def test_erasing_twice_is_harmless(db, tenant):
    """A second erasure changes nothing, and keeps the time of the first."""
    ids = make_customer_with_history(db, tenant, SAMPLE)
    with as_app(db, tenant):
        erase(db, ids["customer"])
    db.execute(  # as if the first erasure had been a year ago
        "update rea.customers set erased_at = erased_at - interval '1 year' where id = %s",
        (ids["customer"],),
    )
    once = snapshot(db, ids["customer"])
    with as_app(db, tenant):
        erase(db, ids["customer"])
    assert snapshot(db, ids["customer"]) == once


def test_other_customers_are_untouched(db, tenant, other_tenant):
    ids = make_customer_with_history(db, tenant, SAMPLE)
    neighbours = {c: snapshot(db, c) for c in (tenant.customer_id, other_tenant.customer_id)}
    with as_app(db, tenant):
        erase(db, ids["customer"])
    assert {c: snapshot(db, c) for c in neighbours} == neighbours


# --- what erasure once missed (found by these tests, fixed in 6030) -----------------------------


def test_erasure_removes_the_reason_of_a_lifted_legal_hold(db, tenant):
    """A hold was lifted (legal_hold false) but its reason, naming the customer's case,
    is still there: erasure must remove it like every other personal column."""
    ids = make_customer_with_history(db, tenant, SAMPLE)
    with as_app(db, tenant):
        db.execute(
            "update rea.customers set legal_hold_reason = 'Hind Saleh Qahtani v. landlord'"
            " where id = %s",
            (ids["customer"],),
        )
        erase(db, ids["customer"])
    assert where_found(db, ["Hind Saleh Qahtani"]) == set()


def test_the_legal_hold_refusal_does_not_repeat_the_reason(db, tenant):
    reason = "Khalid Buyer v. Al Noor Realty, case 4471"
    with as_app(db, tenant):
        db.execute(
            "update rea.customers set legal_hold = true, legal_hold_reason = %s where id = %s",
            (reason, tenant.customer_id),
        )
        error = refused(
            db,
            errors.ObjectNotInPrerequisiteState,
            "select rea.erase_customer(%s)",
            (tenant.customer_id,),
        )
    assert reason not in str(error)


@pytest.mark.parametrize("channel", ["sms", "whatsapp", "meeting"])
def test_erasure_removes_content_kept_under_duration_seconds(db, tenant, channel):
    """communications_metadata_check requires a numeric duration_seconds only of phone
    calls; any other channel may carry text under that key."""
    with as_app(db, tenant):
        insert(
            db,
            "communications",
            client_id=tenant.client_id,
            customer_id=tenant.customer_id,
            channel=channel,
            direction="inbound",
            metadata=Jsonb({"duration_seconds": "Khalid called from his office at Olaya"}),
        )
        erase(db, tenant.customer_id)
    assert where_found(db, ["Khalid called from his office"]) == set()

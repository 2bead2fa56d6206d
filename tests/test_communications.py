"""A communication is a real contact with one of the tenant's own customers, in the past.

- channel is one of phone, email, sms, whatsapp, meeting, portal; direction inbound or
  outbound;
- the customer (and the user, when named) belong to the communication's own tenant;
- occurred_at may be in the past, or ahead of the database's now() by at most five minutes
  of clock skew; further ahead it is refused (communications_occurred_at_check, raised by a
  trigger as 23514), on insert and on update;
- metadata is a JSON object; a phone call carries a numeric duration_seconds, an e-mail a
  string message_id (communications_metadata_check).
"""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import errors
from psycopg.types.json import Jsonb

from conftest import insert, violates
from strategies import json_type, text_without_nul

CHANNELS = {"phone", "email", "sms", "whatsapp", "meeting", "portal"}
DIRECTIONS = {"inbound", "outbound"}
SKEW = timedelta(minutes=5)

DB_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
safe_text = text_without_nul(max_size=15)


def communicate(db, tenant, **overrides):
    values = {
        "client_id": tenant.client_id,
        "customer_id": tenant.customer_id,
        "user_id": tenant.agent_id,
        "channel": "sms",
        "direction": "outbound",
        "body": "Your viewing is confirmed for 5 pm.",
    } | overrides
    return insert(db, "communications", **values)


def db_now(db):
    """The database's clock now. The trigger reads the clock again when the row is
    written, a moment later, so db_now(db) + SKEW is always accepted."""
    return db.execute("select clock_timestamp()").fetchone()[0]


# Far more than the time between reading the clock and writing the row.
MARGIN = timedelta(seconds=2)


# --- channel and direction ----------------------------------------------------------------


def test_every_channel_and_direction_is_accepted(db, tenant):
    metadata = {"phone": {"duration_seconds": 90}, "email": {"message_id": "<a1@mail>"}}
    for channel in sorted(CHANNELS):
        for direction in sorted(DIRECTIONS):
            communicate(
                db,
                tenant,
                channel=channel,
                direction=direction,
                metadata=Jsonb(metadata.get(channel, {})),
            )


@DB_SETTINGS
@given(channel=safe_text.filter(lambda c: c not in CHANNELS))
def test_any_other_channel_is_refused(db, tenant, channel):
    with db.transaction(force_rollback=True):
        violates(
            db,
            "communications_channel_check",
            errors.CheckViolation,
            lambda: communicate(db, tenant, channel=channel),
        )


@DB_SETTINGS
@given(direction=safe_text.filter(lambda d: d not in DIRECTIONS))
def test_any_other_direction_is_refused(db, tenant, direction):
    with db.transaction(force_rollback=True):
        violates(
            db,
            "communications_direction_check",
            errors.CheckViolation,
            lambda: communicate(db, tenant, direction=direction),
        )


# --- the tenant's own customer and user ---------------------------------------------------


def test_another_tenants_customer_is_refused(db, tenant, other_tenant):
    violates(
        db,
        "communications_customer_fkey",
        errors.ForeignKeyViolation,
        lambda: communicate(db, tenant, customer_id=other_tenant.customer_id),
    )


def test_another_tenants_user_is_refused(db, tenant, other_tenant):
    violates(
        db,
        "communications_user_fkey",
        errors.ForeignKeyViolation,
        lambda: communicate(db, tenant, user_id=other_tenant.agent_id),
    )


# --- occurred_at: not in the future, give or take the clock skew --------------------------


def test_the_past_is_accepted(db, tenant):
    a_year_ago = db_now(db) - timedelta(days=365)
    assert communicate(db, tenant, occurred_at=a_year_ago)["occurred_at"] == a_year_ago


def test_one_minute_ahead_is_accepted_as_clock_skew(db, tenant):
    communicate(db, tenant, occurred_at=db_now(db) + timedelta(minutes=1))


def test_exactly_five_minutes_ahead_is_still_accepted(db, tenant):
    communicate(db, tenant, occurred_at=db_now(db) + SKEW)


def test_more_than_five_minutes_ahead_is_refused(db, tenant):
    caught = violates(
        db,
        "communications_occurred_at_check",
        errors.CheckViolation,
        lambda: communicate(db, tenant, occurred_at=db_now(db) + SKEW + MARGIN),
    )
    assert caught.sqlstate == "23514"


def test_an_update_cannot_move_it_into_the_future(db, tenant):
    row = communicate(db, tenant)
    violates(
        db,
        "communications_occurred_at_check",
        errors.CheckViolation,
        lambda: db.execute(
            "update rea.communications set occurred_at = now() + interval '1 hour'"
            " where client_id = %s and id = %s",
            (tenant.client_id, row["id"]),
        ),
    )


@DB_SETTINGS
@given(offset_ms=st.integers(-(10**9), 10**7) | st.integers(295_000, 305_000))
def test_occurred_at_is_accepted_up_to_five_minutes_ahead_of_the_clock(db, tenant, offset_ms):
    offset = timedelta(milliseconds=offset_ms)
    with db.transaction(force_rollback=True):
        try:
            with db.transaction():
                communicate(db, tenant, occurred_at=db_now(db) + offset)
            accepted = True
        except errors.CheckViolation as exc:
            assert exc.diag.constraint_name == "communications_occurred_at_check"
            accepted = False
    if offset <= SKEW:
        assert accepted
    elif offset >= SKEW + MARGIN:
        assert not accepted
    # in between, the answer depends on how far the clock moved before the write


# --- metadata: an object, with the keys its channel needs ---------------------------------


def metadata_allowed(channel: str, metadata: object) -> bool:
    """The rule, in Python."""
    if not isinstance(metadata, dict):
        return False
    if channel == "phone":
        duration = metadata.get("duration_seconds")
        return json_type(duration) == "number" and duration >= 0
    if channel == "email":
        return "message_id" in metadata and json_type(metadata["message_id"]) == "string"
    return True


scalars = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.floats(0, 1e5) | safe_text
json_values = (
    scalars | st.lists(scalars, max_size=2) | st.dictionaries(safe_text, scalars, max_size=2)
)
metadata_values = (
    st.dictionaries(
        st.sampled_from(["duration_seconds", "message_id", "thread", "recording_url"]),
        json_values,
        max_size=3,
    )
    | json_values
)


@DB_SETTINGS
@given(channel=st.sampled_from(sorted(CHANNELS)), metadata=metadata_values)
def test_metadata_is_accepted_exactly_when_the_rule_allows(db, tenant, channel, metadata):
    with db.transaction(force_rollback=True):
        try:
            with db.transaction():
                communicate(db, tenant, channel=channel, metadata=Jsonb(metadata))
            accepted = True
        except errors.CheckViolation as exc:
            assert exc.diag.constraint_name == "communications_metadata_check"
            accepted = False
    assert accepted == metadata_allowed(channel, metadata)


@pytest.mark.parametrize(
    ("channel", "metadata"),
    [
        ("sms", ["duration_seconds", 60]),
        ("meeting", "room 4"),
        ("whatsapp", None),
        ("phone", {}),
        ("phone", {"duration_seconds": "60"}),
        ("phone", {"duration_seconds": -5}),
        ("phone", {"message_id": "<a1@mail>"}),
        ("email", {}),
        ("email", {"message_id": 4711}),
        ("email", {"duration_seconds": 60}),
    ],
)
def test_metadata_that_breaks_the_rule_is_refused(db, tenant, channel, metadata):
    violates(
        db,
        "communications_metadata_check",
        errors.CheckViolation,
        lambda: communicate(db, tenant, channel=channel, metadata=Jsonb(metadata)),
    )


def test_a_call_with_its_duration_and_an_email_with_its_id_are_accepted(db, tenant):
    call = communicate(db, tenant, channel="phone", metadata=Jsonb({"duration_seconds": 185}))
    mail = communicate(
        db, tenant, channel="email", direction="inbound", metadata=Jsonb({"message_id": "<x@y>"})
    )
    assert (call["metadata"], mail["metadata"]) == (
        {"duration_seconds": 185},
        {"message_id": "<x@y>"},
    )

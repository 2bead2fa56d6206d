"""The audit trail's actor is a user of the current tenant, or the write is refused
(hardening issue, finding 6: app.user_id was recorded as given, so tenant A's audit row
could name tenant B's user). rea.current_actor_id() raises 42501 naming the rule
`current_actor_of_tenant` when app.user_id is set to anything but a user of the tenant
app.client_id names; unset or empty stays a NULL actor."""

import uuid

import pytest
from psycopg import errors

from conftest import acting_as, insert

RULE = "current_actor_of_tenant"


def _add_customer(db, tenant):
    return insert(db, "customers", client_id=tenant.client_id, full_name="Audited Customer")


@pytest.mark.parametrize("who", ["another tenant's user", "no user at all"])
@pytest.mark.parametrize("role", ["rea_app", "rea_owner"])
def test_a_foreign_actor_is_refused(db, tenant, other_tenant, who, role):
    actor = other_tenant.agent_id if who == "another tenant's user" else uuid.uuid4()
    before = db.execute("select count(*) from audit.audit_logs").fetchone()[0]
    with (
        pytest.raises(errors.InsufficientPrivilege) as caught,
        acting_as(db, role, tenant.client_id, actor),
    ):
        _add_customer(db, tenant)
    assert caught.value.diag.constraint_name == RULE
    assert str(actor) in caught.value.diag.message_primary
    assert db.execute("select count(*) from audit.audit_logs").fetchone()[0] == before


def test_a_user_of_the_tenant_is_recorded(db, tenant):
    with acting_as(db, "rea_app", tenant.client_id, tenant.manager_id):
        row = _add_customer(db, tenant)
    actor = db.execute(
        "select actor_id from audit.audit_logs where record_id = %s", (str(row["id"]),)
    ).fetchone()[0]
    assert actor == tenant.manager_id


def test_no_actor_stays_null(db, tenant):
    with acting_as(db, "rea_app", tenant.client_id, None):
        row = _add_customer(db, tenant)
    actor = db.execute(
        "select actor_id from audit.audit_logs where record_id = %s", (str(row["id"]),)
    ).fetchone()[0]
    assert actor is None


def test_an_actor_without_a_tenant_is_refused(db, tenant):
    with (
        pytest.raises(errors.InsufficientPrivilege) as caught,
        acting_as(db, "rea_app", None, tenant.agent_id),
    ):
        db.execute("select rea.current_actor_id()")
    assert caught.value.diag.constraint_name == RULE

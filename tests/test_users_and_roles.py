"""Users and application roles belong to one tenant, and names are unique within it.

- a user's email is unique within the tenant whatever its letter case (citext), and may
  repeat in another tenant (users_email_key);
- a role's name is unique within the tenant, case-insensitively (roles_name_key), and may
  repeat in another tenant;
- a role grants only permissions that exist in rea.permissions, each at most once;
- user_roles and role_permissions rows go with their user or role when it is deleted;
- a user's branch, and the user and role of a user_roles row, are of the same tenant.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import errors

from conftest import insert, violates

DB_SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def user(db, tenant, email, **overrides):
    values = {"client_id": tenant.client_id, "full_name": "Lina Accountant", "email": email}
    return insert(db, "users", **(values | overrides))


def role(db, tenant, name):
    return insert(db, "roles", client_id=tenant.client_id, name=name)


def grant(db, tenant, role_id, permission):
    return insert(
        db,
        "role_permissions",
        client_id=tenant.client_id,
        role_id=role_id,
        permission_code=permission,
    )


def give_role(db, tenant, user_id, role_id):
    return insert(db, "user_roles", client_id=tenant.client_id, user_id=user_id, role_id=role_id)


def count(db, table, tenant):
    return db.execute(
        f"select count(*) from rea.{table} where client_id = %s", (tenant.client_id,)
    ).fetchone()[0]


# --- unique names, per tenant, whatever the case ------------------------------------------


def test_an_email_is_unique_in_its_tenant_whatever_the_case(db, tenant):
    user(db, tenant, "lina@alnoor.example")
    violates(
        db,
        "users_email_key",
        errors.UniqueViolation,
        lambda: user(db, tenant, "Lina@AlNoor.EXAMPLE"),
    )


def test_the_same_email_may_work_for_two_tenants(db, tenant, other_tenant):
    user(db, tenant, "lina@alnoor.example")
    user(db, other_tenant, "lina@alnoor.example")
    user(db, other_tenant, "shared@alnoor.example")
    user(db, tenant, "SHARED@alnoor.example")
    assert db.execute(
        "select count(*) from rea.users where lower(email::text) = 'lina@alnoor.example'"
    ).fetchone() == (2,)


def test_a_lookup_by_email_ignores_case_like_the_unique_rule(db, tenant):
    user(db, tenant, "lina@alnoor.example")
    db.execute('set local search_path = "$user", public')  # PostgreSQL's default
    assert db.execute(
        "select count(*) from rea.users where client_id = %s and email = %s",
        (tenant.client_id, "Lina@AlNoor.example"),
    ).fetchone() == (1,)


def test_a_role_name_is_unique_in_its_tenant_whatever_the_case(db, tenant, other_tenant):
    role(db, tenant, "Branch Manager")
    violates(
        db, "roles_name_key", errors.UniqueViolation, lambda: role(db, tenant, "branch MANAGER")
    )
    role(db, other_tenant, "branch manager")


ascii_cased = st.lists(st.sampled_from("aAbBcC"), min_size=1, max_size=3).map("".join)


def accepted(db, constraint, create) -> bool:
    try:
        with db.transaction():
            create()
    except errors.UniqueViolation as exc:
        assert exc.diag.constraint_name == constraint
        return False
    return True


@DB_SETTINGS
@given(attempts=st.lists(st.tuples(st.sampled_from(["tenant", "other"]), ascii_cased), max_size=8))
def test_names_collide_exactly_when_tenant_and_lowercase_name_match(
    db, tenant, other_tenant, attempts
):
    """One model for both rules: a (tenant, lower(name)) pair is taken at most once."""
    tenants = {"tenant": tenant, "other": other_tenant}
    taken: set[tuple[str, str]] = set()
    expected, emails, roles = [], [], []
    with db.transaction(force_rollback=True):
        for who, name in attempts:
            expected.append((who, name.lower()) not in taken)
            taken.add((who, name.lower()))
            owner = tenants[who]
            emails.append(
                accepted(db, "users_email_key", lambda o=owner, n=name: user(db, o, f"{n}@x.sa"))
            )
            roles.append(accepted(db, "roles_name_key", lambda o=owner, n=name: role(db, o, n)))
    assert emails == expected
    assert roles == expected


# --- permissions ----------------------------------------------------------------------------


def test_a_role_grants_existing_permissions_once_each(db, tenant):
    manager = role(db, tenant, "manager")
    for permission in ("approvals.decide", "expenses.write", "reports.read"):
        grant(db, tenant, manager["id"], permission)
    assert count(db, "role_permissions", tenant) == 3
    violates(
        db,
        "role_permissions_role_permission_key",
        errors.UniqueViolation,
        lambda: grant(db, tenant, manager["id"], "reports.read"),
    )


@DB_SETTINGS
@given(code=st.from_regex(r"\A[a-z_]{1,12}\.[a-z_]{1,12}\Z") | st.text(max_size=12))
def test_a_role_cannot_grant_a_permission_that_does_not_exist(db, tenant, code):
    existing = {c for (c,) in db.execute("select code from rea.permissions").fetchall()}
    if code in existing or "\x00" in code:
        return
    with db.transaction(force_rollback=True):
        agent = role(db, tenant, "agent")
        violates(
            db,
            "role_permissions_permission_fkey",
            errors.ForeignKeyViolation,
            lambda: grant(db, tenant, agent["id"], code),
        )


# --- cascades -------------------------------------------------------------------------------


def test_deleting_a_user_deletes_their_role_assignments(db, tenant):
    agent, manager = role(db, tenant, "agent"), role(db, tenant, "manager")
    lina = user(db, tenant, "lina@alnoor.example")
    give_role(db, tenant, lina["id"], agent["id"])
    give_role(db, tenant, lina["id"], manager["id"])
    give_role(db, tenant, tenant.agent_id, agent["id"])
    db.execute(
        "delete from rea.users where client_id = %s and id = %s", (tenant.client_id, lina["id"])
    )
    assert db.execute(
        "select user_id from rea.user_roles where client_id = %s", (tenant.client_id,)
    ).fetchall() == [(tenant.agent_id,)]
    assert count(db, "roles", tenant) == 2  # the roles themselves stay


def test_deleting_a_role_deletes_its_assignments_and_grants(db, tenant):
    agent, manager = role(db, tenant, "agent"), role(db, tenant, "manager")
    give_role(db, tenant, tenant.agent_id, agent["id"])
    give_role(db, tenant, tenant.manager_id, manager["id"])
    grant(db, tenant, agent["id"], "deals.write")
    grant(db, tenant, manager["id"], "approvals.decide")
    db.execute(
        "delete from rea.roles where client_id = %s and id = %s", (tenant.client_id, agent["id"])
    )
    assert db.execute(
        "select role_id from rea.user_roles where client_id = %s", (tenant.client_id,)
    ).fetchall() == [(manager["id"],)]
    assert db.execute(
        "select permission_code from rea.role_permissions where client_id = %s",
        (tenant.client_id,),
    ).fetchall() == [("approvals.decide",)]
    assert count(db, "users", tenant) == 2  # the users themselves stay


# --- the same tenant ------------------------------------------------------------------------


def test_a_users_branch_is_of_the_same_tenant(db, tenant, other_tenant):
    assert user(db, tenant, "a@x.sa", branch_id=tenant.branch_id)["branch_id"] == tenant.branch_id
    assert user(db, tenant, "b@x.sa")["branch_id"] is None
    violates(
        db,
        "users_branch_fkey",
        errors.ForeignKeyViolation,
        lambda: user(db, tenant, "c@x.sa", branch_id=other_tenant.branch_id),
    )


def test_a_role_of_another_tenant_cannot_be_given(db, tenant, other_tenant):
    foreign_role = role(db, other_tenant, "agent")
    violates(
        db,
        "user_roles_role_fkey",
        errors.ForeignKeyViolation,
        lambda: give_role(db, tenant, tenant.agent_id, foreign_role["id"]),
    )
    violates(
        db,
        "user_roles_user_fkey",
        errors.ForeignKeyViolation,
        lambda: give_role(db, other_tenant, tenant.agent_id, foreign_role["id"]),
    )


def test_a_role_is_given_to_a_user_once(db, tenant):
    agent = role(db, tenant, "agent")
    give_role(db, tenant, tenant.agent_id, agent["id"])
    violates(
        db,
        "user_roles_user_role_key",
        errors.UniqueViolation,
        lambda: give_role(db, tenant, tenant.agent_id, agent["id"]),
    )

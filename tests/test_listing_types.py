"""A property is listed in exactly one of three ways, and what it points at is its own tenant's.

- listing_type is exactly one of agency_owned, branch_owned, brokerage;
- a branch_owned listing names its branch, a brokerage listing names its owner (a customer);
- that branch or owner belongs to the property's own tenant: the references carry client_id
  (composite foreign keys), so no property can point at another tenant's branch or customer;
- features is a JSON object whose known keys have fixed types: bedrooms and bathrooms are
  numbers, furnished a boolean, amenities an array; other keys are free.
"""

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import errors
from psycopg.types.json import Jsonb

from strategies import json_type, text_without_nul

LISTING_TYPES = {"agency_owned", "branch_owned", "brokerage"}
TYPED_FEATURES = {
    "bedrooms": "number",
    "bathrooms": "number",
    "furnished": "boolean",
    "amenities": "array",
}

DB_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# PostgreSQL text and jsonb hold any character but NUL.
safe_text = text_without_nul(max_size=20)


def refused(db, constraint, exc_type, insert_property):
    with pytest.raises(exc_type) as caught, db.transaction():
        insert_property()
    assert caught.value.diag.constraint_name == constraint


# --- listing_type is one of three ----------------------------------------------------------


def test_each_of_the_three_listing_types_is_accepted_with_what_it_needs(db, tenant):
    agency = tenant.property(db, listing_type="agency_owned")
    branch = tenant.property(db, listing_type="branch_owned", branch_id=tenant.branch_id)
    brokerage = tenant.property(db, listing_type="brokerage", owner_customer_id=tenant.customer_id)
    assert (agency["listing_type"], agency["branch_id"], agency["owner_customer_id"]) == (
        "agency_owned",
        None,
        None,
    )
    assert branch["branch_id"] == tenant.branch_id
    assert brokerage["owner_customer_id"] == tenant.customer_id


@DB_SETTINGS
@given(listing_type=safe_text.filter(lambda t: t not in LISTING_TYPES))
def test_any_other_listing_type_is_refused(db, tenant, listing_type):
    # branch and owner given, so only the listing type itself can be wrong
    with db.transaction(force_rollback=True):
        refused(
            db,
            "properties_listing_type_check",
            errors.CheckViolation,
            lambda: tenant.property(
                db,
                listing_type=listing_type,
                branch_id=tenant.branch_id,
                owner_customer_id=tenant.customer_id,
            ),
        )


@pytest.mark.parametrize("listing_type", ["Agency_Owned", "BROKERAGE", " branch_owned", "owned"])
def test_near_misses_are_refused(db, tenant, listing_type):
    refused(
        db,
        "properties_listing_type_check",
        errors.CheckViolation,
        lambda: tenant.property(
            db,
            listing_type=listing_type,
            branch_id=tenant.branch_id,
            owner_customer_id=tenant.customer_id,
        ),
    )


# --- what each listing type needs --------------------------------------------------------


def test_a_branch_owned_listing_needs_its_branch(db, tenant):
    refused(
        db,
        "properties_branch_owned_check",
        errors.CheckViolation,
        lambda: tenant.property(db, listing_type="branch_owned"),
    )


def test_a_branch_owned_listing_cannot_lose_its_branch(db, tenant):
    listed = tenant.property(db, listing_type="branch_owned", branch_id=tenant.branch_id)
    with pytest.raises(errors.CheckViolation) as caught, db.transaction():
        db.execute(
            "update rea.properties set branch_id = null where client_id = %s and id = %s",
            (tenant.client_id, listed["id"]),
        )
    assert caught.value.diag.constraint_name == "properties_branch_owned_check"


def test_a_brokerage_listing_needs_its_owner(db, tenant):
    refused(
        db,
        "properties_brokerage_owner_check",
        errors.CheckViolation,
        lambda: tenant.property(db, listing_type="brokerage", branch_id=tenant.branch_id),
    )


def test_a_listing_cannot_become_brokerage_without_an_owner(db, tenant):
    listed = tenant.property(db, listing_type="agency_owned")
    with pytest.raises(errors.CheckViolation) as caught, db.transaction():
        db.execute(
            "update rea.properties set listing_type = 'brokerage' where client_id = %s and id = %s",
            (tenant.client_id, listed["id"]),
        )
    assert caught.value.diag.constraint_name == "properties_brokerage_owner_check"


# --- no property points at another tenant's row ------------------------------------------


def test_another_tenants_branch_is_refused(db, tenant, other_tenant):
    refused(
        db,
        "properties_branch_fkey",
        errors.ForeignKeyViolation,
        lambda: tenant.property(db, listing_type="branch_owned", branch_id=other_tenant.branch_id),
    )


def test_another_tenants_customer_cannot_be_the_owner(db, tenant, other_tenant):
    refused(
        db,
        "properties_owner_fkey",
        errors.ForeignKeyViolation,
        lambda: tenant.property(
            db, listing_type="brokerage", owner_customer_id=other_tenant.customer_id
        ),
    )


@pytest.mark.parametrize(
    ("column", "constraint"),
    [("branch_id", "properties_branch_fkey"), ("owner_customer_id", "properties_owner_fkey")],
)
def test_an_update_cannot_point_a_property_at_another_tenant(
    db, tenant, other_tenant, column, constraint
):
    listed = tenant.property(db, listing_type="agency_owned")
    foreign = {"branch_id": other_tenant.branch_id, "owner_customer_id": other_tenant.customer_id}
    with pytest.raises(errors.ForeignKeyViolation) as caught, db.transaction():
        db.execute(
            psycopg.sql.SQL(
                "update rea.properties set {} = %s where client_id = %s and id = %s"
            ).format(psycopg.sql.Identifier(column)),
            (foreign[column], tenant.client_id, listed["id"]),
        )
    assert caught.value.diag.constraint_name == constraint
    assert caught.value.sqlstate == "23503"


# --- features: a JSON object with typed keys ---------------------------------------------


def features_allowed(features: object) -> bool:
    """The rule, in Python: an object, and every typed key present has its type."""
    return isinstance(features, dict) and all(
        json_type(features[key]) == wanted
        for key, wanted in TYPED_FEATURES.items()
        if key in features
    )


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(-1e6, 1e6, allow_nan=False)
    | safe_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(safe_text, inner, max_size=3),
    max_leaves=6,
)
feature_objects = st.dictionaries(
    st.sampled_from([*TYPED_FEATURES, "view", "parking"]) | safe_text, json_values, max_size=5
)


@DB_SETTINGS
@given(features=feature_objects | json_values)
def test_features_are_accepted_exactly_when_the_rule_allows(db, tenant, features):
    with db.transaction(force_rollback=True):
        try:
            with db.transaction():
                tenant.property(db, features=Jsonb(features))
            accepted = True
        except errors.CheckViolation as exc:
            assert exc.diag.constraint_name == "properties_features_check"
            accepted = False
    assert accepted == features_allowed(features)


def test_typical_features_are_accepted(db, tenant):
    features = {"bedrooms": 3, "bathrooms": 2.5, "furnished": True, "amenities": ["pool"]}
    assert tenant.property(db, features=Jsonb(features | {"view": "sea"}))["features"] == (
        features | {"view": "sea"}
    )


@pytest.mark.parametrize(
    "features",
    [
        ["bedrooms", 3],
        "bedrooms: 3",
        3,
        None,
        {"bedrooms": "3"},
        {"bathrooms": None},
        {"furnished": "yes"},
        {"amenities": "pool, gym"},
    ],
)
def test_features_that_break_the_rule_are_refused(db, tenant, features):
    refused(
        db,
        "properties_features_check",
        errors.CheckViolation,
        lambda: tenant.property(db, features=Jsonb(features)),
    )

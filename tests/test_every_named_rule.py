"""Every simple rule of the schema refuses what it should, by its own name.

The workflow rules have their own test files. This one walks the plain ones (closed
sets, non-blank text, positive numbers, references to rows that exist) and, for the
check constraints behind a trigger, disables that trigger in a rolled-back transaction
so the constraint itself is shown to hold. test_catalog_conventions.py proves that
every named rule in `rea` is named in some test, so a new one cannot go untested.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg
import pytest
from psycopg import errors

from conftest import Tenant, insert, violates

NOWHERE = uuid.UUID("00000000-0000-7000-8000-000000000000")  # a row that does not exist
NO_CURRENCY = "XTS"  # ISO 4217's code for testing: never in rea.currencies here


def _unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def _role(db, t: Tenant) -> dict:
    return insert(db, "roles", client_id=t.client_id, name=_unique("Role"))


def _deal(db, t: Tenant) -> dict:
    return insert(db, "deals", **BASE["deals"](db, t))


def _expense(db, t: Tenant) -> dict:
    return insert(db, "expenses", **BASE["expenses"](db, t))


def _rule(db, t: Tenant) -> dict:
    return insert(db, "commission_rules", **BASE["commission_rules"](db, t))


# A valid row of each table; each case changes what breaks its rule.
BASE: dict[str, Callable[[psycopg.Connection, Tenant], dict]] = {
    "clients": lambda db, t: {"name": _unique("Agency"), "base_currency": "SAR"},
    "currencies": lambda db, t: {"code": NO_CURRENCY, "name": "Testing code", "minor_units": 2},
    "fx_rates": lambda db, t: {
        "base_currency": "USD",
        "quote_currency": "SAR",
        "rate_date": "2020-01-01",
        "rate": 3.75,
    },
    "permissions": lambda db, t: {"code": "tests.run", "description": "Run the tests"},
    "branches": lambda db, t: {
        "client_id": t.client_id,
        "name": _unique("Branch"),
        "city": "Jeddah",
    },
    "users": lambda db, t: {
        "client_id": t.client_id,
        "full_name": "Lina Tester",
        "email": f"{uuid.uuid4().hex}@x.example",
    },
    "roles": lambda db, t: {"client_id": t.client_id, "name": _unique("Role")},
    "role_permissions": lambda db, t: {
        "client_id": t.client_id,
        "role_id": _role(db, t)["id"],
        "permission_code": "deals.write",
    },
    "customers": lambda db, t: {"client_id": t.client_id, "full_name": "Ahmed Buyer"},
    "properties": lambda db, t: {
        "client_id": t.client_id,
        "listing_type": "agency_owned",
        "property_type": "villa",
        "title": "Villa",
        "city": "Riyadh",
        "asking_price": 1_000_000,
        "currency": "SAR",
    },
    "commission_rules": lambda db, t: {
        "client_id": t.client_id,
        "listing_type": "agency_owned",
        "deal_type": "sale",
        "percentage": 2,
        "effective": "[2030-01-01,2031-01-01)",
    },
    "deals": lambda db, t: {
        "client_id": t.client_id,
        "property_id": t.property(db)["id"],
        "customer_id": t.customer_id,
        "deal_type": "sale",
        "amount": 100,
        "currency": "SAR",
    },
    "expenses": lambda db, t: {
        "client_id": t.client_id,
        "category": "office",
        "amount": 10,
        "currency": "SAR",
    },
    "approvals": lambda db, t: {
        "client_id": t.client_id,
        "subject_type": "deal",
        "deal_id": _deal(db, t)["id"],
        "requested_by": t.agent_id,
    },
    "bookings": lambda db, t: {
        "client_id": t.client_id,
        "property_id": t.property(db)["id"],
        "customer_id": t.customer_id,
        "starts_at": "2026-01-01",
        "ends_at": "2026-01-08",
    },
    "communications": lambda db, t: {
        "client_id": t.client_id,
        "customer_id": t.customer_id,
        "channel": "sms",
        "direction": "inbound",
    },
}


@dataclass(frozen=True)
class Rule:
    table: str
    change: dict | Callable[[psycopg.Connection, Tenant], dict]
    constraint: str
    op: str = "insert"  # insert the changed row | update a valid row | insert it twice
    without: tuple[str, ...] = field(default=())  # triggers that would refuse first

    @property
    def error(self) -> type[psycopg.Error]:
        if self.constraint.endswith("_fkey"):
            return errors.ForeignKeyViolation
        if self.constraint.endswith("_key"):
            return errors.UniqueViolation
        return errors.CheckViolation


RULES = [
    Rule("currencies", {"code": "abc"}, "currencies_code_check"),
    Rule("currencies", {"name": "  "}, "currencies_name_check"),
    Rule("currencies", {"minor_units": 5}, "currencies_minor_units_check"),
    Rule("clients", {"expense_approval_threshold": -1}, "clients_expense_approval_threshold_check"),
    Rule("fx_rates", {"base_currency": NO_CURRENCY}, "fx_rates_base_currency_fkey"),
    Rule("fx_rates", {"quote_currency": NO_CURRENCY}, "fx_rates_quote_currency_fkey"),
    Rule("permissions", {"code": "NoDot"}, "permissions_code_check"),
    Rule("branches", {"name": " "}, "branches_name_check"),
    Rule("branches", {"city": ""}, "branches_city_check"),
    Rule("branches", {"name": "Riyadh North"}, "branches_name_key", op="twice"),
    Rule("users", {"full_name": " "}, "users_full_name_check"),
    Rule("users", {"email": "not-an-address"}, "users_email_check"),
    Rule("users", {"status": "gone"}, "users_status_check"),
    Rule("roles", {"name": ""}, "roles_name_check"),
    Rule("role_permissions", {"role_id": NOWHERE}, "role_permissions_role_fkey"),
    Rule("customers", {"full_name": ""}, "customers_full_name_check"),
    Rule("customers", {"kind": "robot"}, "customers_kind_check"),
    Rule("customers", {"email": "khalid at example"}, "customers_email_check"),
    Rule("customers", {"phone": "call me"}, "customers_phone_check"),
    Rule("properties", {"property_type": "castle"}, "properties_property_type_check"),
    Rule("properties", {"status": "haunted"}, "properties_status_check"),
    Rule("properties", {"title": " "}, "properties_title_check"),
    Rule("properties", {"city": ""}, "properties_city_check"),
    Rule("properties", {"asking_price": 0}, "properties_asking_price_check"),
    Rule("properties", {"built_up_area_sqm": 0}, "properties_built_up_area_sqm_check"),
    Rule("properties", {"currency": NO_CURRENCY}, "properties_currency_fkey"),
    Rule("commission_rules", {"listing_type": "timeshare"}, "commission_rules_listing_type_check"),
    Rule("commission_rules", {"deal_type": "lease"}, "commission_rules_deal_type_check"),
    Rule("commission_rules", {"percentage": 0}, "commission_rules_percentage_check"),
    Rule("commission_rules", {"percentage": 101}, "commission_rules_percentage_check"),
    Rule(
        "commission_rules",
        {"percentage": None, "fixed_amount": 0, "currency": "SAR"},
        "commission_rules_fixed_amount_check",
    ),
    Rule("commission_rules", {"currency": "SAR"}, "commission_rules_fixed_currency_check"),
    Rule("commission_rules", {"effective": "empty"}, "commission_rules_effective_check"),
    Rule(
        "commission_rules",
        {"percentage": None, "fixed_amount": 100, "currency": NO_CURRENCY},
        "commission_rules_currency_fkey",
    ),
    Rule("deals", {"amount": 0}, "deals_amount_check"),
    Rule("deals", {"deal_type": "lease"}, "deals_deal_type_check"),
    Rule("deals", {"currency": NO_CURRENCY}, "deals_currency_fkey"),
    Rule("deals", {"property_id": NOWHERE}, "deals_property_fkey"),
    Rule("deals", {"customer_id": NOWHERE}, "deals_customer_fkey"),
    Rule("deals", {"agent_user_id": NOWHERE}, "deals_agent_fkey"),
    # backstops behind deals_workflow, which sets these columns itself
    Rule("deals", {"stage": "limbo"}, "deals_stage_check", without=("deals_workflow",)),
    Rule(
        "deals",
        {"closed_at": datetime(2026, 1, 1, tzinfo=UTC)},
        "deals_closed_at_check",
        without=("deals_workflow",),
    ),
    Rule("deals", {"commission_amount": 5}, "deals_commission_check", without=("deals_workflow",)),
    Rule(
        "deals",
        {"commission_rule_id": NOWHERE, "commission_amount": 1, "commission_currency": "SAR"},
        "deals_commission_rule_fkey",
        without=("deals_workflow",),
    ),
    Rule(
        "deals",
        lambda db, t: {
            "commission_rule_id": _rule(db, t)["id"],
            "commission_amount": 1,
            "commission_currency": NO_CURRENCY,
        },
        "deals_commission_currency_fkey",
        without=("deals_workflow",),
    ),
    Rule("expenses", {"status": "paid"}, "expenses_status_check"),
    Rule("expenses", {"currency": NO_CURRENCY}, "expenses_currency_fkey"),
    Rule("expenses", {"branch_id": NOWHERE}, "expenses_branch_fkey"),
    Rule("expenses", {"recorded_by": NOWHERE}, "expenses_recorded_by_fkey"),
    Rule("approvals", {"deal_id": None}, "approvals_subject_check"),
    Rule("approvals", {"deal_id": NOWHERE}, "approvals_deal_fkey"),
    Rule(
        "approvals",
        {"subject_type": "expense", "deal_id": None, "expense_id": NOWHERE},
        "approvals_expense_fkey",
    ),
    Rule("approvals", {"requested_by": NOWHERE}, "approvals_requested_by_fkey"),
    Rule("approvals", {"approver_id": NOWHERE}, "approvals_approver_fkey"),
    Rule("approvals", {"status": "approved"}, "approvals_approver_check", op="update"),
    Rule(
        "approvals",
        lambda db, t: {
            "subject_type": "expense",
            "deal_id": None,
            "expense_id": _expense(db, t)["id"],
        },
        "approvals_one_pending_expense_key",
        op="twice",
    ),
    # backstops behind approvals_workflow, which keeps status and decided_at in step
    Rule(
        "approvals",
        {"status": "cancelled"},
        "approvals_decided_at_check",
        without=("approvals_workflow",),
    ),
    Rule(
        "approvals",
        {"status": "vetoed", "decided_at": datetime(2026, 1, 1, tzinfo=UTC)},
        "approvals_status_check",
        without=("approvals_workflow",),
    ),
    Rule(
        "bookings",
        {"property_id": NOWHERE},
        "bookings_property_fkey",
        without=("bookings_workflow",),
    ),
    Rule("bookings", {"customer_id": NOWHERE}, "bookings_customer_fkey"),
    Rule("bookings", {"agent_user_id": NOWHERE}, "bookings_agent_fkey"),
    Rule(
        "bookings",
        {"deposit_amount": 100, "deposit_currency": NO_CURRENCY},
        "bookings_deposit_currency_fkey",
    ),
    Rule(
        "bookings", {"status": "ON_HOLD"}, "bookings_status_check", without=("bookings_workflow",)
    ),
]


def _case_id(rule: Rule) -> str:
    return f"{rule.constraint}:{rule.change}" if isinstance(rule.change, dict) else rule.constraint


@pytest.mark.parametrize("rule", RULES, ids=_case_id)
def test_the_rule_refuses_by_its_name(db, tenant, rule):
    with db.transaction(force_rollback=True):  # also undoes the disabled triggers
        for trigger in rule.without:
            db.execute(f"alter table rea.{rule.table} disable trigger {trigger}")
        row = BASE[rule.table](db, tenant)
        change = rule.change(db, tenant) if callable(rule.change) else rule.change
        if rule.op == "update":
            existing = insert(db, rule.table, **row)
            sets = ", ".join(f"{column} = %s" for column in change)
            action = lambda: db.execute(  # noqa: E731
                f"update rea.{rule.table} set {sets} where id = %s",
                (*change.values(), existing["id"]),
            )
        elif rule.op == "twice":
            insert(db, rule.table, **(row | change))
            action = lambda: insert(db, rule.table, **(row | change))  # noqa: E731
        else:
            action = lambda: insert(db, rule.table, **(row | change))  # noqa: E731
        violates(db, rule.constraint, rule.error, action)


SHARED = {"clients", "currencies", "fx_rates", "permissions"}  # no client_id


@pytest.mark.parametrize("table", sorted(set(BASE) - SHARED))
def test_each_base_row_is_valid(db, tenant, table):
    """The cases above break one thing each: the row they start from breaks nothing."""
    row = insert(db, table, **BASE[table](db, tenant))
    assert row["client_id"] == tenant.client_id


def test_every_tenant_table_references_its_tenant(db):
    """client_id of every tenant table is a foreign key to rea.clients(id); the
    `<table>_client_fkey` constraints are proven here, all at once."""
    missing = db.execute(
        """
        select c.relname
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attname = 'client_id'
        where n.nspname = 'rea' and c.relkind in ('r', 'p')
          and not exists (
            select from pg_constraint f
            where f.conrelid = c.oid and f.contype = 'f'
              and f.confrelid = 'rea.clients'::regclass
              and f.conname = c.relname || '_client_fkey'
              and f.conkey = array[a.attnum]
          )
        order by 1
        """
    ).fetchall()
    assert missing == []
    assert (
        db.execute(
            "select count(*) from pg_constraint where conname like '%%\\_client\\_fkey'"
            " and connamespace = 'rea'::regnamespace"
        ).fetchone()[0]
        >= 11
    )
    violates(
        db,
        "customers_client_fkey",
        errors.ForeignKeyViolation,
        lambda: insert(db, "customers", client_id=NOWHERE, full_name="Nobody's customer"),
    )

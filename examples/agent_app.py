"""An estate agency's application against the REA INVEST database, the way the contract
says an application works (see examples/README.md):

- it connects as a LOGIN role that is a member of `rea_app` (never a superuser or
  owner: those bypass or are bound differently by row-level security), through a
  psycopg_pool connection pool, safe behind PgBouncer in transaction pooling mode;
- every unit of work is one transaction that first sets the tenant and the actor with
  bound parameters, transaction-locally:
      select set_config('app.client_id', %s, true), set_config('app.user_id', %s, true)
  so nothing of it survives the transaction on a pooled server connection;
- the database enforces the rules; the application turns each named rule that refuses
  a change (the error's constraint name, diag.constraint_name) into a message for the
  user, from one table, MESSAGES.

What it does, for one agency: lists the available properties; two agents race to
activate a booking of the same property for two customers (the loser gets SQLSTATE
23505 on bookings_one_active_per_property_key and a message); the winner works a deal
for that property through approval (lead, negotiation, pending approval; a manager
approves; approved, won), and along the way tries two things the rules refuse (moving
the deal on before it is approved, approving one's own request) to show their messages.

    python examples/agent_app.py --dsn URL --tenant "Palm Realty 1" --directory-dsn URL2
    python examples/agent_app.py --dsn URL --tenant 7d12696a-6000-d152-4b6d-5858da59861b

--dsn is the application's login. --tenant is the agency's id or its name; a name is
looked up through --directory-dsn, a connection that may read rea.clients (the
application's role sees no agency before it has set one: the operator's). --json prints
what happened as one JSON object instead of the story.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import psycopg
import psycopg.errors
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

# The user's message for each named rule of the database (the constraint, unique index
# or trigger rule that diag.constraint_name reports). A test checks that every name
# here exists in the schema.
MESSAGES = {
    # bookings
    "bookings_one_active_per_property_key": (
        "Someone else has just booked this property. Choose another property, "
        "or offer the customer a later date."
    ),
    "bookings_property_available_check": (
        "This property cannot be booked any more: it is under offer, sold, let or withdrawn."
    ),
    "bookings_status_transition_check": (
        "This booking cannot change like that: a cancelled, expired or completed booking is final."
    ),
    "bookings_period_check": "A booking must end after it starts.",
    "bookings_deposit_check": "A deposit needs an amount above zero and its currency.",
    "bookings_customer_fkey": "That customer is not one of this agency's customers.",
    "bookings_property_fkey": "That property is not one of this agency's properties.",
    # deals
    "deals_stage_transition_check": "A deal cannot move to that stage from where it is now.",
    "deals_approval_required_check": (
        "This deal needs a manager's approval before it can be approved or won."
    ),
    "deals_terms_frozen_check": (
        "The terms of this deal are under approval and cannot change now; "
        "ask the manager to reject the request first."
    ),
    "deals_closed_check": "This deal is closed (won or lost) and cannot change any more.",
    "deals_amount_check": "The amount of a deal must be above zero.",
    # approvals
    "approvals_four_eyes_check": (
        "You cannot approve your own request: another manager has to decide it."
    ),
    "approvals_one_pending_deal_key": "This deal already has a request waiting for a decision.",
    "approvals_workflow_check": "This request has been decided already; the decision is final.",
    "approvals_approver_check": "An approval or a rejection must say who decided it.",
}

# When a refusal names no rule of the table above, the kind of error decides.
BY_SQLSTATE = {
    "23505": "That already exists.",
    "23503": "That refers to something this agency does not have.",
    "23514": "That breaks one of the agency's rules.",
    "42501": "You are not allowed to do that for this agency.",
}
FALLBACK = "The change could not be saved. Please try again or ask support."


def user_message(error: psycopg.Error) -> str:
    """What to tell the user when the database refuses a change."""
    name = error.diag.constraint_name
    if name in MESSAGES:
        return MESSAGES[name]
    return BY_SQLSTATE.get(error.sqlstate or "", FALLBACK)


class Refused(Exception):
    """A change the database refused, with the message for the user."""

    def __init__(self, error: psycopg.Error) -> None:
        super().__init__(user_message(error))
        self.constraint = error.diag.constraint_name
        self.sqlstate = error.sqlstate
        self.message = user_message(error)


class Stop(Exception):
    """Cannot go on (bad arguments, wrong login, no data): one line for the user."""


@dataclass
class Agency:
    pool: ConnectionPool
    client_id: uuid.UUID

    @contextmanager
    def transaction(self, actor: uuid.UUID | None) -> Iterator[psycopg.Connection]:
        """One unit of work: a pooled connection, a transaction, and the tenant and the
        actor set inside it with bound parameters (transaction-local: `true`). A refusal
        by a rule of the database rolls the transaction back and becomes Refused."""
        try:
            with self.pool.connection() as conn, conn.transaction():
                conn.execute(
                    "select set_config('app.client_id', %s, true),"
                    " set_config('app.user_id', %s, true)",
                    (str(self.client_id), "" if actor is None else str(actor)),
                )
                yield conn
        except (psycopg.errors.IntegrityError, psycopg.errors.InsufficientPrivilege) as exc:
            raise Refused(exc) from exc

    def rows(self, actor: uuid.UUID | None, query: str, params: object = ()) -> list[dict]:
        with self.transaction(actor) as conn, conn.cursor(row_factory=dict_row) as cur:
            return cur.execute(query, params).fetchall()

    def one(self, actor: uuid.UUID | None, query: str, params: object = ()) -> dict:
        rows = self.rows(actor, query, params)
        if len(rows) != 1:
            raise Stop(f"expected one row, got {len(rows)}: {query.split()[0:4]}")
        return rows[0]


@dataclass
class Story:
    """What happened, for the user (printed as it goes) or as JSON (--json)."""

    quiet: bool
    facts: dict = field(default_factory=dict)

    def say(self, line: str) -> None:
        if not self.quiet:
            print(line, flush=True)


# --- the agency's staff, properties and customers --------------------------------------

STAFF = """
select u.id, u.full_name, array_agg(distinct p.permission_code order by p.permission_code) as can
from rea.users as u
join rea.user_roles as ur on ur.client_id = u.client_id and ur.user_id = u.id
join rea.role_permissions as p on p.client_id = ur.client_id and p.role_id = ur.role_id
where u.status = 'active'
group by u.id, u.full_name, u.email
order by u.email
"""

AVAILABLE = """
select id, title, city, asking_price, currency
from rea.properties
where status = 'available' and deleted_at is null
order by created_at, id
"""

CUSTOMERS = """
select id, full_name from rea.customers
where deleted_at is null and erased_at is null
order by created_at, id
limit 2
"""


def staff(agency: Agency) -> tuple[list[dict], list[dict]]:
    """(agents: may write bookings and deals, managers: may decide approvals)."""
    people = agency.rows(None, STAFF)
    agents = [p for p in people if {"bookings.write", "deals.write"} <= set(p["can"])]
    managers = [p for p in people if "approvals.decide" in p["can"]]
    if len(agents) < 2 or not managers:
        raise Stop("the agency needs two active agents and a manager (seed it: readb seed)")
    return agents, managers


# --- the booking race -------------------------------------------------------------------


def hold(agency: Agency, agent: dict, property_id: uuid.UUID, customer: dict) -> uuid.UUID:
    """A PENDING booking: the customer's hold on the property for a week from tomorrow."""
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    return agency.one(
        agent["id"],
        "insert into rea.bookings (client_id, property_id, customer_id, agent_user_id,"
        " starts_at, ends_at, notes) values (%s, %s, %s, %s, %s, %s, %s) returning id",
        (
            agency.client_id,
            property_id,
            customer["id"],
            agent["id"],
            starts,
            starts + timedelta(days=7),
            "held by agent_app",
        ),
    )["id"]


def activate(agency: Agency, agent: dict, booking_id: uuid.UUID) -> None:
    with agency.transaction(agent["id"]) as conn:
        conn.execute("update rea.bookings set status = 'ACTIVE' where id = %s", (booking_id,))


def race(agency: Agency, agents: list[dict], property_id: uuid.UUID, customers: list[dict]):
    """Two agents activate their customers' bookings of one property at the same moment,
    each on its own pooled connection. The database lets exactly one win; the other
    waits for it, then fails with 23505 on bookings_one_active_per_property_key."""
    holds = [hold(agency, a, property_id, c) for a, c in zip(agents, customers, strict=True)]
    start = threading.Barrier(len(holds))
    outcome: list[dict] = [{} for _ in holds]

    def agent_clicks(i: int) -> None:
        start.wait()
        try:
            activate(agency, agents[i], holds[i])
            outcome[i] = {"won": True}
        except Refused as exc:
            outcome[i] = {
                "won": False,
                "sqlstate": exc.sqlstate,
                "constraint": exc.constraint,
                "message": exc.message,
            }

    threads = [threading.Thread(target=agent_clicks, args=(i,)) for i in range(len(holds))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [
        {"booking_id": str(holds[i]), "agent_id": str(agents[i]["id"]),
         "customer_id": str(customers[i]["id"]), **outcome[i]}
        for i in range(len(holds))
    ]  # fmt: skip


# --- the deal and its approval ----------------------------------------------------------


def set_stage(agency: Agency, agent: dict, deal_id: uuid.UUID, stage: str) -> None:
    with agency.transaction(agent["id"]) as conn:
        conn.execute("update rea.deals set stage = %s where id = %s", (stage, deal_id))


def decide(agency: Agency, approver: dict, approval_id: uuid.UUID, note: str) -> None:
    with agency.transaction(approver["id"]) as conn:
        conn.execute(
            "update rea.approvals set status = 'approved', approver_id = %s,"
            " decision_note = %s where id = %s",
            (approver["id"], note, approval_id),
        )


def work_deal(agency: Agency, story: Story, agent: dict, manager: dict, booking: dict) -> dict:
    prop = agency.one(
        agent["id"],
        "select asking_price, currency from rea.properties where id = %s",
        (booking["property_id"],),
    )
    deal_id = agency.one(
        agent["id"],
        "insert into rea.deals (client_id, property_id, customer_id, agent_user_id, deal_type,"
        " amount, currency) values (%s, %s, %s, %s, 'sale', %s, %s) returning id",
        (
            agency.client_id,
            booking["property_id"],
            booking["customer_id"],
            agent["id"],
            prop["asking_price"],
            prop["currency"],
        ),
    )["id"]
    story.say(f"deal {deal_id}: lead, {prop['asking_price']:,.2f} {prop['currency']}")
    refusals = []

    def attempt(what: str, action: Callable[..., None], *args: object) -> None:
        try:
            action(*args)
        except Refused as exc:
            refusals.append({"attempt": what, "constraint": exc.constraint, "message": exc.message})
            story.say(f"  {what}: refused -> {exc.message!r}")
        else:
            raise Stop(f"{what} was accepted; the database should have refused it")

    set_stage(agency, agent, deal_id, "negotiation")
    story.say("  negotiation")
    set_stage(agency, agent, deal_id, "pending_approval")
    story.say("  pending_approval")
    attempt("mark it approved before a manager did", set_stage, agency, agent, deal_id, "approved")
    approval_id = agency.one(
        agent["id"],
        "insert into rea.approvals (client_id, subject_type, deal_id, requested_by, reason)"
        " values (%s, 'deal', %s, %s, %s) returning id",
        (agency.client_id, deal_id, agent["id"], "Asking price, cash buyer"),
    )["id"]
    story.say(f"  approval {approval_id} requested by {agent['full_name']}")
    attempt("approve one's own request", decide, agency, agent, approval_id, "self-approved")
    decide(agency, manager, approval_id, "Within the branch's policy")
    story.say(f"  approved by {manager['full_name']}")
    set_stage(agency, agent, deal_id, "approved")
    set_stage(agency, agent, deal_id, "won")
    deal = agency.one(
        agent["id"],
        "select stage, closed_at is not null as closed, commission_amount, commission_currency"
        " from rea.deals where id = %s",
        (deal_id,),
    )
    commission = deal["commission_amount"]
    story.say(
        f"  {deal['stage']}; commission "
        + (f"{commission:,.2f} {deal['commission_currency']}" if commission else "none")
    )
    return {
        "deal_id": str(deal_id),
        "stage": deal["stage"],
        "closed": deal["closed"],
        "commission_amount": None if commission is None else str(commission),
        "commission_currency": deal["commission_currency"],
        "approval_id": str(approval_id),
        "requested_by": str(agent["id"]),
        "approved_by": str(manager["id"]),
        "refusals": refusals,
    }


# --- the program ------------------------------------------------------------------------


def resolve_tenant(tenant: str, directory_dsn: str | None) -> uuid.UUID:
    try:
        return uuid.UUID(tenant)
    except ValueError:
        pass
    if not directory_dsn:
        raise Stop(
            f"--tenant {tenant!r} is a name: give its id, or --directory-dsn to look it up"
            " (the application's role sees no agency before it sets one)"
        )
    with psycopg.connect(directory_dsn, connect_timeout=10) as conn:
        rows = conn.execute("select id from rea.clients where name = %s", (tenant,)).fetchall()
    if len(rows) != 1:
        raise Stop(f"no agency named {tenant!r}")
    return rows[0][0]


def check_login(pool: ConnectionPool) -> str:
    """The pool's role must be an application login: a member of rea_app that is not a
    superuser and does not bypass row-level security."""
    with pool.connection() as conn:
        user, superuser, bypass, member = conn.execute(
            "select r.rolname, r.rolsuper, r.rolbypassrls, pg_has_role(r.oid, 'rea_app', 'usage')"
            " from pg_catalog.pg_roles as r where r.rolname = current_user"
        ).fetchone()
    if superuser or bypass:
        raise Stop(
            f"{user} bypasses row-level security: connect as a login that is a member of"
            " rea_app, as the application does"
        )
    if not member:
        raise Stop(f"{user} is not a member of rea_app")
    return user


def run(args: argparse.Namespace) -> dict:
    story = Story(quiet=args.json)
    client_id = resolve_tenant(args.tenant, args.directory_dsn)
    # autocommit: each unit of work is an explicit transaction, and between them the
    # connection holds none (PgBouncer can give its server connection to others).
    # prepare_threshold=None: no server-side prepared statements, which PgBouncer in
    # transaction mode cannot route (before 1.21).
    with ConnectionPool(
        args.dsn,
        min_size=2,
        max_size=args.pool_size,
        kwargs={"autocommit": True, "prepare_threshold": None, "connect_timeout": 10},
        name="agent_app",
        open=True,
    ) as pool:
        pool.wait(timeout=30)
        login = check_login(pool)
        agency = Agency(pool, client_id)
        name = agency.one(None, "select name from rea.clients where id = %s", (client_id,))
        story.say(f"{name['name']} as {login}")
        agents, managers = staff(agency)

        available = agency.rows(agents[0]["id"], AVAILABLE)
        story.say(f"{len(available)} properties available, first ones:")
        for p in available[:5]:
            story.say(f"  {p['title']}, {p['city']}: {p['asking_price']:,.2f} {p['currency']}")
        if not available:
            raise Stop("no property is available")
        target = available[0]
        customers = agency.rows(agents[0]["id"], CUSTOMERS)
        if len(customers) < 2:
            raise Stop("the agency needs two customers")

        story.say(f"two agents book {target['title']} at the same moment:")
        bookings = race(agency, agents[:2], target["id"], customers)
        for b in bookings:
            who = next(a["full_name"] for a in agents if str(a["id"]) == b["agent_id"])
            story.say(f"  {who}: " + ("booked" if b["won"] else f"refused -> {b['message']!r}"))
        winners = [b for b in bookings if b["won"]]
        if len(winners) != 1:
            raise Stop(f"{len(winners)} bookings won the race; exactly one should")
        winner = winners[0] | {"property_id": target["id"]}
        agent = next(a for a in agents if str(a["id"]) == winner["agent_id"])
        manager = next(m for m in managers if m["id"] != agent["id"])
        deal = work_deal(agency, story, agent, manager, winner)
    return {
        "login": login,
        "client_id": str(client_id),
        "available": len(available),
        "property_id": str(target["id"]),
        "bookings": bookings,
        "deal": deal,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", default=os.environ.get("DATABASE_URL"), help="the app's login")
    parser.add_argument("--tenant", required=True, help="the agency's id or name")
    parser.add_argument("--directory-dsn", help="a connection that may look agencies up by name")
    parser.add_argument("--pool-size", type=int, default=4)
    parser.add_argument("--json", action="store_true", help="print what happened as JSON")
    args = parser.parse_args(argv)
    if not args.dsn:
        parser.error("--dsn URL (or $DATABASE_URL) is required")
    try:
        result = run(args)
    except Stop as exc:
        print(f"agent_app: {exc}", file=sys.stderr)
        return 1
    except psycopg.OperationalError as exc:
        first = (str(exc).strip().splitlines() or ["cannot connect"])[0]
        print(f"agent_app: {first}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result, default=_json, indent=2))
    return 0


def _json(value: object) -> object:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


if __name__ == "__main__":
    sys.exit(main())

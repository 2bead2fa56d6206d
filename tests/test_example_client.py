"""examples/agent_app.py, the example application, works against the schema as the
contract describes it: run as a real LOGIN member of rea_app on a built and seeded
database (`readb seed --tenants 2 --scale 1`), directly and behind PgBouncer in
transaction pooling mode (one server connection for all of its pooled connections).

Each run must leave what its story says, checked from the database as the superuser:
of the two agents racing for one property exactly one booking is ACTIVE, and it is the
one the program reports as won; the other is still PENDING and its agent got the
booking rule's message (23505 on bookings_one_active_per_property_key); the property,
reserved by the booking, is sold once the sale is won (7410); the audit trail records
the winning agent as the actor of the activation (so app.user_id was set in that
transaction); the deal is won and closed with the
commission the database computed; its approval was requested by the agent and approved
by a manager; and the two refused attempts came back as their rules' user messages.
The program refuses a login that bypasses row-level security, and a tenant name it
cannot look up. Every rule its message table names exists in the schema.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator

import psycopg
import pytest

from conftest import HOST, PORT, PROJECT_ROOT, run_readb, url_for
from pgbouncer import PgBouncer, ensure_login_role, find_binary, in_ci

APP = PROJECT_ROOT / "examples" / "agent_app.py"
LOGIN = "readb_test_example_app"  # LOGIN, member of rea_app
TENANT = "Palm Realty 1"  # the first tenant `readb seed` makes with --random-seed 1

BOOKED = (
    "Someone else has just booked this property. Choose another property, "
    "or offer the customer a later date."
)
NEEDS_APPROVAL = "This deal needs a manager's approval before it can be approved or won."
FOUR_EYES = "You cannot approve your own request: another manager has to decide it."


def login_url(dbname: str) -> str:
    return f"postgresql://{LOGIN}@{HOST}:{PORT}/{dbname}"


def run_app(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(APP), *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def seeded(db: psycopg.Connection) -> psycopg.Connection:
    """This test's database, seeded, with the application's login; `db` (the superuser)
    in autocommit, to look at what the program did."""
    db.commit()
    result = run_readb("seed", "--tenants", "2", "--scale", "1", dsn=url_for(db.info.dbname))
    assert result.returncode == 0, result.stderr
    ensure_login_role(url_for(db.info.dbname), LOGIN, "rea_app")
    db.autocommit = True
    return db


@pytest.fixture
def bouncer(seeded: psycopg.Connection) -> Iterator[PgBouncer]:
    if find_binary() is None:
        reason = "pgbouncer is not installed (apt-get install pgbouncer)"
        if in_ci():
            pytest.fail(f"{reason}; CI=true: a missing pgbouncer fails the build")
        pytest.skip(reason)
    with PgBouncer(databases={seeded.info.dbname: (HOST, PORT)}, users=[LOGIN]) as running:
        yield running


def app_run(db: psycopg.Connection, dsn: str) -> dict:
    result = run_app(
        "--dsn", dsn, "--tenant", TENANT, "--directory-dsn", url_for(db.info.dbname), "--json"
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def assert_outcomes(db: psycopg.Connection, out: dict) -> None:
    (client_id,) = db.execute("select id from rea.clients where name = %s", (TENANT,)).fetchone()
    assert out["login"] == LOGIN
    assert out["client_id"] == str(client_id)

    # the race: one winner, one loser with the booking rule's message
    winners = [b for b in out["bookings"] if b["won"]]
    losers = [b for b in out["bookings"] if not b["won"]]
    assert len(winners) == 1 and len(losers) == 1, out["bookings"]
    winner, loser = winners[0], losers[0]
    assert winner["agent_id"] != loser["agent_id"]
    assert loser["sqlstate"] == "23505"
    assert loser["constraint"] == "bookings_one_active_per_property_key"
    assert loser["message"] == BOOKED
    active = db.execute(
        "select id::text from rea.bookings where property_id = %s and status = 'ACTIVE'",
        (out["property_id"],),
    ).fetchall()
    assert active == [(winner["booking_id"],)]
    statuses = dict(
        db.execute(
            "select id::text, status from rea.bookings where id = any(%s::uuid[])",
            ([winner["booking_id"], loser["booking_id"]],),
        ).fetchall()
    )
    assert statuses == {winner["booking_id"]: "ACTIVE", loser["booking_id"]: "PENDING"}
    (property_status,) = db.execute(
        "select status from rea.properties where id = %s", (out["property_id"],)
    ).fetchone()
    assert property_status == "sold"  # reserved by the booking, then closed by the won sale
    # the activation ran with the winning agent as the transaction's actor
    actors = db.execute(
        "select distinct actor_id::text from audit.audit_logs"
        " where table_name = 'bookings' and record_id = %s and action = 'UPDATE'"
        " and new_data ->> 'status' = 'ACTIVE'",
        (winner["booking_id"],),
    ).fetchall()
    assert actors == [(winner["agent_id"],)]

    # the deal, through approval
    deal = out["deal"]
    stage, closed, commission, requested_by = db.execute(
        "select stage, closed_at is not null, commission_amount::text, agent_user_id::text"
        " from rea.deals where id = %s",
        (deal["deal_id"],),
    ).fetchone()
    assert (stage, closed) == ("won", True) == (deal["stage"], deal["closed"])
    assert commission is not None and commission == deal["commission_amount"]
    assert requested_by == winner["agent_id"]
    approval = db.execute(
        "select status, requested_by::text, approver_id::text, decided_at is not null"
        " from rea.approvals where id = %s and deal_id = %s",
        (deal["approval_id"], deal["deal_id"]),
    ).fetchone()
    assert approval == ("approved", winner["agent_id"], deal["approved_by"], True)
    assert deal["approved_by"] != winner["agent_id"]
    (can_decide,) = db.execute(
        "select exists (select from rea.user_roles as ur"
        " join rea.role_permissions as p on p.client_id = ur.client_id and p.role_id = ur.role_id"
        " where ur.user_id = %s and p.permission_code = 'approvals.decide')",
        (deal["approved_by"],),
    ).fetchone()
    assert can_decide
    assert deal["refusals"] == [
        {
            "attempt": "mark it approved before a manager did",
            "constraint": "deals_approval_required_check",
            "message": NEEDS_APPROVAL,
        },
        {
            "attempt": "approve one's own request",
            "constraint": "approvals_four_eyes_check",
            "message": FOUR_EYES,
        },
    ]
    # the refused attempts left nothing behind: one approval for the deal, never decided
    # by its requester
    (approvals,) = db.execute(
        "select count(*) from rea.approvals where deal_id = %s", (deal["deal_id"],)
    ).fetchone()
    assert approvals == 1


def test_example_client_as_a_login_of_rea_app(seeded):
    out = app_run(seeded, login_url(seeded.info.dbname))
    assert_outcomes(seeded, out)
    # a second run books another property: the first one is sold now
    again = app_run(seeded, login_url(seeded.info.dbname))
    assert again["property_id"] != out["property_id"]
    assert again["available"] == out["available"] - 1
    assert_outcomes(seeded, again)


def test_example_client_behind_pgbouncer_transaction_pooling(seeded, bouncer):
    """All of the program's pooled connections share the bouncer's ONE server
    connection, the racing agents too (the loser waits for the winner's transaction to
    end, then fails on the index). What it set must not outlive its transactions: the
    next client of that server connection finds no tenant and no actor."""
    out = app_run(seeded, bouncer.url(seeded.info.dbname, LOGIN))
    assert_outcomes(seeded, out)
    with psycopg.connect(
        bouncer.url(seeded.info.dbname, LOGIN), autocommit=True, prepare_threshold=None
    ) as after:
        context = after.execute(
            "select current_setting('app.client_id', true), current_setting('app.user_id', true),"
            " rea.current_client_id()"
        ).fetchone()
    assert context[0] in ("", None) and context[1] in ("", None) and context[2] is None


def test_example_client_refuses_a_login_that_bypasses_rls(db_url):
    """The superuser sees every agency: the program will not run as it (the check comes
    before any data is read, so this database needs none)."""
    result = run_app("--dsn", db_url, "--tenant", "7d12696a-6000-d152-4b6d-5858da59861b")
    assert result.returncode == 1
    assert result.stderr.startswith("agent_app: ")
    assert "bypasses row-level security" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_example_client_needs_a_directory_for_a_tenant_name(db):
    ensure_login_role(url_for(db.info.dbname), LOGIN, "rea_app")
    result = run_app("--dsn", login_url(db.info.dbname), "--tenant", TENANT)
    assert result.returncode == 1
    assert "is a name: give its id, or --directory-dsn" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_every_message_names_a_rule_of_the_schema(db):
    spec = importlib.util.spec_from_file_location("agent_app", APP)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("agent_app", module)  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    rows = db.execute(
        r"""
        select conname from pg_constraint
        union select relname from pg_class where relkind = 'i'
        union select m[1] from pg_proc as p,
            regexp_matches(p.prosrc, 'constraint\s*=\s*''([a-z0-9_]+)''', 'gi') as m
        """
    ).fetchall()
    rules = {name for (name,) in rows}
    assert set(module.MESSAGES) - rules == set()

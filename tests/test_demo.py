"""The demo as a newcomer meets it: seed arguments, the role logins, the summary, readb psql.

Everything runs the way `make demo` and the README run it: `readb` and `python -m
readb.demo` in child processes, psql as the demo logins, against a built database.
"""

from __future__ import annotations

import subprocess
import sys

import psycopg
import pytest

from conftest import run_readb
from readb import pgbin
from readb.demo import LOGINS, ensure_logins, login_url


def seed(url: str, *args: str):
    return run_readb("seed", *args, dsn=url, timeout=300)


@pytest.fixture
def demo_url(db_url):
    """A built database with two seeded agencies, refreshed, and the demo logins."""
    assert seed(db_url, "--tenants", "2", "--scale", "1").returncode == 0
    assert run_readb("refresh", dsn=db_url).returncode == 0
    made = subprocess.run(
        [sys.executable, "-m", "readb.demo", "logins", db_url], capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    return db_url


def first_agency(url: str) -> tuple[str, str, int]:
    """(name, id, customers) of the first agency by name, read as the superuser."""
    with psycopg.connect(url) as conn:
        return conn.execute(
            "select c.name, c.id::text, (select count(*) from rea.customers as k"
            " where k.client_id = c.id) from rea.clients as c order by c.name limit 1"
        ).fetchone()


def readb_psql(url: str, *args: str):
    return run_readb("psql", *args, dsn=url)


# --- seed: other arguments for data already there are refused -------------------------------


def test_seed_with_other_arguments_for_the_same_random_seed_is_refused(db_url):
    assert seed(db_url, "--tenants", "2", "--scale", "1").returncode == 0
    again = seed(db_url, "--tenants", "5", "--scale", "2")
    assert again.returncode == 1
    (line,) = again.stderr.strip().splitlines()
    assert "--tenants 2 --scale 1 --as-of 2026-09-30" in line
    assert "--tenants 5 --scale 2" in line and "make demo-reset" in line
    with psycopg.connect(db_url) as conn:
        assert conn.execute("select count(*) from rea.clients").fetchone()[0] == 2


def test_seed_with_the_same_arguments_does_nothing_and_says_so(db_url):
    assert seed(db_url, "--tenants", "1", "--scale", "1").returncode == 0
    again = seed(db_url, "--tenants", "1", "--scale", "1")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "already seeded with these arguments: nothing to do"


def test_another_random_seed_adds_its_tenants(db_url):
    assert seed(db_url, "--tenants", "1", "--scale", "1").returncode == 0
    other = seed(db_url, "--tenants", "2", "--scale", "1", "--random-seed", "9")
    assert other.returncode == 0, other.stderr
    with psycopg.connect(db_url) as conn:
        assert conn.execute("select count(*) from rea.clients").fetchone()[0] == 3


# --- the logins and the summary --------------------------------------------------------------


def test_the_demo_logins_hold_exactly_their_contract_role(demo_url):
    with psycopg.connect(demo_url, autocommit=True) as conn:
        assert ensure_logins(conn) == []  # idempotent: make demo runs it every time
        for role, login in LOGINS.values():
            (can_login, member_of) = conn.execute(
                "select r.rolcanlogin, array(select g.rolname from pg_auth_members as m"
                " join pg_roles as g on g.oid = m.roleid where m.member = r.oid)"
                " from pg_roles as r where r.rolname = %s",
                (login,),
            ).fetchone()
            assert can_login and member_of == [role]


def test_the_summary_names_every_url_and_warns_about_the_superuser(demo_url):
    out = subprocess.run(
        [sys.executable, "-m", "readb.demo", "summary", demo_url], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    for login in ("demo_app", "demo_reporting", "demo_auditor"):
        assert login_url(demo_url, login) in out.stdout
    assert "bypasses row-level security" in out.stdout
    assert "steps applied:" in out.stdout and "customers 300" in out.stdout


def test_the_summary_s_psql_session_works_as_printed(demo_url):
    """Copy the printed session into psql as demo_app: it sees its agency's customers."""
    out = subprocess.run(
        [sys.executable, "-m", "readb.demo", "summary", demo_url], capture_output=True, text=True
    ).stdout.splitlines()
    start = next(i for i, line in enumerate(out) if line.strip().startswith("psql "))
    command = out[start].split()
    session = "\n".join(line.strip() for line in out[start + 1 : start + 6])
    assert session.startswith("begin;") and session.endswith("commit;")
    psql = subprocess.run(
        [pgbin.find("psql"), "-X", "-At", "-v", "ON_ERROR_STOP=1", *command[1:]],
        input=session,
        capture_output=True,
        text=True,
    )
    assert psql.returncode == 0, psql.stderr
    _, _, customers = first_agency(demo_url)
    assert psql.stdout.splitlines()[-2] == str(customers)  # the line before COMMIT


def test_in_autocommit_the_setting_ends_with_its_statement(demo_url):
    """Why the contract and the summary say `begin`: without it the next query sees no
    tenant, returns no rows and warns nothing."""
    _, client_id, customers = first_agency(demo_url)
    url = login_url(demo_url, "demo_app")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("select set_config('app.client_id', %s, true)", (client_id,))
        assert conn.execute("select count(*) from rea.customers").fetchone()[0] == 0
        with conn.transaction():
            conn.execute("select set_config('app.client_id', %s, true)", (client_id,))
            assert conn.execute("select count(*) from rea.customers").fetchone()[0] == customers


# --- readb psql --------------------------------------------------------------------------------


def test_readb_psql_opens_the_app_role_with_the_agency_set(demo_url):
    name, client_id, customers = first_agency(demo_url)
    result = readb_psql(
        demo_url,
        "--as", "app", "--tenant", name, "--",
        "-At", "-c", "select current_user, rea.current_client_id(), count(*) from rea.customers",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"demo_app|{client_id}|{customers}"
    assert f"agency {name} ({client_id})" in result.stderr  # the banner


def test_readb_psql_as_reporting_reads_the_views_but_no_table(demo_url):
    name, client_id, _ = first_agency(demo_url)
    with psycopg.connect(demo_url) as conn:
        (deals,) = conn.execute(
            "select count(*) from rea.deals where client_id = %s", (client_id,)
        ).fetchone()
    views = readb_psql(
        demo_url, "--as", "reporting", "--tenant", name, "--",
        "-At", "-c", "select count(*), count(distinct client_id) from reporting.fact_deals",
    )  # fmt: skip
    assert views.returncode == 0, views.stderr
    assert views.stdout.strip() == f"{deals}|1"
    table = readb_psql(
        demo_url, "--as", "reporting", "--tenant", name, "--",
        "-v", "ON_ERROR_STOP=1", "-c", "select count(*) from rea.customers",
    )  # fmt: skip
    assert table.returncode != 0 and "permission denied" in table.stderr


def test_readb_psql_names_the_agencies_when_the_name_is_wrong(demo_url):
    name, _, _ = first_agency(demo_url)
    result = readb_psql(demo_url, "--tenant", "No Such Agency")
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert "'No Such Agency'" in line and name in line


@pytest.mark.parametrize(
    "dsn",
    [
        "postgresql://postgres@db.invalid:5432/rea",  # refused before any connection
        "postgresql://postgres@127.0.0.1:1/rea_demo",  # loopback, but not the demo's port
    ],
)
def test_readb_psql_refuses_anything_but_the_local_demo(dsn):
    result = run_readb("psql", "--tenant", "Palm Realty 1", dsn=dsn)
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert "local demo cluster" in line and "--any-server" in line

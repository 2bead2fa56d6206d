"""The schema distributed on a real three-node Citus cluster keeps the same guarantees.

Skipped, with the reason, where Citus is not installed (`../shared/citus/build.sh` builds
it on these machines; .ci/run does that in CI). One throwaway cluster for the module, made
by the helper `make citus-up` runs (tools/readb/citus_cluster.py) in a folder under /tmp
on free ports, and destroyed afterwards.

The helper: every node runs Citus (preloaded ahead of pg_stat_statements), has the
database and the extension, the coordinator knows itself and both workers.

The distributed database: `citus_cluster.build` applies every step on the coordinator and
runs sql/citus/distribute.sql. Two agencies are seeded, and from LOGIN members of the
contract's roles, which set the tenant and actor the Citus way (`set local app.client_id`,
`set local app.user_id`: Citus forwards SET LOCAL to the nodes, not set_config()):

- every tenant table is distributed by client_id, all co-located; the rest are reference
  tables;
- tenant isolation under RLS for rea_app, on the shards; fail-closed without a tenant (and
  with set_config() alone, which never reaches the workers);
- one ACTIVE booking per property under concurrent racers;
- the deal and approval workflow, four eyes included, and a won deal closes its property
  (the row-level variant of 7410);
- every mutation audited with its actor and the table's own name, the audit row on the
  same node as the row it records; the auditor reads only its tenant's rows;
- erasure of a customer's personal data;
- the fact views per tenant (their materialized views live on the coordinator);
- a tenant's interactive query, filtered by client_id, runs on one shard (EXPLAIN shows
  the router's single task); without the filter it fans out, which is why the
  application filters by client_id on Citus;
- a node added later joins; a tenant isolated to its own shard keeps its rows, audit and
  rules while the application writes.
"""

import os
import re
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from psycopg import errors, sql
from psycopg.rows import dict_row

from conftest import insert, make_tenant
from readb import citus_cluster

pytestmark = pytest.mark.skipif(
    citus_cluster.installed() is not None,
    reason=f"Citus is not installed: {citus_cluster.installed()} "
    "(build it with ../shared/citus/build.sh, or install Citus's packages)",
)

PLAIN_DB = "readb_citus_test"
DIST_DB = "readb_citus_dist"
LOGINS = {"t_app": "rea_app", "t_reporting": "rea_reporting", "t_auditor": "rea_auditor"}
STARTS = datetime(2024, 6, 1, 14, tzinfo=UTC)


@pytest.fixture(scope="module")
def citus():
    # Under /tmp, not pytest's 0700 folder: as root the nodes belong to the postgres OS user.
    base = Path(tempfile.mkdtemp(prefix="readb-citus-test-"))
    os.chmod(base, 0o755)
    saved = {k: os.environ.get(k) for k in ("READB_CITUS_DATA", "READB_CITUS_PORT")}
    os.environ["READB_CITUS_DATA"] = str(base / "nodes")
    os.environ["READB_CITUS_PORT"] = "54444"
    try:
        citus_cluster.up(PLAIN_DB)
        yield citus_cluster
    finally:
        citus_cluster.destroy()
        shutil.rmtree(base, ignore_errors=True)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def dist(citus):
    """The coordinator URL of a built, distributed database with two seeded agencies."""
    url = citus.build(DIST_DB)
    with psycopg.connect(url, autocommit=True) as conn:
        for login, role in LOGINS.items():
            conn.execute(
                sql.SQL("create role {} login in role {}").format(
                    sql.Identifier(login), sql.Identifier(role)
                )
            )
    return url


@pytest.fixture(scope="module")
def tenants(dist):
    with psycopg.connect(dist, autocommit=True) as conn:
        return make_tenant(conn, "Al Noor Realty"), make_tenant(conn, "Gulf Homes")


def login_url(url: str, login: str) -> str:
    return url.replace("postgres@", f"{login}@", 1)


@contextmanager
def acting(url, tenant, login="t_app", actor=None):
    """One transaction as `login`, the tenant and actor set with SET LOCAL (None: unset)."""
    with psycopg.connect(login_url(url, login)) as conn, conn.transaction():
        if tenant is not None:
            conn.execute(
                sql.SQL("set local app.client_id = {}").format(sql.Literal(str(tenant.client_id)))
            )
        user = actor if actor is not None else (tenant.agent_id if tenant else None)
        if user is not None:
            conn.execute(sql.SQL("set local app.user_id = {}").format(sql.Literal(str(user))))
        yield conn


def rule_named(error: psycopg.Error) -> str | None:
    """The rule an error names. From a shard, Citus passes on the SQLSTATE and the message
    but not the constraint field: a constraint's name is read from the message (the last
    quoted name, the shard's `<name>_<shard id>`); a rule a trigger raises is named only in
    that field, so on Citus it reaches the client as its SQLSTATE and message alone."""
    if error.diag.constraint_name:
        return error.diag.constraint_name
    names = re.findall(r'"([a-z_]+?)(?:_[0-9]+)?"', error.diag.message_primary or "")
    return names[-1] if names else None


def count(conn, query, params=()):
    return conn.execute(query, params).fetchone()[0]


# --- the helper ------------------------------------------------------------------------


def test_every_node_runs_citus_with_the_projects_preloads(citus):
    assert citus.node_names() == ["coordinator", "worker1", "worker2"]
    ports = set()
    for name in citus.node_names():
        with psycopg.connect(citus.node_url(name, PLAIN_DB)) as conn:
            preload = conn.execute("show shared_preload_libraries").fetchone()[0]
            assert preload.split(",")[0] == "citus", name
            assert "pg_stat_statements" in preload, name
            assert conn.execute("select 1 from pg_extension where extname = 'citus'").fetchone()
            ports.add(conn.info.port)
    assert len(ports) == 3


def test_the_coordinator_knows_itself_and_both_workers(citus):
    with psycopg.connect(citus.coordinator_url(PLAIN_DB)) as conn:
        nodes = conn.execute(
            "select groupid = 0, isactive from pg_dist_node order by groupid"
        ).fetchall()
    assert nodes == [(True, True), (False, True), (False, True)]


def test_a_distributed_table_gets_shards_on_both_workers(citus):
    with psycopg.connect(citus.coordinator_url(PLAIN_DB), autocommit=True) as conn:
        conn.execute("create table probe (client_id uuid not null, n int)")
        conn.execute("select create_distributed_table('probe', 'client_id')")
        conn.execute("insert into probe select gen_random_uuid(), g from generate_series(1, 100) g")
        placed = count(
            conn,
            "select count(distinct nodeport) from citus_shards"
            " where table_name = 'probe'::regclass",
        )
        assert placed == 2
        assert count(conn, "select count(*) from probe") == 100
        conn.execute("drop table probe")


def test_up_again_changes_nothing(citus):
    citus.up(PLAIN_DB)
    with psycopg.connect(citus.coordinator_url(PLAIN_DB)) as conn:
        assert count(conn, "select count(*) from pg_dist_node") == 3


# --- the distributed schema ------------------------------------------------------------


def test_tenant_tables_are_distributed_by_client_id_and_co_located(dist):
    with psycopg.connect(dist) as conn:
        rows = conn.execute(
            """
            select t.table_name::text, t.citus_table_type, t.distribution_column,
                t.colocation_id,
                exists (select from pg_attribute a where a.attrelid = t.table_name
                    and a.attname = 'client_id' and not a.attisdropped) as tenant
            from citus_tables t
            where t.table_name::regclass::text !~ '^audit\\.audit_logs_[0-9]'
            """
        ).fetchall()
        local = conn.execute(
            """
            select c.oid::regclass::text from pg_class c
            where c.relnamespace::regnamespace::text in ('rea', 'audit', 'migrations', 'monitoring')
                and c.relkind in ('r', 'p') and not c.relispartition
                and c.oid not in (select logicalrelid from pg_dist_partition)
            """
        ).fetchall()
    assert local == []
    tenant = [r for r in rows if r[4]]
    assert {r[0] for r in tenant} >= {"audit.audit_logs", "audit.seals", "rea.bookings"}
    assert {(r[1], r[2]) for r in tenant} == {("distributed", "client_id")}
    assert len({r[3] for r in tenant}) == 1, "tenant tables are not all co-located"
    assert {r[1] for r in rows if not r[4]} == {"reference"}
    assert "rea.clients" in {r[0] for r in rows if not r[4]}


def test_a_tenant_sees_only_its_own_rows_on_the_shards(dist, tenants):
    mine, theirs = tenants
    with acting(dist, mine) as app:
        assert count(app, "select count(*) from rea.customers") == 1
        assert count(app, "select count(*) from rea.users") == 2
        assert (
            count(
                app, "select count(*) from rea.customers where client_id = %s", (theirs.client_id,)
            )
            == 0
        )
        assert (
            app.execute(
                "update rea.customers set phone = '+966 50 000 0000' where client_id = %s",
                (theirs.client_id,),
            ).rowcount
            == 0
        )
        with pytest.raises(errors.InsufficientPrivilege) as other, app.transaction():
            insert(app, "branches", client_id=theirs.client_id, name="Intruder", city="Dubai")
        assert "row-level security" in str(other.value)
        # the column grants hold: the application may not choose a branch's id
        with pytest.raises(errors.InsufficientPrivilege) as column, app.transaction():
            insert(app, "branches", client_id=mine.client_id, id=mine.branch_id, name="X", city="Y")
        assert "permission denied for table branches" in str(column.value)
        assert insert(app, "branches", client_id=mine.client_id, name="Corniche", city="Jeddah")
    with acting(dist, theirs) as app:
        assert count(app, "select count(*) from rea.customers") == 1


def test_without_a_tenant_the_shards_return_nothing(dist, tenants):
    mine, _ = tenants
    with acting(dist, None) as app:
        assert count(app, "select count(*) from rea.customers") == 0
        assert count(app, "select count(*) from rea.properties") == 0
        with pytest.raises(errors.InsufficientPrivilege) as nobody, app.transaction():
            insert(app, "branches", client_id=mine.client_id, name="Nobody's", city="Riyadh")
        assert "row-level security" in str(nobody.value)
    # set_config() stays on the coordinator: the workers see no tenant, and fail closed.
    with psycopg.connect(login_url(dist, "t_app")) as app, app.transaction():
        app.execute("select set_config('app.client_id', %s, true)", (str(mine.client_id),))
        assert count(app, "select count(*) from rea.customers") == 0


def _race(dist, tenant, prop, barrier):
    with acting(dist, tenant) as app:
        barrier.wait(timeout=30)
        try:
            with app.transaction():
                return insert(
                    app,
                    "bookings",
                    client_id=tenant.client_id,
                    property_id=prop,
                    customer_id=tenant.customer_id,
                    status="ACTIVE",
                    starts_at=STARTS,
                    ends_at=STARTS + timedelta(days=7),
                )["id"]
        except errors.UniqueViolation as refused:
            return rule_named(refused)


def test_one_active_booking_per_property_under_racers(dist, tenants):
    mine, _ = tenants
    with acting(dist, mine) as app:
        prop = mine.property(app)["id"]
    racers = 8
    barrier = threading.Barrier(racers)
    with ThreadPoolExecutor(racers) as pool:
        outcomes = [
            f.result()
            for f in [pool.submit(_race, dist, mine, prop, barrier) for _ in range(racers)]
        ]
    losers = [o for o in outcomes if o == "bookings_one_active_per_property_key"]
    assert len(losers) == racers - 1, outcomes
    with acting(dist, mine) as app:
        assert (
            count(
                app,
                "select count(*) from rea.bookings where client_id = %s and property_id = %s"
                " and status = 'ACTIVE'",
                (mine.client_id, prop),
            )
            == 1
        )
        status = count(
            app,
            "select status from rea.properties where client_id = %s and id = %s",
            (mine.client_id, prop),
        )
        assert status == "reserved"


def _update(conn, table, client_id, row_id, **changes):
    assignments = sql.SQL(", ").join(
        sql.SQL("{} = {}").format(sql.Identifier(c), sql.Placeholder()) for c in changes
    )
    query = sql.SQL("update rea.{} set {} where client_id = %s and id = %s returning *").format(
        sql.Identifier(table), assignments
    )
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(query, (*changes.values(), client_id, row_id)).fetchone()


@pytest.fixture(scope="module")
def won_deal(dist, tenants):
    """A sale taken from lead to won through an approval, as the application does it."""
    mine, _ = tenants
    with acting(dist, mine) as app:
        prop = mine.property(app)["id"]
        deal = insert(
            app,
            "deals",
            client_id=mine.client_id,
            property_id=prop,
            customer_id=mine.customer_id,
            agent_user_id=mine.agent_id,
            deal_type="sale",
            amount=Decimal("850000"),
            currency="SAR",
        )
        for stage in ("negotiation", "pending_approval"):
            _update(app, "deals", mine.client_id, deal["id"], stage=stage)
        with pytest.raises(errors.CheckViolation) as early, app.transaction():
            _update(app, "deals", mine.client_id, deal["id"], stage="approved")
        assert "needs an approved approval" in str(early.value)  # deals_approval_required_check
        approval = insert(
            app,
            "approvals",
            client_id=mine.client_id,
            subject_type="deal",
            deal_id=deal["id"],
            requested_by=mine.agent_id,
            reason="Discount of 2% for a cash buyer",
        )
        with pytest.raises(errors.CheckViolation) as own, app.transaction():
            _update(
                app,
                "approvals",
                mine.client_id,
                approval["id"],
                status="approved",
                approver_id=mine.agent_id,
                decision_note="mine",
            )
        assert rule_named(own.value) == "approvals_four_eyes_check", own.value
    with acting(dist, mine, actor=mine.manager_id) as app:
        _update(
            app,
            "approvals",
            mine.client_id,
            approval["id"],
            status="approved",
            approver_id=mine.manager_id,
            decision_note="Within policy",
        )
        _update(app, "deals", mine.client_id, deal["id"], stage="approved")
        _update(app, "deals", mine.client_id, deal["id"], stage="won")
    return {"deal": deal["id"], "approval": approval["id"], "property": prop}


def test_the_deal_and_approval_workflow(dist, tenants, won_deal):
    mine, _ = tenants
    with acting(dist, mine) as app:
        stage, closed_at = app.execute(
            "select stage, closed_at from rea.deals where client_id = %s and id = %s",
            (mine.client_id, won_deal["deal"]),
        ).fetchone()
        assert stage == "won" and closed_at is not None
        status = count(
            app,
            "select status from rea.properties where client_id = %s and id = %s",
            (mine.client_id, won_deal["property"]),
        )
        assert status == "sold"  # the row-level variant of 7410_won_deal_closes_property
        with pytest.raises(errors.CheckViolation) as closed, app.transaction():
            _update(app, "deals", mine.client_id, won_deal["deal"], amount=Decimal("1"))
        assert "and closed" in str(closed.value)  # deals_closed_check


def test_every_mutation_is_audited_with_its_actor_on_the_rows_node(dist, tenants, won_deal):
    mine, theirs = tenants
    with acting(dist, mine, login="t_auditor") as auditor:
        rows = auditor.execute(
            "select action, actor_id, changed_columns from audit.audit_logs"
            " where client_id = %s and table_name = 'deals' and record_id = %s order by id",
            (mine.client_id, str(won_deal["deal"])),
        ).fetchall()
        assert [r[0] for r in rows] == ["INSERT"] + ["UPDATE"] * 4
        assert [r[1] for r in rows] == [mine.agent_id] * 3 + [mine.manager_id] * 2
        assert all("stage" in r[2] for r in rows[1:])
        assert (
            count(
                auditor,
                "select count(*) from audit.audit_logs where table_name = 'properties'"
                " and record_id = %s and action = 'UPDATE'",
                (str(won_deal["property"]),),
            )
            == 1
        )
        assert (
            count(
                auditor,
                "select count(*) from audit.audit_logs where client_id = %s",
                (theirs.client_id,),
            )
            == 0
        )
        assert (
            count(auditor, "select count(*) from audit.audit_logs where table_name ~ '_[0-9]+$'")
            == 0
        )
    with psycopg.connect(dist) as conn:
        nodes = conn.execute(
            """
            select s.table_name::text, s.nodeport from citus_shards s
            where s.table_name in ('rea.deals'::regclass, 'audit.audit_logs'::regclass)
                and s.shardid in (
                    get_shard_id_for_distribution_column('rea.deals', %s),
                    get_shard_id_for_distribution_column('audit.audit_logs', %s))
            """,
            (mine.client_id, mine.client_id),
        ).fetchall()
    assert len(nodes) == 2 and nodes[0][1] == nodes[1][1], nodes


def test_a_shared_tables_change_is_audited_once(dist):
    with psycopg.connect(dist, autocommit=True) as conn:
        conn.execute(
            "insert into rea.fx_rates (base_currency, quote_currency, rate_date, rate)"
            " values ('USD', 'SAR', '2020-01-01', 3.75)"
        )
        rows = conn.execute(
            "select client_id::text, table_name from audit.audit_logs"
            " where table_name = 'fx_rates' and action = 'INSERT'"
        ).fetchall()
    assert rows == [("00000000-0000-0000-0000-000000000000", "fx_rates")]


def test_erasure_removes_the_customers_personal_data(dist, tenants):
    _, theirs = tenants
    with acting(dist, theirs) as app:
        customer = insert(
            app,
            "customers",
            client_id=theirs.client_id,
            full_name="Layla To Forget",
            email="layla@example.com",
            phone="+971 50 765 4321",
        )
    # Its own transaction: on Citus a security definer function (erase_customer runs as its
    # owner) and its caller cannot both touch a shard in one transaction, in either order.
    with acting(dist, theirs) as app:
        app.execute("select rea.erase_customer(%s)", (customer["id"],))
    with acting(dist, theirs) as app:
        name, email = app.execute(
            "select full_name, email from rea.customers where client_id = %s and id = %s",
            (theirs.client_id, customer["id"]),
        ).fetchone()
        assert name == "Erased customer" and email is None
    with psycopg.connect(dist) as conn:
        assert (
            count(
                conn,
                "select count(*) from audit.audit_logs where client_id = %s"
                " and (coalesce(old_data, '{}') || coalesce(new_data, '{}'))::text ~ 'Layla|layla'",
                (theirs.client_id,),
            )
            == 0
        )


def test_fact_views_per_tenant(dist, tenants, won_deal):
    mine, theirs = tenants
    with psycopg.connect(dist, autocommit=True) as conn:
        assert count(conn, "select reporting.refresh_facts()") >= 3
    with acting(dist, mine, login="t_reporting") as reporting:
        ids = [r[0] for r in reporting.execute("select id from reporting.fact_deals").fetchall()]
        assert ids == [won_deal["deal"]]
    with acting(dist, theirs, login="t_reporting") as reporting:
        assert count(reporting, "select count(*) from reporting.fact_deals") == 0


def _plan(conn, query, params):
    return "\n".join(r[0] for r in conn.execute("explain " + query, params).fetchall())


def test_a_tenants_interactive_query_runs_on_one_shard(dist, tenants):
    mine, _ = tenants
    queries = [
        "select id, title from rea.properties where client_id = %s and status = 'available'",
        "select d.id, p.title from rea.deals d join rea.properties p"
        " on p.client_id = d.client_id and p.id = d.property_id where d.client_id = %s",
        "select count(*) from rea.bookings where client_id = %s and status = 'ACTIVE'",
    ]
    with acting(dist, mine) as app:
        for query in queries:
            plan = _plan(app, query, (mine.client_id,))
            assert "Task Count: 1" in plan, plan
        fanned = _plan(app, "select id from rea.properties where status = 'available'", ())
        assert "Task Count: 1\n" not in fanned + "\n"


# --- operations ------------------------------------------------------------------------


def test_a_tenant_isolated_to_its_own_shard_keeps_rows_audit_and_rules(dist, tenants):
    mine, _ = tenants
    with acting(dist, mine) as app:
        before = {
            t: count(app, f"select count(*) from rea.{t}")
            for t in ("customers", "properties", "deals", "bookings")
        }
    with psycopg.connect(dist, autocommit=True) as conn:
        audit_before = count(
            conn, "select count(*) from audit.audit_logs where client_id = %s", (mine.client_id,)
        )
        shard = count(
            conn,
            "select isolate_tenant_to_new_shard('rea.customers', %s, 'CASCADE',"
            " shard_transfer_mode => 'block_writes')",
            (mine.client_id,),
        )
        assert shard == count(
            conn,
            "select get_shard_id_for_distribution_column('rea.customers', %s)",
            (mine.client_id,),
        )
        assert (
            count(
                conn,
                "select count(*) from audit.audit_logs where client_id = %s",
                (mine.client_id,),
            )
            == audit_before
        )
    citus_cluster.distribute(DIST_DB)  # the new shards get the shard-level grants
    with acting(dist, mine) as app:
        after = {t: count(app, f"select count(*) from rea.{t}") for t in before}
        assert after == before
        prop = mine.property(app)["id"]  # the app writes on; the rules and the audit follow
        with pytest.raises(errors.CheckViolation), app.transaction():
            _update(app, "properties", mine.client_id, prop, listing_type="timeshare")
    with psycopg.connect(dist) as conn:
        assert (
            count(
                conn,
                "select count(*) from audit.audit_logs where client_id = %s",
                (mine.client_id,),
            )
            == audit_before + 1
        )


def test_an_added_worker_joins_and_takes_shards(citus, dist, tenants):
    mine, _ = tenants
    name = citus.add_worker()
    assert name == "worker3"
    with psycopg.connect(dist, autocommit=True) as conn:
        port = citus._node_port(name)
        assert port in {r[0] for r in conn.execute("select nodeport from pg_dist_node").fetchall()}
        conn.execute("select citus_rebalance_start(shard_transfer_mode => 'block_writes')")
        conn.execute("select citus_rebalance_wait()")
        citus_cluster.distribute(DIST_DB)
        assert count(conn, "select count(*) from citus_shards where nodeport = %s", (port,)) > 0
    with acting(dist, mine) as app:
        assert count(app, "select count(*) from rea.customers") == 1
        assert mine.property(app)  # writes go on, wherever the shards now are

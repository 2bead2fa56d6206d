"""The local Citus cluster (tools/readb/citus_cluster.py): a coordinator and two workers.

Skipped, with the reason, where Citus is not installed (`../shared/citus/build.sh` builds
it here; .ci/run does that in CI). The cluster is made in a temporary folder on free
ports, from the helper the Makefile's `citus-up` runs, and destroyed afterwards.

What is proven here is the helper: every node runs with Citus preloaded, has the database
and the extension, and the coordinator knows its own host and both workers, so a
distributed table gets shards on both; a node added later joins every Citus database.
Distributing the project's schema is not proven yet: sql/citus/distribute.sql is a draft
(see README "Scaling out" for what it handles and where it stops).
"""

import os
import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest

from readb import citus_cluster

pytestmark = pytest.mark.skipif(
    citus_cluster.installed() is not None,
    reason=f"Citus is not installed: {citus_cluster.installed()} "
    "(build it with ../shared/citus/build.sh, or install Citus's packages)",
)


@pytest.fixture(scope="module")
def citus():
    # Under /tmp, not pytest's 0700 folder: as root the nodes belong to the postgres OS user.
    base = Path(tempfile.mkdtemp(prefix="readb-citus-test-"))
    os.chmod(base, 0o755)
    saved = {k: os.environ.get(k) for k in ("READB_CITUS_DATA", "READB_CITUS_PORT")}
    os.environ["READB_CITUS_DATA"] = str(base / "nodes")
    os.environ["READB_CITUS_PORT"] = "54444"
    try:
        citus_cluster.up("readb_citus_test")
        yield citus_cluster
    finally:
        citus_cluster.destroy()
        shutil.rmtree(base, ignore_errors=True)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_every_node_runs_citus_with_the_projects_preloads(citus):
    assert citus.node_names() == ["coordinator", "worker1", "worker2"]
    ports = set()
    for name in citus.node_names():
        with psycopg.connect(citus.node_url(name, "readb_citus_test")) as conn:
            preload = conn.execute("show shared_preload_libraries").fetchone()[0]
            assert preload.split(",")[0] == "citus", name
            assert "pg_stat_statements" in preload, name
            assert conn.execute(
                "select extversion from pg_extension where extname = 'citus'"
            ).fetchone()
            ports.add(conn.info.port)
    assert len(ports) == 3


def test_the_coordinator_knows_itself_and_both_workers(citus):
    with psycopg.connect(citus.coordinator_url("readb_citus_test")) as conn:
        nodes = conn.execute(
            "select groupid = 0, nodeport, isactive from pg_dist_node order by groupid"
        ).fetchall()
    assert [n[0] for n in nodes] == [True, False, False]
    assert all(n[2] for n in nodes)


def test_a_distributed_table_gets_shards_on_both_workers(citus):
    with psycopg.connect(citus.coordinator_url("readb_citus_test"), autocommit=True) as conn:
        conn.execute("create table probe (client_id uuid not null, n int)")
        conn.execute("select create_distributed_table('probe', 'client_id')")
        conn.execute("insert into probe select gen_random_uuid(), g from generate_series(1, 100) g")
        placed = conn.execute(
            "select count(distinct nodeport) from citus_shards where table_name = 'probe'::regclass"
        ).fetchone()[0]
        assert placed == 2
        assert conn.execute("select count(*) from probe").fetchone()[0] == 100
        conn.execute("drop table probe")


def test_up_again_changes_nothing(citus):
    citus.up("readb_citus_test")
    with psycopg.connect(citus.coordinator_url("readb_citus_test")) as conn:
        assert conn.execute("select count(*) from pg_dist_node").fetchone()[0] == 3


def test_an_added_worker_joins_every_citus_database(citus):
    name = citus.add_worker()
    assert name == "worker3"
    with psycopg.connect(citus.coordinator_url("readb_citus_test")) as conn:
        ports = {r[0] for r in conn.execute("select nodeport from pg_dist_node").fetchall()}
    with psycopg.connect(citus.node_url(name, "readb_citus_test")) as conn:
        assert conn.info.port in ports
        assert conn.execute("select 1 from pg_extension where extname = 'citus'").fetchone()

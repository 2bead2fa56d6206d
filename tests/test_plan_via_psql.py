"""`readb plan --sql` run through `psql -X -v ON_ERROR_STOP=1 -f FILE` does what `readb up` does."""

import re
import subprocess
from pathlib import Path

import psycopg
from psycopg.conninfo import make_conninfo

from conftest import DEPLOYER, SQL_DIR, run_readb, split_rollout
from readb import dump, pgbin
from readb.lock import LOCK_KEY
from readb.steps import Step, discover


def steps() -> list[Step]:
    return discover(SQL_DIR)


def plan(dsn: str, tmp_path: Path) -> Path:
    result = run_readb("plan", "--sql", dsn=dsn)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "rollout.sql"
    path.write_text(result.stdout)
    return path


def psql_file(dsn: str, path: Path) -> subprocess.CompletedProcess:
    """What the DBA runs."""
    return subprocess.run(
        [pgbin.find("psql"), "-X", "-v", "ON_ERROR_STOP=1", "-f", str(path), "-d", dsn],
        capture_output=True,
        text=True,
        timeout=120,
    )


def recorded(dsn: str) -> list[tuple]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        exists = conn.execute("select to_regclass('readb.applied_steps')").fetchone()
        if exists == (None,):
            return []
        return conn.execute(
            "select version, name, checksum, transactional from readb.applied_steps order by 1"
        ).fetchall()


def pending(dsn: str) -> list[str]:
    status = run_readb("status", dsn=dsn)
    assert status.returncode == 0, status.stdout + status.stderr
    rows = [line.split() for line in status.stdout.splitlines() if not line.startswith("--")]
    assert len(rows) == len(steps())
    return [row[0] for row in rows if row[1] != "applied"]


def planned_steps(script: str) -> list[str]:
    return re.findall(r"^-- (\d{4}_\w+): sql/", script, flags=re.MULTILINE)


def test_the_plan_builds_the_same_schema_as_up(empty_url, db_url, tmp_path):
    script = plan(empty_url, tmp_path)
    assert recorded(empty_url) == []  # planning wrote nothing, not even the bookkeeping
    assert planned_steps(script.read_text()) == [s.name for s in steps()]

    applied = psql_file(empty_url, script)

    assert applied.returncode == 0, applied.stderr
    assert dump.schema(empty_url) == dump.schema(db_url)  # db_url: a database built by `up`
    assert pending(empty_url) == []
    assert recorded(empty_url) == recorded(db_url)
    assert len(recorded(empty_url)) == len(steps())


def test_on_a_partly_applied_database_the_plan_holds_only_the_pending_steps(
    empty_url, db_url, tmp_path
):
    all_steps = steps()
    third = all_steps[2]
    up = run_readb("up", "--to", third.name, dsn=empty_url)
    assert up.returncode == 0, up.stderr

    script = plan(empty_url, tmp_path)
    text = script.read_text()
    later = [s.name for s in all_steps[3:]]
    assert planned_steps(text) == later
    assert f"-- pending steps: {', '.join(later)}\n" in text

    applied = psql_file(empty_url, script)
    assert applied.returncode == 0, applied.stderr
    assert pending(empty_url) == []
    assert dump.schema(empty_url) == dump.schema(db_url)


def test_running_a_plan_twice_fails_the_second_time_and_changes_nothing(empty_url, tmp_path):
    script = plan(empty_url, tmp_path)
    assert psql_file(empty_url, script).returncode == 0
    before = (dump.schema(empty_url), recorded(empty_url))

    again = psql_file(empty_url, script)

    assert again.returncode != 0
    assert "this plan is stale" in again.stderr  # refused before any step runs
    assert (dump.schema(empty_url), recorded(empty_url)) == before


def test_the_plan_refuses_to_run_while_another_rollout_holds_the_lock(empty_url, tmp_path):
    script = plan(empty_url, tmp_path)
    with psycopg.connect(empty_url, autocommit=True) as other:
        other.execute("select pg_advisory_lock(%s)", (LOCK_KEY,))
        refused = psql_file(empty_url, script)
        created = other.execute(
            "select nspname from pg_namespace where nspname in ('readb', 'rea', 'extensions')"
        ).fetchall()

    assert refused.returncode != 0
    assert "another readb run holds the rollout lock; nothing was applied" in refused.stderr
    assert created == []


def test_a_plan_with_superuser_steps_applies_nothing_as_the_rollout_login(empty_url, tmp_path):
    """A psql plan runs on one connection: one holding `-- readb:superuser` steps (or
    listed ones) stops before the lock and the first step unless that is a superuser's."""
    first = split_rollout("up", "--to", "0100_roles", admin_url=empty_url)
    assert first.returncode == 0, first.stderr
    before = recorded(empty_url)
    script = plan(empty_url, tmp_path)
    assert "-- steps that need a superuser (readb:superuser): 0110_extensions," in (
        script.read_text()
    )
    refused = psql_file(make_conninfo(empty_url, user=DEPLOYER), script)
    assert refused.returncode != 0
    assert "this plan holds steps that need a superuser" in refused.stderr
    assert recorded(empty_url) == before

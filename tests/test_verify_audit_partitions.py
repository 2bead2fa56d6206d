"""`readb verify` fails when the audit trail has no partition for this month or the next.

audit.audit_logs has no default partition on purpose, so a missing partition makes every
audited write fail once the month turns; verify is where an operator learns it first.
"""

from conftest import run_readb


def test_verify_passes_with_the_partitions_the_step_made(db, db_url):
    db.commit()
    result = run_readb("verify", dsn=db_url)
    assert result.returncode == 0, result.stderr


def test_verify_names_a_missing_partition(db, db_url):
    (name,) = db.execute(
        "select 'audit_logs_' || to_char(now() at time zone 'UTC' + interval '1 month', 'YYYY_MM')"
    ).fetchone()
    db.execute(f"drop table audit.{name}")
    db.commit()
    result = run_readb("verify", dsn=db_url)
    assert result.returncode == 1
    assert f"audit.{name} is missing" in result.stdout + result.stderr

    db.execute("select audit.create_partitions(1)")
    db.commit()
    assert run_readb("verify", dsn=db_url).returncode == 0

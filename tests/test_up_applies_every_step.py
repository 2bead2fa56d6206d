"""`readb up` on an empty database applies every step once; a second run applies nothing."""

from conftest import run_readb


def test_fresh_up_applies_every_step_and_records_it(empty_url, empty_db):
    first = run_readb("up", dsn=empty_url)
    assert first.returncode == 0, first.stderr
    recorded = empty_db.execute("select name from readb.applied_steps order by version").fetchall()
    steps = run_readb("steps", dsn=empty_url).stdout.split("\n")
    assert [name for (name,) in recorded] == [line.split()[0] for line in steps if line]

    second = run_readb("up", dsn=empty_url)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "nothing to apply"


def test_status_lists_every_step_as_applied(db_url):
    status = run_readb("status", dsn=db_url)
    assert status.returncode == 0
    rows = [line.split() for line in status.stdout.splitlines() if not line.startswith("--")]
    assert rows and all(row[1] == "applied" for row in rows)

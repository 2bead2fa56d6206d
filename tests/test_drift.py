"""An applied step is never edited: status, verify and up refuse a changed or vanished step file."""

import pytest

from conftest import run_readb

TREE = {
    "ddl/0010_accounts.sql": "-- Accounts.\ncreate table accounts (id int);\n",
    "ddl/0010_accounts.down.sql": "drop table accounts;\n",
    "ddl/0020_ledger.sql": "-- Ledger.\ncreate table ledger (id int);\n",
    "ddl/0020_ledger.down.sql": "drop table ledger;\n",
}
NEW_STEP = {
    "migrations/0030_audit.sql": "create table audit_trail (id int);\n",
    "migrations/0030_audit.down.sql": "drop table audit_trail;\n",
}


@pytest.fixture
def applied(make_steps, empty_url):
    """The two-step tree, applied; returns its sql dir."""
    sql_dir = make_steps(TREE)
    result = run_readb("up", dsn=empty_url, sql_dir=sql_dir)
    assert result.returncode == 0, result.stderr
    return sql_dir


def add_new_step(sql_dir) -> None:
    for rel, text in NEW_STEP.items():
        (sql_dir / rel).parent.mkdir(exist_ok=True)
        (sql_dir / rel).write_text(text)


def status_rows(stdout: str) -> dict[str, str]:
    """{step name: state} from `readb status`."""
    return {
        line.split()[0]: line.split()[1]
        for line in stdout.splitlines()
        if line.strip() and not line.startswith("--")
    }


def recorded(conn) -> list[str]:
    conn.rollback()
    return [n for (n,) in conn.execute("select name from readb.applied_steps order by version")]


def test_an_untouched_tree_is_clean(applied, empty_url):
    status = run_readb("status", dsn=empty_url, sql_dir=applied)
    assert status.returncode == 0, status.stderr
    assert status_rows(status.stdout) == {"0010_accounts": "applied", "0020_ledger": "applied"}
    assert run_readb("verify", dsn=empty_url, sql_dir=applied).returncode == 0


def test_status_reports_an_edited_applied_step_as_drift(applied, empty_url):
    (applied / "ddl/0020_ledger.sql").write_text("create table ledger (id bigint);\n")
    status = run_readb("status", dsn=empty_url, sql_dir=applied)
    assert status.returncode == 1
    assert status_rows(status.stdout) == {"0010_accounts": "applied", "0020_ledger": "drift"}


def test_verify_names_the_edited_step(applied, empty_url):
    (applied / "ddl/0010_accounts.sql").write_text(
        "-- Accounts!\ncreate table accounts (id int);\n"
    )
    verify = run_readb("verify", dsn=empty_url, sql_dir=applied)
    assert verify.returncode == 1
    assert "0010_accounts: file changed since it was applied" in verify.stdout
    assert verify.stderr.startswith("readb: verify found 1 problem(s): 0010_accounts")
    assert "0020_ledger" not in verify.stderr


def test_up_refuses_to_apply_anything_while_a_step_has_drifted(applied, empty_url, empty_db):
    (applied / "ddl/0010_accounts.sql").write_text("create table accounts (id uuid);\n")
    add_new_step(applied)
    up = run_readb("up", dsn=empty_url, sql_dir=applied)
    assert up.returncode == 1
    assert up.stderr.count("\n") == 1
    assert up.stderr.startswith(
        "readb: applied steps changed since they were applied: 0010_accounts"
    )
    assert recorded(empty_db) == ["0010_accounts", "0020_ledger"]
    assert empty_db.execute("select to_regclass('audit_trail')").fetchone() == (None,)


def test_a_deleted_applied_step_is_reported_missing(applied, empty_url, empty_db):
    (applied / "ddl/0020_ledger.sql").unlink()
    (applied / "ddl/0020_ledger.down.sql").unlink()

    status = run_readb("status", dsn=empty_url, sql_dir=applied)
    assert status.returncode == 1
    assert status_rows(status.stdout) == {"0010_accounts": "applied", "0020_ledger": "missing"}

    verify = run_readb("verify", dsn=empty_url, sql_dir=applied)
    assert verify.returncode == 1
    assert "0020_ledger: applied, but its file is gone" in verify.stdout

    add_new_step(applied)
    up = run_readb("up", dsn=empty_url, sql_dir=applied)
    assert up.returncode == 1
    assert "applied steps whose files are gone: 0020_ledger" in up.stderr
    assert recorded(empty_db) == ["0010_accounts", "0020_ledger"]


def test_rewriting_an_applied_step_with_crlf_line_endings_is_not_drift(
    applied, empty_url, empty_db
):
    path = applied / "ddl/0010_accounts.sql"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert b"\r\n" in path.read_bytes()

    status = run_readb("status", dsn=empty_url, sql_dir=applied)
    assert status.returncode == 0, status.stdout
    assert status_rows(status.stdout)["0010_accounts"] == "applied"
    assert run_readb("verify", dsn=empty_url, sql_dir=applied).returncode == 0

    add_new_step(applied)
    up = run_readb("up", dsn=empty_url, sql_dir=applied)
    assert up.returncode == 0, up.stderr
    assert recorded(empty_db) == ["0010_accounts", "0020_ledger", "0030_audit"]

"""A command-line mistake ends in one `readb: ...` line on stderr, exit non-zero, no traceback."""

import os
import subprocess
import sys

import pytest

from conftest import PORT, SQL_DIR, run_readb


def readb(*args: str, database_url: str | None = None) -> subprocess.CompletedProcess:
    """The CLI with no --dsn, and DATABASE_URL set only if given."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "readb", "--sql-dir", str(SQL_DIR), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def assert_one_error_line(returncode: int, stdout: str, stderr: str) -> str:
    assert returncode != 0
    assert "Traceback" not in stdout + stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("readb: ")
    return lines[0]


COMMANDS = [
    ["up"],
    ["up", "--to", "0110"],
    ["down", "--to", "0"],
    ["status"],
    ["verify"],
    ["plan", "--sql"],
    ["dump"],
    ["docs"],
]
UNREACHABLE = "postgresql://postgres@127.0.0.1:1/readb_nowhere"  # nothing listens on port 1
MALFORMED = [
    "not a connection string",
    "postgresql://postgres@127.0.0.1:notaport/x",
    "postgresql://[::1",
    "postgresql://postgres@127.0.0.1/%zz",
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_an_unreachable_server(command):
    result = run_readb(*command, dsn=UNREACHABLE)
    line = assert_one_error_line(result.returncode, result.stdout, result.stderr)
    assert "port 1" in line
    assert result.stdout == ""


@pytest.mark.parametrize("dsn", MALFORMED)
def test_a_malformed_dsn(dsn):
    result = run_readb("status", dsn=dsn)
    line = assert_one_error_line(result.returncode, result.stdout, result.stderr)
    assert line.startswith("readb: cannot connect to the database: ")


def test_a_database_that_does_not_exist():
    result = run_readb("up", dsn=f"postgresql://postgres@127.0.0.1:{PORT}/readb_no_such_db")
    line = assert_one_error_line(result.returncode, result.stdout, result.stderr)
    assert 'database "readb_no_such_db" does not exist' in line


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_dsn_and_no_database_url(command):
    result = readb(*command)
    line = assert_one_error_line(result.returncode, result.stdout, result.stderr)
    assert line == "readb: no database: pass --dsn URL or set DATABASE_URL"


def test_database_url_is_used_when_there_is_no_dsn(empty_url):
    result = readb("status", database_url=empty_url)
    assert result.returncode == 0, result.stderr
    bad = readb("status", database_url=UNREACHABLE)
    assert "port 1" in assert_one_error_line(bad.returncode, bad.stdout, bad.stderr)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("9999", "readb: no step with version 9999"),
        ("no_such_step", "readb: no step named no_such_step"),
    ],
)
@pytest.mark.parametrize("verb", ["down", "up"])
def test_to_an_unknown_version(db_url, db, verb, target, message):
    before = db.execute("select version, applied_at from readb.applied_steps").fetchall()
    db.rollback()
    result = run_readb(verb, "--to", target, dsn=db_url)
    assert assert_one_error_line(result.returncode, result.stdout, result.stderr) == message
    assert db.execute("select version, applied_at from readb.applied_steps").fetchall() == before

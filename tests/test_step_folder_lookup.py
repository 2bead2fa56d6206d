"""readb finds its steps from the current folder upward, as git finds its root, and says
which folder it used when that is not ./sql.

The case that went wrong: a second worktree of a pull request, run with the main
checkout's venv, silently planned main's steps.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import SQL_DIR


def steps_from(cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("READB_SQL_DIR", "DATABASE_URL")}
    return subprocess.run(
        [sys.executable, "-m", "readb", "steps"], cwd=cwd, capture_output=True, text=True, env=env
    )


def worktree(root: Path) -> Path:
    (root / "sql" / "ddl").mkdir(parents=True)
    (root / "sql" / "ddl" / "0010_only_here.sql").write_text("select 1;\n")
    (root / "sql" / "ddl" / "0010_only_here.down.sql").write_text("select 1;\n")
    return root


def test_the_steps_of_the_folder_it_runs_in(tmp_path):
    result = steps_from(worktree(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "0010_only_here"
    assert result.stderr == ""  # ./sql: obvious, nothing to say


def test_the_nearest_sql_folder_upward_and_it_says_so(tmp_path):
    deeper = worktree(tmp_path) / "tools" / "somewhere"
    deeper.mkdir(parents=True)
    result = steps_from(deeper)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "0010_only_here"
    assert f"steps from {tmp_path / 'sql'}" in result.stderr


def test_outside_any_checkout_the_installed_one_and_it_says_so(tmp_path):
    result = steps_from(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "0010_only_here" not in result.stdout
    assert f"steps from {SQL_DIR}" in result.stderr and "installed checkout" in result.stderr

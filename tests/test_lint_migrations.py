"""make lint's squawk: forward migrations with every rule, down files as reverts.

A down file that drops the column its migration added is what a revert is; the same
statement in a forward migration may break running clients. Locking rules apply to both.
"""

from __future__ import annotations

import subprocess

import pytest

from conftest import PROJECT_ROOT

LINT = PROJECT_ROOT / "tools" / "lint" / "squawk-migrations"
DROP = "set local role rea_owner;\nalter table rea.customers drop column nickname;\n"
LOCKING_INDEX = (
    "set local role rea_owner;\ncreate index customers_x_idx on rea.customers (client_id, phone);\n"
)


def lint(tmp_path, files: dict[str, str]) -> subprocess.CompletedProcess:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return subprocess.run([str(LINT), str(tmp_path)], capture_output=True, text=True)


def test_a_forward_migration_may_not_drop_a_column(tmp_path):
    result = lint(tmp_path, {"7500_x.sql": DROP, "7500_x.down.sql": "select 1;\n"})
    assert result.returncode == 1
    assert "ban-drop-column" in result.stdout


def test_a_down_file_may_drop_what_its_migration_added(tmp_path):
    added = "set local role rea_owner;\nalter table rea.customers add column nickname text;\n"
    result = lint(tmp_path, {"7500_x.sql": added, "7500_x.down.sql": DROP})
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("name", ["7500_x.sql", "7500_x.down.sql"])
def test_locking_rules_hold_for_both(tmp_path, name):
    other = "7500_x.down.sql" if name == "7500_x.sql" else "7500_x.sql"
    result = lint(tmp_path, {name: LOCKING_INDEX, other: "select 1;\n"})
    assert result.returncode == 1
    assert "require-concurrent-index-creation" in result.stdout

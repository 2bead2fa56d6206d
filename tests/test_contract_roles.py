"""The four group roles of the contract exist, cannot log in, and never bypass RLS."""

import pytest

from conftest import run_readb

CONTRACT_ROLES = ("rea_owner", "rea_app", "rea_reporting", "rea_auditor")


@pytest.mark.parametrize("role", CONTRACT_ROLES)
def test_role_is_a_nologin_group_without_superpowers(db, role):
    row = db.execute(
        "select rolcanlogin, rolsuper, rolbypassrls from pg_roles where rolname = %s", (role,)
    ).fetchone()
    assert row == (False, False, False)


def test_roles_step_reuses_roles_another_database_created(empty_url, empty_db):
    """Roles are cluster-wide: the session template's build created them already, so this
    database's rollout meets existing roles and must reuse them rather than fail."""
    existing = empty_db.execute(
        "select count(*) from pg_roles where rolname = any(%s)", (list(CONTRACT_ROLES),)
    ).fetchone()
    assert existing == (4,)
    result = run_readb("up", "--to", "0100_roles", dsn=empty_url)
    assert result.returncode == 0, result.stderr
    assert "applied 0100_roles" in result.stdout

"""E-mail addresses are text under a case-insensitive collation (7600), so a lookup by
e-mail ignores letter case and, under row-level security, uses the e-mail index: the
comparison is leakproof, so RLS lets it into the index scan (with citext the policy had
to run first and the lookup read every customer of the tenant)."""

import pytest

from conftest import as_app, plan_nodes


def _index_conditions(db, query, params) -> list[str]:
    return [
        f"{node.get('Index Name')}: {node['Index Cond']}"
        for node in plan_nodes(db, query, params)
        if "Index Cond" in node
    ]


@pytest.mark.parametrize(
    ("table", "index", "email"),
    [
        ("customers", "customers_email_idx", "KHALID@Example.COM"),
        ("users", "users_email_key", None),
    ],
)
def test_a_lookup_by_email_uses_the_index_under_rls(db, tenant, table, index, email):
    if email is None:
        email = db.execute(
            "select upper(email) from rea.users where id = %s", (tenant.agent_id,)
        ).fetchone()[0]
    # enough rows of the tenant that the e-mail index is the cheapest way to one of them
    db.execute(
        f"insert into rea.{table} (client_id, full_name, email)"
        " select %s, 'Someone ' || i, 'someone.' || i || '@example.sa'"
        " from generate_series(1, 500) as i",
        (tenant.client_id,),
    )
    db.execute(f"analyze rea.{table}")
    query = f"select id from rea.{table} where email = %s"
    with as_app(db, tenant):
        assert len(db.execute(query, (email,)).fetchall()) == 1  # any letter case
        conditions = _index_conditions(db, query, (email,))
    assert any(c.startswith(index) and "email" in c for c in conditions), conditions


def test_a_pattern_on_an_email_says_its_collation(db, tenant):
    with as_app(db, tenant):
        rows = db.execute(
            "select count(*) from rea.customers where email collate \"C\" like '%%@example.com'"
        ).fetchone()
    assert rows == (1,)

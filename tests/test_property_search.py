"""Property search (7430-7460): by features and by words, in Arabic and English, online.

- Under row-level security the planner keeps a qual that is not leakproof (jsonb @>,
  pg_trgm's <%) above the policy: for rea_app the GIN indexes serve only client_id, the
  search itself is a Filter. That is the trap search.properties() exists for.
- search.properties() runs as rea_search (BYPASSRLS) and filters by
  rea.require_client_id(): its statements use the indexes for the search (auto_explain
  shows the Index Cond), it never returns another tenant's row, whatever is searched
  (Hypothesis), and it fails closed (42501) without the tenant, or with ''.
- The catalog: every function in schema search is security definer, stable, owned by
  rea_search, pins search_path = pg_catalog, pg_temp, reads the tenant from
  rea.require_client_id(), and only rea_app (and its owner) may execute it; rea_search
  logs in nowhere, is member of nothing and reads only rea.properties.
"""

from __future__ import annotations

import json

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import errors
from psycopg.types.json import Jsonb

from conftest import Tenant, acting_as, as_app

FEATURES = {"bedrooms": 5, "bathrooms": 4, "furnished": True, "amenities": ["pool"]}

LISTINGS = [
    # (title, district, features)
    ("فيلا فاخرة مع مسبح", "حي الملقا", FEATURES),
    ("شقة عائلية", "حي العليا", {"bedrooms": 3}),
    ("Zumurrud Villa with pool", "Al Malqa", FEATURES),
    ("Family apartment", "Al Olaya", {"bedrooms": 3, "furnished": False}),
    ("Office on King Fahd Road", None, {}),
]


def _add_listings(db: psycopg.Connection, tenant: Tenant) -> dict[str, object]:
    ids = {}
    for title, district, features in LISTINGS:
        row = tenant.property(db, title=title, district=district, features=Jsonb(features))
        ids[title] = row["id"]
    return ids


@pytest.fixture
def two_agencies(db, tenant, other_tenant):
    """Both agencies list the same properties, so every search has a match in each."""
    return {tenant: _add_listings(db, tenant), other_tenant: _add_listings(db, other_tenant)}


def search(db, features=None, words=None, max_rows=50) -> list[dict]:
    cur = db.execute(
        "select id, title, score from search.properties(%s::jsonb, %s, %s)",
        (None if features is None else json.dumps(features), words, max_rows),
    )
    return [dict(zip(("id", "title", "score"), row, strict=True)) for row in cur.fetchall()]


def test_search_by_features_finds_the_tenants_matches(db, tenant, two_agencies):
    with as_app(db, tenant):
        found = {r["title"] for r in search(db, features={"bedrooms": 5, "amenities": ["pool"]})}
    assert found == {"فيلا فاخرة مع مسبح", "Zumurrud Villa with pool"}


@pytest.mark.parametrize(
    ("words", "title"),
    [
        ("الملقا", "فيلا فاخرة مع مسبح"),  # a word of the district, Arabic
        ("فيلا", "فيلا فاخرة مع مسبح"),  # a word of the title, Arabic
        ("malqa villa", "Zumurrud Villa with pool"),  # English, any case, any order, both columns
        ("فيلا الملقا", "فيلا فاخرة مع مسبح"),  # Arabic, title and district
        ("Zumurud", "Zumurrud Villa with pool"),  # misspelt: trigrams still match
    ],
)
def test_search_by_words_of_title_and_district(db, tenant, two_agencies, words, title):
    with as_app(db, tenant):
        found = search(db, words=words)
    assert found and found[0]["title"] == title
    assert {r["id"] for r in found} <= set(two_agencies[tenant].values())


def test_features_and_words_together(db, tenant, two_agencies):
    with as_app(db, tenant):
        found = search(db, features={"bedrooms": 3}, words="العليا")
    assert [r["title"] for r in found] == ["شقة عائلية"]


def test_deleted_properties_are_not_found(db, tenant, two_agencies):
    with as_app(db, tenant):
        db.execute(
            "update rea.properties set deleted_at = now() where id = %s",
            (two_agencies[tenant]["Zumurrud Villa with pool"],),
        )
        assert search(db, words="Zumurrud") == []


@given(
    features=st.one_of(
        st.none(),
        st.dictionaries(
            st.sampled_from(["bedrooms", "bathrooms", "furnished", "amenities", "x"]),
            st.one_of(st.integers(0, 6), st.booleans(), st.just(["pool"])),
            max_size=3,
        ),
    ),
    words=st.one_of(
        st.none(),
        st.sampled_from(["villa", "الملقا", "Olaya", "pool", "Road", "شقة", "%", "_", "' or 1=1"]),
        st.text(st.characters(exclude_characters="\x00"), max_size=12),  # text holds no NUL
    ),
)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_never_another_tenants_row(db, tenant, other_tenant, two_agencies, features, words):
    """Whatever is searched, every row found is the current tenant's, and the same search
    finds what a plain query under RLS finds (the function adds the index, not rows)."""
    if features is None and words is None:
        return
    if words is not None and not _has_a_word(db, words):
        with as_app(db, tenant), pytest.raises(errors.InvalidParameterValue), db.transaction():
            search(db, features=features, words=words)
        return
    for current in (tenant, other_tenant):
        with as_app(db, current):
            found = {r["id"] for r in search(db, features=features, words=words, max_rows=500)}
            where, params = ["p.deleted_at is null"], []
            if features is not None:
                where.append("p.features @> %s::jsonb")
                params.append(json.dumps(features))
            if words is not None:
                where.append(
                    "not exists (select from regexp_split_to_table(%s, '\\s+') as w"
                    " where w <> '' and not w operator(extensions.<%%)"
                    " (p.title || ' ' || coalesce(p.district, '')))"
                )
                params.append(words)
            plain = {
                i
                for (i,) in db.execute(
                    "select p.id from rea.properties as p where " + " and ".join(where), params
                )
            }
        assert found <= set(two_agencies[current].values())
        assert found == plain


@pytest.mark.parametrize("client_id", [None, ""])
def test_without_the_tenant_it_fails_closed(db, two_agencies, client_id):
    with (
        acting_as(db, "rea_app", client_id),
        pytest.raises(errors.InsufficientPrivilege, match=r"app\.client_id is not set"),
        db.transaction(),
    ):
        search(db, words="villa")


@pytest.mark.parametrize(
    ("features", "words", "max_rows"),
    [
        (None, None, 10),
        ([1, 2], None, 10),
        ({"a": 1}, None, 0),
        ({"a": 1}, None, 501),
        (None, "   ", 10),
    ],
)
def test_bad_arguments_are_refused(db, tenant, features, words, max_rows):
    with as_app(db, tenant), pytest.raises(errors.InvalidParameterValue), db.transaction():
        if True:
            db.execute(
                "select * from search.properties(%s::jsonb, %s, %s)",
                (None if features is None else json.dumps(features), words, max_rows),
            )


@pytest.fixture
def a_busy_agency(db, tenant, two_agencies):
    """1,500 more of the tenant's properties, none of which matches the searches below,
    analyzed: at five rows the planner reads the whole tenant and filters, rightly."""
    db.execute(
        "insert into rea.properties (client_id, listing_type, property_type, title, city,"
        " district, asking_price, currency, features)"
        " select %s, 'agency_owned', 'apartment', 'Flat ' || n, 'Riyadh', 'Al Olaya', 500000,"
        " 'SAR', jsonb_build_object('bedrooms', 1 + n %% 3) from generate_series(1, 1500) as n",
        (tenant.client_id,),
    )
    db.execute("analyze rea.properties")
    # A table this small is cheaper to read through the tenant's btree and filter: make
    # the filters cost what they do on a large table.
    db.execute("set enable_seqscan = off")
    db.execute("set cpu_operator_cost = 1")
    return two_agencies


def _plans(db, tenant, query, params) -> str:
    """Every plan auto_explain logs for the query, nested statements included, as rea_app."""
    notices: list[str] = []
    db.add_notice_handler(lambda d: notices.append(d.message_primary or ""))
    db.execute("load 'auto_explain'")
    db.execute("set auto_explain.log_min_duration = 0")
    db.execute("set auto_explain.log_nested_statements = on")
    db.execute("set auto_explain.log_level = notice")
    db.execute("set client_min_messages = notice")
    try:
        with as_app(db, tenant):
            db.execute(query, params).fetchall()
    finally:
        db.execute("reset auto_explain.log_min_duration")
        db.execute("reset client_min_messages")
    return "\n".join(notices)


SEARCHES = [
    (FEATURES, None, "properties_features_idx", "features @> "),
    (None, "Zumurrud", "properties_words_idx", "OPERATOR(extensions.%>)"),
]


@pytest.mark.parametrize(("features", "words", "index", "condition"), SEARCHES)
def test_under_rls_the_index_serves_only_the_tenant(
    db, tenant, a_busy_agency, features, words, index, condition
):
    """The trap: as rea_app the search is a Filter above the policy, never an Index Cond,
    on the same data on which the function's statement uses the index for it."""
    where = (
        "p.features @> %s::jsonb"
        if features
        else "%s operator(extensions.<%%) (p.title || ' ' || coalesce(p.district, ''))"
    )
    plans = _plans(
        db,
        tenant,
        f"select p.id from rea.properties as p where {where}",
        (json.dumps(features) if features else words,),
    )
    index_conditions = [ln for ln in plans.splitlines() if "Index Cond" in ln]
    assert not any(condition in ln for ln in index_conditions), plans
    filters = [ln for ln in plans.splitlines() if "Filter:" in ln]
    assert any("@>" in ln or "<%" in ln for ln in filters), plans


@pytest.mark.parametrize(("features", "words", "index", "condition"), SEARCHES)
def test_the_function_searches_through_the_index(
    db, tenant, a_busy_agency, features, words, index, condition
):
    plans = _plans(
        db,
        tenant,
        "select * from search.properties(%s::jsonb, %s)",
        (json.dumps(features) if features else None, words),
    )
    assert f"Bitmap Index Scan on {index}" in plans, plans
    (cond,) = [
        ln
        for ln in plans.splitlines()
        if "Index Cond" in ln and "client_id" in ln and condition in ln
    ]
    assert "client_id = " in cond


def test_the_search_schema_is_what_the_design_says(db):
    functions = db.execute(
        """
        select p.oid::regprocedure::text, p.prosecdef, p.provolatile,
               pg_get_userbyid(p.proowner), p.proconfig, p.prosrc
        from pg_proc as p where p.pronamespace = 'search'::regnamespace
        """
    ).fetchall()
    assert functions
    for name, secdef, volatility, owner, config, body in functions:
        assert secdef and volatility == "s" and owner == "rea_search", name
        assert config == ["search_path=pg_catalog, pg_temp"], name
        assert "rea.require_client_id()" in body, name
        callers = db.execute(
            "select r.rolname from pg_roles as r where has_function_privilege(r.oid, %s, 'execute')"
            " and not r.rolsuper order by 1",
            (name,),
        ).fetchall()
        assert {r for (r,) in callers} <= {"rea_app", "rea_search"} | _members_of_rea_app(db), name
        assert not db.execute(
            "select has_function_privilege('public', %s, 'execute')", (name,)
        ).fetchone()[0]
    role = db.execute(
        "select rolcanlogin, rolbypassrls, rolsuper, rolinherit from pg_roles"
        " where rolname = 'rea_search'"
    ).fetchone()
    assert role == (False, True, False, False)
    assert db.execute(
        "select count(*) from pg_auth_members where member = 'rea_search'::regrole"
    ).fetchone() == (0,)
    readable = db.execute(
        """
        select distinct c.oid::regclass::text from pg_class as c
        join pg_namespace as n on n.oid = c.relnamespace
        where n.nspname in ('rea', 'audit', 'reporting', 'migrations', 'monitoring')
          and c.relkind in ('r', 'p', 'v', 'm')
          and (has_table_privilege('rea_search', c.oid, 'select, insert, update, delete')
               or has_any_column_privilege('rea_search', c.oid, 'select, insert, update'))
        """
    ).fetchall()
    assert readable == [("rea.properties",)]


def _has_a_word(db, words: str) -> bool:
    return db.execute(
        "select exists (select from regexp_split_to_table(%s, '\\s+') as w where w <> '')",
        (words,),
    ).fetchone()[0]


def _members_of_rea_app(db) -> set[str]:
    return {
        r
        for (r,) in db.execute(
            "select r.rolname from pg_roles as r where pg_has_role(r.oid, 'rea_app', 'usage')"
        )
    }

"""The conventions of STYLE.md, checked over the catalog so they cannot drift.

Each check lists offenders in the project's schemas; the real schema must have none,
and a deliberately bad object (created in a rolled-back transaction) must be caught,
which proves the check itself works.
"""

import re
from pathlib import Path

import pytest

PROJECT_SCHEMAS = ["rea", "audit", "reporting", "migrations"]


def badly_named_constraints(db):
    """PostgreSQL's own suffixes: <table>_pkey, <table>_<what>_fkey|check|key|excl."""
    return db.execute(
        r"""
        select n.nspname || '.' || t.relname || ': ' || c.conname
        from pg_constraint c
        join pg_class t on t.oid = c.conrelid
        join pg_namespace n on n.oid = t.relnamespace
        where n.nspname = any(%s) and not t.relispartition  -- partitions inherit names
          and not (
            (c.contype = 'p' and c.conname = t.relname || '_pkey')
            or (c.contype <> 'p' and c.conname ~ ('^' || t.relname || '_[a-z0-9_]+_'
                || case c.contype when 'f' then 'fkey' when 'c' then 'check'
                                  when 'u' then 'key' when 'x' then 'excl' else 'x^' end
                || '$'))
          )
        order by 1
        """,
        (PROJECT_SCHEMAS,),
    ).fetchall()


def badly_named_indexes(db):
    """<table>_pkey, or <table>_<what>_key (unique), _idx or _excl."""
    return db.execute(
        r"""
        select n.nspname || '.' || i.relname
        from pg_index x
        join pg_class i on i.oid = x.indexrelid
        join pg_class t on t.oid = x.indrelid
        join pg_namespace n on n.oid = i.relnamespace
        where n.nspname = any(%s) and not t.relispartition  -- partitions' indexes are named
          and i.relname <> t.relname || '_pkey'
          and i.relname !~ ('^' || t.relname || '_[a-z0-9_]+_(key|idx|excl)$')
        order by 1
        """,
        (PROJECT_SCHEMAS,),
    ).fetchall()


def uncommented_relations(db):
    """Every table, view and materialized view says what it is (psql's \\d+ shows it)."""
    return db.execute(
        """
        select n.nspname || '.' || c.relname
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any(%s) and c.relkind in ('r', 'p', 'v', 'm')
          and not c.relispartition
          and obj_description(c.oid, 'pg_class') is null
        order by 1
        """,
        (PROJECT_SCHEMAS,),
    ).fetchall()


def definer_functions_without_search_path(db):
    return db.execute(
        """
        select p.oid::regprocedure::text
        from pg_proc p
        join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = any(%s) and p.prosecdef
          and not exists (
            select from unnest(coalesce(p.proconfig, '{}')) as setting
            where setting like 'search\\_path=%%'
          )
        order by 1
        """,
        (PROJECT_SCHEMAS,),
    ).fetchall()


PINNED = "search_path=pg_catalog, pg_temp"

# What a body may not name unqualified, since PostgreSQL looks relation and type names up
# in the session's pg_temp first unless the search_path names pg_temp (last). Functions
# and operators are never looked up there, so they may stay unqualified. Strict on
# purpose: a false alarm costs a `pg_catalog.` prefix, a miss costs a privilege.
_KEYWORDS_BEFORE_A_STRING = (
    "select|then|else|when|and|or|not|in|is|like|ilike|similar|escape|by|as|with|values"
    "|from|case|between|any|all|some|on|where|return|raise|exception|notice|warning|info"
    "|using|perform|into|if|elsif|loop|array|hint|message|detail|errcode|constraint"
)
UNQUALIFIED = {
    "a cast to an unqualified type": r"::\s*(?![a-z_][a-z0-9_]*\s*\.)[a-z_\"]",
    "cast(... as type)": r"\bcast\s*\(",
    "a typed literal (type 'text')": (
        r"\b(?!(?:" + _KEYWORDS_BEFORE_A_STRING + r")\b)[a-z_][a-z0-9_]*\s+'"
    ),
    "an unqualified relation": (
        r"(?<!for )\b(?:from|join|insert\s+into|update|delete\s+from|table)\s+"
        r"(?!(?:lateral|only|select)\b)(?![a-z_][a-z0-9_]*\s*[.(])[a-z_\"]"
    ),
    "an unqualified declared type": (
        r"(?:;|\bdeclare)\s*(?!declare\b)[a-z_][a-z0-9_]*\s+(?:constant\s+)?"
        r"(?!(?:alias|cursor)\b)(?![a-z_][a-z0-9_]*\s*\.)[a-z_]"
    ),
}


def _code_only(body: str) -> str:
    """The body without comments, string contents and dollar-quoted blocks' delimiters."""
    body = re.sub(r"--[^\n]*", " ", body)
    body = re.sub(r"/\*.*?\*/", " ", body, flags=re.S)
    return re.sub(r"'(?:[^']|'')*'", "''", body).lower()


def unqualified_names(body: str, language: str) -> list[str]:
    """What `body` names that a temporary object could shadow. The declared-type rule
    applies to plpgsql's declare section only."""
    code = _code_only(body)
    found = []
    for what, pattern in UNQUALIFIED.items():
        text = code
        if what == "an unqualified declared type":
            if language != "plpgsql":
                continue
            match = re.search(r"\bdeclare\b(.*?)\bbegin\b", code, flags=re.S)
            text = "declare " + match.group(1) if match else ""
        found += [f"{what}: {m.group(0).strip()!r}" for m in re.finditer(pattern, text)]
    return found


def functions_not_pinned(db):
    """Every function and procedure pins search_path to `pg_catalog, pg_temp`, or is one
    that cannot carry a `set` clause (an inlinable SQL function, a procedure that commits)
    and names nothing unqualified that pg_temp could shadow."""
    offenders = []
    for name, language, kind, config, body in db.execute(
        """
        select p.oid::regprocedure::text, l.lanname, p.prokind, p.proconfig, p.prosrc
        from pg_proc p
        join pg_namespace n on n.oid = p.pronamespace
        join pg_language l on l.oid = p.prolang
        where n.nspname = any(%s)
        order by 1
        """,
        ([*PROJECT_SCHEMAS, "monitoring"],),
    ):
        if PINNED in (config or []):
            continue
        if language == "sql" or (language == "plpgsql" and kind == "p"):
            offenders += [f"{name}: {hit}" for hit in unqualified_names(body, language)]
        else:
            offenders.append(f"{name}: search_path not pinned to pg_catalog, pg_temp")
    return offenders


def rea_tables_without_timestamps(db):
    """created_at and updated_at, timestamptz not null, kept by rea.touch_updated_at()."""
    return db.execute(
        """
        select 'rea.' || c.relname
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'rea' and c.relkind in ('r', 'p') and not c.relispartition
          and (
            (select count(*) from pg_attribute a
             where a.attrelid = c.oid and a.attname in ('created_at', 'updated_at')
               and a.atttypid = 'timestamptz'::regtype and a.attnotnull
               and not a.attisdropped) <> 2
            or not exists (
              select from pg_trigger g
              where g.tgrelid = c.oid and g.tgfoid = 'rea.touch_updated_at'::regproc
            )
          )
        order by 1
        """
    ).fetchall()


TESTS_DIR = Path(__file__).parent
SQL_DIR = TESTS_DIR.parent / "sql"


def untested_rules(db):
    """Every named rule in `rea` and `audit` (check, unique, exclusion and foreign-key
    constraints, unique indexes, and the rule names triggers raise) is named in some
    test, so a rule nobody tests cannot slip in. The <table>_client_fkey constraints are
    proven all at once by test_every_named_rule.test_every_tenant_table_references_its_tenant.
    Partitions inherit their parent's constraints, so only the parent's count."""
    names = {
        name
        for (name,) in db.execute(
            """
            select c.conname from pg_constraint c join pg_class t on t.oid = c.conrelid
            where c.connamespace in ('rea'::regnamespace, 'audit'::regnamespace)
              and c.contype <> 'p' and not t.relispartition
            union
            select i.relname from pg_index x join pg_class i on i.oid = x.indexrelid
            where i.relnamespace in ('rea'::regnamespace, 'audit'::regnamespace)
              and x.indisunique and not x.indisprimary and not i.relispartition
            """
        )
    }
    for path in SQL_DIR.glob("*/*.sql"):
        names |= set(re.findall(r"constraint = '([a-z0-9_]+)'", path.read_text()))
    tests = "".join(
        p.read_text() for p in TESTS_DIR.glob("test_*.py") if p.name != Path(__file__).name
    )
    return sorted(n for n in names if n not in tests and not n.endswith("_client_fkey"))


CHECKS = {
    "constraint names": (
        badly_named_constraints,
        "create table rea.bad_t (x int, constraint lazy check (x > 0))",
    ),
    "index names": (
        badly_named_indexes,
        "create table rea.bad_t (x int); create index lazy on rea.bad_t (x)",
    ),
    "table comments": (uncommented_relations, "create table rea.bad_t (x int)"),
    "security definer search_path": (
        definer_functions_without_search_path,
        "create function rea.bad_f() returns int language sql security definer as 'select 1'",
    ),
    "search_path pinned": (
        functions_not_pinned,
        "create function rea.bad_f() returns int language plpgsql stable"
        " set search_path = '' as 'begin return 1; end'",
    ),
    "inlinable body qualified": (
        functions_not_pinned,
        "create function rea.bad_f() returns uuid language sql stable"
        " as $$ select nullif(pg_catalog.current_setting('app.x', true), '')::uuid $$",
    ),
    "timestamps": (rea_tables_without_timestamps, "create table rea.bad_t (x int)"),
    "every rule tested": (
        untested_rules,
        "create table rea.bad_t (x int, constraint bad_t_lonely_check check (x > 0))",
    ),
}


@pytest.mark.parametrize("check", CHECKS)
def test_the_schema_follows_the_convention(db, check):
    find, _ = CHECKS[check]
    assert find(db) == []


@pytest.mark.parametrize("check", CHECKS)
def test_the_check_catches_an_offender(db, check):
    find, bad_ddl = CHECKS[check]
    with db.transaction(force_rollback=True):
        db.execute(bad_ddl)
        assert find(db) != []


@pytest.mark.parametrize(
    "body",
    [
        "select x::uuid",
        "select x :: text[]",
        "select cast(x as pg_catalog.uuid)",
        "select date '2026-01-01'",
        "select interval '1 day'",
        "select count(*) from clients",
        "select 1 from rea.users as u join branches as b on true",
        "insert into audit_logs values (1)",
        "update users set x = 1",
        "delete from users",
        'select 1 from "clients"',
    ],
)
def test_the_body_rule_catches_each_unqualified_name(body):
    assert unqualified_names(body, "sql") != []


@pytest.mark.parametrize(
    "body",
    [
        "declare tenant uuid; begin null; end",
        "declare total constant bigint := 0; begin null; end",
    ],
)
def test_the_body_rule_catches_an_unqualified_declaration(body):
    assert unqualified_names(body, "plpgsql") != []


@pytest.mark.parametrize(
    "body",
    [
        "select nullif(pg_catalog.current_setting('app.x', true), '')::pg_catalog.uuid",
        "select pg_catalog.encode(x, 'hex')::pg_catalog.uuid -- a ::uuid in a comment",
        "select 1 from rea.users as u join lateral pg_catalog.unnest(a) as x on true",
        "select substring(b from 3), extract(epoch from pg_catalog.now()), 'x::uuid'",
        "declare t pg_catalog.uuid; n pg_catalog.int8 := 0;"
        " begin for t in select c.id from rea.clients as c loop null; end loop; end",
    ],
)
def test_the_body_rule_passes_qualified_names(body):
    assert unqualified_names(body, "plpgsql") == []

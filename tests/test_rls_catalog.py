"""Tenant isolation, proven over the catalog so a new table, grant, policy or index
cannot slip through unchecked:

- every tenant table in `rea` (each table with a client_id column, and rea.clients) has
  row-level security enabled and forced, and every privilege a contract role holds on it
  (SELECT, INSERT, UPDATE, DELETE; table- or column-level) is matched by a permissive
  policy for that role and command: a grant without a policy is a mistake either way;
- the audit trail (audit.audit_logs, audit.seals) has RLS enabled and forced, the auditor
  may only read it, and no role may touch its partitions (a partition queried directly
  has no RLS of its own);
- every policy of the application, reporting and auditor roles compares the tenant
  column with `(select rea.current_client_id())` (the tenant read once per statement,
  through the one function that fails closed), never with current_setting() directly;
- every index of a tenant table leads with client_id (rea.clients: id), so the
  policies' tenant comparison can use it;
- every key column of every index of a tenant table is compared by LEAKPROOF operators
  (the functions of its operator class's operators): row-level security evaluates a
  condition below its policy, in an index scan, only when the condition's operator is
  leakproof (else the condition could reveal another tenant's rows through an error or
  a side effect), so a non-leakproof one (citext's =) makes the index useless under RLS
  and the query scans the whole tenant (issue 13: customers by e-mail, 22x slower);
- the materialized fact views (reporting.fact_*_mv hold every tenant) are granted to no
  role; the views the roles read are security barrier views filtered by the tenant.

Each check lists offenders; the built schema has none, and a deliberately bad object,
created in a rolled-back savepoint of the test's transaction, is named by the check.
"""

import re
from collections.abc import Callable

import psycopg
import pytest

from test_rls_fail_closed import TENANT_TABLES

ROLES = ("rea_app", "rea_reporting", "rea_auditor", "rea_owner")
TENANT_ROLES = ("rea_app", "rea_reporting", "rea_auditor")  # the roles that act for a tenant
COMMANDS = {"SELECT": "r", "INSERT": "a", "UPDATE": "w", "DELETE": "d"}
TENANT_COMPARISON = "{column} = ( SELECT rea.current_client_id() AS current_client_id)"

# (table, role, command) that may hold a privilege without a policy: none.
KNOWN_POLICY_GAPS: set[tuple[str, str, str]] = set()

# Indexes of tenant tables that do not lead with the tenant, and why.
GLOBAL_INDEXES = {
    # agency names are unique across tenants (a rule over all tenants; no policy uses it)
    "rea.clients_name_key",
}


# Indexes of tenant tables whose operators are not leakproof, and why that is harmless.
NOT_PUSHABLE_INDEXES = {
    # the exclusion constraint's index: the rule is checked inside the index, below RLS;
    # no query of the application looks rules up by range overlap
    "rea.commission_rules_no_overlap_excl",
    # property search (7440, 7450): read only through search.properties(), which runs as
    # rea_search (BYPASSRLS) and filters by rea.require_client_id() itself, because under
    # RLS neither `@>` nor pg_trgm's operators could use them (tests/test_property_search.py)
    "rea.properties_features_idx",
    "rea.properties_words_idx",
    # the city listing (7650): only (client_id, city) are looked up, with leakproof `=`;
    # asking_price and id give the page its order, which needs no comparison pushed below
    # the policy (tests/test_property_listing.py: index scan under RLS, no sort)
    "rea.properties_available_by_price_idx",
}


def _tenant_tables_sql(alias: str = "c") -> str:
    """The SQL condition that makes pg_class `alias` a tenant table of `rea`."""
    return f"""
        {alias}.relnamespace = 'rea'::regnamespace and {alias}.relkind in ('r', 'p')
        and (
            {alias}.oid = 'rea.clients'::regclass
            or exists (
                select from pg_attribute a
                where a.attrelid = {alias}.oid and a.attname = 'client_id'
                  and a.attnum > 0 and not a.attisdropped
            )
        )
    """


def tenant_tables(db: psycopg.Connection) -> list[str]:
    return [
        name
        for (name,) in db.execute(
            f"select c.oid::regclass::text from pg_class c where {_tenant_tables_sql()} order by 1"
        )
    ]


# --- The checks: each returns the offenders, as readable strings ---------------------------


def tables_without_forced_rls(db: psycopg.Connection) -> list[str]:
    """Tenant tables (and the audit trail) without RLS enabled and forced. Forced, so the
    owner, and the security definer functions that run as it, are bound too."""
    return [
        row[0]
        for row in db.execute(
            f"""
            select c.oid::regclass::text || ': '
                || case when not c.relrowsecurity then 'row level security not enabled'
                        else 'row level security not forced' end
            from pg_class c
            where (({_tenant_tables_sql()})
                   or c.oid in ('audit.audit_logs'::regclass, 'audit.seals'::regclass))
              and not (c.relrowsecurity and c.relforcerowsecurity)
            order by 1
            """
        )
    ]


def privileges_without_policy(db: psycopg.Connection) -> list[str]:
    """Each privilege a contract role holds on a tenant table (a column privilege counts)
    needs a permissive policy of that command (or ALL) for that role (or PUBLIC)."""
    return [
        row[0]
        for row in db.execute(
            f"""
            with
            tables as (select c.oid from pg_class c where {_tenant_tables_sql()}),
            roles as (select r.oid, r.rolname from pg_roles r where r.rolname = any(%s)),
            commands (command, code) as (select * from unnest(%s::text[], %s::"char"[])),
            held as (
                select t.oid as table_oid, r.oid as role_oid, r.rolname, m.command, m.code
                from tables t cross join roles r cross join commands m
                where case m.command
                    when 'DELETE' then has_table_privilege(r.oid, t.oid, m.command)
                    else has_any_column_privilege(r.oid, t.oid, m.command)
                end
            )
            select format('%%s: %%s holds %%s without a policy', h.table_oid::regclass,
                          h.rolname, h.command)
            from held h
            where not exists (
                select from pg_policy p
                where p.polrelid = h.table_oid and p.polpermissive
                  and p.polcmd in (h.code, '*')
                  and (h.role_oid = any(p.polroles) or 0::oid = any(p.polroles))
            )
            order by 1
            """,
            (list(ROLES), list(COMMANDS), list(COMMANDS.values())),
        )
    ]


def unexpected_policy_gaps(db: psycopg.Connection) -> list[str]:
    known = {
        f"{table}: {role} holds {command} without a policy"
        for table, role, command in (KNOWN_POLICY_GAPS)
    }
    return [gap for gap in privileges_without_policy(db) if gap not in known]


def audit_trail_not_read_only(db: psycopg.Connection) -> list[str]:
    """The auditor reads audit.audit_logs and audit.seals and does nothing else there; its
    policies there only select. The application and reporting roles have no privilege on
    them, and no tenant role has any on an audit partition: queried directly, a partition
    applies its own RLS settings (none), not its parent's."""
    return [
        row[0]
        for row in db.execute(
            """
            with
            audit_tables as (
                select c.oid
                from pg_class c
                where c.oid in ('audit.audit_logs'::regclass, 'audit.seals'::regclass)
                   or c.oid in (select i.inhrelid from pg_inherits i
                                where i.inhparent = 'audit.audit_logs'::regclass)
            ),
            privileges (privilege) as (
                values ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'),
                       ('REFERENCES'), ('TRIGGER')
            ),
            allowed (table_oid, rolname, privilege) as (
                values ('audit.audit_logs'::regclass::oid, 'rea_auditor', 'SELECT'),
                       ('audit.seals'::regclass::oid, 'rea_auditor', 'SELECT')
            )
            select format('%%s: %%s holds %%s', t.oid::regclass, r.rolname, p.privilege)
            from audit_tables t
            cross join pg_roles r
            cross join privileges p
            where r.rolname = any(%s)
              and case
                  when p.privilege in ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')
                      then has_any_column_privilege(r.oid, t.oid, p.privilege)
                  else has_table_privilege(r.oid, t.oid, p.privilege)
              end
              and (t.oid, r.rolname, p.privilege) not in (select * from allowed)
            union all
            select format('%%s: policy %%s lets rea_auditor %%s', p.polrelid::regclass, p.polname,
                          case p.polcmd when '*' then 'do all' when 'a' then 'insert'
                                        when 'w' then 'update' else 'delete' end)
            from pg_policy p
            where p.polrelid in (select oid from audit_tables)
              and p.polcmd <> 'r'
              and ('rea_auditor'::regrole::oid = any(p.polroles) or 0::oid = any(p.polroles))
            order by 1
            """,
            (list(TENANT_ROLES),),
        )
    ]


def policies_not_comparing_the_tenant(db: psycopg.Connection) -> list[str]:
    """Every policy of a tenant role on a tenant table or the audit trail (and every write
    policy of rea_owner on a tenant table) has, as its USING and WITH CHECK, the tenant
    column compared with `(select rea.current_client_id())`, alone or as the first
    conjunct of an AND, with no OR and no direct current_setting()."""
    offenders = []
    rows = db.execute(
        f"""
        select p.schemaname || '.' || p.tablename, p.policyname, p.roles::text[], p.cmd,
               p.qual, p.with_check
        from pg_policies p
        join pg_class c on c.oid = (quote_ident(p.schemaname) || '.'
                                    || quote_ident(p.tablename))::regclass
        where (({_tenant_tables_sql()}) or c.oid in ('audit.audit_logs'::regclass,
                                                    'audit.seals'::regclass))
        order by 1, 2
        """
    ).fetchall()
    for table, name, roles, command, using, check in rows:
        tenant_role = bool(set(roles) & {*TENANT_ROLES, "public"})
        owner_write = "rea_owner" in roles and command != "SELECT" and table.startswith("rea.")
        if not (tenant_role or owner_write):
            continue
        column = "id" if table == "rea.clients" else "client_id"
        if using is None and check is None:
            offenders.append(f"{table}: policy {name} has no condition")
        for clause, text in (("using", using), ("with check", check)):
            if text is not None and not _compares_the_tenant(text, column):
                offenders.append(f"{table}: policy {name} {clause} {text}")
    return offenders


def _compares_the_tenant(text: str, column: str) -> bool:
    comparison = TENANT_COMPARISON.format(column=column)
    if "current_setting" in text or re.search(r"\bOR\b", text):
        return False
    return text == f"({comparison})" or text.startswith(f"(({comparison}) AND ")


def indexes_not_leading_with_the_tenant(db: psycopg.Connection) -> list[str]:
    """Every index of a tenant table, primary keys and unique indexes included, has the
    tenant column (client_id; id for rea.clients) as its first key column. An expression
    or another column first means the policies' client_id = ... cannot use it."""
    return [
        row[0]
        for row in db.execute(
            f"""
            select format('%%s on %%s: %%s', x.indexrelid::regclass, c.oid::regclass,
                          pg_get_indexdef(x.indexrelid))
            from pg_class c
            join pg_index x on x.indrelid = c.oid
            where {_tenant_tables_sql()}
              and x.indkey[0] is distinct from (
                  select a.attnum from pg_attribute a
                  where a.attrelid = c.oid and not a.attisdropped
                    and a.attname = case when c.oid = 'rea.clients'::regclass then 'id'
                                         else 'client_id' end
              )
              and x.indexrelid::regclass::text <> all(%s)
            order by 1
            """,
            (sorted(GLOBAL_INDEXES),),
        )
    ]


def indexes_rls_cannot_use(db: psycopg.Connection) -> list[str]:
    """Every operator of the operator class of every key column of an index of a tenant
    table (btree: < <= = >= >; others: every operator of the family on that type) is
    implemented by a LEAKPROOF function. Under RLS, PostgreSQL pushes a condition into
    the scan below the policy only when its operator is leakproof; citext's are not, so
    an index on a citext column is never used for a tenant's lookup. Use text with a
    nondeterministic collation (7600_email_case_insensitive_text) or a normalised
    column instead."""
    return [
        row[0]
        for row in db.execute(
            f"""
            select format('%%s on %%s: column %%s, operator %%s (%%s) is not leakproof',
                          x.indexrelid::regclass, c.oid::regclass,
                          coalesce(a.attname, 'expression ' || k), o.oid::regoperator, p.proname)
            from pg_class c
            join pg_index x on x.indrelid = c.oid
            cross join lateral generate_subscripts(x.indclass, 1) as k
            join pg_opclass opc on opc.oid = x.indclass[k]
            left join pg_attribute a on a.attrelid = c.oid and a.attnum = x.indkey[k]
            join pg_amop op on op.amopfamily = opc.opcfamily
                and op.amoplefttype = opc.opcintype and op.amoprighttype = opc.opcintype
                and op.amoppurpose = 's'
            join pg_operator o on o.oid = op.amopopr
            join pg_proc p on p.oid = o.oprcode
            where {_tenant_tables_sql()}
              and k < x.indnkeyatts
              and not p.proleakproof
              and x.indexrelid::regclass::text <> all(%s)
            order by 1
            """,
            (sorted(NOT_PUSHABLE_INDEXES),),
        )
    ]


def reporting_leaks(db: psycopg.Connection) -> list[str]:
    """Materialized views hold every tenant and ignore RLS: no tenant role and not PUBLIC
    may hold any privilege on one. Every view a tenant role may read is a security barrier
    view filtering by (select rea.current_client_id())."""
    return [
        row[0]
        for row in db.execute(
            """
            with
            relations as (
                select c.oid, c.relkind, c.reloptions, c.relacl
                from pg_class c
                where c.relnamespace in ('rea'::regnamespace, 'audit'::regnamespace,
                                         'reporting'::regnamespace)
                  and c.relkind in ('v', 'm')
            ),
            privileges (privilege) as (
                values ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'),
                       ('REFERENCES'), ('TRIGGER')
            )
            select format('%%s: %%s holds %%s on a materialized view', v.oid::regclass,
                          r.rolname, p.privilege)
            from relations v cross join pg_roles r cross join privileges p
            where v.relkind = 'm' and r.rolname = any(%s)
              and has_table_privilege(r.oid, v.oid, p.privilege)
            union all
            select format('%%s: PUBLIC holds %%s on a materialized view', v.oid::regclass,
                          g.privilege_type)
            from relations v cross join aclexplode(v.relacl) g
            where v.relkind = 'm' and g.grantee = 0
            union all
            select format('%%s: readable by %%s but %%s', v.oid::regclass, r.rolname,
                          case when not coalesce('security_barrier=true' = any(v.reloptions),
                                                 false)
                               then 'not a security barrier view'
                               else 'not filtered by the tenant' end)
            from relations v cross join pg_roles r
            where v.relkind = 'v' and r.rolname = any(%s)
              and has_table_privilege(r.oid, v.oid, 'SELECT')
              and not (
                  coalesce('security_barrier=true' = any(v.reloptions), false)
                  and pg_get_viewdef(v.oid) like
                      '%%client_id = ( SELECT rea.current_client_id() AS current_client_id)%%'
              )
            order by 1
            """,
            (list(TENANT_ROLES), list(TENANT_ROLES)),
        )
    ]


# --- The bad objects each check must catch ------------------------------------------------

BAD_TABLE = "create table rea.bad_t (client_id uuid, id uuid, note text)"

CHECKS: dict[str, tuple[Callable[[psycopg.Connection], list[str]], str, str]] = {
    # name: (check, bad DDL, an offender the check must report for it)
    "rls enabled and forced": (
        tables_without_forced_rls,
        f"{BAD_TABLE}; grant select on rea.bad_t to rea_app",
        "rea.bad_t: row level security not enabled",
    ),
    "rls forced, not only enabled": (
        tables_without_forced_rls,
        "alter table rea.deals no force row level security",
        "rea.deals: row level security not forced",
    ),
    "a policy for every privilege": (
        unexpected_policy_gaps,
        f"""{BAD_TABLE}; alter table rea.bad_t enable row level security;
        alter table rea.bad_t force row level security;
        create policy bad_t_app_select on rea.bad_t for select to rea_app
        using (client_id = (select rea.current_client_id()));
        grant select, insert on rea.bad_t to rea_app""",
        "rea.bad_t: rea_app holds INSERT without a policy",
    ),
    "a policy for every column privilege": (
        unexpected_policy_gaps,
        "grant update (stage) on rea.deals to rea_reporting",
        "rea.deals: rea_reporting holds UPDATE without a policy",
    ),
    "a policy for the owner's privileges": (
        unexpected_policy_gaps,
        f"{BAD_TABLE}; alter table rea.bad_t owner to rea_owner",
        "rea.bad_t: rea_owner holds DELETE without a policy",
    ),
    "a restrictive policy alone does not count": (
        unexpected_policy_gaps,
        """drop policy deals_app_select on rea.deals;
        create policy deals_app_select on rea.deals as restrictive for select to rea_app
        using (client_id = (select rea.current_client_id()))""",
        "rea.deals: rea_app holds SELECT without a policy",
    ),
    "auditor only reads": (
        audit_trail_not_read_only,
        "grant insert on audit.audit_logs to rea_auditor",
        "audit.audit_logs: rea_auditor holds INSERT",
    ),
    "auditor policies only select": (
        audit_trail_not_read_only,
        """create policy seals_auditor_all on audit.seals to rea_auditor
        using (client_id = (select rea.current_client_id()))""",
        "audit.seals: policy seals_auditor_all lets rea_auditor do all",
    ),
    "no role on an audit partition": (
        audit_trail_not_read_only,
        """do $$ begin execute format('grant select on audit.%I to rea_auditor',
            (select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
             where i.inhparent = 'audit.audit_logs'::regclass order by 1 limit 1)); end $$""",
        ": rea_auditor holds SELECT",
    ),
    "application not on the audit trail": (
        audit_trail_not_read_only,
        "grant select on audit.seals to rea_app",
        "audit.seals: rea_app holds SELECT",
    ),
    "policies read the tenant once, through the function": (
        policies_not_comparing_the_tenant,
        """create policy deals_app_bad on rea.deals for select to rea_app
        using (client_id = current_setting('app.client_id')::uuid)""",
        "rea.deals: policy deals_app_bad using",
    ),
    "policies wrap the function in a select": (
        policies_not_comparing_the_tenant,
        """create policy customers_app_bad on rea.customers for update to rea_app
        using (client_id = (select rea.current_client_id()))
        with check (client_id = rea.current_client_id())""",
        "rea.customers: policy customers_app_bad with check",
    ),
    "policies do not widen the tenant with OR": (
        policies_not_comparing_the_tenant,
        """create policy bookings_app_bad on rea.bookings for select to rea_app
        using (client_id = (select rea.current_client_id()) or status = 'ACTIVE')""",
        "rea.bookings: policy bookings_app_bad using",
    ),
    "policies compare the tenant column": (
        policies_not_comparing_the_tenant,
        """create policy audit_logs_auditor_bad on audit.audit_logs for select to rea_auditor
        using (true)""",
        "audit.audit_logs: policy audit_logs_auditor_bad using",
    ),
    "owner writes are tenant-bound": (
        policies_not_comparing_the_tenant,
        "create policy deals_owner_bad on rea.deals for delete to rea_owner using (true)",
        "rea.deals: policy deals_owner_bad using",
    ),
    "indexes lead with client_id": (
        indexes_not_leading_with_the_tenant,
        "create index deals_stage_idx on rea.deals (stage, client_id)",
        "rea.deals_stage_idx on rea.deals",
    ),
    "expression indexes lead with client_id": (
        indexes_not_leading_with_the_tenant,
        "create unique index customers_lower_email_key on rea.customers (lower(email))",
        "rea.customers_lower_email_key on rea.customers",
    ),
    "new tables' indexes lead with client_id": (
        indexes_not_leading_with_the_tenant,
        f"{BAD_TABLE}; alter table rea.bad_t add constraint bad_t_pkey primary key (id)",
        "rea.bad_t_pkey on rea.bad_t",
    ),
    "indexed comparisons are leakproof (citext's are not)": (
        indexes_rls_cannot_use,
        "create index customers_citext_idx on rea.customers (client_id, (email::public.citext))",
        "rea.customers_citext_idx on rea.customers: column expression 1, operator =(citext,citext)",
    ),
    "materialized views granted to nobody": (
        reporting_leaks,
        "grant select on reporting.fact_deals_mv to rea_reporting",
        "reporting.fact_deals_mv: rea_reporting holds SELECT on a materialized view",
    ),
    "materialized views not granted to PUBLIC": (
        reporting_leaks,
        "grant select on reporting.fact_bookings_mv to public",
        "reporting.fact_bookings_mv: PUBLIC holds SELECT on a materialized view",
    ),
    "readable views are security barrier views": (
        reporting_leaks,
        "alter view reporting.fact_expenses reset (security_barrier)",
        "reporting.fact_expenses: readable by rea_app but not a security barrier view",
    ),
    "readable views filter by tenant": (
        reporting_leaks,
        """create view reporting.fact_everything with (security_barrier) as
        select * from reporting.fact_deals_mv;
        grant select on reporting.fact_everything to rea_reporting""",
        "reporting.fact_everything: readable by rea_reporting but not filtered by the tenant",
    ),
}

FINDERS = sorted({check for check, _, _ in CHECKS.values()}, key=lambda f: f.__name__)


@pytest.mark.parametrize("check", FINDERS, ids=lambda f: f.__name__)
def test_the_schema_isolates_tenants(db, check):
    assert check(db) == []


@pytest.mark.parametrize("case", CHECKS)
def test_the_check_catches_a_bad_object(db, case):
    check, bad_ddl, offender = CHECKS[case]
    with db.transaction(force_rollback=True):
        db.execute(bad_ddl)
        found = check(db)
    assert any(offender in line for line in found), found


def test_every_tenant_table_is_exercised(db):
    """The checks here walk the catalog, so a new table is checked the day it is created.
    The behaviour tests (test_rls_fail_closed, test_tenant_isolation) walk a list: it must
    be the catalog's, so a new tenant table also gets rows in populate() and is then
    read, written and refused as every other one."""
    assert sorted(tenant_tables(db)) == sorted(f"rea.{table}" for table in TENANT_TABLES)


def test_the_application_and_reporting_read_the_tenant_views(db):
    """rea_app and rea_reporting may read reporting.fact_deals, fact_expenses and
    fact_bookings (and the auditor may not); nothing else in reporting."""
    rows = db.execute(
        """
        select r.rolname, c.relname
        from pg_class c cross join pg_roles r
        where c.relnamespace = 'reporting'::regnamespace and c.relkind in ('v', 'm', 'r')
          and r.rolname = any(%s) and has_table_privilege(r.oid, c.oid, 'SELECT')
        order by 1, 2
        """,
        (list(TENANT_ROLES),),
    ).fetchall()
    views = ["fact_bookings", "fact_deals", "fact_expenses"]
    assert rows == [("rea_app", v) for v in views] + [("rea_reporting", v) for v in views]


def test_every_privilege_has_a_policy_without_exceptions(db):
    """privileges_without_policy with no exemption subtracted."""
    assert privileges_without_policy(db) == []


def test_every_global_index_exists(db):
    """GLOBAL_INDEXES names only indexes that exist, so an exemption cannot go stale."""
    for name in GLOBAL_INDEXES:
        assert db.execute("select to_regclass(%s)", (name,)).fetchone()[0] is not None

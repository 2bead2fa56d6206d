"""readb docs: the schema documentation committed as docs/schema.md.

Read from the catalog of a built database (never from the step files, so it documents
what the steps really made) and rendered with the jinja2 template
templates/schema.md.j2: per schema (rea, audit, reporting) each table with its comment,
columns, named constraints and their rules, indexes, triggers, row-level security
policies and grants; the views and materialized views; the functions; and a Mermaid
erDiagram of the tenant tables and their foreign keys. Anchors: tbls, SchemaSpy.

The output is deterministic: everything is ordered by name, nothing carries a date, an
OID or a size, and, as in `readb dump`, partitions of partitioned tables are left out
(which of them exist is decided by the clock; see dump.py). The parent says so. A role
that is a superuser is written as `(superuser)`: it is whoever ran `readb up`, not
part of the schema. Objects that belong to an extension (citext's functions in
`public`, pgcrypto's in `extensions`) are the extension's, not the project's: the
extensions are listed once, by name and schema.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

import jinja2
import psycopg
from psycopg.rows import dict_row

from readb import apply
from readb.errors import ReadbError

SCHEMAS = ("rea", "audit", "reporting", "migrations")

PRIVILEGES = {
    "SELECT": "select",
    "INSERT": "insert",
    "UPDATE": "update",
    "DELETE": "delete",
    "TRUNCATE": "truncate",
    "REFERENCES": "references",
    "TRIGGER": "trigger",
    "USAGE": "usage",
    "CREATE": "create",
    "EXECUTE": "execute",
}
POLICY_COMMANDS = {"*": "all", "r": "select", "a": "insert", "w": "update", "d": "delete"}
RELKINDS = {"r": "table", "p": "partitioned table", "v": "view", "m": "materialized view"}
CONTYPES = {
    "p": "primary key",
    "f": "foreign key",
    "u": "unique",
    "c": "check",
    "x": "exclusion",
    "t": "trigger",
}
VOLATILITY = {"i": "immutable", "s": "stable", "v": "volatile"}
PARALLEL = {"s": "safe", "r": "restricted", "u": "unsafe"}
PROKINDS = {"f": "function", "p": "procedure", "a": "aggregate", "w": "window"}

# Roles are written by name, except a superuser: whoever built the database.
_ROLE = "case when r.rolsuper then '(superuser)' else r.rolname end"


def _role_of(oid_expr: str) -> str:
    return (
        f"(select case when r.rolsuper then '(superuser)' else r.rolname::text end"
        f" from pg_catalog.pg_roles as r where r.oid = {oid_expr})"
    )


def _acl(acl_expr: str, owner_expr: str, kind: str) -> str:
    """A select list item: the ACL as [{grantee, privileges}] ordered by grantee, the
    default ACL (NULL: the owner holds everything, PUBLIC what the kind gives it) made
    explicit. kind is acldefault()'s: 'r' relation, 's' sequence, 'f' function,
    'n' schema; NULL for column ACLs (no default: no grant)."""
    default = f"pg_catalog.acldefault('{kind}', {owner_expr})" if kind else "null"
    return f"""
    (select coalesce(jsonb_agg(g order by g->>'grantee'), '[]')
     from (
        select jsonb_build_object(
            'grantee', case when a.grantee = 0 then 'PUBLIC' else {_role_of("a.grantee")} end,
            'privileges', jsonb_agg(distinct lower(a.privilege_type))
        ) as g
        from pg_catalog.aclexplode(coalesce({acl_expr}, {default})) as a
        group by a.grantee
     ) as grants)"""


@dataclass
class Catalog:
    """What docs/schema.md shows, read from one database."""

    schemas: list[dict] = field(default_factory=list)
    extensions: list[dict] = field(default_factory=list)
    roles: list[dict] = field(default_factory=list)
    relations: dict[str, list[dict]] = field(default_factory=dict)  # schema -> tables, views
    sequences: dict[str, list[dict]] = field(default_factory=dict)
    functions: dict[str, list[dict]] = field(default_factory=dict)
    er_tables: list[dict] = field(default_factory=list)
    er_links: list[dict] = field(default_factory=list)


def _rows(conn: psycopg.Connection, query: str, params: object = None) -> list[dict]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(query, params).fetchall()


_SCHEMAS = f"""
select n.nspname as name, pg_catalog.obj_description(n.oid, 'pg_namespace') as comment,
    {_role_of("n.nspowner")} as owner,
    {_acl("n.nspacl", "n.nspowner", "n")} as grants
from pg_catalog.pg_namespace as n
where n.nspname = any(%(schemas)s)
order by array_position(%(schemas)s, n.nspname::text)
"""

_EXTENSIONS = """
select e.extname as name, n.nspname as schema,
    pg_catalog.obj_description(e.oid, 'pg_extension') as comment
from pg_catalog.pg_extension as e
join pg_catalog.pg_namespace as n on n.oid = e.extnamespace
where e.extname <> 'plpgsql'
order by 1
"""

# Tables, partitioned tables, views and materialized views; partitions left out.
_RELATIONS = f"""
select c.oid, n.nspname as schema, c.relname as name, c.relkind as kind,
    pg_catalog.obj_description(c.oid, 'pg_class') as comment,
    {_role_of("c.relowner")} as owner,
    c.relrowsecurity as rls, c.relforcerowsecurity as rls_forced,
    c.reloptions as options,
    case when c.relkind = 'p' then pg_catalog.pg_get_partkeydef(c.oid) end as partition_key,
    case when c.relkind in ('v', 'm') then pg_catalog.pg_get_viewdef(c.oid, true) end
        as definition,
    {_acl("c.relacl", "c.relowner", "r")} as grants,
    exists (
        select from pg_catalog.pg_attribute as a
        where a.attrelid = c.oid and a.attname = 'client_id' and not a.attisdropped
    ) as has_client_id
from pg_catalog.pg_class as c
join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
where n.nspname = any(%(schemas)s) and c.relkind in ('r', 'p', 'v', 'm')
    and not c.relispartition
order by n.nspname, c.relname
"""

_COLUMNS = f"""
select a.attrelid as oid, a.attnum as position, a.attname as name,
    pg_catalog.format_type(a.atttypid, a.atttypmod) as type,
    t.typname as type_name, t.typcategory = 'A' as is_array,
    a.attnotnull as not_null,
    case a.attidentity when 'a' then 'generated always as identity'
        when 'd' then 'generated by default as identity' end as identity,
    case when a.attgenerated = 's'
        then 'generated always as (' || pg_catalog.pg_get_expr(d.adbin, d.adrelid) || ') stored'
        else pg_catalog.pg_get_expr(d.adbin, d.adrelid) end as default,
    a.attgenerated = 's' as generated,
    pg_catalog.col_description(a.attrelid, a.attnum) as comment,
    {_acl("a.attacl", "null", "")} as grants
from pg_catalog.pg_attribute as a
join pg_catalog.pg_class as c on c.oid = a.attrelid
join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
join pg_catalog.pg_type as t on t.oid = a.atttypid
left join pg_catalog.pg_attrdef as d on d.adrelid = a.attrelid and d.adnum = a.attnum
where n.nspname = any(%(schemas)s) and c.relkind in ('r', 'p', 'v', 'm')
    and not c.relispartition and a.attnum > 0 and not a.attisdropped
order by a.attrelid, a.attnum
"""

_CONSTRAINTS = """
select c.conrelid as oid, c.conname as name, c.contype as type,
    pg_catalog.pg_get_constraintdef(c.oid, true) as definition,
    pg_catalog.obj_description(c.oid, 'pg_constraint') as comment,
    c.convalidated as validated, c.condeferrable as deferrable,
    case when c.contype = 'f' then pg_catalog.format('%%I.%%I', fn.nspname, f.relname) end
        as references
from pg_catalog.pg_constraint as c
join pg_catalog.pg_class as t on t.oid = c.conrelid
join pg_catalog.pg_namespace as n on n.oid = t.relnamespace
left join pg_catalog.pg_class as f on f.oid = c.confrelid
left join pg_catalog.pg_namespace as fn on fn.oid = f.relnamespace
where n.nspname = any(%(schemas)s) and not t.relispartition
order by c.conrelid, array_position(array['p', 'u', 'f', 'c', 'x', 't'], c.contype::text),
    c.conname
"""

_INDEXES = """
select x.indrelid as oid, i.relname as name, x.indisunique as is_unique,
    x.indpred is not null as partial,
    pg_catalog.pg_get_indexdef(x.indexrelid) as definition,
    pg_catalog.obj_description(i.oid, 'pg_class') as comment,
    (select k.conname from pg_catalog.pg_constraint as k where k.conindid = x.indexrelid
        and k.conrelid = x.indrelid and k.contype in ('p', 'u', 'x')) as constraint
from pg_catalog.pg_index as x
join pg_catalog.pg_class as i on i.oid = x.indexrelid
join pg_catalog.pg_class as t on t.oid = x.indrelid
join pg_catalog.pg_namespace as n on n.oid = t.relnamespace
where n.nspname = any(%(schemas)s) and not t.relispartition
order by x.indrelid, i.relname
"""

_TRIGGERS = """
select g.tgrelid as oid, g.tgname as name,
    pg_catalog.pg_get_triggerdef(g.oid, true) as definition,
    case g.tgenabled when 'O' then 'enabled' when 'D' then 'disabled'
        when 'R' then 'replica only' when 'A' then 'always' end as enabled,
    pg_catalog.format('%%I.%%I', pn.nspname, p.proname) as function,
    pg_catalog.obj_description(g.oid, 'pg_trigger') as comment
from pg_catalog.pg_trigger as g
join pg_catalog.pg_class as t on t.oid = g.tgrelid
join pg_catalog.pg_namespace as n on n.oid = t.relnamespace
join pg_catalog.pg_proc as p on p.oid = g.tgfoid
join pg_catalog.pg_namespace as pn on pn.oid = p.pronamespace
where n.nspname = any(%(schemas)s) and not t.relispartition and not g.tgisinternal
order by g.tgrelid, g.tgname
"""

_POLICIES = """
select p.polrelid as oid, p.polname as name, p.polcmd as command,
    p.polpermissive as permissive,
    case when p.polroles = '{0}' then array['PUBLIC']
        else array(
            select {role} from pg_catalog.pg_roles as r
            where r.oid = any(p.polroles) order by 1
        ) end as roles,
    pg_catalog.pg_get_expr(p.polqual, p.polrelid) as using,
    pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) as with_check
from pg_catalog.pg_policy as p
join pg_catalog.pg_class as t on t.oid = p.polrelid
join pg_catalog.pg_namespace as n on n.oid = t.relnamespace
where n.nspname = any(%(schemas)s)
order by p.polrelid, p.polname
""".replace("{role}", _ROLE)

_SEQUENCES = f"""
select n.nspname as schema, c.relname as name,
    pg_catalog.format_type(s.seqtypid, null) as type,
    (select pg_catalog.format('%%I.%%I.%%I', tn.nspname, t.relname, a.attname)
     from pg_catalog.pg_depend as d
     join pg_catalog.pg_class as t on t.oid = d.refobjid
     join pg_catalog.pg_namespace as tn on tn.oid = t.relnamespace
     join pg_catalog.pg_attribute as a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
     where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid
        and d.deptype in ('a', 'i')) as owned_by,
    pg_catalog.obj_description(c.oid, 'pg_class') as comment,
    {_acl("c.relacl", "c.relowner", "s")} as grants
from pg_catalog.pg_class as c
join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
join pg_catalog.pg_sequence as s on s.seqrelid = c.oid
where n.nspname = any(%(schemas)s) and c.relkind = 'S'
order by n.nspname, c.relname
"""

_FUNCTIONS = f"""
select n.nspname as schema, p.proname as name,
    pg_catalog.pg_get_function_identity_arguments(p.oid) as identity,
    pg_catalog.pg_get_function_arguments(p.oid) as arguments,
    pg_catalog.pg_get_function_result(p.oid) as result,
    p.prokind as kind, l.lanname as language, p.provolatile as volatility,
    p.proparallel as parallel, p.prosecdef as security_definer, p.proisstrict as strict,
    p.proconfig as config,
    {_role_of("p.proowner")} as owner,
    pg_catalog.obj_description(p.oid, 'pg_proc') as comment,
    {_acl("p.proacl", "p.proowner", "f")} as grants,
    case when l.lanname = 'plpgsql' then
        array(select distinct m[1]
              from regexp_matches(p.prosrc, 'constraint\\s*=\\s*''([a-z0-9_]+)''', 'gi') as m
              order by 1)
    else array[]::text[] end as raised_rules
from pg_catalog.pg_proc as p
join pg_catalog.pg_namespace as n on n.oid = p.pronamespace
join pg_catalog.pg_language as l on l.oid = p.prolang
where n.nspname = any(%(schemas)s)
    and not exists (
        select from pg_catalog.pg_depend as d
        where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e'
    )
order by n.nspname, p.proname, 3
"""

# The roles the schema names: owners, grantees and policy roles of the project's objects.
_ROLES = """
select r.rolname as name, r.rolcanlogin as login, r.rolinherit as inherit,
    r.rolbypassrls as bypassrls, r.rolcreaterole as createrole,
    pg_catalog.shobj_description(r.oid, 'pg_authid') as comment,
    array(
        select g.rolname from pg_catalog.pg_auth_members as m
        join pg_catalog.pg_roles as g on g.oid = m.roleid
        where m.member = r.oid and g.rolname = any(%(names)s)
        order by 1
    ) as member_of
from pg_catalog.pg_roles as r
where r.rolname = any(%(names)s) and not r.rolsuper
order by 1
"""


def _group(rows: list[dict], key: str = "oid") -> dict[object, list[dict]]:
    out: dict[object, list[dict]] = defaultdict(list)
    for row in rows:
        out[row[key]].append(row)
    return out


def _er_type(column: dict) -> str:
    """A type name Mermaid accepts as an attribute type: letters, digits, underscores."""
    name = column["type_name"].lstrip("_") + ("_array" if column["is_array"] else "")
    return _er_entity("rea", name)


def _er_entity(schema: str, name: str) -> str:
    """An entity name Mermaid accepts: the table's (schema_table outside rea), any other
    character than a letter, digit or underscore made an underscore."""
    name = name if schema == "rea" else f"{schema}_{name}"
    return "".join(ch if (ch.isascii() and ch.isalnum()) or ch == "_" else "_" for ch in name)


def collect(conn: psycopg.Connection, schemas: tuple[str, ...] = SCHEMAS) -> Catalog:
    """Read what the documentation shows from the catalog, as `conn` sees it."""
    params = {"schemas": list(schemas)}
    cat = Catalog()
    cat.schemas = _rows(conn, _SCHEMAS, params)
    cat.extensions = _rows(conn, _EXTENSIONS)
    columns = _group(_rows(conn, _COLUMNS, params))
    constraints = _group(_rows(conn, _CONSTRAINTS, params))
    indexes = _group(_rows(conn, _INDEXES, params))
    triggers = _group(_rows(conn, _TRIGGERS, params))
    policies = _group(_rows(conn, _POLICIES, params))
    relations = _rows(conn, _RELATIONS, params)
    by_name = {f"{r['schema']}.{r['name']}": r for r in relations}

    for rel in relations:
        rel["qualified"] = f"{rel['schema']}.{rel['name']}"
        rel["anchor"] = rel["qualified"].replace(".", "-").replace("_", "-")
        rel["kind_name"] = RELKINDS[rel["kind"]]
        rel["columns"] = columns.get(rel["oid"], [])
        rel["constraints"] = constraints.get(rel["oid"], [])
        rel["indexes"] = indexes.get(rel["oid"], [])
        rel["triggers"] = triggers.get(rel["oid"], [])
        rel["policies"] = policies.get(rel["oid"], [])
        rel["referenced_by"] = []
        for con in rel["constraints"]:
            con["type_name"] = CONTYPES[con["type"]]
        for pol in rel["policies"]:
            pol["command_name"] = POLICY_COMMANDS[pol["command"]]
        for idx in rel["indexes"]:
            idx["using"] = idx["definition"].partition(" USING ")[2] or idx["definition"]
        for trg in rel["triggers"]:
            event = trg["definition"].removeprefix(f"CREATE TRIGGER {trg['name']} ")
            trg["event"] = event.replace(f" ON {rel['qualified']} ", " ", 1)
        rel["column_grants"] = _column_grants(rel["columns"])
    for rel in relations:
        for con in rel["constraints"]:
            if con["type"] == "f" and con["references"] in by_name:
                by_name[con["references"]]["referenced_by"].append(
                    {"table": rel["qualified"], "anchor": rel["anchor"], "name": con["name"]}
                )
    for rel in relations:
        rel["referenced_by"].sort(key=lambda r: (r["table"], r["name"]))
        rel.pop("oid")
        for part in ("columns", "constraints", "indexes", "triggers", "policies"):
            for row in rel[part]:
                row.pop("oid", None)
    for schema in schemas:
        cat.relations[schema] = [r for r in relations if r["schema"] == schema]

    functions = _rows(conn, _FUNCTIONS, params)
    raised = {f"{fn['schema']}.{fn['name']}": fn["raised_rules"] for fn in functions}
    for rel in relations:
        for trg in rel["triggers"]:
            trg["rules"] = raised.get(trg["function"], [])
    for seq in _rows(conn, _SEQUENCES, params):
        cat.sequences.setdefault(seq["schema"], []).append(seq)
    for fn in functions:
        fn["kind_name"] = PROKINDS[fn["kind"]]
        fn["volatility_name"] = VOLATILITY[fn["volatility"]]
        fn["parallel_name"] = PARALLEL[fn["parallel"]]
        fn["anchor"] = f"{fn['schema']}-{fn['name']}".replace("_", "-")
        cat.functions.setdefault(fn["schema"], []).append(fn)

    names: set[str] = set()
    for s in cat.schemas:
        names.add(s["owner"])
        names.update(g["grantee"] for g in s["grants"])
    for rel in relations:
        names.add(rel["owner"])
        names.update(g["grantee"] for g in rel["grants"])
        names.update(g["grantee"] for g in rel["column_grants"])
        for pol in rel["policies"]:
            names.update(pol["roles"])
    for fns in cat.functions.values():
        for fn in fns:
            names.add(fn["owner"])
            names.update(g["grantee"] for g in fn["grants"])
    cat.roles = _rows(conn, _ROLES, {"names": sorted(names)})

    _diagram(cat, relations, by_name)
    return cat


def _column_grants(columns: list[dict]) -> list[dict]:
    """Column privileges as [{grantee, privilege, columns}], grantee then privilege order."""
    by: dict[tuple[str, str], list[str]] = defaultdict(list)
    for column in columns:
        for grant in column["grants"]:
            for privilege in grant["privileges"]:
                by[grant["grantee"], privilege].append(column["name"])
    order = list(PRIVILEGES.values())
    return [
        {"grantee": grantee, "privilege": privilege, "columns": by[grantee, privilege]}
        for grantee, privilege in sorted(by, key=lambda k: (k[0], order.index(k[1])))
    ]


def _diagram(cat: Catalog, relations: list[dict], by_name: dict[str, dict]) -> None:
    """The tenant tables (tables of rea with a client_id), the tables they reference,
    their key columns and one line per foreign key."""
    tenant = [r for r in relations if r["schema"] == "rea" and r["kind"] in "rp"]
    tenant = [r for r in tenant if r["has_client_id"]]
    wanted = {r["qualified"] for r in tenant}
    links = []
    for rel in tenant:
        for con in rel["constraints"]:
            if con["type"] == "f" and con["references"] in by_name:
                wanted.add(con["references"])
    for qualified in sorted(wanted):
        rel = by_name[qualified]
        keys: dict[str, list[str]] = defaultdict(list)
        fk_columns: dict[str, set[str]] = defaultdict(set)
        for con in rel["constraints"]:
            cols = _constraint_columns(con["definition"])
            tag = {"p": "PK", "f": "FK", "u": "UK"}.get(con["type"])
            for col in cols if tag else ():
                if tag not in keys[col]:
                    keys[col].append(tag)
            if con["type"] == "f":
                fk_columns[con["name"]] = set(cols)
        cat.er_tables.append(
            {
                "entity": _er_entity(rel["schema"], rel["name"]),
                "columns": [
                    {
                        "type": _er_type(c),
                        "name": _er_entity("rea", c["name"]),
                        "keys": ", ".join(keys[c["name"]]),
                    }
                    for c in rel["columns"]
                    if keys.get(c["name"])
                ],
            }
        )
        if qualified not in {r["qualified"] for r in tenant}:
            continue
        not_null = {c["name"] for c in rel["columns"] if c["not_null"]}
        for con in rel["constraints"]:
            if con["type"] != "f" or con["references"] not in by_name:
                continue
            target = by_name[con["references"]]
            mandatory = fk_columns[con["name"]] <= not_null
            links.append(
                {
                    "child": _er_entity(rel["schema"], rel["name"]),
                    "parent": _er_entity(target["schema"], target["name"]),
                    "cardinality": "}o--||" if mandatory else "}o--o|",
                    "name": con["name"].replace('"', "'"),  # the label is quoted
                }
            )
    cat.er_links = sorted(links, key=lambda x: (x["child"], x["name"]))


def _constraint_columns(definition: str) -> list[str]:
    """The columns a PRIMARY KEY / UNIQUE / FOREIGN KEY definition names first."""
    start = definition.find("(")
    end = definition.find(")", start)
    if start < 0 or end < 0:
        return []
    return [c.strip().strip('"') for c in definition[start + 1 : end].split(",")]


def _cell(value: object) -> str:
    """A value inside a Markdown table cell: one line, pipes escaped."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return text.replace("|", "\\|")


def _code(value: object) -> str:
    """Inline code in a table cell (backticks doubled when the text holds one)."""
    if value is None or value == "":
        return ""
    text = _cell(value)
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _privileges(grants: list[dict]) -> str:
    order = list(PRIVILEGES.values())
    return ", ".join(sorted(grants, key=lambda p: order.index(p) if p in order else 99))


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("readb", "templates"),
        autoescape=False,  # Markdown, not HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["cell"] = _cell
    env.filters["code"] = _code
    env.filters["privileges"] = _privileges
    return env


def render(cat: Catalog) -> str:
    text = _environment().get_template("schema.md.j2").render(cat=cat, schemas=SCHEMAS)
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line == "" and out and out[-1] == "":
            continue  # one blank line, whatever the template's blocks left
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"


def schema_markdown(dsn: str) -> str:
    """docs/schema.md for the database at dsn, read in one transaction."""
    with apply.connect(dsn) as conn:
        try:
            with conn.transaction():
                if conn.execute("select to_regnamespace('rea')").fetchone()[0] is None:
                    raise ReadbError("the schema is not built: run 'readb up' first")
                cat = collect(conn)
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ReadbError(f"cannot read the catalog: {first}") from None
    return render(cat)

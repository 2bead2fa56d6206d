"""docs/contract.md and the code say the same: commands, roles, tables, views, functions.

The contract marks its tables with `<!-- contract:KIND -->` ... `<!-- /contract:KIND -->`;
the first column of each row names one thing in backquotes. Each kind is compared both
ways with what exists: `readb`'s subcommands (from its own parser), the project's roles
(the NOLOGIN `rea_*` roles of the cluster after a build), the tables of `rea` and `audit`
(partitions aside), the views of `reporting` that some role may read, and the functions
that some contract role other than the owner may execute. A thing in the code but not in
the contract, or in the contract but not in the code, fails the test with its name.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import PROJECT_ROOT
from readb import cli

CONTRACT = PROJECT_ROOT / "docs" / "contract.md"
CONTRACT_ROLES = ("rea_app", "rea_reporting", "rea_auditor", "rea_operator")


def section(kind: str, path: Path = CONTRACT) -> list[str]:
    """The first backquoted word of each row of the contract's table `kind`."""
    text = path.read_text()
    match = re.search(rf"<!-- contract:{kind} -->\n(.*?)<!-- /contract:{kind} -->", text, re.S)
    assert match, f"docs/contract.md has no <!-- contract:{kind} --> table"
    names = []
    for line in match.group(1).splitlines():
        cell = re.match(r"\|\s*`([^`]+)`", line)
        if cell:
            names.append(cell.group(1))
    assert names, f"the contract's {kind} table is empty"
    return names


def compare(kind: str, in_contract: set[str], in_code: set[str]) -> None:
    missing = sorted(in_code - in_contract)
    stale = sorted(in_contract - in_code)
    assert not missing and not stale, (
        f"{kind}: in the code but not in docs/contract.md: {missing or 'none'}; "
        f"in docs/contract.md but not in the code: {stale or 'none'}"
    )


def test_the_commands_are_readb_s_subcommands():
    parser = cli._parser()
    (sub,) = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    in_code = set(sub.choices)
    # `readb plan --sql` -> plan, `readb audit heads` -> audit heads (a nested subcommand)
    in_contract = set()
    for usage in section("commands"):
        words = [w for w in usage.split()[1:] if re.fullmatch(r"[a-z][a-z-]*", w)]
        in_contract.add(words[0])
    compare("commands", in_contract, in_code)


def test_the_roles_are_the_project_s_roles(db):
    in_code = {
        name
        for (name,) in db.execute(
            "select rolname from pg_roles where rolname like 'rea\\_%' and not rolcanlogin"
        )
    }
    # A role the contract marks "optional" is set up outside the steps (per cluster, by an
    # operator): it may exist or not, but if it exists, the contract must name it.
    text = CONTRACT.read_text()
    optional = {
        name
        for name in section("roles")
        if "(optional:" in next(ln for ln in text.splitlines() if ln.startswith(f"| `{name}`"))
    }
    compare("roles", set(section("roles")) - (optional - in_code), in_code)


def test_the_tables_are_the_tables_of_rea_and_audit(db):
    in_code = {
        name
        for (name,) in db.execute(
            "select n.nspname || '.' || c.relname from pg_class as c"
            " join pg_namespace as n on n.oid = c.relnamespace"
            " where n.nspname in ('rea', 'audit') and c.relkind in ('r', 'p')"
            " and not c.relispartition"
        )
    }
    compare("tables", set(section("tables")), in_code)


def test_the_views_are_the_readable_reporting_views(db):
    in_code = {
        name
        for (name,) in db.execute(
            "select n.nspname || '.' || c.relname from pg_class as c"
            " join pg_namespace as n on n.oid = c.relnamespace"
            " where n.nspname = 'reporting' and c.relkind in ('v', 'm')"
            " and exists (select from unnest(%s::text[]) as r(name)"
            "             where has_table_privilege(r.name, c.oid, 'select'))",
            (list(CONTRACT_ROLES),),
        )
    }
    compare("views", set(section("views")), in_code)


def test_the_functions_are_those_the_contract_roles_may_call(db):
    rows = db.execute(
        "select n.nspname || '.' || p.proname,"
        " array(select r.name from unnest(%s::text[]) as r(name)"
        "       where has_function_privilege(r.name, p.oid, 'execute') order by 1)"
        " from pg_proc as p join pg_namespace as n on n.oid = p.pronamespace"
        " where n.nspname in ('rea', 'audit', 'reporting', 'search')",
        (list(CONTRACT_ROLES),),
    ).fetchall()
    callers = {name: set(roles) for name, roles in rows if roles}
    in_contract = {usage.split("(")[0] for usage in section("functions")}
    compare("functions", in_contract, set(callers))

    # ... and the contract says who may call each one.
    text = CONTRACT.read_text()
    for name, roles in callers.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{name}("))
        said = set(re.findall(r"`(rea_[a-z]+)`", row.split("|")[2]))
        assert said == roles, (
            f"{name}: the contract says {sorted(said)}, the grants {sorted(roles)}"
        )


def test_the_contract_does_not_point_outside_the_repository():
    for path in [CONTRACT, PROJECT_ROOT / "docs" / "conventions.md", PROJECT_ROOT / "README.md"]:
        assert "../shared" not in path.read_text(), f"{path.name} points into ../shared/"

"""A failing step leaves nothing, is not recorded, and is named in one line: file:line, SQLSTATE."""

import pytest

from conftest import run_readb

BASE = {
    "ddl/0010_base.sql": "create table base (x int);\n",
    "ddl/0010_base.down.sql": "drop table base;\n",
}
AFTER = {
    "ddl/0030_after.sql": "create table after_broken (x int);\n",
    "ddl/0030_after.down.sql": "drop table after_broken;\n",
}
HEAD = (
    "-- Two statements that succeed, then a third that fails.\n"  # line 1
    "create table broken_a (x int);\n"  # line 2
    "create unique index broken_a_x_key on broken_a (x);\n"  # line 3
)

# (third statement from line 4 on, the line psql's error points at, SQLSTATE)
FAILURES = {
    "unknown type on the statement's 3rd line": (
        "create table broken_b (\n    id int,\n    payload no_such_type\n);\n",
        6,
        "42704",
    ),
    "unknown column, one line": ("select no_such_column from broken_a;\n", 4, "42703"),
    "unique violation at run time": (
        "insert into broken_a (x)\nvalues (1), (1);\n",
        5,
        "23505",
    ),
}


def objects_named_broken(conn) -> list[str]:
    conn.rollback()
    rows = conn.execute(
        "select relname from pg_class where relname like 'broken%' order by 1"
    ).fetchall()
    return [name for (name,) in rows]


def recorded(conn) -> list[str]:
    conn.rollback()
    return [n for (n,) in conn.execute("select name from readb.applied_steps order by version")]


@pytest.mark.parametrize("case", FAILURES, ids=list(FAILURES))
def test_a_failing_third_statement_rolls_back_the_whole_step(case, make_steps, empty_url, empty_db):
    third, line, sqlstate = FAILURES[case]
    sql_dir = make_steps(
        BASE
        | AFTER
        | {
            "ddl/0020_broken.sql": HEAD + third,
            "ddl/0020_broken.down.sql": "drop table broken_a;\n",
        }
    )

    result = run_readb("up", dsn=empty_url, sql_dir=sql_dir)

    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    (message,) = result.stderr.splitlines()
    assert message.startswith(
        f"readb: could not apply 0020_broken: sql/ddl/0020_broken.sql:{line} "
        "(statement starting at line 4): "
        f"SQLSTATE {sqlstate}: "
    )
    assert message.endswith("(rolled back, nothing recorded)")
    assert objects_named_broken(empty_db) == []
    assert recorded(empty_db) == ["0010_base"]  # the step before stays, the one after never ran
    assert empty_db.execute(
        "select to_regclass('base'), to_regclass('after_broken')"
    ).fetchone() == (
        "base",
        None,
    )
    (applied_line,) = result.stdout.splitlines()
    assert applied_line.startswith("applied 0010_base ")


def test_the_step_applies_once_the_statement_is_fixed(make_steps, empty_url, empty_db):
    broken = HEAD + "create table broken_b (\n    id int,\n    payload no_such_type\n);\n"
    sql_dir = make_steps(
        BASE | {"ddl/0020_broken.sql": broken, "ddl/0020_broken.down.sql": "drop table broken_a;\n"}
    )
    assert run_readb("up", dsn=empty_url, sql_dir=sql_dir).returncode == 1

    (sql_dir / "ddl/0020_broken.sql").write_text(broken.replace("no_such_type", "text"))
    (sql_dir / "ddl/0020_broken.down.sql").write_text(
        "drop table broken_b;\ndrop table broken_a;\n"
    )
    fixed = run_readb("up", dsn=empty_url, sql_dir=sql_dir)
    assert fixed.returncode == 0, fixed.stderr
    assert fixed.stdout.splitlines()[0].startswith("applied 0020_broken")
    assert objects_named_broken(empty_db) == ["broken_a", "broken_a_x_key", "broken_b"]


def test_the_line_is_exact_after_a_block_comment(make_steps, empty_url):
    step = (
        "create table broken_a (x int);\n"  # line 1
        "/* The next table needs a type that\n"  # line 2
        "   no step created. */\n"  # line 3
        "create table broken_b (\n"  # line 4
        "    payload no_such_type\n"  # line 5
        ");\n"
    )
    sql_dir = make_steps({"ddl/0020_broken.sql": step, "ddl/0020_broken.down.sql": ";\n"})
    result = run_readb("up", dsn=empty_url, sql_dir=sql_dir)
    assert "sql/ddl/0020_broken.sql:5 (statement starting at line 4)" in result.stderr


def test_the_line_is_exact_when_two_statements_share_a_line(make_steps, empty_url):
    step = (
        "create table broken_a (\n"  # line 1
        "    x int\n"  # line 2
        "); select no_such_column from broken_a;\n"  # line 3
    )
    sql_dir = make_steps({"ddl/0020_broken.sql": step, "ddl/0020_broken.down.sql": ";\n"})
    result = run_readb("up", dsn=empty_url, sql_dir=sql_dir)
    assert "sql/ddl/0020_broken.sql:3 (statement starting at line 3)" in result.stderr

"""A `-- readb:no-transaction` step runs outside a transaction, is recorded, and reverts."""

import psycopg
import pytest

from conftest import run_readb

ITEMS = {
    "ddl/0010_items.sql": "create table items (id int, sku text);\n",
    "ddl/0010_items.down.sql": "drop table items;\n",
}
SKU_INDEX = {
    "migrations/0020_items_sku_idx.sql": (
        "-- readb:no-transaction\n"
        "-- Built concurrently: writes to items go on while it builds.\n"
        "create unique index concurrently items_sku_key on items (sku);\n"
    ),
    "migrations/0020_items_sku_idx.down.sql": (
        "-- readb:no-transaction\ndrop index concurrently items_sku_key;\n"
    ),
}


@pytest.fixture
def conn(empty_url, empty_db):
    """An autocommit connection: an idle open transaction would make CONCURRENTLY wait forever."""
    with psycopg.connect(empty_url, autocommit=True) as c:
        yield c


def index_valid(conn) -> bool | None:
    """pg_index.indisvalid of items_sku_key; None when there is no such index."""
    row = conn.execute(
        "select indisvalid from pg_index where indexrelid = to_regclass('items_sku_key')"
    ).fetchone()
    return None if row is None else row[0]


def recorded(conn) -> list[tuple[str, bool]]:
    return conn.execute(
        "select name, transactional from readb.applied_steps order by version"
    ).fetchall()


def test_create_index_concurrently_applies_and_is_recorded_as_non_transactional(
    make_steps, empty_url, conn
):
    sql_dir = make_steps(ITEMS | SKU_INDEX)
    up = run_readb("up", dsn=empty_url, sql_dir=sql_dir)
    assert up.returncode == 0, up.stderr
    # inside begin/commit, PostgreSQL would have refused it (SQLSTATE 25001)
    assert index_valid(conn) is True
    assert recorded(conn) == [("0010_items", True), ("0020_items_sku_idx", False)]
    assert run_readb("verify", dsn=empty_url, sql_dir=sql_dir).returncode == 0


def test_its_down_drops_the_index_concurrently_and_forgets_the_step(make_steps, empty_url, conn):
    sql_dir = make_steps(ITEMS | SKU_INDEX)
    assert run_readb("up", dsn=empty_url, sql_dir=sql_dir).returncode == 0

    down = run_readb("down", "--to", "10", dsn=empty_url, sql_dir=sql_dir)
    assert down.returncode == 0, down.stderr
    assert down.stdout.startswith("reverted 0020_items_sku_idx")
    assert index_valid(conn) is None
    assert conn.execute("select to_regclass('items')").fetchone() == ("items",)
    assert recorded(conn) == [("0010_items", True)]

    again = run_readb("up", dsn=empty_url, sql_dir=sql_dir)
    assert again.returncode == 0, again.stderr
    assert index_valid(conn) is True


def test_a_failed_concurrent_build_is_not_recorded_leaves_no_invalid_index_and_reruns(
    make_steps, empty_url, conn
):
    sql_dir = make_steps(
        ITEMS
        | {
            "ddl/0015_items_rows.sql": "insert into items values (1, 'dup'), (2, 'dup');\n",
            "ddl/0015_items_rows.down.sql": "delete from items;\n",
        }
        | SKU_INDEX
    )
    up = run_readb("up", dsn=empty_url, sql_dir=sql_dir)
    assert up.returncode == 1
    (message,) = up.stderr.splitlines()
    assert message.startswith(
        "readb: could not apply 0020_items_sku_idx: "
        "sql/migrations/0020_items_sku_idx.sql:3 (statement starting at line 3): SQLSTATE 23505"
    )
    assert "ran outside a transaction and is not recorded" in message
    assert "dropped the INVALID index it left: public.items_sku_key" in message
    assert [name for name, _ in recorded(conn)] == ["0010_items", "0015_items_rows"]
    assert index_valid(conn) is None  # not left behind INVALID, in the rerun's way

    conn.execute("delete from items where id = 2")  # the cause, fixed
    again = run_readb("up", dsn=empty_url, sql_dir=sql_dir)
    assert again.returncode == 0, again.stderr
    assert index_valid(conn) is True


def test_verify_flags_an_invalid_index(make_steps, empty_url, conn):
    sql_dir = make_steps(ITEMS)
    assert run_readb("up", dsn=empty_url, sql_dir=sql_dir).returncode == 0
    conn.execute("insert into items values (1, 'dup'), (2, 'dup')")
    with pytest.raises(psycopg.errors.UniqueViolation):
        conn.execute("create unique index concurrently items_sku_key on items (sku)")
    assert index_valid(conn) is False  # what a failed CONCURRENTLY by hand leaves behind
    verify = run_readb("verify", dsn=empty_url, sql_dir=sql_dir)
    assert verify.returncode == 1
    assert "index public.items_sku_key is INVALID" in verify.stdout

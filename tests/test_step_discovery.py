"""discover() orders steps by their global number and refuses any ambiguous step tree."""

import hashlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readb.errors import ReadbError
from readb.steps import STEP_FOLDERS, discover


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write {"ddl/0010_a.sql": text} under root/sql and return root/sql."""
    sql_dir = root / "sql"
    sql_dir.mkdir(exist_ok=True)
    for rel, content in files.items():
        path = sql_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return sql_dir


def step(folder: str, name: str, up: str | None = None, down: str | None = None) -> dict[str, str]:
    """A well-formed step: one table created, one table dropped."""
    table = "t_" + name
    return {
        f"{folder}/{name}.sql": up if up is not None else f"create table {table} (x int);\n",
        f"{folder}/{name}.down.sql": down if down is not None else f"drop table {table};\n",
    }


def refusal(tmp_path: Path, files: dict[str, str | bytes]) -> str:
    with pytest.raises(ReadbError) as caught:
        discover(write_tree(tmp_path, files))
    return str(caught.value)


def test_steps_are_ordered_by_number_across_folders(tmp_path):
    sql_dir = write_tree(
        tmp_path,
        step("ddl", "0300_bookings")
        | step("rls", "0100_roles")
        | step("views", "0200_reports")
        | step("migrations", "0050_early")
        | step("ddl", "0150_properties"),
    )
    steps = discover(sql_dir)
    assert [(s.version, s.name, s.folder) for s in steps] == [
        (50, "0050_early", "migrations"),
        (100, "0100_roles", "rls"),
        (150, "0150_properties", "ddl"),
        (200, "0200_reports", "views"),
        (300, "0300_bookings", "ddl"),
    ]
    assert steps[0].down_path == sql_dir / "migrations" / "0050_early.down.sql"


def test_files_that_are_not_sql_are_ignored(tmp_path):
    files = step("ddl", "0010_a") | {"ddl/README.md": "notes", "ddl/0020_b.sql.bak": "x"}
    assert [s.name for s in discover(write_tree(tmp_path, files))] == ["0010_a"]


@pytest.mark.parametrize(
    "bad_name",
    [
        "10_short_number.sql",
        "00010_five_digits.sql",
        "0010_CamelCase.sql",
        "0010-dash.sql",
        "0010_.sql",
        "0010_trailing_.sql",
        "0010_double__underscore.sql",
        "0010_a.rollback.sql",
        "create_table.sql",
    ],
)
def test_a_malformed_step_name_is_refused(tmp_path, bad_name):
    message = refusal(tmp_path, step("ddl", "0020_good") | {f"ddl/{bad_name}": "select 1;\n"})
    assert f"ddl/{bad_name}: not a step name" in message


def test_two_steps_with_one_number_in_different_folders_are_refused(tmp_path):
    message = refusal(tmp_path, step("ddl", "0010_tables") | step("rls", "0010_grants"))
    assert "ddl/0010_tables.sql" in message
    assert "rls/0010_grants.sql" in message
    assert "number 0010 is also used by" in message


def test_a_step_without_its_down_file_is_refused(tmp_path):
    files = step("ddl", "0010_a") | {"ddl/0020_b.sql": "create table b (x int);\n"}
    message = refusal(tmp_path, files)
    assert "ddl/0020_b.sql: has no rollback 0020_b.down.sql" in message


def test_a_down_file_without_its_step_is_refused(tmp_path):
    files = step("ddl", "0010_a") | {"views/0020_orphan.down.sql": "drop view v;\n"}
    message = refusal(tmp_path, files)
    assert "views/0020_orphan.down.sql: rollback without a step 0020_orphan.sql" in message


def test_a_down_file_in_another_folder_is_refused(tmp_path):
    files = {
        "ddl/0010_a.sql": "create table a (x int);\n",
        "rls/0010_a.down.sql": "drop table a;\n",
    }
    assert "ddl/0010_a.sql: its rollback lives in another folder" in refusal(tmp_path, files)


def test_version_0000_is_reserved(tmp_path):
    message = refusal(tmp_path, step("ddl", "0000_zero") | step("ddl", "0010_a"))
    assert "ddl/0000_zero.sql: version 0000 is reserved" in message


@pytest.mark.parametrize("which", ["up", "down"])
def test_a_no_transaction_file_with_two_statements_is_refused(tmp_path, which):
    two = (
        "-- readb:no-transaction\n"
        "create index concurrently t_a_idx on t (a);\n"
        "create index concurrently t_b_idx on t (b);\n"
    )
    one = "-- readb:no-transaction\ndrop index concurrently t_a_idx;\n"
    files = step("ddl", "0020_idx", **({"up": two} if which == "up" else {"down": two}))
    if which == "up":
        files["ddl/0020_idx.down.sql"] = one
    rel = "ddl/0020_idx.sql" if which == "up" else "ddl/0020_idx.down.sql"
    message = refusal(tmp_path, step("ddl", "0010_t") | files)
    assert f"{rel}: a no-transaction step must hold exactly one statement" in message


def test_a_no_transaction_step_with_one_statement_is_accepted(tmp_path):
    files = step("ddl", "0010_t") | step(
        "ddl",
        "0020_idx",
        up="-- readb:no-transaction\n-- no write lock\ncreate index concurrently i on t (a);\n",
        down="-- readb:no-transaction\ndrop index concurrently i;\n",
    )
    steps = discover(write_tree(tmp_path, files))
    assert [(s.name, s.transactional, s.down_transactional) for s in steps] == [
        ("0010_t", True, True),
        ("0020_idx", False, False),
    ]


@pytest.mark.parametrize("which", ["up", "down"])
def test_a_file_whose_last_statement_lacks_a_semicolon_is_refused(tmp_path, which):
    unterminated = "create table a (x int);\n-- the last one:\ncreate table b (x int)\n"
    files = step("ddl", "0010_ab", **{which: unterminated})
    rel = "ddl/0010_ab.sql" if which == "up" else "ddl/0010_ab.down.sql"
    message = refusal(tmp_path, files)
    assert f"{rel}: the last statement does not end with ';' (line 3)" in message


def test_crlf_lf_and_cr_files_have_one_checksum(tmp_path):
    lf = "-- a step\ncreate table a (\n    x int\n);\n"
    variants = {
        "lf": lf.encode(),
        "crlf": lf.replace("\n", "\r\n").encode(),
        "cr": lf.replace("\n", "\r").encode(),
    }
    checksums = {}
    for label, content in variants.items():
        root = tmp_path / label
        root.mkdir()
        (only,) = discover(write_tree(root, step("ddl", "0010_a", up=content)))
        assert only.up_sql == lf
        checksums[label] = only.checksum
    assert set(checksums.values()) == {hashlib.sha256(lf.encode()).hexdigest()}


def test_a_changed_byte_changes_the_checksum(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (one,) = discover(write_tree(a, step("ddl", "0010_a", up="create table a (x int);\n")))
    (two,) = discover(write_tree(b, step("ddl", "0010_a", up="create table a (y int);\n")))
    assert one.checksum != two.checksum


slugs = st.from_regex(r"[a-z][a-z0-9]{0,6}(_[a-z0-9]{1,4}){0,2}", fullmatch=True)
trees = st.dictionaries(
    keys=st.integers(min_value=1, max_value=9999),
    values=st.tuples(st.sampled_from(STEP_FOLDERS), slugs),
    min_size=1,
    max_size=8,
)


@settings(max_examples=40, deadline=None)
@given(tree=trees)
def test_any_tree_of_distinct_numbers_comes_back_sorted_by_version(tree):
    files: dict[str, str | bytes] = {}
    for number, (folder, slug) in tree.items():
        files |= step(folder, f"{number:04d}_{slug}")
    with tempfile.TemporaryDirectory() as root:
        steps = discover(write_tree(Path(root), files))
    assert [s.version for s in steps] == sorted(tree)
    assert [(s.name, s.folder) for s in steps] == [
        (f"{n:04d}_{tree[n][1]}", tree[n][0]) for n in sorted(tree)
    ]


@settings(max_examples=40, deadline=None)
@given(
    tree=trees,
    twin=st.tuples(st.sampled_from(STEP_FOLDERS), slugs),
    data=st.data(),
)
def test_any_number_used_twice_is_refused_naming_both_files(tree, twin, data):
    number = data.draw(st.sampled_from(sorted(tree)), label="shared number")
    first = tree[number]
    if twin == first:
        twin = (twin[0], twin[1] + "_twin")
    files: dict[str, str | bytes] = {}
    for n, (folder, slug) in tree.items():
        files |= step(folder, f"{n:04d}_{slug}")
    files |= step(twin[0], f"{number:04d}_{twin[1]}")
    with tempfile.TemporaryDirectory() as root, pytest.raises(ReadbError) as caught:
        discover(write_tree(Path(root), files))
    message = str(caught.value)
    assert f"{first[0]}/{number:04d}_{first[1]}.sql" in message
    assert f"{twin[0]}/{number:04d}_{twin[1]}.sql" in message
    assert f"number {number:04d} is also used by" in message

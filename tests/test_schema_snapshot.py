"""sql/schema.sql is the dump of a database built from every step: run `make dump`."""

import difflib

from conftest import SQL_DIR


def test_committed_schema_matches_a_fresh_build(db_url, schema_dump):
    committed = (SQL_DIR / "schema.sql").read_text()
    built = schema_dump(db_url)
    if committed != built:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                built.splitlines(keepends=True),
                "sql/schema.sql (committed)",
                "built from sql/ steps",
                n=2,
            )
        )
        raise AssertionError(f"sql/schema.sql is stale; run `make dump`:\n{diff[:6000]}")

"""Every view reads back the same after a dump and restore.

pg_dump writes a view as PostgreSQL deparses it, and a restore parses that text again.
For most queries the two agree, but not all: in a UNION, a bare literal in a later branch
is deparsed as `'x'::text`, which on the next parse is named `text`, so the restored view
deparses differently, and `readb verify` on a restored copy rightly reports a schema that
differs from the steps'. Each view is recreated here from its own definition, as a
restore would, and must deparse identically (the fix: name such columns, `'x' as name`).
"""

from __future__ import annotations

PROJECT_SCHEMAS = ["rea", "audit", "reporting", "migrations", "monitoring"]


def test_each_view_deparses_the_same_after_a_round_trip(db):
    views = db.execute(
        "select c.oid::regclass::text, pg_get_viewdef(c.oid) from pg_class as c"
        " join pg_namespace as n on n.oid = c.relnamespace"
        " where c.relkind in ('v', 'm') and n.nspname = any(%s) order by 1",
        (PROJECT_SCHEMAS,),
    ).fetchall()
    assert views
    changed = []
    for index, (name, definition) in enumerate(views):
        copy = f"pg_temp.round_trip_{index}"
        db.execute(f"create temp view round_trip_{index} as {definition}")
        (again,) = db.execute("select pg_get_viewdef(%s::regclass)", (copy,)).fetchone()
        if again != definition:
            changed.append(name)
    assert changed == [], f"these views deparse differently once restored: {changed}"

"""docs/schema.md is generated from the catalog of a built database: run `make docs`.

The committed file must be what `readb docs` prints for a database built from every
step (else it is stale and the test prints the diff). The generator must show each kind
of thing it promises: a table made here with a comment, a named check, a foreign key, an
index, a trigger, a policy, table and column grants, a function and a view shows up in
its section and in the ER diagram; a partition does not (runtime state), its parent says
so.
"""

import difflib
import re

import psycopg
import pytest

from conftest import PROJECT_ROOT, run_readb
from readb import docs

DOCS = PROJECT_ROOT / "docs" / "schema.md"

PROBE = """
create table rea.docs_probe_shelves (
    client_id uuid not null,
    id uuid not null default rea.uuid_v7(),
    label text not null,
    constraint docs_probe_shelves_pkey primary key (client_id, id)
);
create table rea.docs_probe_books (
    client_id uuid not null,
    id uuid not null default rea.uuid_v7(),
    shelf_id uuid,
    pages integer not null,
    constraint docs_probe_books_pkey primary key (client_id, id),
    constraint docs_probe_books_client_fkey foreign key (client_id)
        references rea.clients (id),
    constraint docs_probe_books_shelf_fkey foreign key (client_id, shelf_id)
        references rea.docs_probe_shelves (client_id, id),
    constraint docs_probe_books_pages_check check (pages between 1 and 5000)
);
comment on table rea.docs_probe_books is 'Probe: books | on shelves';
comment on column rea.docs_probe_books.pages is 'How many pages the book has.';
create index docs_probe_books_pages_idx on rea.docs_probe_books (client_id, pages)
    where pages > 100;
create function rea.docs_probe_refuse() returns trigger language plpgsql
    security definer set search_path = '' as $$
begin
    raise exception 'no' using errcode = 'check_violation',
        constraint = 'docs_probe_books_refusal_check';
end;
$$;
comment on function rea.docs_probe_refuse() is 'Probe: refuses every change.';
create trigger docs_probe_books_refuse before delete on rea.docs_probe_books
    for each row execute function rea.docs_probe_refuse();
alter table rea.docs_probe_books enable row level security;
create policy docs_probe_books_app_update on rea.docs_probe_books for update to rea_app
    using (client_id = (select rea.current_client_id())) with check (pages < 4000);
grant select, references on rea.docs_probe_books to rea_reporting;
grant update (pages) on rea.docs_probe_books to rea_app;
create view reporting.docs_probe_long_books as
    select client_id, id from rea.docs_probe_books where pages > 1000;
create table audit.docs_probe_log (at date not null) partition by range (at);
create table audit.docs_probe_log_2031_07 partition of audit.docs_probe_log
    for values from ('2031-07-01') to ('2031-08-01');
"""


def section(text: str, anchor: str) -> str:
    """The part of the document from <a id="anchor"> to the next table's or schema's."""
    start = text.index(f'<a id="{anchor}"></a>')
    following = re.compile(r'^<a id="[^"]+"></a>\n##', re.M)
    match = following.search(text, start + 1)
    return text[start : match.start() if match else len(text)]


def test_committed_docs_match_a_fresh_build(db_url):
    result = run_readb("docs", dsn=db_url)
    assert result.returncode == 0, result.stderr
    committed = DOCS.read_text() if DOCS.exists() else ""
    if committed != result.stdout:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                result.stdout.splitlines(keepends=True),
                "docs/schema.md (committed)",
                "readb docs on a fresh build",
                n=2,
            )
        )
        raise AssertionError(f"docs/schema.md is stale; run `make docs`:\n{diff[:6000]}")


@pytest.fixture
def probed(db: psycopg.Connection) -> str:
    """docs/schema.md of this test's database, with the probe objects added."""
    db.execute(PROBE)
    return docs.render(docs.collect(db))


def test_table_shows_comment_columns_rules_indexes_and_triggers(probed):
    books = section(probed, "rea-docs-probe-books")
    assert "### Table `rea.docs_probe_books`" in books
    assert "Probe: books | on shelves" in books  # the comment (a pipe is escaped in tables)
    assert "| 4 | `pages` | `integer` | not null |  | How many pages the book has. |" in books
    assert "| 2 | `id` | `uuid` | not null | `rea.uuid_v7()` |  |" in books
    assert "| 3 | `shelf_id` | `uuid` | null |  |  |" in books
    assert (
        "| `docs_probe_books_pages_check` | check | `CHECK (pages >= 1 AND pages <= 5000)` |"
        in books
    )
    assert (
        "| `docs_probe_books_shelf_fkey` | foreign key | `FOREIGN KEY (client_id, shelf_id)"
        " REFERENCES rea.docs_probe_shelves(client_id, id)` → "
        "[`rea.docs_probe_shelves`](#rea-docs-probe-shelves) |" in books
    )
    assert (
        "| `docs_probe_books_pages_idx` |  | `btree (client_id, pages) WHERE (pages > 100)` |  |"
        in books
    )
    assert (
        "| `docs_probe_books_refuse` | `BEFORE DELETE FOR EACH ROW EXECUTE FUNCTION"
        " rea.docs_probe_refuse()` | `rea.docs_probe_refuse` | enabled |"
        " `docs_probe_books_refusal_check` |" in books
    )
    assert "Row-level security: enabled." in books
    shelves = section(probed, "rea-docs-probe-shelves")
    assert (
        "Referenced by: [`rea.docs_probe_books`](#rea-docs-probe-books)"
        " (`docs_probe_books_shelf_fkey`)." in shelves
    )
    assert "(no comment)" in shelves


def test_table_shows_policies_and_grants_per_role(probed):
    books = section(probed, "rea-docs-probe-books")
    assert (
        "| `docs_probe_books_app_update` | update | rea_app | permissive |"
        " `(client_id = ( SELECT rea.current_client_id() AS current_client_id))` |"
        " `(pages < 4000)` |" in books
    )
    assert "| `rea_reporting` | select, references |" in books
    assert "| `rea_app` | update | `pages` |" in books  # a column privilege
    assert "| `(superuser)` |" in books  # the owner is whoever built it


def test_functions_views_and_partitions(probed):
    fn = section(probed, "rea-docs-probe-refuse")
    assert "#### `rea.docs_probe_refuse()`" in fn
    assert "Probe: refuses every change." in fn
    assert "**security definer**" in fn and '`search_path=""`' in fn
    assert (
        "Rules it raises (as the constraint of the error): `docs_probe_books_refusal_check`" in fn
    )
    view = section(probed, "reporting-docs-probe-long-books")
    assert "### View `reporting.docs_probe_long_books`" in view
    assert "WHERE docs_probe_books.pages > 1000" in view
    log = section(probed, "audit-docs-probe-log")
    assert "### Partitioned table `audit.docs_probe_log`" in log
    assert "Partitioned by `RANGE (at)`. Its partitions are runtime state" in log
    assert "docs_probe_log_2031_07" not in probed
    assert "2031" not in probed


def test_er_diagram_has_the_tenant_tables_and_their_references(probed):
    diagram = probed[
        probed.index("```mermaid\nerDiagram\n") : probed.index(
            "```\n", probed.index("```mermaid") + 10
        )
    ]
    assert "    docs_probe_books {\n        uuid client_id PK, FK\n        uuid id PK\n" in diagram
    assert "        uuid shelf_id FK\n    }\n" in diagram
    assert (
        '    docs_probe_books }o--o| docs_probe_shelves : "docs_probe_books_shelf_fkey"\n'
        in diagram
    )
    assert '    docs_probe_books }o--|| clients : "docs_probe_books_client_fkey"\n' in diagram
    # the partitioned log has no client_id and the view is no table: neither is an entity
    assert "docs_probe_log" not in diagram and "docs_probe_long_books" not in diagram


ER_LINE = re.compile(
    r"^(erDiagram"
    r"|    \w+ \{"
    r"|        \w+ \w+ (PK|FK|UK)(, (PK|FK|UK))*"
    r"|    }"
    r'|    \w+ }o--(\|\||o\|) \w+ : "[^"]+")$',
    re.ASCII,
)


def test_er_diagram_is_in_the_mermaid_subset_it_uses(probed, db):
    """Every diagram line is an entity, a key column or a reference in the syntax
    Mermaid's erDiagram parses (mermaid 11 parsed the committed one; see the report of
    issue 14), even for a table whose name needs quotes in SQL."""
    db.execute(
        'create table rea."Odd-Name" (client_id uuid not null references rea.clients,'
        ' "Grösse" uuid, primary key (client_id, "Grösse"))'
    )
    text = docs.render(docs.collect(db))
    start = text.index("```mermaid\n") + len("```mermaid\n")
    lines = text[start : text.index("```", start)].splitlines()
    assert lines[0] == "erDiagram" and len(lines) > 50
    assert [line for line in lines if not ER_LINE.match(line)] == []
    assert "    Odd_Name {" in lines and "        uuid Gr_sse PK" in lines
    assert '    Odd_Name }o--|| clients : "Odd-Name_client_id_fkey"' in lines


def test_docs_of_an_empty_database_is_one_line(empty_url):
    result = run_readb("docs", dsn=empty_url)
    assert result.returncode == 1
    assert result.stderr == "readb: the schema is not built: run 'readb up' first\n"
    assert result.stdout == ""


def test_every_markdown_table_starts_its_own_block(probed):
    """A table right under a line of text is no table in GitHub's Markdown: it renders
    as that paragraph's text. Each table's first row follows a blank line."""
    lines = probed.splitlines()
    glued = [
        f"{i}: {lines[i - 1]!r} / {line!r}"
        for i, line in enumerate(lines)
        if line.startswith("|") and lines[i - 1] != "" and not lines[i - 1].startswith("|")
    ]
    assert glued == []
    assert sum(line.startswith("| --- |") for line in lines) > 100


def test_every_link_lands_on_an_anchor(probed):
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', probed))
    links = set(re.findall(r"\]\(#([^)]+)\)", probed))
    assert len(links) > 30  # every table, the schemas, the sections
    assert links - anchors == set()

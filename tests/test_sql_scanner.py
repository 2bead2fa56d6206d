"""statements() finds each statement's first and last line, whatever quotes or comments hide."""

from dataclasses import dataclass

from hypothesis import example, given, settings
from hypothesis import strategies as st

from readb.sqltext import failing_statement, statements

# Pieces of SQL text. Each one is lexically complete, so any sequence of them separated by
# whitespace is one statement as far as PostgreSQL's (and psql's) lexer is concerned.

words = st.sampled_from(
    ["select", "x", "from", "t", "e", "E", "1", "42", "+", "=", "(", ")", ",", "a_b", "$1"]
)


def _text(parts: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(parts), max_size=6).map("".join)


single_quoted = _text(["a", ";", "''", '"', "$$", "--", "/*", "*/", "\\", " ", "\n", "x;y"]).map(
    lambda s: f"'{s}'"
)
escape_string = st.tuples(
    st.sampled_from(["E", "e"]),
    _text(["a", ";", "\\'", "''", "\\\\", "\\n", "\n", "--", "/*", '"']),
).map(lambda p: f"{p[0]}'{p[1]}'")
quoted_identifier = _text(["a", ";", '""', "'", "$", "--", "/*", " ", "\n"]).map(lambda s: f'"{s}"')


@st.composite
def dollar_quoted(draw: st.DrawFn) -> str:
    tag = draw(st.sampled_from(["", "body", "fn_1", "x"]))
    delimiter = f"${tag}$"
    parts = ["a", ";", "'", '"', "--", "/*", "*/", "\n", " ", "E'", "\\"]
    if tag:
        parts.append("$other$")  # another tag does not close this one
    body = draw(_text(parts))
    return f"{delimiter}{body}{delimiter}"


line_comment = _text(["a", ";", "'", '"', "$$", "/*", "*/", " "]).map(lambda s: f"--{s}\n")


def _block_comment(depth: int) -> st.SearchStrategy[str]:
    flat = ["a", ";", "'", '"', "$$", "--", " ", "\n"]
    inner = st.sampled_from(flat)
    if depth > 0:
        inner = st.one_of(inner, _block_comment(depth - 1))
    return st.lists(inner, max_size=5).map(lambda xs: "/*" + "".join(xs) + "*/")


block_comment = _block_comment(2)
comment = st.one_of(line_comment, block_comment)
piece = st.one_of(words, single_quoted, escape_string, quoted_identifier, dollar_quoted(), comment)
separator = st.sampled_from([" ", "\n", "  ", " \n\t"])


def shapes(text: str) -> list[tuple[int, int, bool]]:
    return [(s.start_line, s.end_line, s.terminated) for s in statements(text)]


def test_psql_counts_lines_from_a_leading_block_comment_not_a_line_comment():
    (first, second) = statements("-- dropped by psql\nselect 1;\n/* sent\n with it */\nselect 2;\n")
    assert (first.start_line, first.sent_from_line) == (2, 2)
    assert (second.start_line, second.sent_from_line) == (5, 3)
    assert second.text.startswith("/* sent")


def test_two_statements_on_one_line_are_told_apart_by_the_servers_excerpt():
    text = "create table a (\n  x int\n); select nope from a;\n"
    assert failing_statement(text, 3, 1, "select nope from a;").start_line == 3
    assert failing_statement(text, 3, 3, ");").start_line == 1


@dataclass(frozen=True)
class Built:
    text: str
    expected: list[tuple[int, int, bool]]  # start line, end line, closed by `;`


@st.composite
def scripts(draw: st.DrawFn) -> Built:
    """Statements joined by `;\\n`, with the lines on which each one was written."""
    text = ""
    expected: list[tuple[int, int, bool]] = []
    count = draw(st.integers(min_value=1, max_value=6))
    for _ in range(count):
        for leading in draw(st.lists(comment, max_size=2)):  # comments between statements
            text += leading + draw(separator)
        start_line = text.count("\n") + 1
        text += draw(words)  # a statement starts with a token, not a comment
        for p in draw(st.lists(piece, max_size=6)):
            text += draw(separator) + p
        if draw(st.booleans()):
            text += draw(separator)
        end_line = text.count("\n") + 1
        text += ";\n"
        expected.append((start_line, end_line, True))
    return Built(text, expected)


@settings(max_examples=300, deadline=None)
@given(built=scripts())
@example(
    built=Built(
        "create function f() returns int language sql as $fn$ select 1; $fn$;\n"
        "select 'a;''b', E'c\\';d', \"e;\"\"f\" /* g; /* h; */ i; */ -- j;\n"
        "from t;\n",
        [(1, 1, True), (2, 3, True)],
    )
)
def test_statement_count_and_lines_match_what_was_built(built):
    assert shapes(built.text) == built.expected


@settings(max_examples=100, deadline=None)
@given(built=scripts())
def test_every_line_of_a_statement_maps_back_to_its_start(built):
    # (only where no two statements share a line: `;\n` ends every statement here)
    for start_line, end_line, _ in built.expected:
        for line in range(start_line, end_line + 1):
            found = failing_statement(built.text, line)
            assert found is not None and found.start_line == start_line


def test_an_unterminated_last_statement_is_reported_as_such():
    found = shapes("create table a (x int);\n\ncreate table b (\n    x int\n)\n")
    assert found == [(1, 1, True), (3, 5, False)]


def test_comments_alone_are_no_statement():
    assert statements("-- only a header;\n/* and a note; /* nested; */ */\n") == []


def test_a_psql_meta_command_ends_a_statement():
    found = shapes("select 1 as one \\gset\nselect :one;\n")
    assert found == [(1, 1, False), (2, 2, True)]

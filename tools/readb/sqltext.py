"""Find where the statements of a SQL file begin and end.

psql executes the steps; this scanner only serves messages and checks: it maps the
line psql reports for an error (the line of the statement's closing `;`) back to the
line the statement starts on, and counts the statements of a no-transaction step.
It knows the lexical pieces that can hide a `;`: quoted strings (including E'' with
backslash escapes), quoted identifiers, dollar quotes, line and nested block comments,
and psql meta-command lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_\x80-\uffff][A-Za-z0-9_\x80-\uffff]*)?\$")


@dataclass(frozen=True)
class Statement:
    start_line: int  # 1-based line of its first token
    end_line: int  # 1-based line of its closing `;` (or its last character)
    terminated: bool  # closed by `;` (psql sends an unterminated one only at end of file)
    # psql drops `--` comments before a statement but sends a leading `/* */` comment with
    # it, so the server's "LINE n" counts from here.
    sent_from_line: int
    text: str  # what psql sends, from sent_from_line's first character to the `;`


def statements(text: str) -> list[Statement]:
    found: list[Statement] = []
    start: int | None = None  # offset of the current statement's first token
    sent: int | None = None  # offset psql's query buffer starts at
    i, n = 0, len(text)

    def line_of(offset: int) -> int:
        return text.count("\n", 0, offset) + 1

    def close(end: int, *, terminated: bool = False) -> None:
        nonlocal start, sent
        if start is not None:
            first = start if sent is None else sent
            found.append(
                Statement(
                    line_of(start), line_of(end), terminated, line_of(first), text[first : end + 1]
                )
            )
        start = sent = None

    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if text.startswith("--", i):
            i = _end_of_line(text, i)
            continue
        if text.startswith("/*", i):
            if start is None and sent is None:
                sent = i
            i = _end_of_block_comment(text, i)
            continue
        if ch == "\\":  # a psql meta-command ends the statement and runs to the end of line
            close(i)
            i = _end_of_line(text, i)
            continue
        if start is None:
            start = i
        if ch == ";":
            close(i, terminated=True)
            i += 1
        elif ch == "'":
            escapes = i > 0 and text[i - 1] in "eE" and (i < 2 or not _is_word(text[i - 2]))
            i = _end_of_quoted(text, i, "'", backslash=escapes)
        elif ch == '"':
            i = _end_of_quoted(text, i, '"', backslash=False)
        elif ch == "$" and (i == 0 or not _is_word(text[i - 1])):
            tag = _DOLLAR_TAG.match(text, i)
            if tag:
                close_at = text.find(tag.group(), tag.end())
                i = n if close_at < 0 else close_at + len(tag.group())
            else:
                i += 1
        else:
            i += 1
    close(n - 1)
    return found


def count_statements(text: str) -> int:
    return len(statements(text))


def failing_statement(
    text: str, line: int, line_in_statement: int | None = None, excerpt: str | None = None
) -> Statement | None:
    """The statement psql reported an error for.

    psql names the line its query was sent from: that of the closing `;`. When several
    statements end on that line, the server's "LINE n: excerpt" context tells them apart;
    without it, the last one is the best guess.
    """
    candidates = [s for s in statements(text) if s.start_line <= line <= s.end_line]
    ending_here = [s for s in candidates if s.end_line == line] or candidates
    if excerpt is not None and line_in_statement is not None and len(ending_here) > 1:
        for statement in ending_here:
            lines = statement.text.split("\n")
            if 0 < line_in_statement <= len(lines) and _matches(
                lines[line_in_statement - 1], excerpt
            ):
                return statement
    return ending_here[-1] if ending_here else None


def _matches(line: str, excerpt: str) -> bool:
    """psql trims long context lines with "..." at either end."""
    core = excerpt.strip().removeprefix("...").removesuffix("...").strip()
    return core in line


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _end_of_line(text: str, i: int) -> int:
    newline = text.find("\n", i)
    return len(text) if newline < 0 else newline + 1


def _end_of_block_comment(text: str, i: int) -> int:
    depth, i = 1, i + 2
    while i < len(text) and depth:
        if text.startswith("/*", i):
            depth, i = depth + 1, i + 2
        elif text.startswith("*/", i):
            depth, i = depth - 1, i + 2
        else:
            i += 1
    return i


def _end_of_quoted(text: str, i: int, quote: str, *, backslash: bool) -> int:
    i += 1
    while i < len(text):
        ch = text[i]
        if backslash and ch == "\\":
            i += 2
        elif ch == quote:
            if text.startswith(quote * 2, i):
                i += 2
            else:
                return i + 1
        else:
            i += 1
    return i

"""Run script text through psql and turn its first error into one readable line."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from readb import pgbin
from readb.errors import ReadbError
from readb.script import Chunk
from readb.sqltext import failing_statement

# psql -f - prints "psql:<stdin>:LINE: ERROR:  SQLSTATE: message" with VERBOSITY verbose
_ERROR = re.compile(
    r"^psql:<stdin>:(?P<line>\d+): (?P<severity>ERROR|FATAL|PANIC):\s+"
    r"(?:(?P<sqlstate>[0-9A-Z]{5}): )?(?P<message>.*)$"
)
_CONTEXT_LINE = re.compile(r"^LINE (?P<line>\d+): (?P<excerpt>.*)$")
_CONNECT_ERROR = re.compile(r"^psql: error: (?P<message>.*)$")


@dataclass(frozen=True)
class PsqlFailure:
    script_line: int | None
    sqlstate: str | None
    message: str
    line_in_statement: int | None
    excerpt: str | None = None  # the text of that line, as the server quoted it


def run(dsn: str, script: str) -> PsqlFailure | None:
    """Execute `script` with `psql -X -f -`; None on success, else the first error."""
    env = dict(os.environ, PGAPPNAME="readb")
    child = subprocess.Popen(
        [pgbin.find("psql"), "-X", "-q", "-d", dsn, "-f", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        _, stderr = child.communicate(script)
    except KeyboardInterrupt:
        _cancel(child)
        raise
    if child.returncode == 0:
        for line in stderr.splitlines():
            if line.strip():  # warnings the steps raised; notices are silenced
                print(line, file=sys.stderr)
        return None
    return _first_error(stderr, child.returncode)


def _cancel(child: subprocess.Popen) -> None:
    """readb was interrupted (Ctrl-C, SIGTERM) while psql runs a step. psql answers
    SIGINT by sending the server a cancel request for the running statement; killing it
    instead would leave the statement running on the server. Give it a few seconds to
    cancel and roll back, then make sure it is gone."""
    if child.poll() is None:
        child.send_signal(signal.SIGINT)
        try:
            child.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()


def _first_error(stderr: str, returncode: int) -> PsqlFailure:
    lines = stderr.splitlines()
    for index, line in enumerate(lines):
        if match := _ERROR.match(line):
            in_statement, excerpt = None, None
            for follower in lines[index + 1 : index + 3]:
                if context := _CONTEXT_LINE.match(follower):
                    in_statement, excerpt = int(context["line"]), context["excerpt"]
                    break
            return PsqlFailure(
                int(match["line"]),
                match["sqlstate"],
                match["message"].strip(),
                in_statement,
                excerpt,
            )
        if match := _CONNECT_ERROR.match(line):
            return PsqlFailure(None, None, match["message"].strip(), None)
    last = next((line for line in reversed(lines) if line.strip()), f"psql exited {returncode}")
    return PsqlFailure(None, None, last.strip(), None)


def describe(failure: PsqlFailure, chunk: Chunk, step_text: str, source: Path | str) -> str:
    """`source:LINE (statement at line S): SQLSTATE X: message`, in the step file's lines."""
    where = str(source)
    if failure.script_line is not None:
        line = failure.script_line - chunk.body_first_line + 1
        if 1 <= line <= chunk.body_lines:
            statement = failing_statement(
                step_text, line, failure.line_in_statement, failure.excerpt
            )
            if statement is not None and failure.line_in_statement is not None:
                line = statement.sent_from_line + failure.line_in_statement - 1
            where += f":{line}"
            if statement is not None:
                where += f" (statement starting at line {statement.start_line})"
        else:
            where += " (the runner's bookkeeping around the step)"
    state = f"SQLSTATE {failure.sqlstate}" if failure.sqlstate else "error"
    return f"{where}: {state}: {failure.message}"


def require_ok(failure: PsqlFailure | None, what: str) -> None:
    if failure is not None:
        state = f"SQLSTATE {failure.sqlstate}: " if failure.sqlstate else ""
        raise ReadbError(f"{what} failed: {state}{failure.message}")

"""The psql script text for applying and reverting steps.

`readb up` and `readb down` hand psql, one step at a time, exactly the chunk that
`readb plan --sql` prints for that step, after the same session settings. So a DBA's
`psql -f rollout.sql` and the runner execute the same text in the same way. The text is
rendered from one jinja2 template, `templates/rollout.sql.j2`, which a DBA can read as
the rollout protocol in one file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import jinja2

from readb.lock import LOCK_KEY
from readb.record import BOOKKEEPING_SQL
from readb.steps import Step

_BODY = "\x00readb-step-body\x00\n"  # where the step file goes, found after rendering


@cache
def _template() -> jinja2.environment.TemplateModule:
    text = resources.files("readb").joinpath("templates/rollout.sql.j2").read_text()
    env = jinja2.Environment(
        autoescape=False,  # SQL, not HTML: every value is quoted before it gets here
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.from_string(text).module


def session_settings(step_lock_timeout: str) -> str:
    return str(_template().session_settings(_quote(step_lock_timeout)))


@dataclass(frozen=True)
class Chunk:
    """A step's script text and where the step file's own lines sit inside it."""

    text: str
    body_first_line: int  # line of the chunk on which the step file's line 1 stands
    body_lines: int


def up_chunk(step: Step) -> Chunk:
    source = f"sql/{step.folder}/{step.up_path.name}"
    return _chunk(_template().up_step(step, source, _BODY), step.up_sql)


def down_chunk(step: Step) -> Chunk:
    source = f"sql/{step.folder}/{step.down_path.name}"
    return _chunk(_template().down_step(step, source, _BODY), step.down_sql)


def plan(steps: list[Step], step_lock_timeout: str) -> str:
    """One script that applies `steps` (the pending ones) and records each."""
    chunks = [up_chunk(step).text for step in steps]
    return str(
        _template().plan(steps, chunks, _quote(step_lock_timeout), LOCK_KEY, BOOKKEEPING_SQL)
    )


def _chunk(rendered: object, body: str) -> Chunk:
    head, marker, tail = str(rendered).partition(_BODY)
    assert marker, "the rollout template lost the step body"
    body = body if body.endswith("\n") else body + "\n"
    return Chunk(head + body + tail, head.count("\n") + 1, body.count("\n"))


def _quote(value: str) -> str:
    return value.replace("'", "''")

"""The psql script text for applying and reverting steps.

`readb up` and `readb down` hand psql, one step at a time, exactly the chunk that
`readb plan --sql` prints for that step, after the same session settings. So a DBA's
`psql -f rollout.sql` and the runner execute the same text in the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from readb.lock import LOCK_KEY
from readb.record import BOOKKEEPING_SQL
from readb.steps import NO_TRANSACTION_DIRECTIVE, Step

NO_TX = NO_TRANSACTION_DIRECTIVE.removeprefix("-- ")

# Steps after the ownership step run as rea_owner (`set local role rea_owner;` at their
# top); the bookkeeping belongs to the rollout user again.
RESET_ROLE = "reset role;\n"


def session_settings(step_lock_timeout: str) -> str:
    return (
        "\\set ON_ERROR_STOP on\n"
        "\\set VERBOSITY verbose\n"
        "set client_min_messages = warning;\n"
        f"set lock_timeout = '{_quote(step_lock_timeout)}';\n"
    )


@dataclass(frozen=True)
class Chunk:
    """A step's script text and where the step file's own lines sit inside it."""

    text: str
    body_first_line: int  # line of the chunk on which the step file's line 1 stands
    body_lines: int


def up_chunk(step: Step) -> Chunk:
    body = _with_final_newline(step.up_sql)
    record = (
        RESET_ROLE + "insert into readb.applied_steps (version, name, checksum, transactional)\n"
        f"values ({step.version}, '{step.name}', '{step.checksum}', "
        f"{'true' if step.transactional else 'false'});\n"
    )
    source = f"sql/{step.folder}/{step.up_path.name}"
    if step.transactional:
        head = f"-- {step.name}: {source}, sha256 {step.checksum}\nbegin;\n"
        return _chunk(head, body, record + "commit;\n")
    head = (
        f"-- {step.name}: {source}, sha256 {step.checksum}\n"
        f"-- runs outside a transaction ({NO_TX}); recorded once it succeeds\n"
    )
    return _chunk(head, body, record)


def down_chunk(step: Step) -> Chunk:
    body = _with_final_newline(step.down_sql)
    forget = RESET_ROLE + f"delete from readb.applied_steps where version = {step.version};\n"
    source = f"sql/{step.folder}/{step.down_path.name}"
    if step.down_transactional:
        return _chunk(f"-- revert {step.name}: {source}\nbegin;\n", body, forget + "commit;\n")
    head = f"-- revert {step.name}: {source}\n-- runs outside a transaction ({NO_TX})\n"
    return _chunk(head, body, forget)


def plan(steps: list[Step], step_lock_timeout: str) -> str:
    """One script that applies `steps` (the pending ones) and records each."""
    parts = [
        "-- readb rollout plan: apply with  psql -X -v ON_ERROR_STOP=1 -f FILE  "
        "(against the database it was planned for)\n",
        f"-- pending steps: {', '.join(s.name for s in steps) or 'none'}\n",
        session_settings(step_lock_timeout),
        "\n-- One rollout at a time. Take readb's advisory lock without waiting: a blocked\n"
        "-- wait would deadlock with CREATE INDEX CONCURRENTLY in the other rollout.\n",
        f"select pg_try_advisory_lock({LOCK_KEY}) as readb_locked \\gset\n",
        "\\if :readb_locked\n\\else\n",
        "do $$ begin raise exception 'another readb run holds the rollout lock; "
        "nothing was applied'; end $$;\n",
        "\\endif\n\n",
        "-- The runner's bookkeeping (idempotent).\n",
        BOOKKEEPING_SQL,
        "\n-- Stop if any of these steps was applied since this plan was made.\n",
        "select count(*) = 0 as readb_still_pending from readb.applied_steps\n",
        f"where version = any('{{{','.join(str(s.version) for s in steps)}}}'::int[]) \\gset\n",
        "\\if :readb_still_pending\n\\else\n",
        "do $$ begin raise exception 'this plan is stale: a step in it was applied since; "
        "make a new plan'; end $$;\n",
        "\\endif\n",
    ]
    for step in steps:
        parts.append("\n")
        parts.append(up_chunk(step).text)
    parts.append(f"\nselect pg_advisory_unlock({LOCK_KEY}) as readb_unlocked \\gset\n")
    return "".join(parts)


def _chunk(head: str, body: str, tail: str) -> Chunk:
    return Chunk(head + body + tail, head.count("\n") + 1, body.count("\n"))


def _with_final_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def _quote(value: str) -> str:
    return value.replace("'", "''")

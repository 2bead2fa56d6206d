"""The normalised schema dump committed as sql/schema.sql.

`pg_dump --schema-only` of the built database, without the runner's own `readb`
schema, without owners (they depend on who ran the steps; ownership is checked by
catalog tests instead) and without the lines that change from run to run or from one
pg_dump release to the next (version headers, the \\restrict key).
"""

from __future__ import annotations

import re
import subprocess
from functools import cache

from readb import pgbin
from readb.errors import ReadbError

_VOLATILE = re.compile(r"^(-- Dumped (from|by) |\\restrict |\\unrestrict )")


@cache
def _supports_restrict_key(pg_dump: str) -> bool:
    helptext = subprocess.run([pg_dump, "--help"], capture_output=True, text=True).stdout
    return "--restrict-key" in helptext


def schema(dsn: str) -> str:
    pg_dump = pgbin.find("pg_dump")
    command = [pg_dump, "--schema-only", "--no-owner", "--exclude-schema=readb", "-d", dsn]
    if _supports_restrict_key(pg_dump):
        command.insert(1, "--restrict-key=readb")  # fixed: the default is random per run
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        first = (completed.stderr.strip().splitlines() or ["pg_dump failed"])[0]
        raise ReadbError(f"pg_dump failed: {first}")
    return normalise(completed.stdout)


def normalise(text: str) -> str:
    kept = [line for line in text.splitlines() if not _VOLATILE.match(line)]
    out: list[str] = []
    for line in kept:
        if line.strip() == "" and out and out[-1].strip() == "":
            continue  # one blank line where the volatile ones left several
        out.append(line.rstrip())
    return "\n".join(out).strip("\n") + "\n"

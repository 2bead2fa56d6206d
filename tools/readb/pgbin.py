"""Find the PostgreSQL client and server programs.

Order: $PG_BINDIR, then `pg_config --bindir`, then the newest Debian/Ubuntu install
under /usr/lib/postgresql, then $PATH. Debian's /usr/bin/pg_config may belong to the
client-only package, so a candidate folder is used only if it holds the program asked for.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

from readb.errors import ReadbError

INSTALL_HINT = (
    "install the PostgreSQL 15+ server binaries (Debian/Ubuntu: "
    "'apt-get install postgresql-15'; macOS: 'brew install postgresql@15') "
    "or point PG_BINDIR at the folder that holds initdb, pg_ctl, psql and pg_dump"
)


@cache
def _candidate_dirs() -> tuple[Path, ...]:
    dirs: list[Path] = []
    if env := os.environ.get("PG_BINDIR"):
        dirs.append(Path(env))
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=10
            ).stdout.strip()
            if out:
                dirs.append(Path(out))
        except (OSError, subprocess.SubprocessError):
            pass
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = [p for p in debian.iterdir() if p.name.isdigit() and (p / "bin").is_dir()]
        for version in sorted(versions, key=lambda p: int(p.name), reverse=True):
            dirs.append(version / "bin")
    return tuple(dirs)


def find(program: str) -> str:
    """Absolute path of a PostgreSQL program, or a one-line error saying how to get it."""
    for directory in _candidate_dirs():
        candidate = directory / program
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    if on_path := shutil.which(program):
        return on_path
    raise ReadbError(f"cannot find the PostgreSQL program '{program}': {INSTALL_HINT}")

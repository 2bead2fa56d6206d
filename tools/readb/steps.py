"""Discover the numbered SQL steps under sql/ and describe each one.

A step is `NNNN_name.sql` with its rollback `NNNN_name.down.sql` beside it, in one of
the step folders. The number is global across folders, so merging the folders by
file name gives the build order.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from readb.errors import ReadbError
from readb.sqltext import statements

STEP_FOLDERS = ("ddl", "rls", "views", "migrations")
BASELINE_FOLDERS = ("ddl", "rls", "views")

# A step that cannot run inside a transaction (CREATE INDEX CONCURRENTLY) says so on
# its first line, and holds exactly one statement.
NO_TRANSACTION_DIRECTIVE = "-- readb:no-transaction"

# A step that needs a superuser (create role or extension, event triggers, alter
# database, handing objects to other roles) says so on its first line, and is applied
# through the admin connection; every other step runs as the rollout login, a member of
# rea_owner only.
SUPERUSER_DIRECTIVE = "-- readb:superuser"

# Landed steps cannot be edited to carry the mark (their sha256 is recorded), so the
# ones that need a superuser are listed here, once: every baseline step up to and
# including 6000_ownership (the deployer creates the roles, extensions and schemas and
# then hands the objects to rea_owner), and
#   7300_monitor_role             create role rea_monitor, create extension, grant pg_monitor
#   7310_monitoring               create schema monitoring authorization rea_owner
#   7320_scheduled_maintenance    create extension pg_cron, create role rea_maintenance
#   7400_data_migrations          create schema migrations authorization rea_owner
# tests/test_hostile_step.py holds the list: every other step applies as the rollout login.
SUPERUSER_THROUGH = 6000
LANDED_SUPERUSER_STEPS = frozenset({7300, 7310, 7320, 7400})

_UP_NAME = re.compile(r"^(?P<number>\d{4})_(?P<slug>[a-z0-9]+(?:_[a-z0-9]+)*)\.sql$")
_DOWN_NAME = re.compile(r"^(?P<number>\d{4})_(?P<slug>[a-z0-9]+(?:_[a-z0-9]+)*)\.down\.sql$")


def normalise(raw: bytes) -> str:
    """The text of a step as it is checksummed and executed: UTF-8, LF line endings."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReadbError(f"not UTF-8 at byte {exc.start}") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Step:
    version: int
    name: str  # e.g. "0110_properties"
    folder: str  # ddl, rls, views or migrations
    up_path: Path
    down_path: Path

    @property
    def up_sql(self) -> str:
        return _read(self.up_path)

    @property
    def down_sql(self) -> str:
        return _read(self.down_path)

    @property
    def checksum(self) -> str:
        return checksum(self.up_sql)

    @property
    def transactional(self) -> bool:
        return _transactional(self.up_sql)

    @property
    def down_transactional(self) -> bool:
        return _transactional(self.down_sql)

    @property
    def superuser(self) -> bool:
        """Applied and reverted through the admin connection."""
        return needs_superuser(self.version, self.up_sql)


def needs_superuser(version: int, up_sql: str) -> bool:
    if version <= SUPERUSER_THROUGH or version in LANDED_SUPERUSER_STEPS:
        return True
    return up_sql.split("\n", 1)[0].strip() == SUPERUSER_DIRECTIVE


def _read(path: Path) -> str:
    try:
        return normalise(path.read_bytes())
    except ReadbError as exc:
        raise ReadbError(f"{path}: {exc}") from None


def _transactional(text: str) -> bool:
    first_line = text.split("\n", 1)[0].strip()
    return first_line != NO_TRANSACTION_DIRECTIVE


def _lint(rel: str, text: str) -> list[str]:
    """What the runner itself needs of a file's text."""
    found = statements(text)
    if found and not found[-1].terminated:
        # the runner appends its bookkeeping statement right after the step's text
        return [f"{rel}: the last statement does not end with ';' (line {found[-1].end_line})"]
    if not _transactional(text) and len(found) != 1:
        return [f"{rel}: a no-transaction step must hold exactly one statement"]
    return []


def discover(sql_dir: Path) -> list[Step]:
    """All steps under sql_dir, in version order; refuses anything ambiguous."""
    if not sql_dir.is_dir():
        raise ReadbError(f"no step folder at {sql_dir}")
    ups: dict[int, tuple[str, str, Path]] = {}
    downs: dict[str, Path] = {}
    problems: list[str] = []
    for folder in STEP_FOLDERS:
        directory = sql_dir / folder
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            if path.is_dir() or path.suffix.lower() != ".sql":
                continue
            rel = f"{folder}/{path.name}"
            if down := _DOWN_NAME.match(path.name):
                downs[f"{down['number']}_{down['slug']}"] = path
                continue
            up = _UP_NAME.match(path.name)
            if up is None:
                problems.append(
                    f"{rel}: not a step name (want NNNN_lower_snake.sql "
                    "and NNNN_lower_snake.down.sql)"
                )
                continue
            version = int(up["number"])
            if version == 0:
                problems.append(f"{rel}: version 0000 is reserved for 'nothing applied'")
                continue
            if version in ups:
                other = ups[version]
                problems.append(f"{rel}: number {up['number']} is also used by {other[1]}")
                continue
            ups[version] = (f"{up['number']}_{up['slug']}", rel, path)

    steps: list[Step] = []
    for version in sorted(ups):
        name, rel, path = ups[version]
        down_path = downs.pop(name, None)
        if down_path is None:
            problems.append(f"{rel}: has no rollback {name}.down.sql beside it")
            continue
        if down_path.parent != path.parent:
            problems.append(f"{rel}: its rollback lives in another folder ({down_path})")
            continue
        steps.append(Step(version, name, path.parent.name, path, down_path))
    for name, path in sorted(downs.items()):
        problems.append(f"{path.parent.name}/{path.name}: rollback without a step {name}.sql")
    for step in steps:
        for path in (step.up_path, step.down_path):
            problems.extend(_lint(f"{step.folder}/{path.name}", _read(path)))
    if problems:
        raise ReadbError("invalid steps: " + "; ".join(problems))
    return steps


def resolve_version(steps: list[Step], text: str) -> int:
    """A --to argument: a version number (`110`, `0110`) or a step name."""
    if text.isdigit():
        version = int(text)
        if version != 0 and version not in {s.version for s in steps}:
            raise ReadbError(f"no step with version {text}")
        return version
    for step in steps:
        if step.name == text:
            return step.version
    raise ReadbError(f"no step named {text}")

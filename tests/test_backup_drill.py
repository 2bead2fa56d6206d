"""The restore drill: pgBackRest point-in-time recovery, proved on a durable cluster.

tools/backup/backrest.py builds a site under /tmp (a cluster on the durable profile,
tools/backup/postgresql.durable.conf: fsync on, data checksums, WAL archived by
pgBackRest into an encrypted repository), seeds it, takes a full backup, makes changes,
notes a time, makes more changes, takes a differential and an incremental backup, then
restores into a new folder at the noted time and starts the copy on another free port.
These tests prove what the copy holds and print the drill's RTO, RPO, sizes and times.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools" / "backup"))
import backrest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def drill():
    if shutil.which("pgbackrest") is None:
        pytest.fail("pgbackrest is not installed (apt-get install pgbackrest; .ci/run does)")
    site = backrest.Site(backrest.new_site_dir("readb-test-drill-"))
    try:
        yield backrest.run_drill(site)
    finally:
        backrest.discard(site.root)


def test_the_drill_prints_rto_rpo_sizes_and_times(drill, capsys):
    lines: list[str] = []
    backrest.print_drill(drill, lines.append)
    with capsys.disabled():
        print("\n" + "\n".join(f"backup drill: {line}" for line in lines))
    assert [b.kind for b in drill.backups] == ["full", "diff", "incr", "full"]
    assert drill.rto_seconds > 0
    assert drill.archive_timeout
    assert any(
        line.startswith(f"RPO: at most archive_timeout = {drill.archive_timeout}") for line in lines
    )


def test_the_copy_holds_exactly_the_rows_at_the_target_time(drill):
    assert drill.restored.tables == drill.at_target.tables
    # The changes after the target were real and are not in the copy.
    assert drill.after_target.tables != drill.at_target.tables
    assert drill.after_target.tables["rea.clients"][0] > drill.at_target.tables["rea.clients"][0]


def test_every_policy_grant_owner_and_trigger_is_restored(drill):
    # The normalised pg_dump --schema-only with owners and privileges: every table,
    # policy, grant, owner, trigger and its enabled state.
    assert drill.restored.schema == drill.at_target.schema
    assert drill.restored.policies == drill.at_target.policies > 0
    assert "ALTER TABLE rea.deals OWNER TO rea_owner;" in drill.restored.schema


def test_the_reporting_views_are_populated_and_readable_per_tenant(drill):
    assert drill.restored.populated_views
    assert all(drill.restored.populated_views.values())
    assert drill.restored_app_rows > 0  # rea_reporting reads its tenant's deals


def test_readb_verify_is_clean_on_the_copy(drill):
    assert drill.restored_verify.returncode == 0, drill.restored_verify.stderr
    assert drill.restored_verify.stderr == ""


def test_the_audit_trail_and_its_seals_are_intact(drill):
    assert drill.seals_made > 0
    assert drill.restored.tables["audit.seals"][0] >= drill.seals_made
    assert drill.restored_seals == []  # audit.verify_seals(): nothing altered


def test_the_copy_does_not_archive_into_the_source_repository(drill):
    assert drill.restored_archive_mode == "off"
    # The copy wrote and switched WAL segments on its new timeline; none reached the repo.
    # Its archiver did not push, nor try to (pgBackRest would refuse a data folder other
    # than the source's pg1-path, and WAL would pile up in the copy's pg_wal).
    assert drill.restored_archiver == (0, 0)
    assert drill.timelines_before == {"00000001"}
    assert drill.timelines_after == drill.timelines_before
    assert drill.source_check_after  # pgbackrest check on the source still passes


def test_the_repository_is_encrypted_verified_and_expired(drill):
    assert drill.encrypted
    assert drill.repo_verified  # pgbackrest verify
    # Expire keeping one full backup: only the newest full remains of the four.
    assert drill.after_expire == [drill.backups[-1].label]

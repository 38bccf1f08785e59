"""Backing up the demo workspace and restoring it brings back every row and every file."""

from __future__ import annotations

import stat

import pytest
from django.db import connections

from heard.core.backup.archive import Manifest
from heard.core.backup.restore import restore_backup
from tests.backup.conftest import DemoBackup, Target, stored_files
from tests.support.databases import table_rows

# The shared backup of the demo reads the test database; each test restores into its own.
pytestmark = pytest.mark.django_db


def test_the_archive_holds_the_database_every_file_and_a_manifest(demo_backup: DemoBackup):
    assert stat.S_IMODE(demo_backup.archive.stat().st_mode) == 0o600
    rows = demo_backup.rows
    assert len(rows) > 30
    assert rows["studies_study"]
    assert rows["synthesis_summary"]
    assert len(demo_backup.files) == 3


def test_a_restore_brings_back_every_row_and_every_file(
    demo_backup: DemoBackup, empty_target: Target
):
    restored = restore_backup(
        demo_backup.archive, using=empty_target.alias, media_root=empty_target.media
    )

    assert isinstance(restored.manifest, Manifest)
    assert restored.manifest.vendor == connections[empty_target.alias].vendor
    assert restored.applied == []  # the archive is of this code's migrations
    assert table_rows(connections[empty_target.alias]) == demo_backup.rows
    assert stored_files(empty_target.media) == demo_backup.files
    for path in empty_target.media.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
    leftovers = [p.name for p in empty_target.media.parent.iterdir() if p.name.startswith(".heard")]
    assert leftovers == []


def test_a_restored_search_index_finds_what_it_found(demo_backup: DemoBackup, empty_target: Target):
    restore_backup(demo_backup.archive, using=empty_target.alias, media_root=empty_target.media)
    restored = connections[empty_target.alias]
    with restored.cursor() as cursor:
        if restored.vendor == "sqlite":
            # FTS5 checks its index against the entries' text; a mismatch raises.
            cursor.execute(
                "INSERT INTO search_entry_fts(search_entry_fts, rank) VALUES ('integrity-check', 1)"
            )
            cursor.execute(
                "SELECT count(*) FROM search_entry_fts WHERE search_entry_fts MATCH 'text : export*'"
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM search_entry "
                "WHERE document @@ to_tsquery('heard_english', 'export:*')"
            )
        assert cursor.fetchone()[0] >= 5

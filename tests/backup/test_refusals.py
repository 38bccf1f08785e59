"""A damaged or mismatched archive, or a target that holds data, is refused with a message
that says why, and nothing is restored."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connections

from heard.core.backup.archive import MANIFEST
from heard.core.backup.files import BackupError
from heard.core.backup.restore import restore_backup
from heard.core.backup.vendors import VENDORS
from tests.backup.archives import change_manifest, cut, flip_byte, rewrite
from tests.backup.conftest import DemoBackup, Target

# The shared backup of the demo reads the test database; each test restores into its own.
pytestmark = pytest.mark.django_db

MEDIA_FILE = "media/imports/participants.csv"


def refused(archive: Path, target: Target, message: str) -> None:
    """The restore fails with `message`, and leaves the target as empty as it was."""
    with pytest.raises(BackupError, match=message):
        restore_backup(archive, using=target.alias, media_root=target.media)
    connection = connections[target.alias]
    vendor = connection.vendor
    assert VENDORS[vendor](connection).tables() == []
    assert not target.media.exists() or not any(target.media.iterdir())
    leftovers = (
        [p for p in target.media.parent.glob(".heard-*")] if target.media.parent.exists() else []
    )
    assert leftovers == []


@pytest.mark.parametrize("at", [0.3, 0.6, 0.97])
def test_a_changed_byte_is_refused(demo_backup: DemoBackup, empty_target: Target, tmp_path, at):
    damaged = flip_byte(demo_backup.archive, tmp_path / "damaged.tar.gz", at)
    refused(damaged, empty_target, "damaged|cut short|checksum|manifest")


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.999])
def test_a_cut_archive_is_refused(
    demo_backup: DemoBackup, empty_target: Target, tmp_path, fraction
):
    short = cut(demo_backup.archive, tmp_path / "short.tar.gz", fraction)
    refused(short, empty_target, "damaged or cut short|no manifest")


def test_a_file_that_does_not_match_its_checksum_is_refused(
    demo_backup: DemoBackup, empty_target: Target, tmp_path
):
    changed = rewrite(
        demo_backup.archive,
        tmp_path / "changed.tar.gz",
        lambda name, data: data.replace(b"zoe@", b"eve@") if name == MEDIA_FILE else data,
    )
    refused(changed, empty_target, re.escape(f"{MEDIA_FILE} does not match its size or checksum"))


def test_a_missing_member_is_refused(demo_backup: DemoBackup, empty_target: Target, tmp_path):
    lacking = rewrite(
        demo_backup.archive,
        tmp_path / "lacking.tar.gz",
        lambda name, data: None if name == MEDIA_FILE else data,
    )
    refused(lacking, empty_target, re.escape(f"lacks 1 of its members (first: {MEDIA_FILE})"))


def test_an_archive_without_its_manifest_is_refused(
    demo_backup: DemoBackup, empty_target: Target, tmp_path
):
    bare = rewrite(
        demo_backup.archive,
        tmp_path / "bare.tar.gz",
        lambda name, data: None if name == MANIFEST else data,
    )
    refused(bare, empty_target, "no manifest")


def test_an_archive_of_the_other_database_is_refused(
    demo_backup: DemoBackup, empty_target: Target, tmp_path
):
    ours = VENDORS[connections[empty_target.alias].vendor]
    theirs = next(vendor for vendor in VENDORS.values() if vendor is not ours)

    def as_theirs(manifest: dict) -> None:
        manifest["vendor"], manifest["database_member"] = theirs.name, theirs.member
        for member in manifest["members"]:
            if member["name"] == ours.member:
                member["name"] = theirs.member

    edited = change_manifest(demo_backup.archive, tmp_path / "edited.tar.gz", as_theirs)
    # The dump under the other kind's name, as the other kind writes it.
    other = rewrite(edited, tmp_path / "other.tar.gz", names={ours.member: theirs.member})
    refused(
        other,
        empty_target,
        re.escape(f"holds a {theirs.label} database; this Heard uses {ours.label}"),
    )


def test_an_archive_of_a_newer_heard_is_refused(
    demo_backup: DemoBackup, empty_target: Target, tmp_path
):
    def from_the_future(manifest: dict) -> None:
        manifest["heard_version"] = "9.0.0"
        manifest["migrations"].append("synthesis.9999_from_the_future")

    newer = change_manifest(demo_backup.archive, tmp_path / "newer.tar.gz", from_the_future)
    refused(
        newer,
        empty_target,
        re.escape("comes from a newer Heard (9.0.0)") + ".*synthesis.9999_from_the_future",
    )


def test_a_database_that_holds_data_is_refused(demo_backup: DemoBackup, empty_target: Target):
    restore_backup(demo_backup.archive, using=empty_target.alias, media_root=empty_target.media)
    before = (empty_target.media / "imports" / "participants.csv").read_bytes()
    with pytest.raises(
        BackupError, match=r"never replaces data, and the \w+ database .* is not empty"
    ):
        restore_backup(demo_backup.archive, using=empty_target.alias, media_root=empty_target.media)
    assert (empty_target.media / "imports" / "participants.csv").read_bytes() == before


def test_a_folder_that_holds_files_is_refused(demo_backup: DemoBackup, empty_target: Target):
    empty_target.media.mkdir(parents=True)
    (empty_target.media / "keep.txt").write_text("mine")
    with pytest.raises(BackupError, match="never replaces files"):
        restore_backup(demo_backup.archive, using=empty_target.alias, media_root=empty_target.media)
    assert [p.name for p in empty_target.media.iterdir()] == ["keep.txt"]
    connection = connections[empty_target.alias]
    assert VENDORS[connection.vendor](connection).tables() == []

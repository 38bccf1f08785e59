"""The archive: a gzipped tar of the database's dump, the stored files and, last, a manifest.

The manifest (`manifest.json`) says which Heard made the archive and when, the kind of
database, the migrations applied in it, and the size and SHA-256 of every other member.
Files go in a chunk at a time, hashed on the way, never whole in memory. Unpacking writes
every member into a staging folder and checks it against the manifest before anything is
restored: a damaged, cut or incomplete archive is refused there.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from heard.core.backup.files import BackupError, HashingReader
from heard.core.backup.vendors import VENDORS
from heard.core.private import private_file, private_folder

MANIFEST = "manifest.json"
FORMAT = "heard-backup"
FORMAT_VERSION = 1
MEDIA = "media"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Member:
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    heard_version: str
    created: datetime
    vendor: str
    database_member: str
    migrations: tuple[str, ...]
    database: dict[str, Any] = field(default_factory=dict)
    members: tuple[Member, ...] = ()

    @property
    def files(self) -> list[Member]:
        """The stored files (members under `media/`)."""
        return [member for member in self.members if member.name.startswith(MEDIA + "/")]

    def to_json(self) -> bytes:
        data = {"format": FORMAT, "format_version": FORMAT_VERSION} | asdict(self)
        data["created"] = self.created.isoformat()
        return json.dumps(data, indent=1, ensure_ascii=False).encode()

    @classmethod
    def parse(cls, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise ValueError("not a Heard backup")
            if data.get("format_version") != FORMAT_VERSION:
                raise ValueError(f"archive format {data.get('format_version')} is not known here")
            return cls(
                heard_version=str(data["heard_version"]),
                created=datetime.fromisoformat(data["created"]),
                vendor=str(data["vendor"]),
                database_member=str(data["database_member"]),
                migrations=tuple(str(name) for name in data["migrations"]),
                database=dict(data.get("database") or {}),
                members=tuple(
                    Member(str(m["name"]), int(m["size"]), str(m["sha256"]))
                    for m in data["members"]
                ),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupError(f"The archive's manifest cannot be read ({error}).") from None


def stored_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every regular file under `root` (links are not followed), as (member name, path)."""
    if not root.is_dir():
        return
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                yield f"{MEDIA}/{path.relative_to(root).as_posix()}", path


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> Member:
    with path.open("rb") as source:
        stat = os.fstat(source.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        reader = HashingReader(source)
        try:
            tar.addfile(info, reader)  # reads exactly info.size bytes
        except OSError as error:
            raise BackupError(f"{path} changed while it was being backed up ({error}).") from None
    return Member(name, reader.size, reader.sha256)


def write_archive(
    out: IO[bytes], manifest: Manifest, dump: Path, media_root: Path | None
) -> Manifest:
    """Write the archive into `out`: the dump, then every stored file (none when they live in
    an object store: `media_root` None), then the manifest."""
    with tarfile.open(fileobj=out, mode="w:gz", compresslevel=6) as tar:
        members = [_add_file(tar, manifest.database_member, dump)]
        if media_root is not None:
            members += [_add_file(tar, name, path) for name, path in stored_files(media_root)]
        manifest = replace(manifest, members=tuple(members))
        raw = manifest.to_json()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(raw), int(manifest.created.timestamp()), 0o600
        tar.addfile(info, io.BytesIO(raw))
    return manifest


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if (
        path.is_absolute()
        or not path.parts
        or any(part in {"", ".", ".."} for part in path.parts)
        or "\\" in name
    ):
        raise BackupError(f"The archive holds a member with a name Heard does not write: {name!r}.")
    return path


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> Member:
    private_folder(target.parent)
    source = tar.extractfile(member)
    if source is None:
        raise BackupError(f"The archive's member {member.name} is not a file.")
    reader = HashingReader(source)
    with os.fdopen(private_file(target), "wb") as out:
        shutil.copyfileobj(reader, out, CHUNK)
    return Member(member.name, reader.size, reader.sha256)


def unpack_archive(archive: Path, staging: Path, expected_member: str, label: str) -> Manifest:
    """Unpack every member into `staging` and check each against the manifest.

    `expected_member` is the dump this database loads: an archive of another kind of database
    is refused at its first member, before the rest is unpacked.
    """
    if not archive.is_file():
        raise BackupError(f"{archive} is not a file.")
    found: dict[str, Member] = {}
    raw_manifest: bytes | None = None
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                if raw_manifest is not None:
                    raise BackupError("The archive has members after its manifest.")
                if member.name == MANIFEST and member.isfile():
                    if member.size > MAX_MANIFEST_BYTES:
                        raise BackupError("The archive's manifest is too large to be one.")
                    source = tar.extractfile(member)
                    raw_manifest = source.read() if source else b""
                    continue
                name = _safe_name(member.name)
                if not found and member.name != expected_member:
                    raise BackupError(_not_this_database(member.name, label))
                if not member.isfile() or name.parts[0] not in {"database", MEDIA}:
                    raise BackupError(
                        f"The archive holds {member.name!r}, which Heard never writes."
                    )
                if member.name in found:
                    raise BackupError(f"The archive holds {member.name} twice.")
                found[member.name] = _extract(tar, member, staging.joinpath(*name.parts))
    except (tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise BackupError(f"The archive is damaged or cut short ({error}).") from None
    if raw_manifest is None:
        raise BackupError("The archive has no manifest: it is cut short, or not a Heard backup.")
    manifest = Manifest.parse(raw_manifest)
    listed = {member.name: member for member in manifest.members}
    missing = sorted(set(listed) - set(found))
    if missing:
        raise BackupError(f"The archive lacks {len(missing)} of its members (first: {missing[0]}).")
    unlisted = sorted(set(found) - set(listed))
    if unlisted:
        raise BackupError(f"The archive holds members its manifest does not list ({unlisted[0]}).")
    for listed_name, listed_member in listed.items():
        if found[listed_name] != listed_member:
            raise BackupError(
                f"The archive is damaged: {listed_name} does not match its size or checksum "
                "in the manifest."
            )
    if manifest.database_member != expected_member or expected_member not in found:
        raise BackupError(f"The archive holds no {label} database ({expected_member}).")
    return manifest


def _not_this_database(member: str, label: str) -> str:
    theirs = next((v.label for v in VENDORS.values() if v.member == member), None)
    if theirs:
        return (
            f"The archive holds a {theirs} database; this Heard uses {label}. "
            f"Restore it into a Heard on {theirs} (DATABASE_URL)."
        )
    return f"The archive starts with {member!r}, not a database: it is not a Heard backup."

"""Archives changed on purpose: damaged, cut short, of another database, from the future."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path

from heard.core.backup.archive import MANIFEST


def rewrite(
    source: Path,
    target: Path,
    change: Callable[[str, bytes], bytes | None] = lambda name, data: data,
    names: dict[str, str] | None = None,
) -> Path:
    """Copy an archive member by member, each through `change`: its new bytes, or None to
    leave it out (the manifest too, as JSON text); `names` renames members."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            handle = old.extractfile(member)
            data = change(member.name, handle.read() if handle else b"")
            if data is None:
                continue
            info = tarfile.TarInfo((names or {}).get(member.name, member.name))
            info.size, info.mode = len(data), 0o600
            new.addfile(info, io.BytesIO(data))
    return target


def change_manifest(source: Path, target: Path, edit: Callable[[dict], None]) -> Path:
    def change(name: str, data: bytes) -> bytes:
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()

    return rewrite(source, target, change)


def flip_byte(source: Path, target: Path, at: float) -> Path:
    """A copy with one byte changed, `at` a fraction of the way through the file."""
    data = bytearray(source.read_bytes())
    data[int(len(data) * at)] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def cut(source: Path, target: Path, fraction: float) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * fraction)])
    return target

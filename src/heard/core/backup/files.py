"""Files of a backup: private from their first byte, published whole, locked while written."""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from heard.core.private import private_folder

try:
    import fcntl
except ImportError:  # Windows: the thread lock below is all there is
    fcntl = None  # type: ignore[assignment]


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why and what to do."""


def temporary_path(folder: Path, what: str) -> Path:
    """A hidden name in `folder` for a file on its way (`.heard-<what>-<random>.tmp`)."""
    return folder / f".heard-{what}-{secrets.token_hex(6)}.tmp"


def publish(temporary: Path, final: Path) -> None:
    """Give a finished file its name, never replacing a file of that name."""
    try:
        os.link(temporary, final)  # fails if `final` exists: nothing is overwritten
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if final.exists():
            raise FileExistsError(final) from None
        os.replace(temporary, final)
        return
    temporary.unlink()


class HashingReader:
    """Reads a file and keeps the SHA-256 and the count of the bytes read."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data

    @property
    def sha256(self) -> str:
        return self.digest.hexdigest()


_thread_locks: dict[str, threading.Lock] = {}
_thread_locks_guard = threading.Lock()


@contextmanager
def folder_lock(folder: Path, *, wait: bool) -> Iterator[bool]:
    """Hold the backup folder's lock (across threads and processes) while the block runs.

    Yields whether it is held: without `wait`, False at once when someone else holds it. The
    kernel lets go of it when its process ends, however it ends, so it is never left stale.
    """
    private_folder(folder)
    key = str(folder.resolve())
    with _thread_locks_guard:
        thread_lock = _thread_locks.setdefault(key, threading.Lock())
    if not thread_lock.acquire(blocking=wait):
        yield False
        return
    try:
        descriptor = os.open(folder / ".heard-backup.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
                except BlockingIOError:
                    yield False
                    return
            yield True
        finally:
            os.close(descriptor)  # closing lets go of the flock
    finally:
        thread_lock.release()

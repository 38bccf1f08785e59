"""Django's SQLite backend, with write transactions queued before they begin.

SQLite lets one writer in at a time. When several threads or processes want to write, the
losers wait in SQLite's busy handler, which sleeps in growing steps (up to 100 ms) and is not
woken when the writer finishes: under load most of a save's time went there. Here a writer
first takes a lock of its process (threads queue on it), then an exclusive `flock` on a file
beside the database (processes queue on it; the kernel hands it over the moment its holder
lets go, and takes it back from a process that dies). So each writer starts the moment the
previous one commits, and several `heard serve` processes can share one database file.
Programs that do not take that lock (the sqlite3 shell, a backup) still meet SQLite's own
lock and busy timeout.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base, features

try:
    import fcntl
except ImportError:  # Windows: one process per database there, the thread lock is enough
    fcntl = None  # type: ignore[assignment]


class WriterQueue:
    """The writers of one database file, in this process and across processes."""

    def __init__(self, database: str) -> None:
        self.lock_path = database + ".writers"
        self.threads = threading.Lock()
        self.fd: int | None = None
        self.pid = 0

    def _file(self) -> int:
        if self.fd is None or self.pid != os.getpid():
            # A forked child must not share its parent's open file: flock belongs to it.
            self.fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            self.pid = os.getpid()
        return self.fd

    def acquire(self, timeout: float) -> None:
        if not self.threads.acquire(timeout=timeout):
            raise OperationalError("database is locked")
        try:
            if fcntl is not None:
                fcntl.flock(self._file(), fcntl.LOCK_EX)
        except BaseException:
            self.threads.release()
            raise

    def release(self) -> None:
        try:
            if fcntl is not None and self.fd is not None:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            self.threads.release()


_queues: dict[str, WriterQueue] = {}
_queues_guard = threading.Lock()


def writer_queue(database: str) -> WriterQueue:
    with _queues_guard:
        if database not in _queues:
            _queues[database] = WriterQueue(database)
        return _queues[database]


class DatabaseFeatures(features.DatabaseFeatures):
    def __init__(self, connection: Any) -> None:
        super().__init__(connection)
        # SQLite has JSON built in since 3.38. Django asks by running a query in a transaction,
        # which on Heard's SQLite (`BEGIN IMMEDIATE`) waits for the write lock: with the
        # database locked at start-up (a backup, another program), the answer was "no" and the
        # system check stopped Heard with "SQLite does not support JSONFields".
        if sqlite3.sqlite_version_info >= (3, 38):
            self.supports_json_field = True


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
    holds_writer_lock = False

    def _queue(self) -> WriterQueue:
        return writer_queue(str(self.settings_dict["NAME"]))

    def _wait_seconds(self) -> float:
        # As long as SQLite's own busy timeout would have waited.
        return float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))

    def _start_transaction_under_autocommit(self) -> None:
        if self.is_in_memory_db() or self.holds_writer_lock:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
            return
        self._queue().acquire(self._wait_seconds())
        self.holds_writer_lock = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_writer_lock()
            raise

    def _release_writer_lock(self) -> None:
        if self.holds_writer_lock:
            self.holds_writer_lock = False
            self._queue().release()

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._release_writer_lock()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._release_writer_lock()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._release_writer_lock()

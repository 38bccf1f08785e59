"""Django's SQLite backend, with write transactions queued inside the process.

SQLite lets one writer in at a time. When several threads of one server process want to
write, the losers would wait in SQLite's busy handler, which sleeps in growing steps (up to
100 ms) and is not woken when the writer finishes: under load most of a save's time went
there. Here a thread first takes a per-database lock, so writers of the same process queue
and each starts the moment the previous one commits. Other processes (a `heard worker`, a
backup) still meet SQLite's own lock and busy timeout.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _writer_lock(name: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(name, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    holds_writer_lock = False

    def _writer_lock(self) -> threading.Lock:
        return _writer_lock(str(self.settings_dict["NAME"]))

    def _wait_seconds(self) -> float:
        # As long as SQLite's own busy timeout would have waited.
        return float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))

    def _start_transaction_under_autocommit(self) -> None:
        if self.is_in_memory_db() or self.holds_writer_lock:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
            return
        lock = self._writer_lock()
        if not lock.acquire(timeout=self._wait_seconds()):
            raise OperationalError("database is locked")
        self.holds_writer_lock = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_writer_lock()
            raise

    def _release_writer_lock(self) -> None:
        if self.holds_writer_lock:
            self.holds_writer_lock = False
            self._writer_lock().release()

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

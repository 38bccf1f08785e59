"""Notes saved during a live call reach the index just after their save, in batches.

A save on the live call's API (`core.hot_path`) does not make its note's entry inside its own
transaction, which holds the interview's row (and, on SQLite, the database's write lock): it
hands the note to this process's backlog once the save is committed, and a thread of its own
makes the entries of every note handed in meanwhile, a few times a second, in one go
(`keeping.notes`). A note is found by search well within a second of its save.

What a backlog holds when its process stops is not lost for good: ending the call makes every
entry of the interview again (`receivers._on_evidence`), and `heard manage search_index`
checks and rebuilds the whole index.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from typing import Any

from django.db import close_old_connections, transaction

logger = logging.getLogger(__name__)

# How long the thread gathers notes before it indexes them.
GATHER_SECONDS = 0.3


class Backlog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flushing = threading.Lock()  # held while notes are being indexed
        self._pending: dict[str, int] = {}  # note id -> interview id
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def add_after_commit(self, pk: Any, interview_id: int) -> None:
        """Index this note once the running transaction commits (never if it rolls back)."""
        transaction.on_commit(lambda: self.add(pk, interview_id))

    def add(self, pk: Any, interview_id: int) -> None:
        with self._lock:
            self._pending[str(pk)] = interview_id
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="heard-search-backlog", daemon=True
                )
                self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            time.sleep(GATHER_SECONDS)
            self.flush()

    def flush(self) -> int:
        """Index every note handed in so far, now; answers how many."""
        from heard.search import keeping

        with self._flushing:
            with self._lock:
                pending, self._pending = self._pending, {}
            if not pending:
                return 0
            try:
                keeping.notes(pending.items())
            except Exception:
                # Made again when the call ends; a database that is down is retried then too.
                logger.exception("Indexing %d notes of live calls failed", len(pending))
                return 0
            finally:
                if threading.current_thread() is self._thread:
                    close_old_connections()  # as a request's end would
            return len(pending)

    def discard(self) -> int:
        """Forget what is pending, unindexed, and wait for the notes being indexed, if any
        (a test's end, whose database is about to be emptied: a flush still writing would
        hold locks that the emptying then waits on, and it on the emptying's)."""
        with self._lock:
            dropped, self._pending = len(self._pending), {}
        with self._flushing:
            pass
        return dropped

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._pending)


backlog = Backlog()


@atexit.register
def _flush_at_exit() -> None:
    """A server that stops on purpose indexes what it holds first."""
    if backlog.pending:
        backlog.flush()

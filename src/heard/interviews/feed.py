"""Waiting for the next event of an interview without asking the database once per screen.

Each server process keeps, per event loop, the newest event id it knows for each interview
being followed. One small poller per followed interview reads that id from the database a
few times a second (changes made by other processes arrive this way); changes made in this
process wake the waiting screens at once. However many screens follow an interview, a
process asks the database about it at most POLL_SECONDS apart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections import defaultdict

from asgiref.sync import sync_to_async
from django.db import DatabaseError, connections

from heard.interviews.live import latest_event_id

POLL_SECONDS = 0.2
logger = logging.getLogger(__name__)


def _latest(interview_id: int) -> int:
    try:
        return latest_event_id(interview_id)
    finally:
        connections.close_all()


class Feed:
    def __init__(self) -> None:
        self.latest: dict[int, int] = {}
        self.changed: dict[int, asyncio.Event] = defaultdict(asyncio.Event)
        self.waiting: dict[int, int] = defaultdict(int)
        self.pollers: dict[int, asyncio.Task[None]] = {}

    def bump(self, interview_id: int, event_id: int) -> None:
        """A newer event exists (written here, or seen by the poller): wake the waiters."""
        if event_id > self.latest.get(interview_id, 0):
            self.latest[interview_id] = event_id
            self.poke(interview_id)

    def poke(self, interview_id: int) -> None:
        event = self.changed.pop(interview_id, None)
        if event is not None:
            event.set()

    async def wait_beyond(self, interview_id: int, cursor: int, timeout: float) -> None:
        """Return once an event newer than `cursor` exists, or after `timeout` seconds."""
        if self.latest.get(interview_id, 0) > cursor or timeout <= 0:
            return
        self.waiting[interview_id] += 1
        if interview_id not in self.pollers:
            self.pollers[interview_id] = asyncio.create_task(self._poll(interview_id))
        try:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + timeout
            while self.latest.get(interview_id, 0) <= cursor:
                left = deadline - loop.time()
                if left <= 0:
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.changed[interview_id].wait(), left)
        finally:
            self.waiting[interview_id] -= 1

    async def _poll(self, interview_id: int) -> None:
        try:
            while self.waiting[interview_id] > 0:
                try:
                    newest = await sync_to_async(_latest, thread_sensitive=False)(interview_id)
                except DatabaseError:
                    # Keep polling: the screens still wait for other processes' changes.
                    logger.exception(
                        "Reading the newest event of interview %s failed", interview_id
                    )
                    await asyncio.sleep(POLL_SECONDS * 10)
                    continue
                self.bump(interview_id, newest)
                await asyncio.sleep(POLL_SECONDS)
        finally:
            self.pollers.pop(interview_id, None)


_feeds: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Feed] = weakref.WeakKeyDictionary()


def feed() -> Feed:
    """The feed of the running event loop (a server has one; tests make one per request)."""
    loop = asyncio.get_running_loop()
    if loop not in _feeds:
        _feeds[loop] = Feed()
    return _feeds[loop]

"""Streaming the event log to the screens of a live call (server-sent events).

Each server process has one Hub per event loop. It keeps, for every interview that at least
one of its screens follows, the newest event id it has handed out, and reads the new events of
ALL those interviews in one query, a few times a second, or at once when this process wrote
one. However many screens and interviews, a process asks the database a handful of small
questions a second. Changes made by other processes arrive the same way: the log in the
database is the only truth, so any number of processes serve the same interview.

A screen subscribes first and reads its backlog (events after its own cursor) second; the
hub's cursor for an interview only ever moves back to cover a newcomer. Whatever arrives by
both paths is dropped by id, so a screen gets every event once and in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from heard.core.asyncdb import PoolClosed, in_thread
from heard.interviews.live import presence, reads

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.25
# After a write in this process the next read waits this long, so that the writes of many
# screens are read in one go: under load a process reads the log about ten times a second,
# whatever the number of writes, for a tenth of a second more before a note shows elsewhere.
GATHER_SECONDS = 0.1
PRESENCE_READ_SECONDS = 2.0
# A screen that cannot keep up (its queue this full) is closed; it reconnects and catches up
# from the database.
QUEUE_LIMIT = 200


@dataclass(frozen=True)
class Message:
    """What the hub hands to every screen of an interview, encoded once for all of them."""

    events: list[dict[str, Any]]
    data: bytes
    presence: list[dict[str, Any]] | None = None


@dataclass(eq=False)
class Subscription:
    interview_id: int
    user_id: int
    last_id: int = 0
    presence: list[dict[str, Any]] | None = None
    queue: asyncio.Queue[Message | None] = field(default_factory=lambda: asyncio.Queue(QUEUE_LIMIT))

    def offer(self, message: Message) -> None:
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.close()

    def close(self) -> None:
        """End this stream (the screen reconnects and catches up from the log)."""
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(None)

    def bytes_for(self, message: Message) -> bytes:
        """The message as this screen should get it: what it already has is left out."""
        if message.presence is not None:
            if message.presence == self.presence:
                return b""
            self.presence = message.presence
            return message.data
        if not message.events or message.events[0]["id"] > self.last_id:
            if message.events:
                self.last_id = message.events[-1]["id"]
            return message.data
        fresh = [event for event in message.events if event["id"] > self.last_id]
        if not fresh:
            return b""
        self.last_id = fresh[-1]["id"]
        return encode(events_message(fresh))


class Hub:
    def __init__(self) -> None:
        self.subscriptions: dict[int, set[Subscription]] = defaultdict(set)
        self.cursors: dict[int, int] = {}
        self.presence: dict[int, list[dict[str, Any]]] = {}
        self.leaving: set[tuple[int, int]] = set()
        self.presence_due = False
        self.wake = asyncio.Event()
        self.worker: asyncio.Task[None] | None = None

    # Screens -----------------------------------------------------------------------------

    def subscribe(self, interview_id: int, user_id: int, cursor: int) -> Subscription:
        subscription = Subscription(interview_id, user_id, last_id=cursor)
        self.subscriptions[interview_id].add(subscription)
        self.leaving.discard((interview_id, user_id))
        if self.worker is None or self.worker.done():
            self.worker = asyncio.create_task(self.run())
        return subscription

    def caught_up(self, subscription: Subscription, newest: int) -> None:
        """The screen has read the log up to `newest`: follow from there at the latest."""
        interview_id = subscription.interview_id
        self.cursors[interview_id] = min(self.cursors.get(interview_id, newest), newest)

    def unsubscribe(self, subscription: Subscription) -> None:
        interview_id = subscription.interview_id
        screens = self.subscriptions.get(interview_id)
        if screens is None:
            return
        screens.discard(subscription)
        if not any(other.user_id == subscription.user_id for other in screens):
            self.leaving.add((interview_id, subscription.user_id))
            self.wake.set()
        if not screens:
            del self.subscriptions[interview_id]
            self.cursors.pop(interview_id, None)
            self.presence.pop(interview_id, None)

    def written(self) -> None:
        """This process appended an event: read the log soon rather than at the next tick."""
        self.wake.set()

    # The loop ----------------------------------------------------------------------------

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        touched = read_presence = 0.0
        # Runs while screens follow here, and until the last one's departure is written.
        while self.subscriptions or self.leaving:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), POLL_SECONDS)
                await asyncio.sleep(GATHER_SECONDS)
            self.wake.clear()
            now = loop.time()
            try:
                await self.deliver_events()
                if self.leaving:
                    leaving, self.leaving = self.leaving, set()
                    await in_thread(_leave)(leaving)
                    self.presence_due = True
                if now - touched >= presence.REFRESH.total_seconds():
                    await in_thread(presence.touch)(self.followers())
                    touched = now
                if self.presence_due or now - read_presence >= PRESENCE_READ_SECONDS:
                    self.presence_due = False
                    await self.deliver_presence()
                    read_presence = now
            except PoolClosed:
                return  # the process is exiting
            except Exception:
                # The screens stay open and wait (a database that is down, say); the next
                # tick tries again.
                logger.exception("Following the live event log failed")
                await asyncio.sleep(POLL_SECONDS * 10)

    def followers(self) -> set[tuple[int, int]]:
        return {
            (interview_id, subscription.user_id)
            for interview_id, screens in self.subscriptions.items()
            for subscription in screens
        }

    async def deliver_events(self) -> None:
        cursors = dict(self.cursors)
        if not cursors:
            return
        found = await in_thread(reads.events_after_each)(cursors)
        for interview_id, events in found.items():
            if interview_id not in self.cursors:
                continue  # its last screen closed meanwhile
            self.cursors[interview_id] = max(self.cursors[interview_id], events[-1]["id"])
            message = Message(events, encode(events_message(events)))
            for subscription in list(self.subscriptions.get(interview_id, ())):
                subscription.offer(message)
        if sum(len(events) for events in found.values()) >= reads.EVENTS_PER_ANSWER:
            self.wake.set()  # one answer's worth: there may be more to read

    async def deliver_presence(self) -> None:
        ids = list(self.subscriptions)
        if not ids:
            return
        people = await in_thread(presence.present_in)(ids)
        for interview_id, present in people.items():
            if interview_id not in self.subscriptions or self.presence.get(interview_id) == present:
                continue
            self.presence[interview_id] = present
            message = Message([], encode({"presence": present, "now": _now()}), present)
            for subscription in list(self.subscriptions[interview_id]):
                subscription.offer(message)

    def joined(self) -> None:
        """Someone opened a screen here (and is marked present): tell the others soon."""
        self.presence_due = True
        self.wake.set()


def _leave(pairs: set[tuple[int, int]]) -> None:
    for interview_id, user_id in pairs:
        presence.leave(interview_id, user_id)


def _now() -> str:
    return timezone.now().isoformat()


def events_message(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {"events": events, "cursor": events[-1]["id"], "now": _now()}


def encode(message: dict[str, Any]) -> bytes:
    """One server-sent event. Its id, when it carries events, is the cursor the browser
    sends back (Last-Event-ID) when it reconnects."""
    data = json.dumps(message, separators=(",", ":"), cls=DjangoJSONEncoder)
    lines = f"data: {data}\n\n"
    if message.get("events"):
        lines = f"id: {message['cursor']}\n{lines}"
    return lines.encode()


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def hub() -> Hub:
    """The hub of the running event loop (a server process has one)."""
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        _hubs[loop] = Hub()
    return _hubs[loop]

"""The event hub's bookkeeping: every screen gets each event once, in order, with no gap."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from heard.interviews.live import feed
from heard.interviews.live.feed import Hub, Message, Subscription, encode, events_message


def events(*ids: int) -> list[dict[str, Any]]:
    return [{"id": i, "kind": "note", "payload": {}, "actor": None, "at": None} for i in ids]


def message(*ids: int) -> Message:
    batch = events(*ids)
    return Message(batch, encode(events_message(batch)))


def sent_ids(data: bytes) -> list[int]:
    [line] = [line for line in data.decode().splitlines() if line.startswith("data: ")]
    return [event["id"] for event in json.loads(line[6:])["events"]]


def test_a_screen_gets_what_it_has_not_had_and_nothing_twice():
    screen = Subscription(interview_id=1, user_id=1, last_id=5)
    shared = message(6, 7)
    assert screen.bytes_for(shared) is shared.data  # the common case: the shared bytes
    assert screen.last_id == 7
    assert screen.bytes_for(message(6, 7)) == b""  # had them already (backlog and hub overlap)
    assert sent_ids(screen.bytes_for(message(7, 8, 9))) == [8, 9]
    assert screen.last_id == 9


def test_presence_is_sent_when_it_changes_only():
    screen = Subscription(interview_id=1, user_id=1, presence=[{"id": 1, "name": "Ann"}])
    same = Message([], b"data: {}\n\n", [{"id": 1, "name": "Ann"}])
    assert screen.bytes_for(same) == b""
    changed = Message([], b"data: {}\n\n", [])
    assert screen.bytes_for(changed) == changed.data


def test_each_event_carries_the_cursor_to_resume_from():
    data = encode(events_message(events(3, 4))).decode()
    assert data.startswith("id: 4\ndata: ")
    assert data.endswith("\n\n")
    assert not encode({"presence": [], "now": "x"}).decode().startswith("id:")


@pytest.fixture
def hub() -> Hub:
    async def make() -> Hub:
        return Hub()

    return asyncio.run(make())


def test_the_hub_cursor_moves_back_to_cover_a_newcomer(hub: Hub):
    first = Subscription(1, 1)
    second = Subscription(1, 2)
    hub.subscriptions[1] |= {first, second}
    hub.caught_up(first, 40)
    hub.caught_up(second, 35)  # its backlog read saw less of the log: the hub reads from 35
    assert hub.cursors[1] == 35
    hub.caught_up(first, 50)
    assert hub.cursors[1] == 35


def test_leaving_is_noted_when_a_persons_last_screen_closes(hub: Hub):
    tab, other_tab, colleague = Subscription(1, 7), Subscription(1, 7), Subscription(1, 8)
    hub.subscriptions[1] |= {tab, other_tab, colleague}
    hub.cursors[1] = 10
    hub.unsubscribe(tab)
    assert hub.leaving == set()  # still there in another tab
    hub.unsubscribe(other_tab)
    assert hub.leaving == {(1, 7)}
    hub.unsubscribe(colleague)
    assert 1 not in hub.subscriptions
    assert 1 not in hub.cursors


def test_a_screen_that_cannot_keep_up_is_closed_to_catch_up_later():
    async def overflow() -> list[Any]:
        screen = Subscription(1, 1)
        for n in range(feed.QUEUE_LIMIT + 1):
            screen.offer(message(n + 1))
        return [screen.queue.get_nowait() for _ in range(screen.queue.qsize())]

    assert asyncio.run(overflow()) == [None]


def test_the_hub_stops_when_the_process_is_exiting(monkeypatch, caplog):
    """At exit the database pool takes no more work: the hub's loop ends there, quietly,
    rather than logging a failure and trying again while the process waits for it."""
    from concurrent.futures import ThreadPoolExecutor

    from heard.core import asyncdb

    closed = ThreadPoolExecutor(1)
    closed.shutdown()
    monkeypatch.setattr(asyncdb, "pool", lambda: closed)
    monkeypatch.setattr(feed, "POLL_SECONDS", 0.01)

    async def follow() -> None:
        hub = Hub()
        hub.subscriptions[1].add(Subscription(1, 1))
        hub.cursors[1] = 0
        hub.wake.set()
        await asyncio.wait_for(hub.run(), 5)

    asyncio.run(follow())
    assert "failed" not in caplog.text

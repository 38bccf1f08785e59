"""The stream of server-sent events every live screen follows, from a real `heard serve`."""

from __future__ import annotations

import http.client
import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from heard.interviews.models import Interview, Note
from tests.support.live import note_data, post, session_for
from tests.support.personas import Team
from tests.support.server import HeardServer
from tests.support.urls import live_url

pytestmark = pytest.mark.django_db(transaction=True)


class EventStream:
    """One screen's connection to live/stream/, read message by message."""

    def __init__(
        self, server: HeardServer, path: str, cookies: tuple[str, str] | None, **headers: str
    ) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        if cookies:
            headers["Cookie"] = f"sessionid={cookies[0]}; csrftoken={cookies[1]}"
        self.connection.request("GET", path, headers={"Accept": "text/event-stream", **headers})
        self.response = self.connection.getresponse()
        self.last_id: str | None = None

    def next(self, timeout: float = 5.0) -> dict[str, Any]:
        """The next message carrying data (keep-alive comments are skipped)."""
        self.connection.sock.settimeout(timeout)  # type: ignore[union-attr]
        data = None
        while True:
            line = self.response.fp.readline().decode()
            if not line:
                raise EOFError("the stream ended")
            if line.startswith("id: "):
                self.last_id = line[4:].strip()
            elif line.startswith("data: "):
                data = json.loads(line[6:])
            elif line == "\n" and data is not None:
                return data

    def events(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        """The next `count` events, from however many messages they come in."""
        found: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while len(found) < count:
            found += self.next(max(0.1, deadline - time.monotonic())).get("events", [])
        return found

    def close(self) -> None:
        self.connection.close()


@pytest.fixture
def streams() -> Iterator[list[EventStream]]:
    opened: list[EventStream] = []
    yield opened
    for stream in opened:
        stream.close()


def open_stream(
    streams: list[EventStream], server: HeardServer, interview: Interview, cookies: Any, **kw: str
) -> EventStream:
    stream = EventStream(server, live_url("live_stream", interview), cookies, **kw)
    streams.append(stream)
    return stream


def save(server: HeardServer, interview: Interview, cookies: Any, text: str) -> dict[str, Any]:
    note = note_data(text=text)
    assert post(server, live_url("live_note_save", interview), note, cookies) == 200
    return note


def test_a_screen_gets_the_backlog_then_every_new_event_once_in_order(
    heard_server: HeardServer, team: Team, interview: Interview, streams: list[EventStream]
):
    owner, teammate = session_for(team.owner), session_for(team.teammate)
    early = [save(heard_server, interview, teammate, f"Early {n}") for n in range(2)]

    stream = open_stream(streams, heard_server, interview, owner)
    assert stream.response.status == 200
    assert stream.response.getheader("Content-Type") == "text/event-stream"
    hello = stream.next()
    assert [event["payload"]["id"] for event in hello["events"]] == [n["id"] for n in early]
    assert hello["cursor"] == hello["events"][-1]["id"]
    assert hello["now"]
    assert "Olivia Owner" in [person["name"] for person in hello["presence"]]

    sent_at = {}
    later = []
    for n in range(5):
        note = save(heard_server, interview, teammate, f"<b>Later</b> {n}")
        sent_at[note["id"]] = time.monotonic()
        later.append(note)
    events = stream.events(5)
    arrived = time.monotonic()
    assert [event["payload"]["id"] for event in events] == [n["id"] for n in later]
    assert events[0]["payload"]["text"] == "<b>Later</b> 0"
    assert all(event["actor"]["name"] == "Tom Teammate" for event in events)
    ids = [event["id"] for event in events]
    assert ids == sorted(set(ids))
    assert arrived - sent_at[later[-1]["id"]] < 1.0


def test_a_reconnected_screen_resumes_after_the_last_event_it_saw(
    heard_server: HeardServer, team: Team, interview: Interview, streams: list[EventStream]
):
    owner = session_for(team.owner)
    notes = [save(heard_server, interview, owner, f"Note {n}") for n in range(4)]
    first = open_stream(streams, heard_server, interview, owner).next()["events"]
    assert len(first) == 4
    # The browser reconnects with the id of the last event it had (here: the second).
    again = open_stream(
        streams, heard_server, interview, owner, **{"Last-Event-ID": str(first[1]["id"])}
    )
    assert [e["payload"]["id"] for e in again.next()["events"]] == [n["id"] for n in notes[2:]]


def test_screens_see_who_joins_and_who_leaves(
    heard_server: HeardServer, team: Team, interview: Interview, streams: list[EventStream]
):
    owner_stream = open_stream(streams, heard_server, interview, session_for(team.owner))
    assert [p["name"] for p in owner_stream.next()["presence"]] == ["Olivia Owner"]
    teammate_stream = open_stream(streams, heard_server, interview, session_for(team.teammate))
    assert len(teammate_stream.next()["presence"]) == 2
    assert [p["name"] for p in owner_stream.next()["presence"]] == [
        "Olivia Owner",
        "Tom Teammate",
    ]
    teammate_stream.close()
    assert [p["name"] for p in owner_stream.next(timeout=8)["presence"]] == ["Olivia Owner"]


def test_writes_made_through_another_server_process_reach_the_screen(
    heard_server: HeardServer, team: Team, interview: Interview, streams: list[EventStream]
):
    other = HeardServer()
    other.start()
    try:
        teammate = session_for(team.teammate)
        stream = open_stream(streams, heard_server, interview, session_for(team.owner))
        stream.next()
        note = save(other, interview, teammate, "Written through the other process")
        sent = time.monotonic()
        [event] = stream.events(1)
        assert event["payload"]["id"] == note["id"]
        assert time.monotonic() - sent < 1.0
    finally:
        other.stop()


def test_no_stream_without_a_session_or_for_an_outsider(
    heard_server: HeardServer, team: Team, interview: Interview, streams: list[EventStream]
):
    anonymous = open_stream(streams, heard_server, interview, None)
    assert anonymous.response.status == 401
    assert "sign in" in json.loads(anonymous.response.read())["error"]
    outsider = open_stream(streams, heard_server, interview, session_for(team.outsider))
    assert outsider.response.status == 404
    observer = open_stream(streams, heard_server, interview, session_for(team.observer))
    assert observer.response.status == 200


def test_a_silent_stream_stays_open(
    heard_server: HeardServer, team: Team, interview: Interview, streams: list[EventStream]
):
    stream = open_stream(streams, heard_server, interview, session_for(team.owner))
    stream.next()
    with pytest.raises(socket.timeout):
        stream.next(timeout=1.5)  # nothing new: the connection waits, it does not end


def test_the_real_server_refuses_a_write_without_the_csrf_token(
    heard_server: HeardServer, team: Team, interview: Interview
):
    """Under ASGI the middleware run on the event loop: the CSRF check must still hold."""
    cookies = session_for(team.owner)
    path = live_url("live_note_save", interview)
    for header in ("", "x" * len(cookies[1])):  # none, and one that is not the cookie's
        assert post(heard_server, path, note_data(), cookies, token=header) == 403
    assert not Note.objects.exists()

"""A real server, stopped and started again in the middle of an interview."""

from __future__ import annotations

import uuid

import pytest

from heard.interviews.models import Interview, Note
from tests.support.live import post, session_for
from tests.support.personas import Team
from tests.support.server import HeardServer
from tests.support.urls import live_url

pytestmark = pytest.mark.django_db(transaction=True)


def test_notes_resent_after_a_restart_are_stored_once(
    heard_server: HeardServer, team: Team, interview: Interview
):
    cookies = session_for(team.owner)
    path = live_url("live_note_save", interview)
    notes = [
        {"id": str(uuid.uuid4()), "kind": "note", "text": f"Note {n}", "elapsed_seconds": n}
        for n in range(5)
    ]
    for note in notes[:3]:
        assert post(heard_server, path, note, cookies) == 200
    heard_server.stop()
    heard_server.start()
    # The browser's outbox cannot know which of its notes arrived before the restart: it
    # sends them all again, and the server keeps each once.
    for note in notes:
        assert post(heard_server, path, note, cookies) == 200
    texts = sorted(Note.objects.filter(interview=interview).values_list("text", flat=True))
    assert texts == [f"Note {n}" for n in range(5)]

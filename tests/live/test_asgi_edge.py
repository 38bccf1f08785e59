"""The live API through the ASGI application as a server calls it: async views are handled on
the event loop (`heard.asgi.Handler.handle_async_view`), and a request's start and end are
still told to Django's receivers, once each, whatever the answer."""

from __future__ import annotations

import json

import pytest
from django.core import signals

from heard.asgi import application
from tests.support.asgi import call, session_cookie
from tests.support.live import note_data
from tests.support.urls import live_url

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def told():  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def started(**kwargs):  # type: ignore[no-untyped-def]
        seen.append("started")

    def finished(**kwargs):  # type: ignore[no-untyped-def]
        seen.append("finished")

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    yield seen
    signals.request_started.disconnect(started)
    signals.request_finished.disconnect(finished)


def post_note(team, interview, **headers):  # type: ignore[no-untyped-def]
    body = json.dumps(note_data()).encode()
    return call(
        application,
        live_url("live_note_save", interview),
        method="POST",
        headers=[
            ("cookie", session_cookie(team.teammate) + "; csrftoken=" + "a" * 32),
            ("x-csrftoken", "a" * 32),
            ("content-type", "application/json"),
            ("content-length", str(len(body))),
            *headers.items(),
        ],
        body=[body],
    )


def test_a_save_is_answered_and_told_once(team, interview, told):
    answer = post_note(team, interview)
    assert answer.status == 200, answer.body[:300]
    assert json.loads(answer.body)["note"]["text"]
    assert told == ["started", "finished"]


def test_a_refusal_is_answered_and_told_once(team, interview, told):
    answer = call(application, live_url("live_note_save", interview), method="POST")
    assert answer.status in (401, 403)
    assert told == ["started", "finished"]

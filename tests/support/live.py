"""Talking to the live companion's JSON API as its screen does: through the test client, or
over HTTP to a real `heard serve` with a browser's cookies."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from typing import Any

from django.test import Client

from tests.support.server import HeardServer


def post_json(client: Client, url: str, data: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def note_data(**fields: Any) -> dict[str, Any]:
    """A note as the screen sends it, with a fresh id."""
    return {
        "id": str(uuid.uuid4()),
        "kind": "note",
        "text": "They export every Monday.",
        "elapsed_seconds": 61,
        "question": None,
        "ladder_of": None,
    } | fields


def session_for(user: Any) -> tuple[str, str]:
    """The session and CSRF cookies of a browser signed in as `user`."""
    client = Client()
    client.force_login(user)
    client.get("/accounts/login/")  # sets the CSRF cookie
    return client.cookies["sessionid"].value, client.cookies["csrftoken"].value


def post(
    server: HeardServer,
    path: str,
    body: dict[str, Any],
    cookies: tuple[str, str],
    token: str | None = None,
) -> int:
    """POST JSON as the browser does; `token` the CSRF header, when not the cookie's."""
    session, csrf = cookies
    request = urllib.request.Request(
        server.url + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-CSRFToken": csrf if token is None else token,
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "Referer": server.url + "/",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code

"""The live page tells its code the kinds of event and the API's addresses (json_script)."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.urls import resolve, reverse

from heard.interviews.live.events import EventKind
from heard.interviews.live.state import API_ROUTES, ID

pytestmark = pytest.mark.django_db


def page_config(client, interview) -> dict:  # type: ignore[no-untyped-def]
    ws = interview.study.workspace.slug
    page = client.get(reverse("interviews:live", kwargs={"ws": ws, "pk": interview.pk}))
    assert page.status_code == 200
    found = re.search(
        r'<script id="live-config" type="application/json">(.*?)</script>', page.text, re.S
    )
    assert found
    return json.loads(found.group(1))


def test_the_page_names_every_event_kind(owner_client, interview):
    config = page_config(owner_client, interview)
    assert config["event_kinds"] == {kind.name: kind.value for kind in EventKind}


def test_every_address_is_the_route_it_names(observer_client, interview):
    urls = page_config(observer_client, interview)["urls"]
    assert set(urls) == set(API_ROUTES)
    stand_ins = {"note_id": uuid.uuid4(), "question_id": 7, "item_id": 9}
    for key, (name, argument) in API_ROUTES.items():
        url = urls[key]
        assert (ID in url) is (argument is not None), key
        if argument is not None:
            url = url.replace(ID, str(stand_ins[argument]))
        match = resolve(url)
        assert match.view_name == f"interviews:{name}", key
        assert match.kwargs["pk"] == interview.pk
        if argument is not None:
            assert match.kwargs[argument] == stand_ins[argument]

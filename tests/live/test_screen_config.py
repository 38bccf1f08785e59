"""The live page tells its code the kinds of event, the enums it uses and the API's addresses
(json_script)."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
from django.urls import resolve, reverse

import heard
from heard.guides.models import QuestionPriority
from heard.interviews.live.events import EventKind
from heard.interviews.live.state import API_ROUTES, ID, LABELLED_ENUMS, SCREEN_ENUMS
from heard.interviews.models import Consent, InterviewStatus, NoteKind, QuestionStatus

LIVE_JS = Path(heard.__file__).resolve().parent / "static" / "heard" / "js" / "live"

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


def test_the_page_gives_each_enum_by_name_and_its_labels_by_value(owner_client, interview):
    config = page_config(owner_client, interview)
    assert config["enums"] == {
        "NoteKind": {kind.name: kind.value for kind in NoteKind},
        "InterviewStatus": {status.name: status.value for status in InterviewStatus},
        "Consent": {answer.name: answer.value for answer in Consent},
        "QuestionPriority": {priority.name: priority.value for priority in QuestionPriority},
        "QuestionStatus": {status.name: status.value for status in QuestionStatus},
    }
    assert config["labels"] == {
        "NoteKind": {kind.value: kind.label for kind in NoteKind},
        "InterviewStatus": {status.value: status.label for status in InterviewStatus},
        "QuestionPriority": {priority.value: priority.label for priority in QuestionPriority},
        "QuestionStatus": {status.value: status.label for status in QuestionStatus},
    }


def test_the_code_names_only_members_and_labels_the_page_gives():
    """A misspelt member (NoteKind.PAINS) would be undefined in the browser, not an error."""
    enums = {enum.__name__: enum for enum in SCREEN_ENUMS}
    labelled = {enum.__name__ for enum in LABELLED_ENUMS}
    used = 0
    for file in sorted(LIVE_JS.glob("*.js")):
        code = file.read_text()
        for name, member in re.findall(rf"\b({'|'.join(enums)})\.([A-Za-z_]\w*)", code):
            assert member in enums[name].names, f"{file.name}: {name}.{member}"
            used += 1
        for name in re.findall(r"\bLabels\.(\w+)", code):
            assert name in labelled, f"{file.name}: Labels.{name}"
    assert used


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

"""The live call's JSON API with random JSON: bodies of any shape and type, huge strings,
unknown ids. Always a 4xx in JSON with a message, never a 500, and a refusal writes nothing."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.properties.test_form_posts import row_fingerprint
from tests.support import factories
from tests.support.hostile import hostile_text
from tests.support.personas import Team
from tests.support.urls import live_url

# The API works in a thread pool of its own: the data must be committed to be seen there.
pytestmark = pytest.mark.django_db(transaction=True)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    hostile_text,
    st.uuids().map(str),
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
KEYS = ["id", "kind", "text", "elapsed_seconds", "question", "ladder_of", "status", "consent",
        "answer", "order", "reserves", "intros", "asked", "note", "done"]  # fmt: skip
bodies = st.one_of(
    st.fixed_dictionaries({}, optional={key: json_values for key in KEYS}),
    json_values,
)
ENDPOINTS = ["live_note_save", "live_start", "live_consent", "live_intros", "live_reserves",
             "live_queue", "live_end"]  # fmt: skip


@settings(max_examples=12)
@given(name=st.sampled_from(ENDPOINTS), body=bodies, raw=st.booleans())
# A NUL in a note reached PostgreSQL, which refused it (500).
@example(
    name="live_note_save",
    body={"id": str(uuid.UUID(int=1)), "kind": "note", "text": "a\x00b"},
    raw=False,
)
def test_the_live_api_answers_any_json_with_json(team: Team, name: str, body: object, raw: bool):
    study = factories.study(team.workspace)
    interview = factories.interview(study, guide=factories.guide(study, questions=2))
    client = Client()
    client.force_login(team.owner)
    urls = [live_url(name, interview)]
    question = interview.guide.sections.get().questions.first()
    urls.append(live_url("live_question", interview, question_id=question.pk))
    urls.append(live_url("live_note_delete", interview, note_id=uuid.uuid4()))
    for address in urls:
        before = row_fingerprint()
        payload = json.dumps(body) if not raw else json.dumps(body)[:-1]  # cut short: not JSON
        response = client.post(address, payload, content_type="application/json")
        assert response.status_code < 500, (address, body, response.content[:300])
        assert response["Content-Type"] == "application/json"
        if response.status_code >= 400:
            assert response.json()["error"], (address, body)
            assert row_fingerprint() == before, (address, body)

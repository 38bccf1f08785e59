"""The live companion's JSON API, through the whole request stack."""

from __future__ import annotations

import pytest

from heard.interviews.models import Interview, InterviewStatus, Note
from tests.support.live import note_data, post_json
from tests.support.text import read
from tests.support.urls import live_url

# The API runs database work in a thread pool: the data must be committed to be seen there.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_note_posted_twice_is_stored_once(teammate_client, interview):
    data = note_data(text="<script>alert(1)</script>")
    first = post_json(teammate_client, live_url("live_note_save", interview), data)
    second = post_json(teammate_client, live_url("live_note_save", interview), data)
    assert first.status_code == second.status_code == 200
    assert first.json()["note"]["id"] == second.json()["note"]["id"] == data["id"]
    assert Note.objects.count() == 1
    assert Note.objects.get().text == "<script>alert(1)</script>"  # stored as typed


def test_a_too_long_note_gets_a_clear_message(owner_client, interview):
    response = post_json(
        owner_client, live_url("live_note_save", interview), note_data(text="x" * 10_001)
    )
    assert response.status_code == 400
    assert "at most 10,000 characters" in response.json()["error"]
    assert not Note.objects.exists()


def test_garbage_is_refused(owner_client, interview):
    url = live_url("live_note_save", interview)
    response = owner_client.post(url, b"\xff\xfe not json", content_type="application/json")
    assert response.status_code == 400
    response = owner_client.post(url, "[1, 2]", content_type="application/json")
    assert response.status_code == 400


def test_a_forged_id_collision_is_a_conflict(owner_client, teammate_client, interview):
    data = note_data()
    post_json(owner_client, live_url("live_note_save", interview), data)
    response = post_json(
        teammate_client, live_url("live_note_save", interview), data | {"text": "Mine now"}
    )
    assert response.status_code == 409
    assert Note.objects.get().text == data["text"]


def test_events_after_a_cursor_and_presence(owner_client, teammate_client, interview):
    state = owner_client.get(live_url("live_state", interview)).json()
    post_json(teammate_client, live_url("live_note_save", interview), note_data(text="From Tom"))
    answer = owner_client.get(live_url("live_events", interview), {"after": state["cursor"]}).json()
    assert [event["kind"] for event in answer["events"]] == ["note"]
    assert answer["events"][0]["payload"]["text"] == "From Tom"
    assert answer["events"][0]["actor"]["name"] == "Tom Teammate"
    assert answer["presence"] == []  # nobody follows the stream
    quiet = owner_client.get(live_url("live_events", interview), {"after": answer["cursor"]})
    assert quiet.json()["events"] == []
    assert quiet.json()["cursor"] == answer["cursor"]
    refused = owner_client.get(live_url("live_events", interview), {"after": "soon"})
    assert refused.status_code == 400


def test_kickoff_start_and_wrap_up(owner_client, interview):
    consent = post_json(owner_client, live_url("live_consent", interview), {"answer": "no"})
    assert consent.json()["interview"]["consent"] == "no"
    assert consent.json()["interview"]["consent_by"] == "Olivia Owner"
    assert (
        post_json(
            owner_client, live_url("live_consent", interview), {"answer": "maybe"}
        ).status_code
        == 400
    )
    started = post_json(owner_client, live_url("live_start", interview)).json()["interview"]
    assert started["status"] == "live"
    assert started["started_at"]
    reserve = post_json(
        owner_client, live_url("live_reserves", interview), {"team_reserve_minutes": 12}
    )
    assert reserve.status_code == 400
    ended = post_json(
        owner_client, live_url("live_end", interview), {"promised_follow_up": True}
    ).json()
    assert ended["interview"]["status"] == "done"
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.DONE
    assert interview.promised_follow_up is True
    assert ended["wrapup_url"].endswith(f"/interviews/{interview.pk}/wrap-up/")


def test_queue_a_question_for_the_team_reserve(teammate_client, owner_client, interview: Interview):
    queued = post_json(
        teammate_client, live_url("live_queue", interview), {"text": "Ask about pricing"}
    ).json()
    assert queued["queued"]["asked"] is False
    asked = post_json(
        owner_client, live_url("live_queue_asked", interview, item_id=queued["queued"]["id"])
    ).json()
    assert asked["queued"]["asked"] is True


def test_a_get_on_a_write_address_is_not_allowed(owner_client, interview):
    assert owner_client.get(live_url("live_note_save", interview)).status_code == 405


def test_the_consent_answer_stays_on_the_interview_page(owner_client, interview):
    post_json(owner_client, live_url("live_consent", interview), {"answer": "no"})
    page = owner_client.get(live_url("detail", interview)).content.decode()
    assert "Declined by the customer: no recording for this interview" in page
    assert "Asked by Olivia Owner" in read(page)


def test_an_observer_may_queue_a_question_but_not_mark_it_asked(observer_client, interview):
    queued = post_json(observer_client, live_url("live_queue", interview), {"text": "Pricing?"})
    assert queued.status_code == 200
    assert queued.json()["queued"]["author"] == "Oscar Observer"
    asked = post_json(
        observer_client,
        live_url("live_queue_asked", interview, item_id=queued.json()["queued"]["id"]),
    )
    assert asked.status_code == 403

"""Consent records: each answer kept with what was asked, who asked, how and when; the latest
of a topic holds, and a recording answer opens or shuts the recording features; the interview
and the participant pages show every answer."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from heard.interviews.consent import records
from heard.interviews.consent.services import ConsentRefused, record_answer
from heard.interviews.live import milestones
from heard.interviews.models import (
    ASKED,
    Consent,
    ConsentAnswer,
    ConsentRecord,
    ConsentTopic,
    ConsentWay,
    Interview,
    LiveEvent,
)
from heard.interviews.recordings import services as recordings
from tests.support.media import stored_recording
from tests.support.personas import Team

pytestmark = pytest.mark.django_db


def consent_url(team: Team, interview: Interview, topic: str) -> str:
    return reverse(
        "consent:record", kwargs={"ws": team.workspace.slug, "pk": interview.pk, "topic": topic}
    )


def form(interview: Interview, **fields: str) -> dict[str, str]:
    now = timezone.now().astimezone(interview.zone) - datetime.timedelta(minutes=10)
    return {
        "answer": "anonymously",
        "asked": "May we quote you in our report, with or without your name?",
        "way": ConsentWay.IN_WRITING,
        "asked_by": "",
        "day": now.strftime("%Y-%m-%d"),
        "time": now.strftime("%H:%M"),
        "note": "Signed form in the shared drive",
        **fields,
    }


def recording_answer(
    interview: Interview, team: Team, answer: ConsentAnswer, **more: object
) -> ConsentRecord:
    """An answer about recording, written down by the owner from a written reply."""
    return record_answer(
        interview,
        team.owner,
        ConsentTopic.RECORDING,
        answer,
        asked=ASKED[ConsentTopic.RECORDING],
        way=ConsentWay.IN_WRITING,
        answered_at=timezone.now(),
        **more,  # type: ignore[arg-type]
    )


def test_the_kickoff_answer_is_a_record_and_a_change_of_mind_another(
    team: Team, interview: Interview
) -> None:
    milestones.start(interview, team.owner)
    milestones.record_consent(interview, team.owner, Consent.YES)
    milestones.record_consent(interview, team.teammate, Consent.NO)
    answers = list(records.history(interview))
    assert [(r.answer, r.way, r.asked_by) for r in answers] == [
        (ConsentAnswer.NO, ConsentWay.IN_CALL, team.teammate),
        (ConsentAnswer.YES, ConsentWay.IN_CALL, team.owner),
    ]
    assert answers[0].asked == ASKED[ConsentTopic.RECORDING]
    assert records.current(answers)[ConsentTopic.RECORDING] == answers[0]
    assert records.current(answers)[ConsentTopic.QUOTING] is None
    interview.refresh_from_db()
    assert interview.recording_consent == Consent.NO
    assert interview.consent_asked_by == team.teammate


def test_a_researcher_records_a_quoting_answer_in_writing(
    team: Team, interview: Interview, owner_client: Client
) -> None:
    response = owner_client.post(consent_url(team, interview, "quoting"), form(interview))
    assert response.status_code == 302
    assert response["Location"].endswith("#consent")
    record = ConsentRecord.objects.get()
    assert (record.topic, record.answer, record.way) == (
        ConsentTopic.QUOTING,
        ConsentAnswer.ANONYMOUSLY,
        ConsentWay.IN_WRITING,
    )
    assert record.recorded_by == team.owner
    assert record.note == "Signed form in the shared drive"
    # The interview's own recording answer is not touched by a quoting answer.
    interview.refresh_from_db()
    assert interview.recording_consent == ""
    page = owner_client.get(
        reverse("interviews:detail", kwargs={"ws": team.workspace.slug, "pk": interview.pk})
    )
    html = page.content.decode()
    assert "Quoting their words" in html
    assert "Yes, anonymously" in html
    assert "May we quote you in our report" in html


def test_the_participant_page_lists_every_answer_and_which_hold(
    team: Team, interview: Interview, owner_client: Client
) -> None:
    owner_client.post(consent_url(team, interview, "quoting"), form(interview))
    owner_client.post(
        consent_url(team, interview, "quoting"), form(interview, answer="by_name", way="in_call")
    )
    html = owner_client.get(
        reverse(
            "participants:detail",
            kwargs={"ws": team.workspace.slug, "pk": interview.participant.pk},
        )
    ).content.decode()
    html = html[html.index('id="consent"') :]
    html = html[: html.index("</section>")]
    assert "Consent they gave" in html
    assert html.count("Yes, by name") == 1
    assert html.count("Yes, anonymously") == 1
    assert html.count("no longer holds") == 1


def test_a_no_to_recording_is_refused_while_recordings_are_kept(
    team: Team, interview: Interview, tmp_path: Path, private_media: None
) -> None:
    interview.recording_consent = Consent.YES
    interview.save()
    stored_recording(interview, team.owner, tmp_path)
    with pytest.raises(ConsentRefused, match="Delete them first"):
        recording_answer(interview, team, ConsentAnswer.NO)
    assert not ConsentRecord.objects.exists()
    interview.refresh_from_db()
    assert interview.recording_consent == Consent.YES


def test_a_no_recorded_later_shuts_the_recording_features(team: Team, interview: Interview) -> None:
    recording_answer(interview, team, ConsentAnswer.YES, asked_by=team.teammate)
    assert recordings.consent_refusal(interview, confirmed=False) == ""
    recording_answer(interview, team, ConsentAnswer.NO)
    interview.refresh_from_db()
    assert interview.recording_consent == Consent.NO
    assert recordings.consent_refusal(interview, confirmed=True) == recordings.CONSENT_DECLINED
    # A live screen hears of it as of every change to the interview.
    assert LiveEvent.objects.filter(interview=interview).count() == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"answer": "yes"}, "Select a valid choice"),  # quoting is answered by name or not
        ({"asked": "  "}, "This field is required"),
        ({"day": "2999-01-01"}, "cannot be dated in the future"),
        ({"time": "25:00"}, "Enter a valid time"),
        ({"asked_by": "999999"}, "Select a valid choice"),
    ],
)
def test_bad_answers_are_refused_with_a_reason_and_nothing_kept(
    team: Team, interview: Interview, owner_client: Client, fields: dict, message: str
) -> None:
    response = owner_client.post(consent_url(team, interview, "quoting"), form(interview, **fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_an_unknown_topic_is_not_found(team: Team, interview: Interview, owner_client: Client):
    assert owner_client.get(consent_url(team, interview, "dancing")).status_code == 404


def test_observers_read_the_answers_and_record_none(
    team: Team, interview: Interview, observer_client: Client, owner_client: Client
) -> None:
    owner_client.post(consent_url(team, interview, "quoting"), form(interview))
    page = observer_client.get(
        reverse("interviews:detail", kwargs={"ws": team.workspace.slug, "pk": interview.pk})
    ).content.decode()
    assert "Yes, anonymously" in page
    assert "Record a new answer" not in page
    url = consent_url(team, interview, "quoting")
    assert observer_client.post(url, form(interview, answer="no")).status_code == 403
    assert ConsentRecord.objects.count() == 1


def test_a_recording_confirmed_afterwards_is_a_record(team: Team, interview: Interview) -> None:
    milestones.confirm_consent_afterwards(interview, team.teammate)
    [record] = records.history(interview)
    assert (record.answer, record.way, record.asked_by) == (
        ConsentAnswer.YES,
        ConsentWay.AFTERWARDS,
        team.teammate,
    )

"""The customer's answer on being contacted again: recorded, and shown wherever people are picked."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from heard.interviews.models import Interview
from heard.participants.models import Participant, Recontact
from heard.participants.services import may_contact_again, record_recontact
from tests.support.followups import draft
from tests.support.personas import Team
from tests.support.urls import mail_url

pytestmark = pytest.mark.django_db


def recontact_url(team: Team, participant: Participant) -> str:
    return reverse(
        "participants:recontact", kwargs={"ws": team.workspace.slug, "pk": participant.pk}
    )


def test_the_answer_is_recorded_from_the_follow_up_page(
    team: Team, interview: Interview, owner_client: Client
):
    followup = draft(interview)
    page = mail_url("detail", team, followup)
    assert (
        'May we contact <span dir="auto">Ana</span> again?'
        in owner_client.get(page).content.decode()
    )
    response = owner_client.post(
        recontact_url(team, interview.participant), {"recontact": "no", "next": page}
    )
    assert response.url == page
    person = Participant.objects.get(pk=interview.participant.pk)
    assert person.recontact == Recontact.NO
    assert person.recontact_at is not None
    assert not may_contact_again(person)


def test_not_asked_yet_can_be_set_back(team: Team, participant: Participant, owner_client: Client):
    record_recontact(participant, Recontact.YES)
    owner_client.post(recontact_url(team, participant), {"recontact": ""})
    participant.refresh_from_db()
    assert (participant.recontact, participant.recontact_at) == ("", None)
    assert may_contact_again(participant)


def test_a_form_without_an_answer_changes_nothing(
    team: Team, participant: Participant, owner_client: Client
):
    record_recontact(participant, Recontact.YES)
    response = owner_client.post(recontact_url(team, participant), {}, follow=True)
    assert "Pick an answer to save." in response.content.decode()
    participant.refresh_from_db()
    assert participant.recontact == Recontact.YES


def test_it_never_sends_people_to_another_site(
    team: Team, participant: Participant, owner_client: Client
):
    response = owner_client.post(
        recontact_url(team, participant),
        {"recontact": "yes", "next": "https://evil.example/phish"},
    )
    assert response.url == reverse(
        "participants:detail", kwargs={"ws": team.workspace.slug, "pk": participant.pk}
    )


@pytest.mark.parametrize(
    ("answer", "may"), [("", True), ("yes", True), ("not_yet", False), ("no", False)]
)
def test_may_contact_again(participant: Participant, answer: str, may: bool):
    record_recontact(participant, answer)
    assert may_contact_again(participant) is may


def test_the_answer_shows_in_the_directory_the_picker_and_the_participant_page(
    team: Team, participant: Participant, owner_client: Client
):
    record_recontact(participant, Recontact.NO)
    ws = team.workspace.slug
    directory = owner_client.get(reverse("participants:list", kwargs={"ws": ws}))
    assert 'title="Declined further contact">No</span>' in directory.content.decode()
    picker = owner_client.get(
        reverse("participants:picker", kwargs={"ws": ws}), {"participant_q": "ana"}
    )
    assert (
        'Ana Lima</span> — <span dir="auto">Client Co</span> — <span dir="auto">declined further contact'
        in picker.content.decode()
    )
    detail = owner_client.get(
        reverse("participants:detail", kwargs={"ws": ws, "pk": participant.pk})
    )
    assert detail.context["recontact_form"]["recontact"].value() == "no"
    assert "Answer recorded" in detail.content.decode()


def test_observers_see_the_answer(team: Team, participant: Participant, observer_client: Client):
    record_recontact(participant, Recontact.NOT_YET)
    detail = observer_client.get(
        reverse("participants:detail", kwargs={"ws": team.workspace.slug, "pk": participant.pk})
    )
    assert "Not yet: ask again later" in detail.content.decode()

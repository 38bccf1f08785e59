"""The schedule form's participant picker: a search of the directory, never the whole of it."""

from __future__ import annotations

import re

import pytest

from heard.interviews.models import Interview
from heard.participants.models import Participant, Recontact
from heard.participants.picker import MATCHES_SHOWN
from tests.support import factories
from tests.support.interviews import schedule_data
from tests.support.urls import url

pytestmark = pytest.mark.django_db

RADIO = re.compile(r'<input type="radio" name="participant" value="(\d+)"( checked)?>')


def offered(content: bytes) -> list[tuple[int, bool]]:
    """The participants a page offers to pick: (pk, chosen)."""
    return [(int(pk), bool(checked)) for pk, checked in RADIO.findall(content.decode())]


def many(team, count: int, **fields) -> list[Participant]:  # type: ignore[no-untyped-def]
    return Participant.objects.bulk_create(
        Participant(workspace=team.workspace, name=f"Person {i:03d}", **fields)
        for i in range(count)
    )


def test_the_form_offers_a_search_not_the_whole_directory(team, owner_client, study):
    many(team, 60, company="Acme")
    response = owner_client.get(url("interviews:create", team))
    content = response.content.decode()
    assert offered(response.content) == []
    assert "Person 000" not in content
    assert '<label for="id_participant" dir="auto">Participant</label>' in content
    assert re.search(
        r'<input type="search" name="participant_q" value=""[^>]* id="id_participant"', content
    )
    assert "Type part of a name, company or email, then pick the person." in content


def test_a_search_finds_every_word_in_name_company_or_email(team, owner_client, participant):
    factories.participant(
        team.workspace, name="Ada Lovelace", company="Analytical", email="ada@x.example"
    )
    factories.participant(team.workspace, name="Grace Hopper", company="Client Co")
    factories.participant(team.other_workspace, name="Nick Stranger", company="Client Co")
    picker = url("participants:picker", team)
    response = owner_client.get(picker, {"name": "participant", "participant_q": "client co"})
    names = [Participant.objects.get(pk=pk).name for pk, _ in offered(response.content)]
    assert names == ["Grace Hopper", "Nickole Smith"]
    assert b"2 participants match \xe2\x80\x9cclient co\xe2\x80\x9d." in response.content
    assert b'hx-swap-oob="innerHTML"' in response.content  # the announcement, out of band
    response = owner_client.get(picker, {"name": "participant", "participant_q": "ADA@x"})
    assert [pk for pk, _ in offered(response.content)] == [
        Participant.objects.get(name="Ada Lovelace").pk
    ]
    nobody = owner_client.get(picker, {"name": "participant", "participant_q": "zebra"})
    assert offered(nobody.content) == []
    assert "No participant matches “zebra”.".encode() in nobody.content


def test_a_search_lists_the_first_twenty_in_name_order(team, owner_client):
    many(team, 30)
    response = owner_client.get(url("participants:picker", team), {"participant_q": "person"})
    pks = [pk for pk, _ in offered(response.content)]
    assert len(pks) == MATCHES_SHOWN
    assert [Participant.objects.get(pk=pk).name for pk in pks[:2]] == ["Person 000", "Person 001"]
    assert b"More than 20 participants match" in response.content


def test_the_chosen_participant_stays_listed_and_chosen(team, owner_client, participant):
    factories.participant(team.workspace, name="Ada Lovelace")
    response = owner_client.get(
        url("participants:picker", team),
        {"name": "participant", "participant_q": "ada", "participant": participant.pk},
    )
    ada = Participant.objects.get(name="Ada Lovelace")
    assert offered(response.content) == [(participant.pk, True), (ada.pk, False)]
    # Someone of another workspace cannot be slipped in as chosen.
    stranger = factories.participant(team.other_workspace, name="Not yours")
    response = owner_client.get(
        url("participants:picker", team), {"participant_q": "ada", "participant": stranger.pk}
    )
    assert b"Not yours" not in response.content


def test_preselection_from_the_address_still_works(team, owner_client, study, participant):
    many(team, 30)
    response = owner_client.get(url("interviews:create", team) + f"?participant={participant.pk}")
    assert offered(response.content) == [(participant.pk, True)]
    factories.participant(team.workspace, name="Nick Other")
    response = owner_client.post(url("interviews:create", team), schedule_data(study, participant))
    assert response.status_code == 302
    assert Interview.objects.get().participant == participant


def test_a_search_without_javascript_keeps_what_was_typed(team, owner_client, study, participant):
    query = {
        "study": study.pk,
        "participant_q": "nick",
        "day": "2027-03-04",
        "start_time": "09:30",
        "location": "https://meet.example.com/xyz",
        "mode": "phone",
    }
    response = owner_client.get(url("interviews:create", team), query)
    assert offered(response.content) == [(participant.pk, False)]
    content = response.content.decode()
    assert 'value="2027-03-04"' in content
    assert 'value="https://meet.example.com/xyz"' in content
    assert re.search(r'<option value="phone" selected dir="auto">', content)
    assert 'value="nick"' in content
    assert 'id="id_creator_interviews"' in content
    assert not response.context["form"].initial["creator_interviews"]  # sent unticked


def test_the_edit_form_shows_the_interviews_participant_chosen(
    team, owner_client, study, participant
):
    interview = factories.interview(study, participant)
    response = owner_client.get(url("interviews:edit", team, pk=interview.pk))
    assert offered(response.content) == [(participant.pk, True)]


def test_sending_the_form_with_only_a_search_shows_the_matches(
    team, owner_client, study, participant
):
    data = schedule_data(study, participant) | {"participant": "", "participant_q": "smith"}
    response = owner_client.post(url("interviews:create", team), data)
    assert response.status_code == 200
    assert "Search for the participant, then pick them in the list." in response.content.decode()
    assert offered(response.content) == [(participant.pk, False)]
    assert not Interview.objects.exists()


def test_hostile_names_are_text_in_the_picker(team, owner_client):
    factories.participant(team.workspace, name="<img src=x onerror=alert(1)>", company="Evil")
    response = owner_client.get(url("participants:picker", team), {"participant_q": "evil"})
    assert b"<img src=x" not in response.content
    assert b"&lt;img src=x onerror=alert(1)&gt;" in response.content


def test_the_recontact_answer_shows_beside_the_name(team, owner_client, participant):
    Participant.objects.filter(pk=participant.pk).update(recontact=Recontact.NO)
    response = owner_client.get(url("participants:picker", team), {"participant_q": "nickole"})
    assert (
        'Nickole Smith</span> — <span dir="auto">Client Co</span> — <span dir="auto">declined further contact'
        in response.content.decode()
    )


def test_the_form_and_the_picker_take_few_queries_however_big_the_directory(
    team, owner_client, study, django_assert_max_num_queries
):
    factories.participant(team.workspace, name="The first one")
    one = len(owner_client.get(url("interviews:create", team)).content)
    many(team, 2000, company="Acme")
    with django_assert_max_num_queries(12):
        form = owner_client.get(url("interviews:create", team))
    assert form.status_code == 200
    with django_assert_max_num_queries(6):
        found = owner_client.get(url("participants:picker", team), {"participant_q": "acme"})
    assert len(offered(found.content)) == MATCHES_SHOWN
    assert abs(len(form.content) - one) < 100  # the page does not grow with the directory


def test_the_search_is_for_those_who_schedule(team, observer_client, outsider_client, participant):
    assert (
        observer_client.get(url("participants:picker", team), {"participant_q": "nick"}).status_code
        == 403
    )
    assert (
        outsider_client.get(url("participants:picker", team), {"participant_q": "nick"}).status_code
        == 404
    )

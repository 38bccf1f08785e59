"""Who may do what: members read, observers change nothing, outsiders find nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from heard.participants.models import Participant, ParticipantImport, ResearchNote
from tests.support import factories
from tests.support.personas import Team
from tests.support.spreadsheets import csv_text
from tests.support.urls import url

pytestmark = pytest.mark.django_db


@dataclass
class World:
    person: Participant
    note: ResearchNote
    upload: ParticipantImport


@pytest.fixture
def world(team: Team) -> World:
    person = factories.participant(team.workspace, name="Ada", email="ada@x.example")
    note = person.notes.create(source="CRM", body="Original")
    upload = ParticipantImport.objects.create(
        workspace=team.workspace,
        created_by=team.owner,
        filename="people.csv",
        text=csv_text([["Name", "Email"], ["Bob", "bob@x.example"]]),
        mapping=["name", "email"],
        status="mapped",
    )
    return World(person, note, upload)


def read_urls(team: Team, w: World) -> list[str]:
    return [
        url("participants:list", team),
        url("participants:detail", team, pk=w.person.pk),
        url("participants:export", team),
    ]


def write_urls(team: Team, w: World) -> list[tuple[str, dict[str, str]]]:
    person, note, imp = w.person.pk, w.note.pk, w.upload.pk
    participant = {"name": "Changed", "email": "changed@x.example"}
    note_data = {"noted_on": "2026-01-01", "source": "Changed", "body": "Changed"}
    return [
        (url("participants:create", team), participant),
        (url("participants:edit", team, pk=person), participant),
        (url("participants:delete", team, pk=person), {}),
        (url("participants:note_create", team, pk=person), note_data),
        (url("participants:note_edit", team, participant_pk=person, pk=note), note_data),
        (url("participants:note_delete", team, participant_pk=person, pk=note), {}),
        (url("participants:import", team), {}),
        (url("participants:import_map", team, pk=imp), {"col_0": "name", "col_1": "ignore"}),
        (url("participants:import_preview", team, pk=imp), {}),
        (url("participants:import_cancel", team, pk=imp), {}),
    ]


def assert_nothing_changed(w: World) -> None:
    assert list(Participant.objects.values_list("name", flat=True)) == ["Ada"]
    assert list(ResearchNote.objects.values_list("body", flat=True)) == ["Original"]
    w.upload.refresh_from_db()
    assert (w.upload.status, w.upload.mapping) == ("mapped", ["name", "email"])


@pytest.mark.parametrize("persona", ["owner", "teammate", "observer"])
def test_members_read_the_directory_and_export_it(team, world, persona):
    client = team.client_for(getattr(team, persona))
    for page in read_urls(team, world):
        assert client.get(page).status_code == 200, page


@pytest.mark.parametrize("persona", ["owner", "teammate"])
def test_editors_open_every_form(team, world, persona):
    client = team.client_for(getattr(team, persona))
    for page, _ in write_urls(team, world):
        if page.endswith("/cancel/"):
            continue  # POST only
        assert client.get(page).status_code == 200, page


def test_observer_gets_403_on_every_change_and_nothing_changes(team, world, observer_client):
    for page, data in write_urls(team, world):
        assert observer_client.get(page).status_code in (403, 405), page
        assert observer_client.post(page, data).status_code == 403, page
    assert_nothing_changed(world)


def test_observer_sees_no_edit_buttons(team, world, observer_client):
    content = observer_client.get(url("participants:detail", team, pk=world.person.pk)).content
    assert b"Edit participant" not in content
    assert b"Add a research note" not in content
    listing = observer_client.get(url("participants:list", team)).content
    assert b"Import from CSV" not in listing
    assert b"Export as CSV" in listing


def test_outsider_gets_404_for_every_url(team, world, outsider_client: Client):
    for page in read_urls(team, world):
        assert outsider_client.get(page).status_code == 404, page
    for page, data in write_urls(team, world):
        assert outsider_client.get(page).status_code in (404, 405), page
        assert outsider_client.post(page, data).status_code == 404, page
    assert_nothing_changed(world)


def test_outsider_cannot_reach_our_objects_through_their_workspace(team, world, outsider_client):
    """Their own workspace slug, our primary keys: still nothing."""
    theirs = team.other_workspace.slug
    for page, data in write_urls(team, world):
        if "/new/" in page and "/notes/" not in page:
            continue  # creating in their own workspace is theirs to do
        if page.endswith("/import/"):
            continue
        other = page.replace(f"/w/{team.workspace.slug}/", f"/w/{theirs}/")
        assert outsider_client.post(other, data).status_code == 404, other
    other_detail = url("participants:detail", team, pk=world.person.pk).replace(
        team.workspace.slug, theirs
    )
    assert outsider_client.get(other_detail).status_code == 404
    assert_nothing_changed(world)


def test_signed_out_visitors_are_sent_to_sign_in(team, world, client):
    response = client.get(url("participants:list", team))
    assert response.status_code == 302
    assert "/login/" in response.url

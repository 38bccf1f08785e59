"""Who may do what, beyond the URL walker (tests/test_url_access.py), which checks that
outsiders get 404 and observers change nothing: owners and researchers read and open every
form, observers see no edit buttons."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

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


def form_urls(team: Team, w: World) -> list[str]:
    person, note, imp = w.person.pk, w.note.pk, w.upload.pk
    return [
        url("participants:create", team),
        url("participants:edit", team, pk=person),
        url("participants:delete", team, pk=person),
        url("participants:note_create", team, pk=person),
        url("participants:note_edit", team, participant_pk=person, pk=note),
        url("participants:note_delete", team, participant_pk=person, pk=note),
        url("participants:import", team),
        url("participants:import_map", team, pk=imp),
        url("participants:import_preview", team, pk=imp),
        url("participants:import_cancel", team, pk=imp),
    ]


@pytest.mark.parametrize("persona", ["owner", "teammate"])
def test_members_read_the_directory_and_export_it(team, world, persona):
    client = team.client_for(getattr(team, persona))
    for page in read_urls(team, world):
        assert client.get(page).status_code == 200, page


@pytest.mark.parametrize("persona", ["owner", "teammate"])
def test_editors_open_every_form(team, world, persona):
    client = team.client_for(getattr(team, persona))
    for page in form_urls(team, world):
        if page.endswith("/cancel/"):
            continue  # POST only
        assert client.get(page).status_code == 200, page


def test_observer_sees_no_edit_buttons(team, world, observer_client):
    content = observer_client.get(url("participants:detail", team, pk=world.person.pk)).content
    assert b"Edit participant" not in content
    assert b"Add a research note" not in content
    listing = observer_client.get(url("participants:list", team)).content
    assert b"Import from CSV" not in listing
    assert b"Export as CSV" not in listing  # unless the workspace allows observers to

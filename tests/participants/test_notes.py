"""Research notes: what the team knows about a participant before the call."""

from __future__ import annotations

import datetime

import pytest

from heard.participants.models import ResearchNote
from tests.support import factories
from tests.support.urls import url

pytestmark = pytest.mark.django_db


def note_data(**overrides: str) -> dict[str, str]:
    return {
        "noted_on": "2026-03-02",
        "source": "Usage data",
        "body": "Exports 40 reports a week, mostly on Mondays.",
        "url": "https://metrics.example.org/accounts/42",
    } | overrides


def test_teammate_adds_a_note_with_date_source_and_link(team, teammate_client):
    person = factories.participant(team.workspace)
    response = teammate_client.post(
        url("participants:note_create", team, pk=person.pk), note_data()
    )
    assert response.status_code == 302
    assert response.url == url("participants:detail", team, pk=person.pk)
    note = person.notes.get()
    assert note.noted_on == datetime.date(2026, 3, 2)
    assert (note.source, note.author) == ("Usage data", team.teammate)
    assert note.url == "https://metrics.example.org/accounts/42"


def test_a_note_needs_a_source_and_a_body_and_a_real_link(team, owner_client):
    person = factories.participant(team.workspace)
    response = owner_client.post(
        url("participants:note_create", team, pk=person.pk),
        note_data(source="", body="", url="javascript:alert(1)"),
    )
    assert response.status_code == 200
    assert response.content.count(b"This field is required.") == 2
    assert b"Enter a valid URL." in response.content
    assert not ResearchNote.objects.exists()


def test_notes_are_shown_newest_first(team, owner_client):
    person = factories.participant(team.workspace)
    person.notes.create(source="Old", body="old", noted_on=datetime.date(2025, 1, 1))
    person.notes.create(source="New", body="new", noted_on=datetime.date(2026, 1, 1))
    person.notes.create(source="Middle", body="mid", noted_on=datetime.date(2025, 6, 1))
    response = owner_client.get(url("participants:detail", team, pk=person.pk))
    assert [n.source for n in response.context["notes"]] == ["New", "Middle", "Old"]
    content = response.content.decode()
    assert content.index("New") < content.index("Middle") < content.index("Old")


def test_note_edit_and_delete(team, owner_client):
    person = factories.participant(team.workspace)
    note = person.notes.create(source="CRM", body="Old text")
    form = owner_client.get(
        url("participants:note_edit", team, participant_pk=person.pk, pk=note.pk)
    )
    assert b"Old text" in form.content
    owner_client.post(
        url("participants:note_edit", team, participant_pk=person.pk, pk=note.pk),
        note_data(body="New text", url=""),
    )
    note.refresh_from_db()
    assert (note.body, note.url) == ("New text", "")
    owner_client.post(url("participants:note_delete", team, participant_pk=person.pk, pk=note.pk))
    assert not ResearchNote.objects.exists()


def test_a_note_of_another_participant_is_not_found_under_this_one(team, owner_client):
    person, other = factories.participant(team.workspace), factories.participant(team.workspace)
    note = other.notes.create(source="CRM", body="x")
    edit = url("participants:note_edit", team, participant_pk=person.pk, pk=note.pk)
    assert owner_client.post(edit, note_data()).status_code == 404
    note.refresh_from_db()
    assert note.body == "x"


def test_the_detail_page_explains_research_notes(team, owner_client):
    person = factories.participant(team.workspace)
    content = owner_client.get(url("participants:detail", team, pk=person.pk)).content
    assert b"What the team knows before the call" in content
    assert b"No research note yet" in content


def test_note_text_is_shown_as_text(team, owner_client):
    person = factories.participant(team.workspace)
    person.notes.create(source="<i>src</i>", body="<script>alert(1)</script>")
    content = owner_client.get(url("participants:detail", team, pk=person.pk)).content
    assert b"<script>alert(1)</script>" not in content
    assert b"<i>src</i>" not in content

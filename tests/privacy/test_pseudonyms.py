"""Downloads that hide who the participants are: each named by a stable pseudonym (P01), the
same in every export of the workspace, companies left out, their names and emails replaced in
what was said; asked for by anyone, and the only way for observers where the workspace says
so (the default)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from heard.accounts.models import AuditAction, AuditEntry
from heard.participants import pseudonyms
from heard.participants.models import Participant
from heard.synthesis.summaries import services as summaries
from tests.support import factories
from tests.support.personas import Team
from tests.support.privacy import EMAIL, NAME, World, build

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

SECRETS = (NAME, "Nickole", "Barros", EMAIL, "Brightpath")


@pytest.fixture
def world(team: Team, tmp_path: Path) -> World:
    return build(team, tmp_path)


def _url(world: World, name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"ws": world.team.workspace.slug, **kwargs})


def _xlsx_text(response) -> str:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def _docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as docx:
        return docx.read("word/document.xml").decode()


def test_numbers_follow_the_order_people_were_added_and_never_change(team: Team) -> None:
    first = factories.participant(team.workspace, name="Ann Lee")
    second = factories.participant(team.workspace, name="Bo Chen")
    elsewhere = factories.participant(team.other_workspace, name="Cy Park")
    assert pseudonyms.numbers(team.workspace.pk) == {first.pk: 1, second.pk: 2}
    assert pseudonyms.numbers(team.other_workspace.pk) == {elsewhere.pk: 1}
    third = factories.participant(team.workspace, name="Di Roy")
    Participant.objects.filter(pk=first.pk).delete()
    assert pseudonyms.numbers(team.workspace.pk) == {second.pk: 2, third.pk: 3}


def test_the_matrix_names_participants_by_pseudonym_when_asked(world: World) -> None:
    client = world.team.client_for(world.team.owner)
    study = world.plan.study.pk
    named = client.get(_url(world, "matrix:xlsx", pk=study))
    assert NAME in _xlsx_text(named)

    hidden = client.get(_url(world, "matrix:xlsx", pk=study) + "?pseudonyms=1")
    text = _xlsx_text(hidden)
    alias = pseudonyms.label(pseudonyms.numbers(world.team.workspace.pk)[world.person.pk])
    assert alias in text
    assert "companies left out" in text
    for secret in SECRETS:
        assert secret not in text, secret
    csv_text = b"".join(
        client.get(_url(world, "matrix:csv", pk=study) + "?pseudonyms=1").streaming_content
    ).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert {row[1] for row in rows[1:]} >= {alias}
    for secret in SECRETS:
        assert secret not in csv_text, secret
    assert (
        AuditEntry.objects.filter(action=AuditAction.EXPORTED, details__pseudonyms=True).count()
        == 2
    )


def test_observers_get_pseudonyms_unless_the_workspace_says_otherwise(world: World) -> None:
    observer = world.team.client_for(world.team.observer)
    url = _url(
        world,
        "transcripts:download",
        pk=world.interview.pk,
        transcript_pk=world.transcript.pk,
        fmt="txt",
    )
    forced = observer.get(url)
    assert NAME not in forced.content.decode()
    assert NAME.split()[0] not in forced["Content-Disposition"]
    page = observer.get(
        _url(world, "transcripts:detail", pk=world.interview.pk, transcript_pk=world.transcript.pk)
    )
    assert "Your downloads name the participant by a pseudonym" in page.content.decode()

    world.team.workspace.observers_export_pseudonyms = False
    world.team.workspace.save()
    assert NAME in observer.get(url).content.decode()


def test_transcripts_summaries_and_the_coach_hide_them_in_every_format(world: World) -> None:
    client = world.team.client_for(world.team.owner)
    summary = world.interview.summary
    summaries.set_text(summary, "follow_ups", f"Write to {EMAIL} at Brightpath Analytics.")
    for fmt in ("vtt", "srt", "txt", "json", "docx"):
        url = _url(
            world,
            "transcripts:download",
            pk=world.interview.pk,
            transcript_pk=world.transcript.pk,
            fmt=fmt,
        )
        response = client.get(url + "?pseudonyms=1")
        text = _docx_text(response.content) if fmt == "docx" else response.content.decode()
        assert "Thanks P0" in text  # "Thanks Nickole." in the team's line
        for secret in SECRETS:
            assert secret not in text, (fmt, secret)
        assert "-p0" in response["Content-Disposition"]
    named = client.get(_url(world, "summaries:markdown", pk=world.interview.pk))
    assert EMAIL in named.content.decode()
    assert "Brightpath Analytics" in named.content.decode()
    markdown = client.get(
        _url(world, "summaries:markdown", pk=world.interview.pk) + "?pseudonyms=1"
    )
    text = markdown.content.decode()
    assert "[company]" in text
    for secret in SECRETS:
        assert secret not in text, secret


def test_the_coach_s_json_hides_them_when_asked(world: World, settings) -> None:
    from heard.coach import services as coach

    coach.recompute(world.interview.pk)
    client = world.team.client_for(world.team.owner)
    named = client.get(_url(world, "coach:report_json", pk=world.interview.pk))
    assert NAME in json.dumps(json.loads(named.content))
    response = client.get(_url(world, "coach:report_json", pk=world.interview.pk) + "?pseudonyms=1")
    assert response.status_code == 200
    data = json.dumps(json.loads(response.content))
    for secret in SECRETS:
        assert secret not in data, secret


def test_names_are_found_word_by_word() -> None:
    names = pseudonyms.Names()
    for text, tag in (
        ("Anna Lee", "P01"),
        ("Anna", "P01"),
        ("Will", "P02"),
        ("Brightpath Analytics", "[company]"),
        ("O'Brien", "P03"),
        ("Al", "P04"),  # too short to look for alone
    ):
        names.add(text, tag)
    text = "ANNA LEE met anna, Anna and will; Will of Brightpath\n Analytics, O'Brien and Al."
    assert [(text[a:b], tag) for a, b, tag in names.spans(text)] == [
        ("ANNA LEE", "P01"),
        ("Anna", "P01"),
        ("Will", "P02"),
        ("Brightpath\n Analytics", "[company]"),
        ("O'Brien", "P03"),
    ]

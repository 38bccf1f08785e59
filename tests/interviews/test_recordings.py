"""Recordings: the upload in pieces and its resumption, consent, probing real files of every
kind Heard takes and refusing the rest with nothing kept, the playback copy, serving by byte
range after the access check, deleting."""

from __future__ import annotations

import hashlib
import json
import os
import time
from datetime import timedelta
from pathlib import Path

import av
import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from heard.interviews.models import Consent, Interview, LiveEvent, Recording, RecordingStatus
from heard.interviews.recordings import services, uploads
from heard.interviews.recordings.probe import ProbeError, probe
from tests.support.media import KINDS, make_media, silent_wav, stored_recording
from tests.support.personas import Team

pytestmark = pytest.mark.usefixtures("private_media")


@pytest.fixture
def consented(interview: Interview) -> Interview:
    interview.recording_consent = Consent.YES
    interview.save()
    return interview


def urls(interview: Interview, team: Team) -> dict[str, str]:
    kwargs = {"ws": team.workspace.slug, "pk": interview.pk}
    return {
        "start": reverse("recordings:start", kwargs=kwargs),
        "upload": reverse("recordings:upload", kwargs=kwargs),
        "page": reverse("interviews:detail", kwargs=kwargs),
        "list": reverse("recordings:list", kwargs=kwargs),
    }


def start(client: Client, interview: Interview, team: Team, path: Path, name: str = "", **more):
    body = {"name": name or path.name, "size": path.stat().st_size, **more}
    return client.post(
        urls(interview, team)["start"], json.dumps(body), content_type="application/json"
    )


def send(client: Client, chunk_url: str, data: bytes, offset: int):
    return client.post(
        f"{chunk_url}?offset={offset}", data, content_type="application/octet-stream"
    )


def upload_whole(client: Client, interview: Interview, team: Team, path: Path, piece: int = 8192):
    """Start an upload and send the file in pieces; the last answer."""
    answer = start(client, interview, team, path)
    assert answer.status_code == 201, answer.content
    chunk_url, data = answer.json()["chunk_url"], path.read_bytes()
    for offset in range(0, len(data), piece):
        answer = send(client, chunk_url, data[offset : offset + piece], offset)
        if answer.status_code != 200:
            return answer
    return answer


def nothing_kept(tmp_path: Path) -> None:
    assert not Recording.objects.exists()
    assert not list((tmp_path / "uploads").glob("*")), "a part file was left"
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.*"))


# Probing: real files of every kind, by content.


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_heard_takes_probes_by_its_content(kind: str, tmp_path: Path):
    path = make_media(tmp_path / f"call.{kind}", kind, channels=2 if kind == "mkv" else 1)
    renamed = path.rename(tmp_path / "no-extension")  # the name says nothing
    found = probe(renamed)
    assert found.duration == pytest.approx(2.0, abs=0.05)
    assert found.channels == (2 if kind == "mkv" else 1)
    assert found.sample_rate == 48_000
    assert found.has_video == bool(KINDS[kind][2])
    assert found.audio_codec


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda p: p.write_text("Notes from the call, not a recording.") and p,
            "not audio or video",
        ),
        (lambda p: p.write_bytes(b"") is not None and p, "empty"),
        (lambda p: make_media(p, "mp4", audio=False, video=True), "no sound"),
        (lambda p: silent_wav(p), "0 seconds"),
    ],
    ids=["renamed-text", "empty", "video-only", "zero-seconds"],
)
def test_what_is_not_a_recording_is_refused_with_the_reason(tmp_path: Path, make, message):
    path = make(tmp_path / "call.mp3")
    with pytest.raises(ProbeError, match=message):
        probe(path)


@pytest.mark.parametrize("kind", ["flac", "mp4", "mkv", "m4a"])
def test_a_file_cut_short_is_refused(kind: str, tmp_path: Path):
    whole = make_media(tmp_path / f"whole.{kind}", kind, seconds=4)
    cut = tmp_path / f"cut.{kind}"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(ProbeError, match="cut short"):
        probe(cut)


# The upload, in pieces.


def test_an_upload_in_pieces_ends_as_a_playable_recording(
    owner_client: Client, team: Team, consented: Interview, tmp_path: Path
):
    path = make_media(tmp_path / "Call with Nickole.webm", "webm", seconds=3, video=False)
    answer = upload_whole(owner_client, consented, team, path, piece=4096)
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == RecordingStatus.READY  # the task ran (immediate in tests)
    recording = Recording.objects.get()
    assert recording.original_name == "Call with Nickole.webm"
    assert recording.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert recording.size == path.stat().st_size
    assert recording.duration == pytest.approx(3.0, abs=0.1)
    assert (recording.container, recording.content_type) == ("mkv", "audio/webm")
    assert recording.uploaded_by == team.owner
    assert recording.uploaded_at is not None
    # Stored under a name of Heard's, never the uploaded one.
    assert recording.original.name == f"recordings/{consented.pk}/{recording.key}.mkv"
    with default_storage.open(recording.original.name) as stored:
        assert stored.read() == path.read_bytes()
    # The playback copy: AAC in MP4, as long as the original.
    with default_storage.open(recording.playback.name) as copy, av.open(copy) as container:
        assert container.streams.audio[0].codec_context.name == "aac"
        assert container.duration / av.time_base == pytest.approx(3.0, abs=0.1)
    assert not list((tmp_path / "uploads").glob("*.part"))


def test_a_piece_sent_again_changes_nothing_and_a_gap_is_refused(
    owner_client: Client, team: Team, consented: Interview, tmp_path: Path
):
    path = make_media(tmp_path / "call.wav", "wav")
    data = path.read_bytes()
    chunk_url = start(owner_client, consented, team, path).json()["chunk_url"]
    assert send(owner_client, chunk_url, data[:50_000], 0).json()["offset"] == 50_000
    # The answer was lost: the same piece again, and one that overlaps it.
    assert send(owner_client, chunk_url, data[:50_000], 0).json()["offset"] == 50_000
    assert send(owner_client, chunk_url, data[40_000:60_000], 40_000).json()["offset"] == 60_000
    gap = send(owner_client, chunk_url, data[90_000:100_000], 90_000)
    assert gap.status_code == 409
    assert gap.json()["offset"] == 60_000
    # After a dropped connection the uploader asks how much arrived, and resumes there.
    assert owner_client.get(chunk_url).json()["offset"] == 60_000
    done = send(owner_client, chunk_url, data[60_000:], 60_000)
    assert done.json()["status"] == RecordingStatus.READY
    with default_storage.open(Recording.objects.get().original.name) as stored:
        assert stored.read() == data


def test_choosing_the_same_file_again_resumes_the_unfinished_upload(
    owner_client: Client, team: Team, consented: Interview, tmp_path: Path
):
    path = make_media(tmp_path / "call.flac", "flac")
    first = start(owner_client, consented, team, path).json()
    send(owner_client, first["chunk_url"], path.read_bytes()[:10_000], 0)
    again = start(owner_client, consented, team, path)
    assert again.status_code == 201
    assert again.json()["id"] == first["id"]
    assert again.json()["offset"] == 10_000
    assert Recording.objects.count() == 1


def test_more_bytes_than_announced_are_refused_and_nothing_kept(
    owner_client: Client, team: Team, consented: Interview, tmp_path: Path
):
    path = make_media(tmp_path / "call.mp3", "mp3")
    chunk_url = start(owner_client, consented, team, path).json()["chunk_url"]
    answer = send(owner_client, chunk_url, path.read_bytes() + b"more", 0)
    assert answer.status_code == 422
    assert "longer than the upload said" in answer.json()["error"]
    nothing_kept(tmp_path)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("Minutes of the call.\n" * 50) and p, "not audio or video"),
        (lambda p: make_media(p, "mp4", audio=False, video=True), "no sound"),
        (lambda p: silent_wav(p), "0 seconds"),
    ],
    ids=["renamed-text", "video-only", "zero-seconds"],
)
def test_an_upload_that_is_not_a_recording_leaves_nothing(
    owner_client: Client, team: Team, consented: Interview, tmp_path: Path, make, message
):
    path = make(tmp_path / "call.mp3")
    answer = upload_whole(owner_client, consented, team, path)
    assert answer.status_code == 422
    assert message in answer.json()["error"]
    nothing_kept(tmp_path)


def test_a_cut_short_upload_leaves_nothing(
    owner_client: Client, team: Team, consented: Interview, tmp_path: Path
):
    whole = make_media(tmp_path / "whole.mp4", "mp4", seconds=4)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size * 2 // 3])
    answer = upload_whole(owner_client, consented, team, cut)
    assert answer.status_code == 422
    nothing_kept(tmp_path)


def test_empty_and_too_large_files_are_refused_before_a_byte_is_sent(
    owner_client: Client, team: Team, consented: Interview, settings
):
    start_url = urls(consented, team)["start"]
    for size, message in ((0, "empty"), (settings.HEARD_RECORDING_MAX_BYTES + 1, "up to 4.0")):
        answer = owner_client.post(
            start_url, json.dumps({"name": "x.mp3", "size": size}), content_type="application/json"
        )
        assert answer.status_code == 400
        assert message in answer.json()["error"]
    assert not Recording.objects.exists()


def test_a_piece_over_the_routes_limit_is_refused_unread(
    owner_client: Client, team: Team, consented: Interview, tmp_path: Path, settings
):
    path = make_media(tmp_path / "call.mp3", "mp3")
    chunk_url = start(owner_client, consented, team, path).json()["chunk_url"]
    limit = settings.HEARD_BODY_LIMITS["recordings:chunk"]
    assert limit == settings.HEARD_RECORDING_CHUNK_BYTES + settings.FORM_ROOM
    answer = owner_client.post(
        f"{chunk_url}?offset=0",
        b"",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(limit + 1),
    )
    assert answer.status_code == 413
    assert uploads.received(Recording.objects.get().key) == 0


def test_path_tricks_in_the_name_are_only_shown_never_used(
    owner_client: Client, team: Team, consented: Interview, tmp_path: Path
):
    path = make_media(tmp_path / "call.mp3", "mp3")
    answer = start(owner_client, consented, team, path, name="../../etc/\u202ecall\x00.mp3")
    recording = Recording.objects.get(pk=answer.json()["id"])
    assert recording.original_name == "\u0020call\u0020.mp3".strip()
    data = path.read_bytes()
    send(owner_client, answer.json()["chunk_url"], data, 0)
    recording.refresh_from_db()
    assert recording.original.name == f"recordings/{consented.pk}/{recording.key}.mp3"


def test_an_upload_left_for_a_day_is_deleted_when_the_next_starts(
    owner_client: Client, team: Team, consented: Interview, tmp_path: Path
):
    path = make_media(tmp_path / "call.wav", "wav")
    old = start(owner_client, consented, team, path, name="old.wav").json()
    send(owner_client, old["chunk_url"], path.read_bytes()[:1000], 0)
    day_ago = timezone.now() - timedelta(days=1, minutes=1)
    Recording.objects.filter(pk=old["id"]).update(created_at=day_ago)
    part = uploads.part_path(Recording.objects.get(pk=old["id"]).key)
    os.utime(part, (time.time() - 90_000, time.time() - 90_000))
    stray = uploads.part_path("0" * 32)
    stray.write_bytes(b"x")
    os.utime(stray, (time.time() - 90_000, time.time() - 90_000))

    start(owner_client, consented, team, path, name="new.wav")

    assert list(Recording.objects.values_list("original_name", flat=True)) == ["new.wav"]
    assert not part.exists()
    assert not stray.exists()


def test_the_plain_form_uploads_a_whole_file_without_javascript(
    owner_client: Client, team: Team, consented: Interview, tmp_path: Path
):
    path = make_media(tmp_path / "call.m4a", "m4a")
    with path.open("rb") as handle:
        answer = owner_client.post(urls(consented, team)["upload"], {"file": handle})
    assert answer.status_code == 302
    recording = Recording.objects.get()
    assert recording.status == RecordingStatus.READY
    page = owner_client.get(answer.url).content.decode()
    assert "Recording added." in page
    assert "call.m4a" in page


# Consent.


def test_no_recording_where_the_participant_declined(
    owner_client: Client, team: Team, interview: Interview, tmp_path: Path
):
    interview.recording_consent = Consent.NO
    interview.save()
    path = make_media(tmp_path / "call.mp3", "mp3")
    answer = start(owner_client, interview, team, path, consent=True)
    assert answer.status_code == 400
    assert "declined to be recorded" in answer.json()["error"]
    with path.open("rb") as handle:
        owner_client.post(urls(interview, team)["upload"], {"file": handle, "consent": "on"})
    page = owner_client.get(urls(interview, team)["page"]).content.decode()
    assert "declined to be recorded: this interview takes no recording" in page
    assert "data-recording-upload" not in page
    assert not Recording.objects.exists()


def test_without_an_answer_the_uploader_confirms_consent_and_it_is_logged(
    owner_client: Client, team: Team, interview: Interview, tmp_path: Path
):
    path = make_media(tmp_path / "call.mp3", "mp3")
    page = owner_client.get(urls(interview, team)["page"]).content.decode()
    assert "The participant agreed to be recorded" in page
    refused = start(owner_client, interview, team, path)
    assert refused.status_code == 400
    assert "Confirm that the participant agreed" in refused.json()["error"]
    assert not Recording.objects.exists()

    answer = start(owner_client, interview, team, path, consent=True)
    assert answer.status_code == 201
    recording = Recording.objects.get()
    assert recording.consent_confirmed_by == team.owner
    assert recording.consent_confirmed_at is not None
    interview.refresh_from_db()
    assert interview.recording_consent == Consent.YES
    assert interview.consent_asked_by == team.owner
    event = LiveEvent.objects.get(interview=interview)
    assert event.payload["consent"] == Consent.YES
    assert event.actor == team.owner


# Serving, access.


@pytest.fixture
def ready(consented: Interview, team: Team, tmp_path: Path) -> Recording:
    return stored_recording(consented, team.owner, tmp_path)


def file_url(name: str, recording: Recording, team: Team) -> str:
    kwargs = {"ws": team.workspace.slug, "pk": recording.interview_id, "recording_pk": recording.pk}
    return reverse(f"recordings:{name}", kwargs=kwargs)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_player_gets_byte_ranges(observer_client: Client, team: Team, ready: Recording):
    url = file_url("play", ready, team)
    with default_storage.open(ready.playback.name) as stored:
        data = stored.read()
    whole = observer_client.get(url)
    assert whole.status_code == 200
    assert whole["Accept-Ranges"] == "bytes"
    assert whole["Content-Type"] == "audio/mp4"
    assert body(whole) == data
    part = observer_client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert body(part) == data[100:200]
    assert body(observer_client.get(url, HTTP_RANGE="bytes=-10")) == data[-10:]
    assert body(observer_client.get(url, HTTP_RANGE="bytes=500-")) == data[500:]
    past = observer_client.get(url, HTTP_RANGE=f"bytes={len(data)}-")
    assert past.status_code == 416
    assert past["Content-Range"] == f"bytes */{len(data)}"


def test_the_original_downloads_under_a_clean_name(
    observer_client: Client, team: Team, ready: Recording
):
    answer = observer_client.get(file_url("original", ready, team))
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == 'attachment; filename="call.mp3"'
    assert answer["Content-Type"] == "audio/mpeg"


def test_observers_play_but_neither_upload_nor_delete(
    observer_client: Client, team: Team, ready: Recording, tmp_path: Path
):
    page = observer_client.get(urls(ready.interview, team)["page"]).content.decode()
    assert 'class="recording-player"' in page
    assert "data-recording-upload" not in page
    assert "Delete" not in page
    path = make_media(tmp_path / "more.mp3", "mp3")
    assert start(observer_client, ready.interview, team, path).status_code == 403
    assert observer_client.post(file_url("delete", ready, team)).status_code == 403
    assert Recording.objects.count() == 1


def test_no_stored_file_has_a_public_address(owner_client: Client, ready: Recording):
    for name in (ready.original.name, ready.playback.name):
        assert owner_client.get(f"/media/{name}").status_code == 404
        assert owner_client.get(f"/{name}").status_code == 404


def test_deleting_says_what_goes_and_removes_the_files(
    owner_client: Client, team: Team, ready: Recording, django_capture_on_commit_callbacks
):
    url = file_url("delete", ready, team)
    page = owner_client.get(url).content.decode()
    assert "the original file" in page
    assert "its copy that plays in the browser" in page
    names = (ready.original.name, ready.playback.name)
    with django_capture_on_commit_callbacks(execute=True):
        answer = owner_client.post(url)
    assert answer.status_code == 302
    assert not Recording.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_the_card_polls_while_a_copy_is_made(owner_client: Client, team: Team, ready: Recording):
    Recording.objects.filter(pk=ready.pk).update(status=RecordingStatus.PROCESSING)
    listing = owner_client.get(urls(ready.interview, team)["list"]).content.decode()
    assert 'hx-trigger="every 3s"' in listing
    assert "Making a copy" in listing
    Recording.objects.filter(pk=ready.pk).update(status=RecordingStatus.READY)
    listing = owner_client.get(urls(ready.interview, team)["list"]).content.decode()
    assert "hx-trigger" not in listing
    assert "recording-player" in listing


def test_a_file_that_cannot_be_decoded_fails_and_its_original_goes(
    team: Team, consented: Interview, tmp_path: Path
):
    recording = stored_recording(consented, team.owner, tmp_path)
    with default_storage.open(recording.original.name, "wb") as broken:
        broken.write(b"\x00" * 4096)
    Recording.objects.filter(pk=recording.pk).update(status=RecordingStatus.PROCESSING, playback="")
    assert services.make_playback(recording.pk) == RecordingStatus.FAILED
    recording.refresh_from_db()
    assert "could not be read" in recording.failure_reason
    assert not recording.original


@pytest.mark.django_db(transaction=True)
def test_a_copy_stranded_by_a_killed_worker_is_made_by_the_next(
    interview: Interview, team: Team, tmp_path: Path, settings
):
    """A worker killed while it held the playback task leaves the recording "processing" and
    the task taken for ever; the next worker to start makes the copy."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from heard.interviews.recordings.tasks import make_playback

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    recording = stored_recording(interview, team.owner, tmp_path)
    default_storage.delete(recording.playback.name)
    Recording.objects.filter(pk=recording.pk).update(status=RecordingStatus.PROCESSING, playback="")
    task = make_playback.enqueue(recording.pk)
    DBTaskResult.objects.filter(id=task.id).update(status="RUNNING")

    call_command("worker", "--batch", verbosity=0)
    recording.refresh_from_db()
    assert recording.status == RecordingStatus.READY
    assert recording.playback.name
    assert default_storage.exists(recording.playback.name)

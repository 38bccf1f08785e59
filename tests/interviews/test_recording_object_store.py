"""Recordings in an S3-compatible object store, against a real S3 HTTP endpoint that the test
starts (moto's stand-alone server on a free port): upload, probe, the playback copy, a range
read, a redirect to a signed address, deleting, and `heard backup` beside it."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from heard.conf import read_settings
from heard.interviews.models import Consent, Interview, Recording, RecordingStatus
from tests.support.fixtures.object_store import keys
from tests.support.media import make_media
from tests.support.personas import Team


# `heard backup` on PostgreSQL reads in a transaction of its own: the data must be committed.
@pytest.mark.django_db(transaction=True)
def test_a_recording_lives_in_the_object_store_from_upload_to_deletion(
    object_store, owner_client: Client, team: Team, interview: Interview, tmp_path: Path,
    settings, django_capture_on_commit_callbacks,
):  # fmt: skip
    interview.recording_consent = Consent.YES
    interview.save()
    path = make_media(tmp_path / "call.mov", "mov", seconds=3, channels=2)
    data = path.read_bytes()
    kwargs = {"ws": team.workspace.slug, "pk": interview.pk}
    started = owner_client.post(
        reverse("recordings:start", kwargs=kwargs),
        json.dumps({"name": "call.mov", "size": len(data)}),
        content_type="application/json",
    ).json()
    for offset in range(0, len(data), 6000):
        owner_client.post(
            f"{started['chunk_url']}?offset={offset}",
            data[offset : offset + 6000],
            content_type="application/octet-stream",
        )

    recording = Recording.objects.get()
    assert recording.status == RecordingStatus.READY, recording.failure_reason
    assert (recording.has_video, recording.channels) == (True, 2)
    assert keys(object_store) == {
        f"team-a/recordings/{interview.pk}/{recording.key}.mp4",
        f"team-a/recordings/{interview.pk}/{recording.key}-play.m4a",
    }
    assert not (tmp_path / "media").exists()
    assert not [p for p in (tmp_path / "uploads").iterdir() if p.is_file()]

    # A range read, streamed through Heard after its access check.
    file_kwargs = {**kwargs, "recording_pk": recording.pk}
    original = reverse("recordings:original", kwargs=file_kwargs)
    part = owner_client.get(original, HTTP_RANGE="bytes=10-99")
    assert part.status_code == 206
    assert b"".join(part.streaming_content) == data[10:100]
    assert part["Content-Range"] == f"bytes 10-99/{len(data)}"
    play = owner_client.get(reverse("recordings:play", kwargs=file_kwargs))
    with default_storage.open(recording.playback.name) as copy:
        assert b"".join(play.streaming_content) == copy.read()

    # Or a redirect to a signed address that the store itself serves.
    settings.HEARD_STORAGE_REDIRECT_SECONDS = 60
    moved = owner_client.get(original)
    assert moved.status_code == 302
    with urllib.request.urlopen(moved.url) as fetched:
        assert fetched.read() == data
        assert "attachment" in fetched.headers["Content-Disposition"]

    # `heard backup` works beside the store, and says where the recordings are kept.
    out = tmp_path / "backup.tar.gz"
    call_command("backup", output=out, stdout=(said := _Said()))
    assert out.exists()
    assert "not in the archive" in said.text

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("recordings:delete", kwargs=file_kwargs))
    assert not Recording.objects.exists()
    assert keys(object_store) == set()


class _Said:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("s3://", "expected s3://bucket"),
        ("gs://bucket", "expected s3://bucket"),
        ("s3://key:secret@bucket", "keys do not belong in the URL"),
        ("s3://bucket?endpoint=minio:9000", "http:// or https://"),
        ("s3://bucket?colour=blue", "unknown option"),
    ],
)
def test_a_bad_storage_url_names_the_problem(value: str, message: str):
    from heard.conf import SettingError

    with pytest.raises(SettingError, match=message):
        read_settings({"HEARD_STORAGE_URL": value})


def test_the_keys_go_together():
    from heard.conf import SettingError

    with pytest.raises(SettingError, match="go together"):
        read_settings({"HEARD_S3_ACCESS_KEY_ID": "only-this"})

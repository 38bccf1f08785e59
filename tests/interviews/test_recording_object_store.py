"""Recordings in an S3-compatible object store, against a real S3 HTTP endpoint that the test
starts (moto's stand-alone server on a free port): upload, probe, the playback copy, a range
read, a redirect to a signed address, deleting, and `heard backup` beside it."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from moto.server import ThreadedMotoServer

from heard.conf import read_settings
from heard.core import storage
from heard.core.storage import object_store_options
from heard.interviews.models import Consent, Interview, Recording, RecordingStatus
from tests.support.media import make_media
from tests.support.personas import Team
from tests.support.server import free_port

BUCKET = "heard-recordings"
KEYS = {"HEARD_S3_ACCESS_KEY_ID": "test-key", "HEARD_S3_SECRET_ACCESS_KEY": "test-secret"}


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    boto3.client(
        "s3",
        endpoint_url=url,
        region_name="eu-west-1",
        aws_access_key_id=KEYS["HEARD_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["HEARD_S3_SECRET_ACCESS_KEY"],
    ).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    yield url
    server.stop()


@pytest.fixture
def object_store(endpoint: str, settings, tmp_path: Path):
    """Stored files in the bucket, configured as an operator would: HEARD_STORAGE_URL."""
    values = read_settings(
        {
            "HEARD_STORAGE_URL": f"s3://{BUCKET}/team-a?endpoint={endpoint}&region=eu-west-1&addressing=path",
            **KEYS,
        }
    )
    store = values["HEARD_STORAGE_URL"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": object_store_options(
                store, access_key=KEYS["HEARD_S3_ACCESS_KEY_ID"],
                secret_key=KEYS["HEARD_S3_SECRET_ACCESS_KEY"], redirect_seconds=0,
            ),
        },
    }  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HEARD_UPLOAD_DIR = tmp_path / "uploads"
    settings.HEARD_OBJECT_STORE = store
    settings.HEARD_STORAGE_REDIRECT_SECONDS = 0
    assert not storage.on_disk()
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-1",
        aws_access_key_id=KEYS["HEARD_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["HEARD_S3_SECRET_ACCESS_KEY"],
    )


def keys(client) -> set[str]:
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {item["Key"] for item in listed}


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

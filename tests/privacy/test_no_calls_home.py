"""No calls home: with the default settings Heard reaches no other machine.

The main flows run inside `outside_refused()` (tests/support/network.py), which refuses and
records every attempt of this process to reach another machine while the loopback (the test
database, a local mail server) stays open: the demo built as `heard demo` builds it, signing
in, every page a member reaches by following the demo workspace's links, a live call through
its JSON API, a summary, the matrix's exports, search, a recording transcribed with the tests'
speech model, and follow-up emails. Nothing may have been tried. The guard's own tests show
that it catches what it should, so that the main test cannot pass by seeing nothing.

The speech model: HEARD_WHISPER_MODEL names a model of the catalogue by default (small),
which a transcription does not download (only `heard models fetch` does: the transcription
fails and says so), and a model folder without its tokenizer is refused, since faster-whisper
would download one by itself, from Rust, where no Python guard sees it.
"""

from __future__ import annotations

import errno
import io
import re
import socket
import sys
import types
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from heard.accounts.models import Role, User
from heard.followups.models import FollowUp
from heard.interviews.models import (
    Interview,
    InterviewStatus,
    Recording,
    Transcript,
    TranscriptStatus,
)
from heard.interviews.transcripts.engine import ModelError, catalogue, diarize, transcribe
from tests.support.crawl import crawl
from tests.support.fixtures.speech import Clips
from tests.support.live import note_data, post_json
from tests.support.network import Attempt, OutsideRefused, outside_refused
from tests.support.urls import live_url, matrix_url, summary_url, url

# Following every link of the demo's pages reaches some 300 addresses; the bound only keeps
# a runaway (links that make new links) from running on.
CRAWL_LIMIT = 600
# The live call's event stream never ends.
NOT_OPENED = re.compile(r"/live/stream/$")
PROXIES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")


# The guard.


def test_the_guard_refuses_and_records_every_way_out() -> None:
    with outside_refused() as guard:
        with pytest.raises(OutsideRefused):
            socket.create_connection(("example.org", 443), timeout=1)
        with socket.socket() as sock, pytest.raises(OutsideRefused):
            sock.connect(("192.0.2.1", 80))
        with socket.socket(socket.AF_INET6) as sock:
            assert sock.connect_ex(("2001:db8::1", 80, 0, 0)) == errno.ECONNREFUSED
        with socket.socket(type=socket.SOCK_DGRAM) as sock, pytest.raises(OutsideRefused):
            sock.sendto(b"query", ("198.51.100.53", 53))
        with pytest.raises(socket.gaierror):
            socket.getaddrinfo("huggingface.co", 443)
        with pytest.raises(socket.gaierror):
            socket.gethostbyname("fonts.googleapis.com")
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen("http://update.example.net/latest", timeout=1)
    assert [str(attempt) for attempt in guard.attempts] == [
        "create_connection(example.org:443)",
        "connect(192.0.2.1:80)",
        "connect_ex(2001:db8::1:80)",
        "sendto(198.51.100.53:53)",
        "getaddrinfo(huggingface.co:443)",
        "gethostbyname(fonts.googleapis.com)",
        "create_connection(update.example.net:80)",
    ]
    assert "connect" not in socket.socket.__dict__  # put back as it was


def test_the_loopback_stays_open() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with outside_refused() as guard:
            for host in ("localhost", "127.0.0.1"):
                with socket.create_connection((host, port), timeout=5):
                    server.accept()[0].close()
            assert socket.getaddrinfo("localhost", port)
            with socket.socket(socket.AF_UNIX) as local:
                assert local.connect_ex("/nonexistent/heard.sock") != errno.ECONNREFUSED
    assert guard.attempts == []


def test_a_model_download_asked_for_is_seen_by_the_guard(
    settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`heard models fetch` does go out: the guard sees the library that downloads."""
    from huggingface_hub import constants

    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    for name in PROXIES:  # a proxy on the loopback would carry the download past the guard
        monkeypatch.delenv(name, raising=False)
    with outside_refused() as guard, pytest.raises(ModelError, match="Could not fetch"):
        catalogue.fetch("tiny")
    assert guard.attempts
    assert guard.attempts[0].target.split(":")[0] == urlsplit(constants.ENDPOINT).hostname


# What Heard itself does, on its own.


def test_a_transcription_never_downloads_its_model(settings, tmp_path: Path, clips: Clips):
    settings.DATA_DIR = tmp_path  # no model fetched here
    with (
        outside_refused() as guard,
        pytest.raises(ModelError, match="run `heard models fetch small`"),
    ):
        transcribe(clips.phrase, model="small")
    assert guard.attempts == []


def test_a_model_folder_without_its_tokenizer_is_refused(tiny_model: str, tmp_path: Path):
    """faster-whisper would fetch the tokenizer from Hugging Face on every load."""
    folder = tmp_path / "tiny.en"
    folder.mkdir()
    for name in ("model.bin", "config.json", "vocabulary.txt"):
        (folder / name).symlink_to(Path(tiny_model) / name)
    with pytest.raises(ModelError, match=r"it needs model\.bin, config\.json and tokenizer\.json"):
        catalogue.resolve(str(folder))


def test_pyannote_is_told_to_report_nothing_before_it_loads_a_pipeline(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """pyannote.audio is not installed with Heard: modules of its shape record what Heard
    asks of them, in order."""
    asked: list[str] = []

    class Pipeline:
        @staticmethod
        def from_pretrained(location: Path) -> object:
            asked.append("load")
            return object()

    def set_telemetry_metrics(enabled: bool) -> None:
        asked.append(f"metrics {enabled}")

    audio = types.ModuleType("pyannote.audio")
    audio.Pipeline = Pipeline  # type: ignore[attr-defined]
    metrics = types.ModuleType("pyannote.audio.telemetry.metrics")
    metrics.set_telemetry_metrics = set_telemetry_metrics  # type: ignore[attr-defined]
    for name, module in {
        "pyannote": types.ModuleType("pyannote"),
        "pyannote.audio": audio,
        "pyannote.audio.telemetry": types.ModuleType("pyannote.audio.telemetry"),
        "pyannote.audio.telemetry.metrics": metrics,
    }.items():
        monkeypatch.setitem(sys.modules, name, module)
    diarize.PyannoteDiarizer(str(tmp_path))
    assert asked == ["metrics False", "load"]


# The main flows.


def signed_in_as_the_demo_prints() -> tuple[Client, User]:
    """`heard demo` without serving: the demo workspace and its one-time sign-in link,
    opened and confirmed as a browser would."""
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    link = re.search(r"https?://\S+/accounts/sign-in/\S+/", out.getvalue())
    assert link, out.getvalue()
    client = Client()
    path = urlsplit(link.group(0)).path
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    user = User.objects.get(pk=client.session["_auth_user_id"])
    return client, user


def sign_in_with_a_password(user: User) -> Client:
    user.set_password("a long pass phrase")
    user.save()
    client = Client()
    answer = client.post(
        reverse("accounts:login"), {"email": user.email, "password": "a long pass phrase"}
    )
    assert answer.status_code == 302, answer.content
    return client


def run_a_live_call(client: Client, interview: Interview) -> None:
    """The call as its screen runs it, through the live JSON API."""
    assert client.get(live_url("live", interview)).status_code == 200
    for name, body in [
        ("live_consent", {"answer": "yes"}),
        ("live_start", {}),
        ("live_note_save", note_data(text="We rebuild the report by hand every Monday.")),
        ("live_note_save", note_data(kind="pain", text="It takes the whole morning.")),
        ("live_end", {}),
    ]:
        answer = post_json(client, live_url(name, interview), body)
        assert answer.status_code == 200, (name, answer.content)
    assert client.get(live_url("live_state", interview)).status_code == 200
    assert interview.notes.count() == 2


def transcribe_a_recording(client: Client, interview: Interview, clips: Clips) -> Transcript:
    """A recording uploaded with the plain form, its playback copy made, then transcribed
    with the model the settings name (the tests' tiny.en)."""
    ws = interview.study.workspace
    Interview.objects.filter(pk=interview.pk).update(transcript_language="en")
    with clips.phrase.open("rb") as handle:
        answer = client.post(url("recordings:upload", ws, pk=interview.pk), {"file": handle})
    assert answer.status_code == 302
    recording = Recording.objects.get(interview=interview)
    started = client.post(
        url("transcripts:start", ws, pk=interview.pk), {"recording": recording.pk}
    )
    assert started.status_code == 302
    transcript = Transcript.objects.get(recording=recording)
    assert transcript.status == TranscriptStatus.READY, transcript.failure_reason
    page = client.get(url("transcripts:detail", ws, pk=interview.pk, transcript_pk=transcript.pk))
    assert "invoices" in page.content.decode().lower()
    return transcript


def download(client: Client, address: str) -> bytes:
    answer = client.get(address)
    assert answer.status_code == 200, address
    return b"".join(answer.streaming_content) if answer.streaming else answer.content


@pytest.mark.django_db(transaction=True)  # the live API works in a thread of its own
@pytest.mark.usefixtures("private_media")
def test_the_main_flows_reach_no_other_machine(settings, clips: Clips) -> None:
    # The defaults: no mail server, no object store.
    assert settings.HEARD_EMAIL_SERVER is None
    assert settings.HEARD_OBJECT_STORE is None
    with outside_refused() as guard:
        client, dana = signed_in_as_the_demo_prints()
        ws = dana.memberships.get().workspace
        home = reverse("site:workspace", args=[ws.slug])
        assert client.get("/").status_code == 302

        reached = crawl(client, home, within=home, limit=CRAWL_LIMIT, skip=NOT_OPENED)
        assert len(reached) > 50, sorted(reached)
        assert len(reached) < CRAWL_LIMIT, "the crawl stopped at its bound"
        failed = {address: got.status for address, got in reached.items() if got.status >= 400}
        assert failed == {}

        sam = sign_in_with_a_password(ws.memberships.get(role=Role.RESEARCHER).user)
        upcoming = ws.studies.get().interviews.filter(status=InterviewStatus.SCHEDULED)
        interview = upcoming.order_by("starts_at").first()
        assert interview is not None
        run_a_live_call(sam, interview)
        assert client.post(summary_url("start", interview)).status_code == 302
        summary = download(client, summary_url("markdown", interview)).decode()
        assert interview.participant.name in summary
        transcribe_a_recording(client, interview, clips)

        study = interview.study
        assert download(client, matrix_url(study, "xlsx")).startswith(b"PK")
        matrix_csv = download(client, matrix_url(study, "csv")).decode("utf-8-sig")
        assert interview.participant.name in matrix_csv
        found = client.get(url("search:page", ws), {"q": "rebuild"})
        assert found.status_code == 200
        assert "by hand every Monday" in found.content.decode()

        drafted = client.get(url("followups:create", ws, interview_pk=interview.pk))
        assert drafted.status_code == 200
        sent = FollowUp.objects.get(interview__study=study)
        eml = download(client, url("followups:eml", ws, interview_pk=sent.interview_id, pk=sent.pk))
        assert b"Subject:" in eml
        assert download(client, url("interviews:ics", ws, pk=interview.pk)).startswith(b"BEGIN")
        invited = client.post(
            url("accounts:invitation_create", ws),
            {"email": "kim@example.org", "role": Role.OBSERVER},
        )
        assert invited.status_code == 302

        assert guard.attempts == []
        # The guard held to the end: the same test, asked to go out, is refused.
        with pytest.raises(OutsideRefused):
            socket.create_connection(("example.org", 443), timeout=1)
    assert guard.attempts == [Attempt("create_connection", "example.org:443")]

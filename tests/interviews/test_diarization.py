"""Telling the speakers of a one-channel recording apart: an optional extra. Without it, or
when it cannot run, the transcript stands without speakers and says why; with it, each line
takes the voice it overlaps most, numbered as the voices first speak.

pyannote.audio and its pipeline are not installed with Heard, so the tests give the job a
diarizer of the same shape whose turns they choose: what is tested is Heard's own part, the
lines' speakers, and the job never failing for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from heard.interviews.models import Interview, Transcript, TranscriptStatus
from heard.interviews.transcripts import engine
from heard.interviews.transcripts.engine import diarize
from heard.interviews.transcripts.engine.diarize import Diarizer, Turn, labels_for
from tests.interviews.test_transcription import speech_recording
from tests.support.fixtures.speech import Clips
from tests.support.personas import Team

pytestmark = pytest.mark.usefixtures("private_media")


def test_each_span_takes_the_voice_it_overlaps_most() -> None:
    turns = [
        Turn(0.0, 3.0, "SPEAKER_01"),
        Turn(3.0, 7.5, "SPEAKER_00"),
        Turn(8.0, 9.0, "SPEAKER_01"),
    ]
    spans = [(0.2, 2.8), (2.5, 7.0), (7.9, 9.5), (20.0, 21.0), (None, None), (8.5, None)]
    assert labels_for(spans, turns) == [
        "Speaker 1",  # the first voice to speak is Speaker 1, whatever its name
        "Speaker 2",  # overlaps both, most of it the second voice
        "Speaker 1",
        "",  # nobody speaks then
        "",  # no time
        "Speaker 1",  # a point in time inside a turn
    ]


def transcribe(client: Client, interview: Interview, team: Team, clips: Clips) -> Transcript:
    interview.transcript_language = "en"
    interview.save()
    recording = speech_recording(interview, team, clips.phrase)
    client.post(
        reverse("transcripts:start", kwargs={"ws": team.workspace.slug, "pk": interview.pk}),
        {"recording": recording.pk},
    )
    transcript = Transcript.objects.get(interview=interview)
    assert transcript.status == TranscriptStatus.READY, transcript.failure_reason
    return transcript


@pytest.mark.django_db
def test_a_configured_diarizer_that_cannot_run_leaves_a_warning(
    owner_client: Client, interview: Interview, team: Team, clips: Clips, settings, tmp_path: Path
) -> None:
    settings.HEARD_DIARIZATION_MODEL = str(tmp_path / "no-such-pipeline")
    transcript = transcribe(owner_client, interview, team, clips)
    assert "invoices" in " ".join(transcript.segments.values_list("text", flat=True)).lower()
    assert not transcript.segments.filter(speaker__isnull=False).exists()
    assert any(w.startswith("The speakers were not told apart:") for w in transcript.warnings)


class Halves(Diarizer):
    """Two voices: one until `cut` seconds, the other after."""

    name = "halves"

    def __init__(self, cut: float) -> None:
        self.cut = cut

    def turns(self, path: Path) -> list[Turn]:
        assert path.is_file()  # the recording itself, on this machine
        return [Turn(0.0, self.cut, "A"), Turn(self.cut, 600.0, "B")]


@pytest.mark.django_db
def test_a_diarizer_names_the_speakers_of_a_mono_mix(
    owner_client: Client,
    interview: Interview,
    team: Team,
    clips: Clips,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Split between the first line and the rest, wherever the model put its lines.
    first = engine.transcribe(clips.phrase, language="en").segments
    cut = (first[0].end or 0.0) + 0.01 if len(first) > 1 else 600.0
    monkeypatch.setattr(diarize, "configured", lambda: Halves(cut))
    transcript = transcribe(owner_client, interview, team, clips)
    labels = list(transcript.segments.order_by("index").values_list("speaker__label", flat=True))
    assert labels[0] == "Speaker 1"
    assert set(labels[1:]) <= {"Speaker 2"}
    assert not [w for w in transcript.warnings if "speakers were not told apart" in w]

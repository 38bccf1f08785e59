"""Transcribing an interview's recording in the background, with the real tiny.en model and the
real task: segments kept as they come, progress to the end, cancel and retry, a worker that
died taken over so the interview ends with one transcript, the interview page's progress."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from heard.interviews.models import (
    Consent,
    Interview,
    Recording,
    RecordingStatus,
    Segment,
    Transcript,
    TranscriptSpeaker,
    TranscriptStatus,
)
from heard.interviews.recordings.probe import probe
from heard.interviews.transcripts import jobs, running
from heard.interviews.transcripts.tasks import transcribe_recording
from tests.support.fixtures.speech import ASK_NOT, Clips
from tests.support.personas import Team

pytestmark = pytest.mark.usefixtures("private_media")


def speech_recording(interview: Interview, team: Team, path: Path) -> Recording:
    """A ready recording of `path` (speech made by the tests), as an upload leaves it."""
    interview.recording_consent = Consent.YES
    interview.save()
    found = probe(path)
    recording = Recording(
        interview=interview,
        original_name=path.name,
        size=path.stat().st_size,
        duration=found.duration,
        container=found.container,
        audio_codec=found.audio_codec,
        channels=found.channels,
        status=RecordingStatus.READY,
        uploaded_by=team.owner,
    )
    recording.original.name = default_storage.save(
        f"recordings/{interview.pk}/{recording.key}.wav", ContentFile(path.read_bytes())
    )
    recording.save()
    return recording


def said(transcript: Transcript) -> str:
    return " ".join(transcript.segments.order_by("index").values_list("text", flat=True))


def test_a_recording_is_transcribed_through_the_task_with_progress_to_the_end(
    owner_client: Client, interview: Interview, team: Team, clips: Clips
):
    interview.transcript_language = "en"
    interview.save()
    recording = speech_recording(interview, team, clips.phrase)
    response = owner_client.post(
        reverse("transcripts:start", kwargs={"ws": team.workspace.slug, "pk": interview.pk}),
        {"recording": recording.pk},
    )
    assert response.status_code == 302
    transcript = Transcript.objects.get(interview=interview)
    assert transcript.status == TranscriptStatus.READY, transcript.failure_reason
    assert "country" in said(transcript).lower()
    assert "invoices" in said(transcript).lower()
    assert transcript.language == "en"
    assert transcript.total_seconds == pytest.approx(recording.duration, abs=0.1)
    assert transcript.done_seconds == transcript.total_seconds
    assert transcript.progress_percent == 100
    assert transcript.attempts == 1
    assert transcript.run_token == ""
    first = transcript.segments.order_by("index").first()
    assert first is not None
    assert first.start_ms is not None
    assert first.words
    assert first.words[0][0] >= first.start_ms
    # The task run again finds it done and changes nothing.
    before = list(transcript.segments.values_list("pk", "text"))
    assert running.run(transcript.pk) == TranscriptStatus.READY
    assert list(transcript.segments.values_list("pk", "text")) == before
    # The page shows what was said.
    page = owner_client.get(
        reverse(
            "transcripts:detail",
            kwargs={"ws": team.workspace.slug, "pk": interview.pk, "transcript_pk": transcript.pk},
        )
    )
    assert "invoices" in page.content.decode().lower()


def test_the_language_comes_from_the_interview_else_the_workspace(interview, team):
    assert jobs.language_for(interview) == ""
    team.workspace.transcript_language = "de"
    team.workspace.save()
    interview.refresh_from_db()
    assert jobs.language_for(interview) == "de"
    interview.transcript_language = "en"
    assert jobs.language_for(interview) == "en"


def test_cancel_stops_at_the_next_segment_and_keeps_what_was_done(
    interview: Interview, team: Team, clips: Clips, monkeypatch: pytest.MonkeyPatch
):
    """Someone presses Cancel while the worker runs: the flag is read between segments."""
    interview.transcript_language = "en"
    interview.save()
    recording = speech_recording(interview, team, clips.long)
    monkeypatch.setattr(running, "CANCEL_EVERY", 0.0)
    saved = running._Run.segment

    def segment_then_cancel(self, segment):
        saved(self, segment)
        transcript = Transcript.objects.get(pk=self.transcript.pk)
        assert transcript.status == TranscriptStatus.RUNNING
        assert jobs.cancel(transcript)  # as the Cancel button does, while it runs

    monkeypatch.setattr(running._Run, "segment", segment_then_cancel)
    transcript = jobs.start(interview, recording, team.owner)
    assert transcript.status == TranscriptStatus.CANCELLED
    assert transcript.segments.count() == 1
    assert ASK_NOT.split()[0].lower() in said(transcript).lower()
    assert not transcript.cancel_requested
    assert transcript.can_retry
    # Retry: from the start, to the end.
    monkeypatch.setattr(running._Run, "segment", saved)
    assert jobs.retry(transcript)
    transcript.refresh_from_db()
    assert transcript.status == TranscriptStatus.READY
    assert said(transcript).lower().count("country") == 3
    assert list(transcript.segments.values_list("index", flat=True)) == list(
        range(transcript.segments.count())
    )


def test_a_queued_transcription_is_cancelled_at_once(interview: Interview, team: Team, clips):
    recording = speech_recording(interview, team, clips.phrase)
    transcript = Transcript.objects.create(
        interview=interview, recording=recording, source="transcribed", created_by=team.owner
    )
    assert jobs.cancel(transcript)
    transcript.refresh_from_db()
    assert transcript.status == TranscriptStatus.CANCELLED
    # Its task, when a worker gets to it, finds nothing to do.
    assert running.run(transcript.pk) == TranscriptStatus.CANCELLED


def dead_run(interview: Interview, recording: Recording, team: Team, *, minutes: int) -> Transcript:
    """A transcription whose worker was killed midway `minutes` ago: running, two segments."""
    transcript = Transcript.objects.create(
        interview=interview,
        recording=recording,
        source="transcribed",
        language="en",
        status=TranscriptStatus.RUNNING,
        run_token="dead",
        heartbeat_at=timezone.now() - timedelta(minutes=minutes),
        attempts=1,
        done_seconds=3.0,
        total_seconds=recording.duration,
        created_by=team.owner,
    )
    for index in range(2):
        Segment.objects.create(
            transcript=transcript, index=index, text="half", original_text="half"
        )
    return transcript


def test_a_killed_run_is_picked_up_and_ends_with_one_transcript(
    owner_client: Client, interview: Interview, team: Team, clips: Clips
):
    recording = speech_recording(interview, team, clips.phrase)
    transcript = dead_run(interview, recording, team, minutes=10)
    # Anyone looking at the interview page notices the dead claim and queues it again; the
    # task (run at once in the tests) takes it over from the start.
    page = owner_client.get(
        reverse("interviews:detail", kwargs={"ws": team.workspace.slug, "pk": interview.pk})
    )
    assert page.status_code == 200
    assert Transcript.objects.filter(interview=interview).count() == 1
    transcript.refresh_from_db()
    assert transcript.status == TranscriptStatus.READY, transcript.failure_reason
    assert transcript.attempts == 2
    assert "half" not in said(transcript)
    assert "invoices" in said(transcript).lower()
    assert list(transcript.segments.values_list("index", flat=True)) == list(
        range(transcript.segments.count())
    )
    # The dead worker, back to life, writes nothing more.
    zombie = running._Run(transcript, "dead")
    with pytest.raises(running._Overtaken):
        zombie.clear()
    assert "invoices" in said(transcript).lower()


def test_a_live_claim_is_not_taken_over(interview: Interview, team: Team, clips: Clips):
    recording = speech_recording(interview, team, clips.phrase)
    transcript = dead_run(interview, recording, team, minutes=1)
    assert jobs.revive_stalled(interview) == 0
    assert transcribe_recording.call(transcript.pk) == "busy"
    transcript.refresh_from_db()
    assert transcript.run_token == "dead"
    assert transcript.segments.count() == 2
    # Once the lease ends without a word from it, the task takes it over.
    Transcript.objects.filter(pk=transcript.pk).update(
        heartbeat_at=timezone.now() - jobs.CLAIMS.length - timedelta(seconds=1)
    )
    assert transcribe_recording.call(transcript.pk) == TranscriptStatus.READY
    assert transcribe_recording.call(transcript.pk) == TranscriptStatus.READY
    assert Transcript.objects.filter(interview=interview).count() == 1
    assert "half" not in said(Transcript.objects.get())


def test_starting_twice_keeps_one_transcription(interview: Interview, team: Team, clips: Clips):
    recording = speech_recording(interview, team, clips.phrase)
    running = dead_run(interview, recording, team, minutes=0)
    assert jobs.start(interview, recording, team.owner) == running
    assert Transcript.objects.count() == 1


def test_a_declined_or_unready_recording_is_not_transcribed(interview, team, clips):
    recording = speech_recording(interview, team, clips.phrase)
    interview.recording_consent = Consent.NO
    interview.save()
    with pytest.raises(jobs.Refused, match="declined"):
        jobs.start(interview, recording, team.owner)
    interview.recording_consent = Consent.YES
    interview.save()
    recording.status = RecordingStatus.PROCESSING
    with pytest.raises(jobs.Refused, match="not ready"):
        jobs.start(interview, recording, team.owner)
    assert not Transcript.objects.exists()


def test_a_running_transcription_shows_its_progress_and_first_lines(
    owner_client: Client, observer_client: Client, interview: Interview, team: Team, clips: Clips
):
    recording = speech_recording(interview, team, clips.phrase)
    transcript = dead_run(interview, recording, team, minutes=0)
    Transcript.objects.filter(pk=transcript.pk).update(
        started_at=timezone.now() - timedelta(minutes=2), done_seconds=recording.duration / 2
    )
    speaker = TranscriptSpeaker.objects.create(interview=interview, label="Speaker 0")
    Segment.objects.filter(transcript=transcript).update(speaker=speaker)
    card = owner_client.get(
        reverse("transcripts:card", kwargs={"ws": team.workspace.slug, "pk": interview.pk})
    ).content.decode()
    assert 'hx-trigger="every 3s"' in card
    assert "<progress" in card
    assert 'value="50"' in card
    assert "About 2 minutes left" in card
    assert "Cancel transcription" in card
    observed = observer_client.get(
        reverse("transcripts:card", kwargs={"ws": team.workspace.slug, "pk": interview.pk})
    ).content.decode()
    assert "<progress" in observed
    assert "Cancel transcription" not in observed
    detail = owner_client.get(
        reverse(
            "transcripts:detail",
            kwargs={"ws": team.workspace.slug, "pk": interview.pk, "transcript_pk": transcript.pk},
        )
    ).content.decode()
    assert detail.count('class="transcript-line"') == 2
    assert 'hx-trigger="every 5s"' in detail
    # The owner cancels it from the page; the running worker reads the flag.
    owner_client.post(
        reverse(
            "transcripts:cancel",
            kwargs={"ws": team.workspace.slug, "pk": interview.pk, "transcript_pk": transcript.pk},
        )
    )
    transcript.refresh_from_db()
    assert transcript.cancel_requested
    assert transcript.status == TranscriptStatus.RUNNING


def test_a_dead_run_is_taken_up_again_when_a_worker_starts(
    interview: Interview, team: Team, clips: Clips
):
    """Nobody needs to open the interview: the next worker to start queues it again."""
    from heard.core.worker import worker_starting

    recording = speech_recording(interview, team, clips.phrase)
    transcript = dead_run(interview, recording, team, minutes=10)
    worker_starting.send(sender=None)
    transcript.refresh_from_db()
    assert transcript.status == TranscriptStatus.READY, transcript.failure_reason
    assert Transcript.objects.filter(interview=interview).count() == 1
    assert "invoices" in said(transcript).lower()


@pytest.mark.django_db
def test_a_model_not_on_this_machine_is_said_before_anyone_starts(
    settings, recording: Recording, owner_client: Client, team: Team
) -> None:
    """Heard downloads no speech model by itself: the interview page says how to get one,
    and nothing is queued."""
    settings.HEARD_WHISPER_MODEL = "small"  # in the catalogue, never fetched here
    reason = jobs.refusal(recording.interview, recording)
    assert "heard models fetch small" in reason
    page = owner_client.get(
        reverse(
            "interviews:detail", kwargs={"ws": team.workspace.slug, "pk": recording.interview.pk}
        )
    ).content.decode()
    assert "heard models fetch small" in page
    with pytest.raises(jobs.Refused):
        jobs.start(recording.interview, recording, team.owner)
    assert not Transcript.objects.exists()

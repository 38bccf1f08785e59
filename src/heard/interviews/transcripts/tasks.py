"""Background work of transcripts: transcribing a recording."""

from __future__ import annotations

from django.tasks import task

from heard.interviews.transcripts import running


@task
def transcribe_recording(transcript_id: int) -> str:
    return running.run(transcript_id)

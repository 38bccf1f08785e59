"""Background work of transcripts: transcribing a recording."""

from __future__ import annotations

from django.tasks import task

from heard.interviews.transcripts import jobs


@task
def transcribe_recording(transcript_id: int) -> str:
    return jobs.run(transcript_id)

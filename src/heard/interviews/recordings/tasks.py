"""Background work of recordings: the copy browsers play."""

from __future__ import annotations

from django.tasks import task

from heard.interviews.recordings import services


@task
def make_playback(recording_id: int) -> str:
    return services.make_playback(recording_id)

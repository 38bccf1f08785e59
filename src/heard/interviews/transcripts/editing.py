"""Editing a transcript's segment: its text and who said it, each change kept as a
`SegmentEdit` (what it was, what it became, who, when).

Two people editing one line: the last save wins, but a save made on a version of the line
older than the one stored is refused, so nobody overwrites a change they never saw.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from heard.accounts.models import User
from heard.interviews.models import Segment, SegmentEdit, TranscriptSpeaker
from heard.interviews.signals import changed


class Stale(Exception):
    """The segment changed since the editor read it."""


def edit_segment(
    segment: Segment,
    text: str,
    speaker: TranscriptSpeaker | None,
    seen_version: int,
    user: User,
) -> bool:
    """Save the segment's new text and speaker; False when nothing changed. Raises `Stale`
    when the segment's version is no longer `seen_version`."""
    with transaction.atomic():
        current = Segment.objects.select_for_update().get(pk=segment.pk)
        if current.version != seen_version:
            raise Stale
        speaker_id = speaker.pk if speaker else None
        if current.text == text and current.speaker_id == speaker_id:
            return False
        SegmentEdit.objects.create(
            segment=current,
            old_text=current.text,
            new_text=text,
            old_speaker_id=current.speaker_id,
            new_speaker_id=speaker_id,
            edited_by=user,
        )
        Segment.objects.filter(pk=segment.pk).update(
            text=text, speaker=speaker, version=F("version") + 1
        )
        changed(current.transcript.interview_id)
    segment.refresh_from_db(fields=["text", "speaker", "version"])
    return True

"""Highlights: words selected in a transcript, kept as a note of the interview (`Note.source`
RECORDING) with a kind, the validation points they bear on, their time range on the
recording and who said them. The summary offers them as candidate quotes beside the call's
notes, and a quote picked from one plays its moment.

A highlight's words are the transcript's, word for word: they are found again in the lines
they were selected in (so that nothing typed into the form passes for what was said), and
they keep to one speaker. Their times come from the words' own times where the line still
reads as transcribed, else from the lines' start and end.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from heard.accounts.models import User
from heard.interviews.models import (
    NOTE_MAX_LENGTH,
    SAID_KINDS,
    Note,
    NoteSource,
    Recording,
    Segment,
    Transcript,
    TranscriptSpeaker,
    TranscriptStatus,
)
from heard.interviews.signals import changed
from heard.interviews.transcripts.redacting import spans_in
from heard.studies.models import ValidationPoint

# What a highlight may be marked as: what the customer said (not a follow-up nor a why).
KINDS = SAID_KINDS

# The most lines one highlight may run over: a quote, not a chapter.
MAX_LINES = 30


class HighlightError(Exception):
    """Words that cannot be highlighted, with the reason to show."""


@dataclass(frozen=True)
class Span:
    """Words found in a transcript's lines: where they are, when and by whom."""

    first: Segment
    last: Segment
    text: str
    start_ms: int | None
    end_ms: int | None
    speaker: TranscriptSpeaker | None


def flat(text: str) -> str:
    return " ".join(text.split())


def locate(
    transcript: Transcript,
    first_pk: int,
    last_pk: int | None,
    words: str,
    at: int | None = None,
) -> Span:
    """The words in the lines from `first_pk` to `last_pk` (the same line if None); `at`,
    where in the first line (characters, whitespace collapsed) the selection starts, picks
    among words said more than once."""
    if transcript.status != TranscriptStatus.READY:
        raise HighlightError("Highlight a transcript once it is ready.")
    wanted = flat(words)
    if not wanted:
        raise HighlightError("Select the words to highlight.")
    if len(wanted) > NOTE_MAX_LENGTH:
        raise HighlightError(
            f"A highlight holds at most {NOTE_MAX_LENGTH:,} characters: select fewer words."
        )
    lines = lines_between(
        transcript,
        first_pk,
        last_pk,
        MAX_LINES,
        f"A highlight runs over at most {MAX_LINES} lines: select fewer.",
    )
    if len({line.speaker_id for line in lines}) > 1:
        raise HighlightError(
            "A highlight keeps to one speaker: select the words of one person at a time."
        )
    starts, joined = _joined(lines)
    found = [m.start() for m in re.finditer(re.escape(wanted), joined)]
    hint = at
    if hint is not None and found:
        at = min(found, key=lambda start: abs(start - hint))
    else:
        at = found[0] if found else -1
    if at < 0:
        raise HighlightError(
            "Those words are not in the lines selected (were they edited meanwhile?): "
            "select them again."
        )
    end = at + len(wanted)
    # The lines the words begin and end in, and the words' times within them.
    begins = max(i for i, start in enumerate(starts) if start <= at)
    finishes = max(i for i, start in enumerate(starts) if start < end)
    start_ms = _time_at(lines[begins], at - starts[begins], start=True)
    end_ms = _time_at(lines[finishes], end - starts[finishes], start=False)
    if start_ms is not None and end_ms is not None and end_ms < start_ms:
        end_ms = start_ms
    return Span(lines[begins], lines[finishes], wanted, start_ms, end_ms, lines[0].speaker)


def lines_between(
    transcript: Transcript, first_pk: int, last_pk: int | None, most: int, too_many: str
) -> list[Segment]:
    """The transcript's lines from `first_pk` to `last_pk` (the same line if None; either
    way round), with their speakers, in order; at most `most` of them (else `too_many`)."""
    ends = {
        segment.pk: segment
        for segment in transcript.segments.filter(pk__in={first_pk, last_pk or first_pk})
    }
    first, last = ends.get(first_pk), ends.get(last_pk or first_pk)
    if first is None or last is None:
        raise HighlightError("Those lines are not in this transcript any more.")
    if last.index < first.index:
        first, last = last, first
    if last.index - first.index >= most:
        raise HighlightError(too_many)
    return list(
        transcript.segments.filter(index__gte=first.index, index__lte=last.index)
        .select_related("speaker")
        .order_by("index")
    )


def _joined(lines: Sequence[Segment]) -> tuple[list[int], str]:
    """The lines' words as one text, a space between lines, and where each line starts."""
    starts, parts, length = [], [], 0
    for line in lines:
        starts.append(length)
        text = flat(line.text)
        parts.append(text)
        length += len(text) + 1
    return starts, " ".join(parts)


def _time_at(line: Segment, char: int, *, start: bool) -> int | None:
    """When the character at `char` of the line (flattened) was said: the start of the word
    it falls in (`start`) or the end of the word an end at `char` closes; the line's own
    start or end where its words have no times or were edited since."""
    fallback = line.start_ms if start else line.end_ms
    if not line.words or line.text != line.original_text:
        return fallback
    placed = spans_in(flat(line.text), line.words)
    if placed is None:
        return fallback  # the words do not spell the line: trust the line's times
    # Each word's characters, then its times.
    timed = [(a, b, line.words[i][0], line.words[i][1]) for a, b, i in placed]
    if start:
        chosen = next((w for w in timed if w[1] > char), None)
        return chosen[2] if chosen is not None and chosen[2] is not None else fallback
    closing = [w for w in timed if w[0] < char]
    return closing[-1][3] if closing and closing[-1][3] is not None else fallback


@transaction.atomic
def add(
    transcript: Transcript,
    span: Span,
    kind: str,
    points: Iterable[ValidationPoint],
    user: User,
) -> Note:
    """Keep the span as a highlight of the transcript's interview."""
    recording = transcript.recording
    offset = recording.call_offset_seconds if recording is not None else 0
    start = span.start_ms if span.start_ms is not None else span.first.start_ms
    note = Note.objects.create(
        interview_id=transcript.interview_id,
        author=user,
        kind=kind,
        text=span.text,
        elapsed_seconds=max(0, (start or 0) // 1000 + offset),
        source=NoteSource.RECORDING,
        transcript=transcript,
        segment=span.first,
        start_ms=span.start_ms,
        end_ms=span.end_ms,
        speaker=span.speaker,
        speaker_label=span.speaker.label if span.speaker is not None else "",
    )
    note.points.set(points)
    changed(note.interview_id)
    return note


@transaction.atomic
def change(note: Note, kind: str, points: Iterable[ValidationPoint]) -> Note:
    """A highlight's kind and points; its words stay the transcript's."""
    note.kind = kind
    note.save(update_fields=["kind", "updated_at"])
    note.points.set(points)
    changed(note.interview_id)
    return note


def remove(note: Note) -> None:
    """Take a highlight off the transcript. Quotes picked from it keep their words and are
    flagged by the summary's checks (their source is gone)."""
    Note.objects.filter(pk=note.pk, deleted_at__isnull=True).update(
        deleted_at=timezone.now(), updated_at=timezone.now()
    )
    changed(note.interview_id)


def remove_all_of(transcript: Transcript) -> int:
    """Take off every highlight of a transcript about to be deleted; how many there were."""
    return Note.objects.filter(transcript=transcript, deleted_at__isnull=True).update(
        deleted_at=timezone.now(), updated_at=timezone.now()
    )


@receiver(pre_delete, sender=Transcript, dispatch_uid="highlights.transcript_deleted")
def _transcript_deleted(sender: Any, instance: Transcript, **_: Any) -> None:
    """However a transcript goes (its page, its recording deleted with it), its highlights
    are taken off first, so that quotes picked from them say their source is gone."""
    remove_all_of(instance)


def follow_offset(recording: Recording) -> int:
    """Put the recording's highlights back at their time on the call's clock, after its
    offset changed."""
    offset = recording.call_offset_seconds
    marks = Note.objects.filter(
        transcript__recording=recording, source=NoteSource.RECORDING, start_ms__isnull=False
    )
    moved = 0
    for mark in marks.only("pk", "start_ms", "elapsed_seconds"):
        elapsed = max(0, (mark.start_ms or 0) // 1000 + offset)
        if elapsed != mark.elapsed_seconds:
            moved += Note.objects.filter(pk=mark.pk).update(elapsed_seconds=elapsed)
    return moved


def of_transcript(transcript: Transcript) -> list[Note]:
    """The transcript's highlights, in the order of the lines they start in."""
    return list(
        Note.objects.filter(
            transcript=transcript, source=NoteSource.RECORDING, deleted_at__isnull=True
        )
        .select_related("author", "speaker", "speaker__user")
        .prefetch_related("points")
        .order_by("start_ms", "created_at")
    )

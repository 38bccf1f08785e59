"""Redaction: words of a transcript's lines or of a note taken out for good.

A redaction is a list of `Cut`s, each a span of one line's or one note's text, chosen by a
person (words selected on the transcript, across lines and speakers) or accepted among the
suggestions (`suggestions.py`). In one transaction, under the interview's lock, each span is
replaced by `REDACTED` in the line or note; a line's word timings lose the words in it (one
`REDACTED` word keeps their time) and its text as transcribed loses them too. Every copy of
those words the interview keeps is scrubbed the same way: highlights and notes of quotes,
summaries' quotes and
readings, the live call's log, a line's edit history, the coach's reports, evidence already
removed from findings; the search index is made again from what now stands
(`interviews.signals.evidence_changed`). A `Redaction` row per span keeps where, when on
the recording, how many characters, why and who, never the words; the recording's playback
copy is made again with those spans silent (`recordings.services.make_playback_again`), and
a later transcript of the recording is redacted at the same times
(`interviews.transcripts.redacting`). The audit log records each redaction.

The words go for good: there is no undo, which the page says before anyone confirms.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from heard.accounts.models import User
from heard.coach.models import CoachReport
from heard.interviews.live.notes import noted
from heard.interviews.models import (
    REDACTED,
    Interview,
    LiveEvent,
    Note,
    NoteKind,
    NoteSource,
    Recording,
    Redaction,
    Segment,
    SegmentEdit,
    Transcript,
    TranscriptStatus,
)
from heard.interviews.recordings.services import make_playback_again
from heard.interviews.signals import changed
from heard.interviews.transcripts.redacting import word_spans
from heard.privacy import scrubbing
from heard.privacy.cuts import NOTE, SEGMENT, Cut, RedactionError
from heard.privacy.texts import TEXTS
from heard.synthesis.matrix import exports
from heard.synthesis.models import PointSummary, Quote, RemovedEvidence, Summary

# Copies of redacted words are looked for only when they are at least this long: shorter ones
# ("ok", "I") are anyone's, and are taken out of the line they were chosen in only.
MIN_COPIED = 3

# The tables whose rows copy an interview's lines and notes (see `_copies`).
COPIES = (
    Segment,
    SegmentEdit,
    Note,
    LiveEvent,
    Quote,
    PointSummary,
    Summary,
    RemovedEvidence,
    CoachReport,
)


@dataclass
class Done:
    """What a redaction did, counted."""

    lines: int = 0
    notes: int = 0
    spans: int = 0
    characters: int = 0
    copies: int = 0
    recordings: int = 0

    @property
    def summary(self) -> str:
        parts = []
        if self.lines:
            parts.append(f"{self.lines} line{'s' if self.lines != 1 else ''}")
        if self.notes:
            parts.append(f"{self.notes} note{'s' if self.notes != 1 else ''}")
        said = " and ".join(parts) or "nothing"
        more = (
            f", and {self.copies} cop{'ies' if self.copies != 1 else 'y'} of them"
            if (self.copies)
            else ""
        )
        sound = (
            "; the recording's sound there is silenced in a new playback copy"
            if self.recordings
            else ""
        )
        return f"Redacted {self.spans} span{'s' if self.spans != 1 else ''} in {said}{more}{sound}."


def redact(interview: Interview, cuts: Sequence[Cut], by: User | None) -> Done:
    """Make the redaction `cuts` describe (see the module's docstring). A cut whose text no
    longer reads as it did when chosen refuses the whole redaction, which changes nothing."""
    if not cuts:
        raise RedactionError("Choose the words to redact.")
    done = Done()
    with transaction.atomic():
        Interview.objects.select_for_update().filter(pk=interview.pk).first()
        by_row: dict[tuple[str, str], list[Cut]] = defaultdict(list)
        for cut in cuts:
            by_row[(cut.kind, _canonical(cut.kind, cut.pk))].append(cut)
        ready = Segment.objects.filter(
            transcript__interview=interview, transcript__status=TranscriptStatus.READY
        )
        segments = _rows(ready, by_row, SEGMENT)
        notes = _rows(Note.objects.filter(interview=interview), by_row, NOTE)
        recordings: set[int] = set()
        for (kind, pk), row_cuts in by_row.items():
            ordered = _merged(row_cuts)
            if kind == SEGMENT:
                segment = segments[pk]
                recording = _cut_segment(segment, ordered, interview, by)
                if recording is not None:
                    recordings.add(recording)
                done.lines += 1
            else:
                _cut_note(notes[pk], ordered, interview, by)
                done.notes += 1
            done.spans += len(ordered)
            done.characters += sum(c.end - c.start for c in ordered)
        copied = {" ".join(c.words.split()) for c in cuts}
        done.copies = _scrub_copies(
            interview,
            [w for w in copied if len(w) >= MIN_COPIED],
            [int(pk) for kind, pk in by_row if kind == SEGMENT],
            [pk for kind, pk in by_row if kind == NOTE],
        )
        for silenced in Recording.objects.filter(pk__in=recordings):
            make_playback_again(silenced)
        done.recordings = len(recordings)
        exports.forget_studies_of([interview.pk])
        changed(interview.pk)
    return done


def _rows(
    rows: QuerySet[Any], by_row: dict[tuple[str, str], list[Cut]], kind: str
) -> dict[str, Any]:
    wanted = [pk for k, pk in by_row if k == kind]
    if not wanted:
        return {}
    found = {str(row.pk): row for row in rows.select_for_update().filter(pk__in=wanted)}
    if len(found) != len(wanted):
        raise RedactionError(
            "Some of those lines or notes are not in this interview any more: look again."
        )
    for pk, row in found.items():
        for cut in by_row[(kind, pk)]:
            if not 0 <= cut.start < cut.end <= len(row.text) or row.text[cut.start : cut.end] != (
                cut.words
            ):
                raise RedactionError(
                    "A line or note changed since those words were chosen: look again."
                )
    return found


def _canonical(kind: str, pk: str) -> str:
    """A line's id as a number, a note's as a UUID, both as the rows write them (ids come
    from forms: never trusted)."""
    try:
        return str(int(pk)) if kind == SEGMENT else str(uuid.UUID(pk))
    except ValueError:
        raise RedactionError("Those lines or notes are not in this interview.") from None


def _merged(cuts: Iterable[Cut]) -> list[Cut]:
    """The cuts of one text with overlapping ones joined, from the last to the first (so
    that cutting one leaves the others' places as they were)."""
    merged: list[Cut] = []
    for cut in sorted(cuts, key=lambda c: c.start):
        if merged and cut.start <= merged[-1].end:
            last = merged[-1]
            end = max(last.end, cut.end)
            merged[-1] = Cut(last.kind, last.pk, last.start, end, "", last.reason)
        else:
            merged.append(cut)
    return merged[::-1]


def _cut_segment(
    segment: Segment, cuts: Sequence[Cut], interview: Interview, by: User | None
) -> int | None:
    """Cut the spans (last first) out of a line: its text, its text as transcribed when the
    two read alike, and its words. The recording whose sound is to be silenced, if any."""
    transcript = Transcript.objects.only("recording_id").get(pk=segment.transcript_id)
    silenced = False
    for cut in cuts:
        start_ms, end_ms = _cut_words(segment, cut)
        same = segment.original_text == segment.text
        segment.text = segment.text[: cut.start] + REDACTED + segment.text[cut.end :]
        if same:
            segment.original_text = segment.text
        Redaction.objects.create(
            interview=interview,
            transcript_id=segment.transcript_id,
            segment=segment,
            recording_id=transcript.recording_id if start_ms is not None else None,
            start_ms=start_ms,
            end_ms=end_ms,
            characters=cut.end - cut.start,
            reason=cut.reason,
            created_by=by,
        )
        silenced = silenced or (transcript.recording_id is not None and start_ms is not None)
    # A form open on the line's older version can no longer save over the redaction.
    segment.version += 1
    segment.save(update_fields=["text", "original_text", "words", "version"])
    return transcript.recording_id if silenced else None


def _cut_words(segment: Segment, cut: Cut) -> tuple[int | None, int | None]:
    """Take the cut's words out of the line's timed words, one `REDACTED` word standing for
    them; the time they were said (the line's whole time where its words cannot be placed:
    an edited line, words that do not spell it)."""
    spans = word_spans(segment)
    if spans is None:
        # The words cannot be placed: none are kept, and the whole line is silenced.
        segment.words = []
        return segment.start_ms, segment.end_ms
    inside = [i for start, end, i in spans if start < cut.end and end > cut.start]
    if not inside:
        return segment.start_ms, segment.end_ms
    words = segment.words
    first, last = words[inside[0]], words[inside[-1]]
    start_ms = first[0] if first[0] is not None else segment.start_ms
    end_ms = last[1] if last[1] is not None else segment.end_ms
    segment.words = [
        *words[: inside[0]],
        [start_ms, end_ms, REDACTED, None],
        *words[inside[-1] + 1 :],
    ]
    return start_ms, end_ms


def _cut_note(note: Note, cuts: Sequence[Cut], interview: Interview, by: User | None) -> None:
    for cut in cuts:
        note.text = note.text[: cut.start] + REDACTED + note.text[cut.end :]
        Redaction.objects.create(
            interview=interview,
            note=note,
            transcript_id=note.transcript_id,
            characters=cut.end - cut.start,
            reason=cut.reason,
            created_by=by,
        )
    note.save(update_fields=["text", "updated_at"])
    if note.source == NoteSource.CALL and by is not None:
        # The live call's log: earlier events forget the words, the newest says what it now says.
        noted(interview, note, by)


def _scrub_copies(
    interview: Interview, words: list[str], segment_ids: list[int], note_ids: list[str]
) -> int:
    """Replace `words` wherever the interview keeps a copy of its lines and notes; how many
    rows that changed. Other lines and call notes that say the same words themselves stay
    as they are (but the words noted as a quote, a copy of what was said): only what was
    chosen is redacted where it was said."""
    if not words:
        return 0
    found = scrubbing.Identifiers(tuple(sorted(words)), (), ())
    # Only the lines and notes cut, and the copies of what was said (highlights).
    narrowed = {
        Segment: Q(pk__in=segment_ids),
        SegmentEdit: Q(segment__in=segment_ids),
        Note: Q(source=NoteSource.RECORDING) | Q(kind=NoteKind.QUOTE) | Q(pk__in=note_ids),
    }
    changed_rows = 0
    for texts in TEXTS:
        if texts.model not in COPIES or texts.interview is None:
            continue
        rows = texts.model._default_manager.filter(**{texts.interview: interview.pk})
        rows = rows.filter(narrowed.get(texts.model, Q()))
        changed_rows += scrubbing.rewrite(texts, rows, found, replacement=REDACTED)
    return changed_rows

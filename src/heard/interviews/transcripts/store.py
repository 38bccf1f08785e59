"""Between the plain `TranscriptDocument` and the rows that keep it: segments in and out, the
speakers' labels of an interview, times in whole milliseconds."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from django.db.models import QuerySet

from heard.interviews.models import Interview, Redaction, Segment, Transcript, TranscriptSpeaker
from heard.interviews.transcripts.document import Segment as DocumentSegment
from heard.interviews.transcripts.document import TranscriptDocument, Word
from heard.interviews.transcripts.redacting import keep_redacted
from heard.participants.pseudonyms import Pseudonyms

LABEL_LENGTH = TranscriptSpeaker._meta.get_field("label").max_length or 150
BATCH = 500


def to_ms(seconds: float | None) -> int | None:
    return None if seconds is None else max(0, round(seconds * 1000))


def to_seconds(ms: int | None) -> float | None:
    return None if ms is None else ms / 1000


def label_of(speaker: str) -> str:
    return " ".join(speaker.split())[:LABEL_LENGTH]


def speakers_for(interview: Interview, labels: Iterable[str]) -> dict[str, TranscriptSpeaker]:
    """The interview's speaker of each label, made where it is new (one mapping of a label
    per interview, whichever transcript it first came in)."""
    wanted = {label_of(label) for label in labels} - {""}
    if not wanted:
        return {}
    TranscriptSpeaker.objects.bulk_create(
        [TranscriptSpeaker(interview=interview, label=label) for label in sorted(wanted)],
        ignore_conflicts=True,
    )
    return {
        speaker.label: speaker
        for speaker in TranscriptSpeaker.objects.filter(interview=interview, label__in=wanted)
    }


def segment_row(
    transcript: Transcript,
    index: int,
    segment: DocumentSegment,
    speakers: dict[str, TranscriptSpeaker],
    silenced: Sequence[tuple[int, int]] = (),
) -> Segment:
    """A document's segment as a row of `transcript`, redacted in the spans of its recording
    that redactions silenced (`silenced`, ms)."""
    text = segment.text.strip()
    row = Segment(
        transcript=transcript,
        index=index,
        start_ms=to_ms(segment.start),
        end_ms=to_ms(segment.end),
        speaker=speakers.get(label_of(segment.speaker)),
        text=text,
        original_text=text,
        words=[
            [to_ms(word.start), to_ms(word.end), word.text, word.probability]
            for word in segment.words
        ],
    )
    keep_redacted(row, silenced)
    return row


def save_segments(transcript: Transcript, segments: Sequence[DocumentSegment]) -> None:
    """All of a document's segments, in batches (an import: inside its one transaction)."""
    speakers = speakers_for(transcript.interview, (s.speaker for s in segments))
    silenced = Redaction.objects.silenced(transcript.recording_id)
    rows = [
        segment_row(transcript, i, segment, speakers, silenced)
        for i, segment in enumerate(segments)
    ]
    Segment.objects.bulk_create(rows, batch_size=BATCH)


def segments_of(transcript: Transcript) -> QuerySet[Segment]:
    """The transcript's segments in order, each with its speaker and who that is: one
    query, whatever the length."""
    return (
        Segment.objects.filter(transcript=transcript)
        .select_related("speaker", "speaker__user")
        .order_by("index")
    )


def document_of(transcript: Transcript, names: dict[int, str]) -> TranscriptDocument:
    """The transcript as a document for the writers, each speaker under the name the
    interview's mapping gives (`names`: speaker id → name)."""
    segments = []
    for row in segments_of(transcript).defer("original_text"):
        segments.append(
            DocumentSegment(
                text=row.text,
                start=to_seconds(row.start_ms),
                end=to_seconds(row.end_ms),
                speaker=names.get(row.speaker_id, "") if row.speaker_id else "",
                words=[
                    Word(start=s / 1000, end=e / 1000, text=text, probability=p)
                    for s, e, text, p in row.words
                    if s is not None and e is not None
                ],
            )
        )
    return TranscriptDocument(
        segments=segments, language=transcript.language, source_format="heard"
    )


def pseudonymised(document: TranscriptDocument, hide: Pseudonyms) -> TranscriptDocument:
    """The document with the participants named by their pseudonyms, in what was said and
    who said it (`participants.pseudonyms`); itself when `hide` is off."""
    if not hide.on:
        return document
    for segment in document.segments:
        segment.text = hide.text(segment.text)
        segment.speaker = hide.text(segment.speaker)
        segment.words = [replace(word, text=hide.text(word.text)) for word in segment.words]
    return document

"""Where on a recording something was said: the moment a quote or a note plays.

A quote picked from a highlight of the transcript knows its recording and its time range
there. A note typed during the call knows only its time into the call: it plays from the
recording that covers that time (the recording's `call_offset_seconds` says where it starts
on the call's clock), from a little before, since a note is typed after the words.

`Moments` reads the playable recordings of a page's interviews once, and finds each moment
without a query of its own; the pages put the moment on each quote (`quote.moment`) and
`interviews/_moment.html` shows it as a link that plays in the page (`moments.js`), or, with
no script, opens the recording at that time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from heard.interviews.models import Interview, Recording, RecordingStatus, minutes_label
from heard.interviews.transcripts.speakers import name_of

# How long before a note's time its moment starts: the words came before the typing.
LEAD_SECONDS = 5


@dataclass(frozen=True)
class Moment:
    url: str
    """The recording's playback copy."""
    start: float
    end: float | None
    """Seconds on the recording; no end for a note's moment (it plays on)."""
    speaker: str = ""

    @property
    def label(self) -> str:
        return minutes_label(self.start)

    @property
    def href(self) -> str:
        """The recording at the moment, as a media fragment (`#t=start,end`)."""
        end = f",{self.end:.1f}" if self.end is not None else ""
        return f"{self.url}#t={self.start:.1f}{end}"

    @property
    def description(self) -> str:
        said = f"{self.speaker}, " if self.speaker else ""
        span = (
            f"{self.label} to {minutes_label(self.end)}"
            if self.end is not None
            else f"from {self.label}"
        )
        return f"{said}{span} in the recording"


def said_by(item: Any, interview: Interview) -> str:
    """Who said a quote's or a highlight's words, by the interview's speaker mapping: the
    label the transcript gave when its speaker row is gone, "" for the call's notes."""
    speaker = item.speaker if item.speaker_id is not None else None
    return name_of(speaker, interview) if speaker is not None else item.speaker_label


class Moments:
    """The playable recordings of some interviews of a workspace."""

    def __init__(self, ws: str, interview_ids: Iterable[int]) -> None:
        self.ws = ws
        self._of: dict[int, list[Recording]] = defaultdict(list)
        self._by_pk: dict[int, Recording] = {}
        wanted = set(interview_ids)
        if not wanted:
            return
        found = (
            Recording.objects.filter(interview_id__in=wanted, status=RecordingStatus.READY)
            .exclude(playback="")
            .only("pk", "interview_id", "duration", "call_offset_seconds", "created_at")
            .order_by("created_at", "pk")
        )
        for recording in found:
            self._of[recording.interview_id].append(recording)
            self._by_pk[recording.pk] = recording

    def _url(self, recording: Recording) -> str:
        kwargs = {"ws": self.ws, "pk": recording.interview_id, "recording_pk": recording.pk}
        return reverse("recordings:play", kwargs=kwargs)

    def on_recording(
        self, recording_id: int | None, start_ms: int | None, end_ms: int | None, speaker: str = ""
    ) -> Moment | None:
        """A span of a recording, if it can be played."""
        recording = self._by_pk.get(recording_id or 0)
        if recording is None or start_ms is None:
            return None
        end = end_ms / 1000 if end_ms is not None and end_ms > start_ms else None
        return Moment(self._url(recording), start_ms / 1000, end, speaker)

    def on_call(self, interview_id: int, seconds: int | None) -> Moment | None:
        """`seconds` into the call, on the recording that covers it."""
        if seconds is None:
            return None
        for recording in self._of.get(interview_id, ()):
            at = seconds - recording.call_offset_seconds
            if at >= 0 and (recording.duration is None or at <= recording.duration):
                return Moment(self._url(recording), float(max(0, at - LEAD_SECONDS)), None)
        return None

    def of_quote(self, quote: Any, interview_id: int) -> Moment | None:
        if quote.from_transcript:
            return self.on_recording(
                quote.recording_id, quote.start_ms, quote.end_ms, getattr(quote, "said_by", "")
            )
        return self.on_call(interview_id, quote.source_seconds)

    def of_note(self, note: Any) -> Moment | None:
        if note.is_highlight:
            transcript = note.transcript
            recording_id = transcript.recording_id if transcript is not None else None
            return self.on_recording(
                recording_id, note.start_ms, note.end_ms, getattr(note, "said_by", "")
            )
        return self.on_call(note.interview_id, note.elapsed_seconds)

    def mark_quotes(self, quotes: Iterable[Any], interview: Interview) -> None:
        """Put on each quote of the interview who said it, by the interview's speaker mapping
        (`quote.said_by`, "" for a note's), and its moment (`quote.moment`, None if none)."""
        for quote in quotes:
            quote.said_by = said_by(quote, interview)
            quote.moment = self.of_quote(quote, interview.pk)

    def mark_notes(self, notes: Iterable[Any], interview: Interview) -> None:
        for note in notes:
            note.said_by = said_by(note, interview)
            note.moment = self.of_note(note)

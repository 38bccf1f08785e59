"""What the coach reads of one interview, as plain data: the transcript's lines with who said
them, the call's notes, ticks and milestones on its clock, and the guide as the call saw it.

The measures (`heard.coach.measures`) read only this, never the database, so each is tested on
hand-made calls with known answers. `gather(interview)` builds it from the database.

Two clocks: the recording's (milliseconds from its start, which the transcript's lines use)
and the call's (seconds from the kickoff's `started_at`, which notes, ticks and milestones use).
The recording starts `offset_s` seconds into the call (`Recording.call_offset_seconds`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from django.db.models import Q

from heard.interviews.live.events import EventKind
from heard.interviews.live.reads import coverage_of, questions_as_held
from heard.interviews.models import (
    Interview,
    LiveEvent,
    Note,
    NoteSource,
    SpeakerRole,
    Transcript,
    TranscriptStatus,
)
from heard.interviews.purpose import render_purpose
from heard.interviews.transcripts import speakers
from heard.synthesis.summaries.notes import digest


class Side(StrEnum):
    TEAM = "team"
    CUSTOMER = "customer"
    OTHER = "other"
    UNKNOWN = "unknown"


SIDE_OF_ROLE = {
    SpeakerRole.TEAM: Side.TEAM,
    SpeakerRole.PARTICIPANT: Side.CUSTOMER,
    SpeakerRole.OTHER: Side.OTHER,
}


@dataclass(frozen=True)
class Line:
    """A line of the transcript: who said it (their side, name and account) and when."""

    segment_id: int
    start_ms: int
    end_ms: int
    side: Side
    speaker: str
    text: str
    user_id: int | None = None

    @property
    def duration_ms(self) -> int:
        return max(0, self.end_ms - self.start_ms)


@dataclass(frozen=True)
class NoteSeen:
    """A note of the call, at its second into the call."""

    id: str
    kind: str
    text: str
    at_s: int


@dataclass(frozen=True)
class Ladder:
    """A solution request and how far its why-ladder went."""

    request: NoteSeen
    whys: int
    root: NoteSeen | None


@dataclass(frozen=True)
class PainSeen:
    note: NoteSeen
    measured: bool


@dataclass(frozen=True)
class PlannedQuestion:
    id: int
    text: str
    section_id: int
    section: str
    priority: str
    minutes: int
    point_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Tick:
    """A guide question marked during the call (asked, answered, covered, skipped)."""

    question_id: int
    status: str
    at_s: int


@dataclass(frozen=True)
class Point:
    id: int
    label: str
    statement: str


@dataclass
class Call:
    language: str = "en"
    # The plan: the call's length and reserves, in seconds.
    length_s: int = 45 * 60
    team_reserve_s: int = 5 * 60
    customer_reserve_s: int = 5 * 60
    # What happened on the call's clock; None where the call did not record it. `ran_live`:
    # the call was run on the live screen (its ticks and milestones mean something).
    ran_live: bool = False
    duration_s: int | None = None
    consent: str = ""
    consent_at_s: int | None = None
    intros_at_s: int | None = None
    team_size: int = 1
    purpose: str = ""
    # The transcript, on the recording's clock.
    transcript_id: int | None = None
    playable: bool = False
    offset_s: int = 0
    lines: list[Line] = field(default_factory=list)
    # The notes and the guide.
    notes: list[NoteSeen] = field(default_factory=list)
    ladders: list[Ladder] = field(default_factory=list)
    pains: list[PainSeen] = field(default_factory=list)
    questions: list[PlannedQuestion] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    must_missed: list[PlannedQuestion] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    points_heard: set[int] = field(default_factory=set)
    queued_asked: int = 0
    queued_open: int = 0

    @property
    def has_transcript(self) -> bool:
        return bool(self.lines)

    @property
    def conversation_s(self) -> int:
        return max(0, self.length_s - self.team_reserve_s - self.customer_reserve_s)

    @property
    def held_s(self) -> int | None:
        """How long the call lasted: as the live screen timed it, or as long as its
        transcript runs on the call's clock where that is longer (a call ended late on the
        screen, or not run there)."""
        spoken = self.call_s(max(line.end_ms for line in self.lines)) if self.lines else None
        if self.duration_s is None:
            return spoken
        return max(self.duration_s, spoken or 0)

    def call_s(self, recording_ms: int) -> int:
        """A time on the recording, on the call's clock."""
        return recording_ms // 1000 + self.offset_s

    def recording_ms(self, call_s: int) -> int:
        """A time on the call's clock, on the recording (0 before the recording began)."""
        return max(0, (call_s - self.offset_s) * 1000)


def transcript_for(interview: Interview) -> Transcript | None:
    """The transcript the coach reads: the newest ready one that nothing replaced."""
    return (
        Transcript.objects.filter(
            interview=interview, status=TranscriptStatus.READY, superseded_at__isnull=True
        )
        .select_related("recording")
        .order_by("-created_at", "-pk")
        .first()
    )


def _seconds_into(interview: Interview, when: datetime | None) -> int | None:
    if when is None or interview.started_at is None:
        return None
    return int((when - interview.started_at).total_seconds())


def _note(note: Note) -> NoteSeen:
    return NoteSeen(str(note.pk), note.kind, note.text, note.elapsed_seconds)


def _lines(transcript: Transcript, interview: Interview) -> list[Line]:
    used = transcript.interview.transcript_speakers.select_related("user")
    sides = {
        speaker.pk: SIDE_OF_ROLE.get(SpeakerRole(speaker.role), Side.UNKNOWN) for speaker in used
    }
    users = {speaker.pk: speaker.user_id for speaker in used}
    names = speakers.names_for(interview, used)
    rows = (
        transcript.segments.order_by("index")
        .values_list("pk", "start_ms", "end_ms", "speaker_id", "text")
        .iterator(chunk_size=2000)
    )
    lines = []
    for pk, start, end, speaker_id, text in rows:
        if start is None:
            continue  # a line without a time cannot be placed
        lines.append(
            Line(
                segment_id=pk,
                start_ms=start,
                end_ms=max(start, end if end is not None else start),
                side=sides.get(speaker_id, Side.UNKNOWN) if speaker_id else Side.UNKNOWN,
                speaker=names.get(speaker_id, "") if speaker_id else "",
                text=text,
                user_id=users.get(speaker_id) if speaker_id else None,
            )
        )
    return lines


def gather(interview: Interview) -> Call:
    """Everything the measures read of `interview`."""
    transcript = transcript_for(interview)
    recording = transcript.recording if transcript is not None else None
    notes = [
        note
        for note in interview.notes.filter(source=NoteSource.CALL, deleted_at__isnull=True)
        .select_related("question")
        .order_by("elapsed_seconds", "created_at")
    ]
    found = digest(notes)
    questions = questions_as_held(interview)
    planned = {
        question.pk: PlannedQuestion(
            id=question.pk,
            text=question.text,
            section_id=question.section_id,
            section=question.section.title,
            priority=question.priority,
            minutes=question.minutes,
            point_ids=tuple(point.pk for point in question.points.all()),
        )
        for question in questions
    }
    # The must-ask questions the wrap-up counts as missed (for a call run on the live screen).
    missed = coverage_of(interview, questions)["must_missed"] if interview.started_at else []
    ticks = [
        Tick(event.payload["question"], event.payload.get("status", ""), at)
        for event in LiveEvent.objects.filter(
            interview=interview, kind=EventKind.QUESTION
        ).order_by("id")
        if isinstance(event.payload.get("question"), int)
        and event.payload["question"] in planned
        and (at := _seconds_into(interview, event.created_at)) is not None
    ]
    heard_points = {
        point_id
        for note in notes
        if note.question_id in planned
        for point_id in planned[note.question_id].point_ids
    }
    heard_points |= set(
        Note.points.through.objects.filter(
            note__interview=interview, note__deleted_at__isnull=True
        ).values_list("validationpoint_id", flat=True)
    )
    # The study's points as the call saw them: those archived since still count.
    kept = Q(archived_at__isnull=True)
    if interview.started_at is not None:
        kept |= Q(archived_at__gt=interview.started_at)
    points = interview.study.points.filter(kept).order_by("position")
    team = list(interview.team.all())
    queued = list(interview.queued_questions.values_list("asked_at", flat=True))
    return Call(
        language=(transcript.language if transcript is not None else "")
        or interview.transcript_language
        or "en",
        length_s=interview.length_minutes * 60,
        team_reserve_s=interview.team_reserve_minutes * 60,
        customer_reserve_s=interview.customer_reserve_minutes * 60,
        ran_live=interview.started_at is not None,
        duration_s=_seconds_into(interview, interview.ended_at),
        consent=interview.recording_consent,
        consent_at_s=_seconds_into(interview, interview.consent_at),
        intros_at_s=_seconds_into(interview, interview.intros_started_at),
        team_size=len(team) or 1,
        purpose=render_purpose(interview),
        transcript_id=transcript.pk if transcript is not None else None,
        playable=recording is not None and recording.is_ready and bool(recording.playback.name),
        offset_s=recording.call_offset_seconds if recording is not None else 0,
        lines=_lines(transcript, interview) if transcript is not None else [],
        notes=[_note(note) for note in notes],
        ladders=[
            Ladder(
                _note(request.note),
                len(request.whys),
                _note(request.root_pain) if request.root_pain else None,
            )
            for request in found.requests
        ],
        pains=[PainSeen(_note(pain.note), bool(pain.measures)) for pain in found.pains],
        questions=list(planned.values()),
        ticks=ticks,
        must_missed=[planned[question.pk] for question in missed],
        points=[Point(point.pk, point.label, point.statement) for point in points],
        points_heard=heard_points,
        queued_asked=sum(1 for asked in queued if asked is not None),
        queued_open=sum(1 for asked in queued if asked is None),
    )

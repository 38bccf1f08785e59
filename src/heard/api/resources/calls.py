"""The calls: interviews with their team, notes (written as the live screen writes them, so a
note sent here shows on the call's screen), highlights, and transcripts."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from heard.accounts.access import Need
from heard.api.core import Page, Paged, Synced, aware, member, page, ws
from heard.api.resources.common import Id, Input, PathId, link
from heard.interviews.access import get_interview_for, get_transcript_for, interviews_in
from heard.interviews.live import notes as live_notes
from heard.interviews.live.checks import LiveError
from heard.interviews.models import (
    Consent,
    Interview,
    InterviewStatus,
    Mode,
    Note,
    NoteKind,
    NoteSource,
    Segment,
    SpeakerRole,
    TeamMember,
    TeamRole,
    Transcript,
    TranscriptSource,
    TranscriptStatus,
)

router = Router()


# Interviews


class TeamMemberOut(Schema):
    user_id: int | None
    name: str
    role: TeamRole


class InterviewOut(Schema):
    id: int
    study_id: int
    participant_id: int
    guide_id: int | None
    starts_at: datetime.datetime
    time_zone: str
    length_minutes: int
    mode: Mode
    location: str
    status: InterviewStatus
    recording_consent: Consent | None = Field(description="Null until the participant is asked.")
    started_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    team: list[TeamMemberOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    url: str


class InterviewFilters(Synced):
    study: Id | None = None
    participant: Id | None = None
    status: InterviewStatus | None = None
    starts_after: datetime.datetime | None = None
    starts_before: datetime.datetime | None = None


def _team(interviews: list[Interview]) -> dict[int, list[dict[str, Any]]]:
    team: dict[int, list[dict[str, Any]]] = {i.pk: [] for i in interviews}
    rows = (
        TeamMember.objects.filter(interview__in=[i.pk for i in interviews])
        .select_related("user")
        .order_by("interview_id", "seniority", "id")
    )
    for row in rows:
        name = row.user.name if row.user else row.guest_name
        team[row.interview_id].append({"user_id": row.user_id, "name": name, "role": row.role})
    return team


def interviews_out(interviews: list[Interview], ws: str) -> list[dict[str, Any]]:
    team = _team(interviews)
    return [
        {
            "id": i.pk,
            "study_id": i.study_id,
            "participant_id": i.participant_id,
            "guide_id": i.guide_id,
            "starts_at": i.starts_at,
            "time_zone": i.time_zone,
            "length_minutes": i.length_minutes,
            "mode": i.mode,
            "location": i.location,
            "status": i.status,
            "recording_consent": i.recording_consent or None,
            "started_at": i.started_at,
            "ended_at": i.ended_at,
            "team": team[i.pk],
            "created_at": i.created_at,
            "updated_at": i.updated_at,
            "url": link(reverse("interviews:detail", kwargs={"ws": ws, "pk": i.pk})),
        }
        for i in interviews
    ]


@router.get("/interviews", response=Page[InterviewOut], tags=["interviews"])
def list_interviews(request: HttpRequest, filters: Query[InterviewFilters]) -> dict[str, Any]:
    """The workspace's interviews, with their team."""
    slug = member(request).workspace.slug
    rows = interviews_in(slug)
    if filters.study is not None:
        rows = rows.filter(study_id=filters.study)
    if filters.participant is not None:
        rows = rows.filter(participant_id=filters.participant)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.starts_after:
        rows = rows.filter(starts_at__gte=aware(filters.starts_after))
    if filters.starts_before:
        rows = rows.filter(starts_at__lt=aware(filters.starts_before))
    return page(
        rows,
        lambda found: interviews_out(found, slug),
        filters,
    )


@router.get("/interviews/{interview_id}", response=InterviewOut, tags=["interviews"])
def get_interview(request: HttpRequest, interview_id: PathId) -> dict[str, Any]:
    interview = get_interview_for(request, ws(request), interview_id)  # type: ignore[arg-type]
    return interviews_out([interview], ws(request))[0]


# Notes and highlights


class NoteOut(Schema):
    id: uuid.UUID
    interview_id: int
    author_id: int | None
    kind: NoteKind
    text: str
    source: NoteSource = Field(
        description="`call`: typed during the call; `recording`: a highlight of the transcript."
    )
    elapsed_seconds: int = Field(description="Seconds into the call when it was noted.")
    question_id: int | None
    ladder_of: uuid.UUID | None = Field(
        description="The solution request a why-ladder's step hangs from."
    )
    transcript_id: int | None
    segment_id: int | None
    start_ms: int | None
    end_ms: int | None
    speaker: str
    deleted_at: datetime.datetime | None = Field(
        description="Set on a deleted note: only lists asked with updated_since hold them, so a copy kept in step learns of the deletion."
    )
    created_at: datetime.datetime
    updated_at: datetime.datetime


class NoteIn(Input):
    id: uuid.UUID | None = Field(
        default=None,
        description="An id of your making: sending the same note again changes nothing.",
    )
    kind: NoteKind = NoteKind.NOTE
    text: str = Field(min_length=1, max_length=10_000)
    elapsed_seconds: int = Field(default=0, ge=0, le=24 * 3600)
    question_id: Id | None = None
    ladder_of: uuid.UUID | None = None


class NoteFilters(Synced):
    interview: Id | None = None
    study: Id | None = None
    kind: NoteKind | None = None
    source: NoteSource | None = None


def note_out(note: Note) -> dict[str, Any]:
    return {
        "id": note.pk,
        "interview_id": note.interview_id,
        "author_id": note.author_id,
        "kind": note.kind,
        "text": note.text,
        "source": note.source,
        "elapsed_seconds": note.elapsed_seconds,
        "question_id": note.question_id,
        "ladder_of": note.ladder_of_id,
        "transcript_id": note.transcript_id,
        "segment_id": note.segment_id,
        "start_ms": note.start_ms,
        "end_ms": note.end_ms,
        "speaker": note.speaker_label,
        "deleted_at": note.deleted_at,
        "created_at": note.created_at,
        "updated_at": note.updated_at,
    }


@router.get("/notes", response=Page[NoteOut], tags=["notes"])
def list_notes(request: HttpRequest, filters: Query[NoteFilters]) -> dict[str, Any]:
    """Notes and highlights of the workspace's interviews. With `updated_since`, deleted ones
    too (with their `deleted_at`), so that a copy kept in step can drop them."""
    membership = member(request)
    rows = Note.objects.filter(interview__study__workspace=membership.workspace)
    if filters.updated_since is None:
        rows = rows.filter(deleted_at__isnull=True)
    if filters.interview is not None:
        rows = rows.filter(interview_id=filters.interview)
    if filters.study is not None:
        rows = rows.filter(interview__study_id=filters.study)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.source:
        rows = rows.filter(source=filters.source)
    return page(
        rows,
        lambda found: [note_out(n) for n in found],
        filters,
    )


@router.post(
    "/interviews/{interview_id}/notes",
    response={200: NoteOut, 201: NoteOut},
    tags=["notes"],
)
def save_note(request: HttpRequest, interview_id: PathId, body: NoteIn) -> Status[dict[str, Any]]:
    """Add a note to an interview, as the live screen does: it shows on the call's screen,
    in search and in the summary's notes. Sent again with the same `id`, it changes the note
    (201 when made, 200 when changed or unchanged)."""
    interview = get_interview_for(request, ws(request), interview_id, Need.EDIT)  # type: ignore[arg-type]
    data = body.dict()
    data["id"] = str(data["id"] or uuid.uuid4())
    data["question"] = data.pop("question_id")
    data["ladder_of"] = str(data["ladder_of"]) if data["ladder_of"] else None
    existed = Note.objects.filter(pk=data["id"]).exists()
    try:
        note, _changed = live_notes.save_note(interview, request.user, data)  # type: ignore[arg-type]
    except LiveError as error:
        raise HttpError(error.status if error.status != 400 else 422, str(error)) from None
    return Status(200 if existed else 201, note_out(note))


# Transcripts


class SpeakerOut(Schema):
    id: int
    label: str
    role: SpeakerRole
    name: str
    user_id: int | None


class TranscriptOut(Schema):
    id: int
    interview_id: int
    source: TranscriptSource
    status: TranscriptStatus
    language: str
    current: bool = Field(description="False once a newer transcript of the call replaced it.")
    speakers: list[SpeakerOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    url: str


class SegmentOut(Schema):
    id: int
    index: int
    start_ms: int
    end_ms: int
    speaker_id: int | None
    text: str


class SegmentFilters(Paged):
    """A transcript's lines, a page at a time."""


def transcripts_out(transcripts: list[Transcript], ws: str) -> list[dict[str, Any]]:
    from heard.interviews.models import TranscriptSpeaker

    interviews = {t.interview_id for t in transcripts}
    speakers: dict[int, list[dict[str, Any]]] = {pk: [] for pk in interviews}
    for speaker in TranscriptSpeaker.objects.filter(interview__in=interviews).order_by("id"):
        speakers[speaker.interview_id].append(
            {
                "id": speaker.pk,
                "label": speaker.label,
                "role": speaker.role,
                "name": speaker.name,
                "user_id": speaker.user_id,
            }
        )
    return [
        {
            "id": t.pk,
            "interview_id": t.interview_id,
            "source": t.source,
            "status": t.status,
            "language": t.language,
            "current": t.superseded_at is None,
            "speakers": speakers[t.interview_id],
            "created_at": t.created_at,
            "updated_at": t.updated_at,
            "url": link(
                reverse(
                    "transcripts:detail",
                    kwargs={"ws": ws, "pk": t.interview_id, "transcript_pk": t.pk},
                )
            ),
        }
        for t in transcripts
    ]


@router.get(
    "/interviews/{interview_id}/transcripts", response=list[TranscriptOut], tags=["transcripts"]
)
def list_transcripts(request: HttpRequest, interview_id: PathId) -> list[dict[str, Any]]:
    """An interview's transcripts, newest first: the current one, and those it replaced."""
    interview = get_interview_for(request, ws(request), interview_id)  # type: ignore[arg-type]
    found = list(Transcript.objects.filter(interview=interview).order_by("-created_at", "-id"))
    return transcripts_out(found, ws(request))


@router.get(
    "/interviews/{interview_id}/transcripts/{transcript_id}",
    response=TranscriptOut,
    tags=["transcripts"],
)
def get_transcript(
    request: HttpRequest, interview_id: PathId, transcript_id: PathId
) -> dict[str, Any]:
    transcript = get_transcript_for(request, ws(request), interview_id, transcript_id)  # type: ignore[arg-type]
    return transcripts_out([transcript], ws(request))[0]


@router.get(
    "/interviews/{interview_id}/transcripts/{transcript_id}/segments",
    response=Page[SegmentOut],
    tags=["transcripts"],
)
def list_segments(
    request: HttpRequest,
    interview_id: PathId,
    transcript_id: PathId,
    filters: Query[SegmentFilters],
) -> dict[str, Any]:
    """A transcript's lines, in the order they were said."""
    transcript = get_transcript_for(request, ws(request), interview_id, transcript_id)  # type: ignore[arg-type]
    rows = Segment.objects.filter(transcript=transcript).only(
        "id", "index", "start_ms", "end_ms", "speaker_id", "text"
    )
    return page(
        rows,
        lambda found: [
            {
                "id": s.pk,
                "index": s.index,
                "start_ms": s.start_ms,
                "end_ms": s.end_ms,
                "speaker_id": s.speaker_id,
                "text": s.text,
            }
            for s in found
        ],
        filters,
        key="index",
    )

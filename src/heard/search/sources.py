"""Where the entries come from: each stage's rows, read in bulk and turned into `Entry`
objects (unsaved). Every function here reads the database as it stands, so making an entry
again is always right: `heard.search.keeping` calls these after a change, the rebuild for
everything.

What is indexed is what people can find elsewhere in Heard, as it stands now: a transcript's
lines only while it is ready and current (an earlier transcript is not searched), notes not
deleted, the guide's current questions, and summaries, findings, decisions and participants
as they are. Coach reports are never indexed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import F, Q

from heard.guides.models import Question
from heard.interviews.models import (
    Interview,
    Note,
    NoteSource,
    Segment,
    TranscriptSpeaker,
    TranscriptStatus,
)
from heard.participants.models import Participant, ResearchNote
from heard.search.models import Entry, Kind
from heard.synthesis.models import Decision, Finding, PointSummary, Quote, Summary

# How many rows a query reads at a time when everything is indexed again.
BATCH = 2000

SUMMARY_PARTS = (
    # (field, part, tag): `kind:pain` finds the summary's pains as it finds pain notes.
    ("main_pains", "main_pains", "pain"),
    ("solution_requests", "solution_requests", "solution_request"),
    ("surprises", "surprises", "surprise"),
    ("follow_ups", "follow_ups", "follow_up"),
)


def point_list(ids: Iterable[int]) -> str:
    """The points an entry bears on, as `Entry.points` keeps them: ",3,7,"."""
    unique = sorted(set(ids))
    return f",{','.join(map(str, unique))}," if unique else ""


class Context:
    """What the entries of some interviews share: the workspace, study, participant, time
    and language of each interview, and the role of each of its speakers."""

    def __init__(self, interview_ids: Iterable[int]) -> None:
        self.of: dict[int, Any] = {
            row["pk"]: row
            for row in Interview.objects.filter(pk__in=list(interview_ids)).values(
                "pk",
                "study_id",
                "participant_id",
                "starts_at",
                "transcript_language",
                workspace_id=F("study__workspace_id"),
                workspace_language=F("study__workspace__transcript_language"),
            )
        }
        self.roles: dict[int, str] = dict(
            TranscriptSpeaker.objects.filter(interview_id__in=list(self.of)).values_list(
                "pk", "role"
            )
        )

    def entry(self, interview_id: int, **fields: Any) -> Entry:
        row = self.of[interview_id]
        fields.setdefault("language", row["transcript_language"] or row["workspace_language"])
        entry = Entry(
            workspace_id=row["workspace_id"],
            study_id=row["study_id"],
            interview_id=interview_id,
            participant_id=row["participant_id"],
            at=row["starts_at"],
            **fields,
        )
        entry.set_scope(self.roles.get(entry.speaker_id or 0, ""))
        return entry


def of_interviews(interview_ids: Iterable[int]) -> Iterator[Entry]:
    """Every entry of these interviews: transcript lines, notes and highlights, quotes and
    summaries."""
    ids = list(interview_ids)
    context = Context(ids)
    if not context.of:
        return
    ids = list(context.of)
    yield from _segments(context, ids)
    yield from notes(context, Q(interview_id__in=ids))
    yield from quotes(context, Q(point_summary__summary__interview_id__in=ids))
    yield from summaries(context, ids)


def _segments(context: Context, ids: list[int]) -> Iterator[Entry]:
    rows = (
        Segment.objects.filter(
            transcript__interview_id__in=ids,
            transcript__status=TranscriptStatus.READY,
            transcript__superseded_at__isnull=True,
        )
        .order_by("transcript_id", "index")
        .values_list(
            "pk",
            "transcript_id",
            "transcript__interview_id",
            "transcript__language",
            "transcript__created_at",
            "speaker_id",
            "text",
        )
    )
    for pk, transcript, interview, language, created, speaker, text in rows.iterator(BATCH):
        if text.strip():
            extra = {"language": language} if language else {}
            yield context.entry(
                interview,
                kind=Kind.SEGMENT,
                object_id=str(pk),
                transcript_id=transcript,
                speaker_id=speaker,
                created=created,
                text=text,
                **extra,
            )


def notes(context: Context, where: Q) -> Iterator[Entry]:
    rows = list(
        Note.objects.filter(where, deleted_at__isnull=True).values_list(
            "pk",
            "interview_id",
            "kind",
            "source",
            "transcript_id",
            "speaker_id",
            "question_id",
            "created_at",
            "text",
        )
    )
    if not rows:
        return
    points: dict[Any, list[int]] = defaultdict(list)
    for note, point in Note.points.through.objects.filter(
        note_id__in=[row[0] for row in rows]
    ).values_list("note_id", "validationpoint_id"):
        points[note].append(point)
    served = _question_points({row[6] for row in rows if row[6] is not None})
    for pk, interview, kind, source, transcript, speaker, question, created, text in rows:
        highlight = source == NoteSource.RECORDING
        yield context.entry(
            interview,
            kind=Kind.HIGHLIGHT if highlight else Kind.NOTE,
            object_id=str(pk),
            tag=kind,
            transcript_id=transcript if highlight else None,
            speaker_id=speaker,
            points=point_list(points[pk] + served.get(question, [])),
            created=created,
            text=text,
        )


def _question_points(question_ids: set[int]) -> dict[Any, list[int]]:
    served: dict[Any, list[int]] = defaultdict(list)
    for question, point in Question.points.through.objects.filter(
        question_id__in=question_ids
    ).values_list("question_id", "validationpoint_id"):
        served[question].append(point)
    return served


def quotes(context: Context, where: Q) -> Iterator[Entry]:
    rows = Quote.objects.filter(where).values_list(
        "pk",
        "point_summary__summary__interview_id",
        "point_summary__point_id",
        "note__kind",
        "speaker_id",
        "created_at",
        "text",
    )
    for pk, interview, point, kind, speaker, created, text in rows:
        yield context.entry(
            interview,
            kind=Kind.QUOTE,
            object_id=str(pk),
            tag=kind or "",
            speaker_id=speaker,
            points=point_list([point]),
            created=created,
            text=text,
        )


def summaries(context: Context, ids: list[int]) -> Iterator[Entry]:
    fields = [field for field, _, _ in SUMMARY_PARTS]
    for row in Summary.objects.filter(interview_id__in=ids).values(
        "pk", "interview_id", "created_at", *fields
    ):
        for field, part, tag in SUMMARY_PARTS:
            if row[field].strip():
                yield context.entry(
                    row["interview_id"],
                    kind=Kind.SUMMARY,
                    object_id=str(row["pk"]),
                    part=part,
                    tag=tag,
                    created=row["created_at"],
                    text=row[field],
                )
    cells = PointSummary.objects.filter(summary__interview_id__in=ids).exclude(what_we_heard="")
    for pk, interview, point, created, text in cells.values_list(
        "summary_id", "summary__interview_id", "point_id", "summary__created_at", "what_we_heard"
    ):
        if text.strip():
            yield context.entry(
                interview,
                kind=Kind.SUMMARY,
                object_id=str(pk),
                part=f"point{point}",
                tag="heard",
                points=point_list([point]),
                created=created,
                text=text,
            )


# The workspace's own things, not of one interview.


def findings(where: Q) -> Iterator[Entry]:
    rows = list(
        Finding.objects.filter(where).values_list(
            "pk",
            "study_id",
            "study__workspace_id",
            "study__workspace__transcript_language",
            "created_at",
            "statement",
        )
    )
    points: dict[int, list[int]] = defaultdict(list)
    for finding, point in Finding.points.through.objects.filter(
        finding_id__in=[row[0] for row in rows]
    ).values_list("finding_id", "validationpoint_id"):
        points[finding].append(point)
    for pk, study, workspace, language, created, text in rows:
        yield Entry(
            workspace_id=workspace,
            study_id=study,
            language=language,
            kind=Kind.FINDING,
            object_id=str(pk),
            points=point_list(points[pk]),
            at=created,
            created=created,
            text=text,
        )


def decisions(where: Q) -> Iterator[Entry]:
    rows = Decision.objects.filter(where).values_list(
        "pk",
        "study_id",
        "study__workspace_id",
        "study__workspace__transcript_language",
        "decided_at",
        "text",
    )
    for pk, study, workspace, language, decided, text in rows:
        yield Entry(
            workspace_id=workspace,
            study_id=study,
            language=language,
            kind=Kind.DECISION,
            object_id=str(pk),
            at=decided,
            created=decided,
            text=text,
        )


def participants(where: Q) -> Iterator[Entry]:
    """A participant's details (name, company, role, segment, email), profile values and
    research notes, each an entry of its own."""
    rows = list(
        Participant.objects.filter(where, erased_at__isnull=True).values_list(
            "pk",
            "workspace_id",
            "workspace__transcript_language",
            "created_at",
            "name",
            "company",
            "role",
            "segment",
            "email",
            "profile",
        )
    )
    research: dict[int, list[tuple[int, str, str, Any]]] = defaultdict(list)
    for pk, person, source, body, noted in ResearchNote.objects.filter(
        participant_id__in=[row[0] for row in rows]
    ).values_list("pk", "participant_id", "source", "body", "created_at"):
        research[person].append((pk, source, body, noted))
    for pk, workspace, language, created, *details, profile in rows:
        common = {"workspace_id": workspace, "participant_id": pk, "kind": Kind.PARTICIPANT}
        common.update(object_id=str(pk), language=language)
        yield Entry(**common, at=created, created=created, text=" · ".join(d for d in details if d))
        values = [str(value) for value in (profile or {}).values() if str(value).strip()]
        if values:
            yield Entry(
                **common,
                part="profile",
                tag="profile",
                at=created,
                created=created,
                text=" · ".join(values),
            )
        for note, source, body, noted in research[pk]:
            yield Entry(
                **common,
                part=f"note{note}",
                tag="research",
                at=noted,
                created=noted,
                text=f"{source}: {body}" if source else body,
            )


def questions(where: Q) -> Iterator[Entry]:
    rows = list(
        Question.objects.filter(
            where,
            archived_at__isnull=True,
            section__archived_at__isnull=True,
            section__guide__archived_at__isnull=True,
        ).values_list(
            "pk",
            "section__guide__study_id",
            "section__guide__study__workspace_id",
            "section__guide__study__workspace__transcript_language",
            "section__guide__created_at",
            "text",
        )
    )
    served = _question_points({row[0] for row in rows})
    for pk, study, workspace, language, created, text in rows:
        yield Entry(
            workspace_id=workspace,
            study_id=study,
            language=language,
            kind=Kind.QUESTION,
            object_id=str(pk),
            points=point_list(served.get(pk, [])),
            at=created,
            created=created,
            text=text,
        )

"""From search to synthesis: results added as quotes to their interview's summary, under a
validation point, or as evidence to a finding. Each result is found again within the
workspace by its key (`kind:id`), so a key from elsewhere finds nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db import transaction

from heard.accounts.models import User, Workspace
from heard.interviews.models import Note, NoteKind, Segment, SpeakerRole, Transcript
from heard.interviews.transcripts import highlights
from heard.search.models import Entry, Kind
from heard.studies.models import ValidationPoint
from heard.synthesis.findings import services as findings
from heard.synthesis.models import Finding, PointSummary, Quote
from heard.synthesis.summaries import services as summaries

MAX_AT_ONCE = 50


@dataclass
class Outcome:
    added: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def entries_of(workspace: Workspace, keys: list[str]) -> list[Entry]:
    """The workspace's entries the keys name, in the order given, each once."""
    wanted: list[tuple[str, str, str]] = []
    for key in dict.fromkeys(keys[:MAX_AT_ONCE]):
        kind, _, rest = key.partition(":")
        object_id, _, part = rest.partition(":")
        if kind in Kind.values and object_id:
            wanted.append((kind, object_id, part))
    found = {
        (entry.kind, entry.object_id, entry.part): entry
        for entry in Entry.objects.filter(
            workspace=workspace,
            kind__in={kind for kind, _, _ in wanted},
            object_id__in={pk for _, pk, _ in wanted},
        ).only("kind", "object_id", "interview_id", "study_id", "part", "text")
    }
    return [found[key] for key in wanted if key in found]


GONE = "Those results are not there any more (edited or deleted meanwhile): search again."


def _short(text: str) -> str:
    text = " ".join(text.split())
    return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"


def _note_for(entry: Entry, point: ValidationPoint, user: User) -> Note:
    """The note a result is, or a highlight of the whole line for a transcript's line."""
    if entry.kind in (Kind.NOTE, Kind.HIGHLIGHT):
        return Note.objects.get(pk=uuid.UUID(entry.object_id))
    segment = Segment.objects.select_related("speaker").get(pk=int(entry.object_id))
    transcript = Transcript.objects.select_related("recording").get(pk=segment.transcript_id)
    span = highlights.locate(transcript, segment.pk, None, segment.text)
    by_customer = segment.speaker is not None and segment.speaker.role == SpeakerRole.PARTICIPANT
    kind = NoteKind.QUOTE if by_customer else NoteKind.NOTE
    return highlights.add(transcript, span, kind, [point], user)


def add_as_quotes(workspace: Workspace, user: User, keys: list[str], point_pk: int) -> Outcome:
    outcome = Outcome()
    point = (
        ValidationPoint.objects.current()
        .filter(study__workspace=workspace, pk=point_pk)
        .select_related("study")
        .first()
    )
    if point is None:
        outcome.refused.append("Choose a validation point to add the quotes under.")
        return outcome
    entries = entries_of(workspace, keys)
    if not entries:
        outcome.refused.append(GONE)
    for entry in entries:
        words = _short(entry.text)
        if entry.kind not in (Kind.SEGMENT, Kind.NOTE, Kind.HIGHLIGHT):
            outcome.refused.append(f"{words} is not a line or a note: only those become quotes.")
            continue
        if entry.study_id != point.study_id:
            outcome.refused.append(f"{words} is from another study than {point.label}.")
            continue
        try:
            with transaction.atomic():
                note = _note_for(entry, point, user)
                interview = note.interview
                summary = summaries.summary_of(interview) or summaries.start_summary(
                    interview, user
                )
                summaries.add_quote(summary, point, user, note)
        except (summaries.SummaryError, highlights.HighlightError) as error:
            outcome.refused.append(f"{words}: {error}")
            continue
        outcome.added.append(
            f"{words} is a quote for {point.label} in {interview.participant.name}'s summary."
        )
    return outcome


def add_as_evidence(
    workspace: Workspace, user: User, keys: list[str], finding_pk: int, bearing: str
) -> Outcome:
    outcome = Outcome()
    finding = Finding.objects.filter(study__workspace=workspace, pk=finding_pk).first()
    if finding is None:
        outcome.refused.append("Choose a finding to add the evidence to.")
        return outcome
    entries = entries_of(workspace, keys)
    if not entries:
        outcome.refused.append(GONE)
    for entry in entries:
        words = _short(entry.text)
        quote = cell = None
        if entry.kind == Kind.QUOTE:
            quote = (
                Quote.objects.select_related("point_summary__summary__interview")
                .filter(pk=int(entry.object_id))
                .first()
            )
        elif entry.kind == Kind.SUMMARY and entry.part.startswith("point"):
            cell = (
                PointSummary.objects.select_related("summary__interview")
                .filter(
                    summary_id=int(entry.object_id), point_id=int(entry.part.removeprefix("point"))
                )
                .first()
            )
        if quote is None and cell is None:
            outcome.refused.append(
                f"{words}: a finding rests on quotes and on what we heard in a summary; "
                "add it to a summary as a quote first."
            )
            continue
        try:
            findings.pick(finding, user, bearing, quote=quote, cell=cell)
        except findings.FindingError as error:
            outcome.refused.append(f"{words}: {error}")
            continue
        side = "supports" if bearing == "supports" else "contradicts"
        outcome.added.append(f"{words} {side} the finding.")
    return outcome

"""Erasing a participant everywhere, in one transaction, after a preview of exactly what goes.

What goes: their row's personal data and profile, their research notes, the recordings of
their interviews (originals, playback copies, unfinished uploads), the lines of the
transcripts said by anyone but the team (and the team's lines too where asked), the highlights
and quote notes of their words, the summaries' quotes, the follow-up emails to them, the
consent records of their interviews, and the search entries of all that. Their identifiers are
taken out of every text the workspace keeps (`scrubbing`, over the table in `texts`): their
name, email and phone numbers everywhere, and within their own interviews their first and last
names and company too.

What stays: the interviews held with them (when, which study, the team and the team's notes),
now with a participant row that holds no personal data ("Erased participant"), so that the
study's history and the matrix keep their shape; the summaries' interpretation (scrubbed),
shown as resting on an erased participant; findings and decisions, which lose the evidence
that came from those interviews, each loss recorded without the words (the finding says
"evidence erased" and its counts change; decisions taken on it are flagged); and the
tombstone (`Erasure`): who erased, when, how much of each kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone

from heard.accounts.models import User
from heard.followups.models import FollowUp
from heard.interviews.models import (
    ConsentRecord,
    Interview,
    InterviewStatus,
    Note,
    NoteKind,
    NoteSource,
    Recording,
    Segment,
    SpeakerRole,
    Transcript,
    TranscriptSpeaker,
    TranscriptStatus,
)
from heard.interviews.models.transcripts import UNFINISHED
from heard.interviews.recordings.services import delete_recording
from heard.interviews.signals import changed as evidence_changed
from heard.participants.models import Participant, Recontact, ResearchNote
from heard.privacy import scrubbing
from heard.privacy.models import Erasure
from heard.privacy.texts import TEXTS, Texts
from heard.search import keeping
from heard.search.models import Entry
from heard.synthesis.findings.services import record_removed
from heard.synthesis.matrix import exports
from heard.synthesis.models import Evidence, Quote
from heard.synthesis.reviews.decisions import resting_on

ERASED_NAME = "Erased participant"
ERASED_WHY = "The participant it came from was erased"
ERASED_WORDS = "(not kept: the participant was erased)"


class ErasureRefused(Exception):
    """An erasure that cannot run now, with the reason to show."""


@dataclass
class Preview:
    """Exactly what an erasure would do: counts per kind, and what it would say."""

    participant: Participant
    team_side: bool
    counts: dict[str, int] = field(default_factory=dict)
    recording_bytes: int = 0
    refusals: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        """What the person confirming saw: an erasure that would now do more asks again."""
        return ",".join(f"{key}={value}" for key, value in sorted(self.counts.items()))


def _interviews(participant: Participant) -> QuerySet[Interview]:
    return Interview.objects.filter(participant=participant)


def _their_lines(interviews: QuerySet[Interview], team_side: bool) -> QuerySet[Segment]:
    """The transcript lines that go: said by anyone the team did not say was the team (and
    with `team_side`, every line)."""
    lines = Segment.objects.filter(transcript__interview__in=interviews)
    if team_side:
        return lines
    return lines.exclude(speaker__role=SpeakerRole.TEAM)


def _their_words(interviews: QuerySet[Interview]) -> QuerySet[Note]:
    """The notes that are their words: highlights of the transcript and quote notes (a
    highlight's source is the transcript whatever its kind)."""
    return Note.objects.filter(interview__in=interviews).filter(
        Q(source=NoteSource.RECORDING) | Q(kind=NoteKind.QUOTE)
    )


def _evidence(interviews: QuerySet[Interview]) -> QuerySet[Evidence]:
    """The findings' evidence that came from these interviews: their quotes and their
    summaries' cells."""
    return Evidence.objects.filter(
        Q(quote__point_summary__summary__interview__in=interviews)
        | Q(point_summary__summary__interview__in=interviews)
    ).select_related("finding", "quote__point_summary__summary", "point_summary__summary")


def identifiers_of(
    participant: Participant, interviews: QuerySet[Interview], *, close: bool
) -> scrubbing.Identifiers:
    """The participant's identifiers (their phone numbers from their profile, research notes
    and transcript lines), and their words that go (highlights, quote notes and quotes; within
    their interviews, their transcript lines too); `close`: for texts of their own
    interviews."""
    texts = [str(value) for value in (participant.profile or {}).values()]
    texts += list(participant.notes.values_list("body", flat=True))
    lines = list(_their_lines(interviews, team_side=False).values_list("text", flat=True))
    said = list(_their_words(interviews).values_list("text", flat=True))
    said += list(
        Quote.objects.filter(point_summary__summary__interview__in=interviews).values_list(
            "text", flat=True
        )
    )
    return scrubbing.identifiers(
        participant.name,
        participant.email,
        scrubbing.phones_in([*texts, *lines]),
        participant.company,
        [*said, *lines] if close else said,
        close=close,
    )


def _matching(texts: Texts, rows: QuerySet[Any], searched: list[str]) -> QuerySet[Any]:
    """The rows of `rows` whose texts may hold one of `searched` (case aside), read first by
    the database; the scrubber decides."""
    condition = Q()
    for name in (*texts.fields, *texts.json):
        for value in searched:
            condition |= Q(**{f"{name}__icontains": value})
    return rows.filter(condition) if condition else rows.none()


@dataclass(frozen=True)
class Scrub:
    """What to take out of the texts that stay, read before anything of theirs goes: within
    their interviews (`close`), and elsewhere in the workspace (`wide`)."""

    interview_ids: list[int]
    close: scrubbing.Identifiers
    wide: scrubbing.Identifiers


def scrub_of(participant: Participant) -> Scrub:
    interviews = _interviews(participant)
    return Scrub(
        list(interviews.values_list("pk", flat=True)),
        identifiers_of(participant, interviews, close=True),
        identifiers_of(participant, interviews, close=False),
    )


def _texts_to_scrub(
    participant: Participant, scrub: Scrub
) -> Iterable[tuple[Texts, QuerySet[Any], scrubbing.Identifiers]]:
    """Each table's rows that may name the participant: within their interviews by their
    close identifiers, elsewhere in the workspace by their name, email, phones and words."""
    interview_ids, close, wide = scrub.interview_ids, scrub.close, scrub.wide
    for texts in TEXTS:
        rows = texts.model._default_manager.filter(**{texts.workspace: participant.workspace})
        if texts.interview is not None:
            # Their interviews' rows are few: each is read (their lines are many words).
            theirs = Q(**{f"{texts.interview}__in": interview_ids})
            yield texts, rows.filter(theirs), close
            yield texts, _matching(texts, rows.exclude(theirs), wide.searched), wide
        else:
            yield texts, _matching(texts, rows, wide.searched), wide


def preview(participant: Participant, *, team_side: bool = False) -> Preview:
    """What erasing `participant` would do, counted."""
    found = Preview(participant, team_side)
    if participant.is_erased:
        found.refusals.append("This participant was erased already.")
        return found
    interviews = _interviews(participant)
    live = interviews.filter(status=InterviewStatus.LIVE).count()
    if live:
        found.refusals.append(
            f"An interview with them is under way ({live}): end it first, then erase them."
        )
    recordings = Recording.objects.filter(interview__in=interviews)
    evidence = list(_evidence(interviews))
    findings = {e.finding_id for e in evidence}
    decisions = resting_on([e.finding for e in evidence])
    found.counts = {
        "interviews": interviews.count(),
        "scheduled_interviews_cancelled": interviews.filter(
            status=InterviewStatus.SCHEDULED
        ).count(),
        "research_notes": ResearchNote.objects.filter(participant=participant).count(),
        "recordings": recordings.count(),
        "transcript_lines": _their_lines(interviews, team_side).count(),
        "transcriptions_stopped": Transcript.objects.filter(
            interview__in=interviews, status__in=UNFINISHED
        ).count(),
        "highlights_and_quote_notes": _their_words(interviews).count(),
        "summary_quotes": Quote.objects.filter(
            point_summary__summary__interview__in=interviews
        ).count(),
        "follow_up_emails": FollowUp.objects.filter(interview__in=interviews).count(),
        "consent_records": ConsentRecord.objects.filter(interview__in=interviews).count(),
        "pieces_of_finding_evidence": len(evidence),
        "findings_flagged": len(findings),
        "decisions_flagged": len(decisions),
        "search_entries": Entry.objects.filter(
            Q(participant=participant) | Q(interview__in=interviews)
        ).count(),
    }
    found.counts["other_texts_that_name_them"] = _scrub(
        participant, scrub_of(participant), dry=True
    )
    found.recording_bytes = int(recordings.aggregate(total=Sum("size"))["total"] or 0)
    if found.counts["transcriptions_stopped"]:
        found.notices.append("Transcriptions still running on their recordings are stopped.")
    if decisions:
        found.notices.append(
            f"{len(decisions)} decision{'s rest' if len(decisions) != 1 else ' rests'} on "
            "findings that lose evidence: the decision log flags them."
        )
    return found


def erase(
    participant: Participant, by: User | None, *, team_side: bool = False, seen: str | None = None
) -> Erasure:
    """Erase `participant` (see the module's docstring). `seen`, the fingerprint of the
    preview the person confirmed: if there is more to erase now, they look again."""
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        if locked.is_erased:
            raise ErasureRefused("This participant was erased already.")
        found = preview(locked, team_side=team_side)
        if found.refusals:
            raise ErasureRefused(" ".join(found.refusals))
        if seen is not None and seen != found.fingerprint:
            raise ErasureRefused(
                "There is more to erase than the preview showed: look at it again."
            )
        interviews = _interviews(locked)
        scrub = scrub_of(locked)
        ids = scrub.interview_ids
        _erase_their_words(locked, interviews, team_side, by)
        _scrub(locked, scrub)
        _empty_the_row(locked)
        erasure = Erasure.objects.create(
            workspace_id=locked.workspace_id,
            participant=locked,
            erased_by=by,
            erased_at=timezone.now(),
            team_side_erased=team_side,
            counts={**found.counts, "recording_bytes": found.recording_bytes},
        )
        keeping.participants(Q(pk=locked.pk))
        exports.forget_studies_of(ids)
        for pk in ids:
            evidence_changed(pk)
        keeping.interviews(ids)
    _settle_the_file()
    return erasure


def _erase_their_words(
    participant: Participant, interviews: QuerySet[Interview], team_side: bool, by: User | None
) -> None:
    now = timezone.now()
    # A newer SEQUENCE, so that calendars holding the invitation or the feed cancel it too.
    interviews.filter(status=InterviewStatus.SCHEDULED).update(
        status=InterviewStatus.CANCELLED, sequence=F("sequence") + 1, updated_at=now
    )
    ResearchNote.objects.filter(participant=participant).delete()
    for recording in Recording.objects.filter(interview__in=interviews):
        delete_recording(recording, with_transcripts=team_side)
    Transcript.objects.filter(interview__in=interviews, status__in=UNFINISHED).update(
        status=TranscriptStatus.CANCELLED, run_token="", finished_at=now
    )
    if team_side:
        Transcript.objects.filter(interview__in=interviews).delete()
    else:
        _their_lines(interviews, team_side=False).delete()
        TranscriptSpeaker.objects.filter(interview__in=interviews).exclude(
            role=SpeakerRole.TEAM
        ).update(label="Participant", name="")
    evidence = list(_evidence(interviews))
    record_removed(evidence, by, ERASED_WHY, words=ERASED_WORDS)
    Evidence.objects.filter(pk__in=[e.pk for e in evidence]).delete()
    Quote.objects.filter(point_summary__summary__interview__in=interviews).delete()
    _their_words(interviews).delete()
    FollowUp.objects.filter(interview__in=interviews).delete()
    ConsentRecord.objects.filter(interview__in=interviews).delete()
    Entry.objects.filter(Q(participant=participant) | Q(interview__in=interviews)).delete()


def _scrub(participant: Participant, scrub: Scrub, *, dry: bool = False) -> int:
    """Take their identifiers out of every text that stays; how many rows that changes
    (`dry`: counted only)."""
    return sum(
        scrubbing.rewrite(texts, rows, found, dry=dry)
        for texts, rows, found in _texts_to_scrub(participant, scrub)
    )


def _empty_the_row(participant: Participant) -> None:
    participant.name = ERASED_NAME
    participant.email = ""
    participant.company = ""
    participant.role = ""
    participant.segment = ""
    participant.profile = {}
    participant.recontact = Recontact.UNKNOWN
    participant.recontact_at = None
    participant.erased_at = timezone.now()
    participant.save()


def _settle_the_file() -> None:
    """On SQLite, write the erasure out of the write-ahead log into the database file, whose
    freed pages SQLite overwrites (`secure_delete`): nothing erased stays readable in either.
    PostgreSQL reuses the space of deleted rows once vacuumed (autovacuum, or `VACUUM`)."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")

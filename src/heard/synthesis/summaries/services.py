"""Summary rules: starting one, what it shows per validation point, its writes, marking it
final once its checks (`checks.py`) were seen.

Pre-filled, never auto-decided: candidate quotes are offered from the notes (`notes.py`),
stances stay "not set" until a person picks one, and the objectivity checks point at what
deserves a second look without stopping the team from marking the summary final.

Concurrent edits: every write changes one field (a stance, one text, one quote) under a lock
on the summary, so the last write wins per field and nothing else is overwritten; quotes are
rows of their own, so two people adding quotes never lose one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from heard.accounts.models import User
from heard.core.ordering import next_position
from heard.core.queries import count_of
from heard.interviews.models import Interview, InterviewStatus, Note, NoteKind
from heard.interviews.services import kept_notes
from heard.interviews.signals import after_commit
from heard.studies.models import ValidationPoint
from heard.synthesis import signals
from heard.synthesis.findings import services as findings
from heard.synthesis.models import (
    Evidence,
    PointSummary,
    Quote,
    Stance,
    Summary,
    SummaryStatus,
)
from heard.synthesis.points import points_spoken_to
from heard.synthesis.summaries import checks, notes

TEXT_FIELDS = ("main_pains", "solution_requests", "surprises", "follow_ups")


class SummaryError(Exception):
    """A change the summary refuses, with the reason to show."""


class SummaryIsFinal(SummaryError):
    def __init__(self) -> None:
        super().__init__("This summary is final. Reopen it to change it.")


class ChecksChanged(SummaryError):
    def __init__(self) -> None:
        super().__init__(
            "The summary changed since you looked at the checks. Look at them again, then mark it final."
        )


# Reading ---------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One validation point as the summary stands on it: a cell of the synthesis matrix.

    A point nobody has written on yet (or one added to the study later) has no row: it reads
    as not set, with no quote.
    """

    point: ValidationPoint
    stance: str = Stance.UNSET
    what_we_heard: str = ""
    quotes: list[Quote] = field(default_factory=list)
    candidates: list[Note] = field(default_factory=list)
    """The notes taken on the questions that serve the point, not picked for it yet."""
    others: list[Note] = field(default_factory=list)
    """Every other note of the interview not picked for it yet (those matching the search,
    if there is one)."""
    others_count: int = 0
    """How many other notes there are, search aside."""

    @property
    def stance_label(self) -> str:
        return Stance(self.stance).label


def summary_of(interview: Interview) -> Summary | None:
    summary = Summary.objects.select_related("author", "finalised_by").filter(interview=interview)
    found = summary.first()
    if found is not None:
        found.interview = interview
    return found


@dataclass(frozen=True)
class Search:
    """Words to look for among the other notes offered under one point (or under all)."""

    words: str = ""
    point_id: int | None = None

    def applies_to(self, point: ValidationPoint) -> bool:
        return bool(self.words.strip()) and self.point_id in (None, point.pk)


def entries(
    summary: Summary, *, offered: notes.Candidates | None = None, search: Search | None = None
) -> list[Entry]:
    """Every validation point of the study, in order, with its stance, quotes and, if given,
    the notes not picked for it yet: its own question's first, then every other one."""
    rows = {row.point_id: row for row in summary.points.all()}
    quotes: dict[int, list[Quote]] = defaultdict(list)
    # How many findings' evidence each quote is: removing it asks first (`remove_quote`).
    picked = (
        Quote.objects.filter(point_summary__summary=summary)
        .select_related("note", "point_summary", "speaker", "speaker__user")
        .annotate(evidence_count=count_of(Evidence, "quote"))
    )
    for quote in picked.order_by("position", "id"):
        quotes[quote.point_summary.point_id].append(quote)
    result = []
    for point in points_spoken_to(summary.interview.study, Q(summary=summary)):
        row = rows.get(point.pk)
        entry = Entry(point, quotes=quotes[point.pk])
        if row is not None:
            entry.stance, entry.what_we_heard = row.stance, row.what_we_heard
        if offered is not None:
            taken = {quote.note_id for quote in entry.quotes}
            entry.candidates = [n for n in offered.by_point.get(point.pk, []) if n.pk not in taken]
            shown = taken | {note.pk for note in entry.candidates}
            entry.others = [note for note in offered.every if note.pk not in shown]
            entry.others_count = len(entry.others)
            if search is not None and search.applies_to(point):
                entry.others = notes.matching(entry.others, search.words)
        result.append(entry)
    return result


def notes_of(summary: Summary) -> list[Note]:
    return list(kept_notes(summary.interview))


def offered(summary: Summary, kept: list[Note]) -> notes.Candidates:
    point_ids = points_spoken_to(summary.interview.study, Q(summary=summary)).values_list(
        "pk", flat=True
    )
    return notes.candidates(kept, list(point_ids))


# Writing ---------------------------------------------------------------------------------------


@transaction.atomic
def start_summary(interview: Interview, user: User) -> Summary:
    """Start the summary of a finished interview, its texts pre-filled from the notes.

    Starting it again (two people at once, a second click) returns the one there is."""
    if interview.status != InterviewStatus.DONE:
        raise SummaryError(
            "A summary starts once the interview is over: end the call in the live companion."
        )
    texts = notes.prefill(notes.digest(list(kept_notes(interview))))
    summary, _ = Summary.objects.get_or_create(
        interview=interview, defaults={"author": user, **texts}
    )
    return summary


def _draft(summary: Summary) -> Summary:
    """The summary, locked until the end of the transaction; refused once final."""
    locked = Summary.objects.select_for_update().get(pk=summary.pk)
    if locked.is_final:
        raise SummaryIsFinal
    return locked


def _row(summary: Summary, point: ValidationPoint) -> PointSummary:
    row, _ = PointSummary.objects.get_or_create(summary=summary, point=point)
    return row


def _touch(summary: Summary) -> None:
    Summary.objects.filter(pk=summary.pk).update(updated_at=timezone.now())


@transaction.atomic
def set_point_field(
    summary: Summary, point: ValidationPoint, user: User, name: str, value: str
) -> None:
    """Set the stance or the "What we heard" of one point, and nothing else."""
    if name not in ("stance", "what_we_heard"):
        raise ValueError(name)
    _draft(summary)
    row = _row(summary, point)
    setattr(row, name, value)
    row.updated_by = user
    row.save(update_fields=[name, "updated_by", "updated_at"])
    _touch(summary)


@transaction.atomic
def set_text(summary: Summary, name: str, value: str) -> None:
    """Set one of the summary's own texts (TEXT_FIELDS), and nothing else."""
    if name not in TEXT_FIELDS:
        raise ValueError(name)
    locked = _draft(summary)
    setattr(locked, name, value)
    locked.save(update_fields=[name, "updated_at"])


@transaction.atomic
def move_measure(summary: Summary, kpi: Note, pain: Note | None) -> bool:
    """Say which pain a KPI note measures (None: no pain, a measure on its own).

    The pains text follows when it still says what the notes give (nobody edited it since it
    was filled); otherwise it is the team's text, left as it is. Returns whether it followed."""
    locked = _draft(summary)
    if kpi.interview_id != summary.interview_id or kpi.kind != NoteKind.KPI:
        raise SummaryError("That note is not a KPI of this interview.")
    if pain is not None and (
        pain.interview_id != summary.interview_id or pain.kind != NoteKind.PAIN
    ):
        raise SummaryError("That note is not a pain of this interview.")
    kept = list(kept_notes(summary.interview))
    before = notes.prefill(notes.digest(kept, locked.measures))["main_pains"]
    locked.measures = {**locked.measures, str(kpi.pk): str(pain.pk) if pain else ""}
    changed = ["measures", "updated_at"]
    follows = locked.main_pains.strip() == before.strip()
    if follows:
        locked.main_pains = notes.prefill(notes.digest(kept, locked.measures))["main_pains"]
        changed.append("main_pains")
    locked.save(update_fields=changed)
    return follows


@transaction.atomic
def add_quote(summary: Summary, point: ValidationPoint, user: User, note: Note) -> Quote:
    """Quote a note of this interview under a point, word for word; a second pick of the same
    note for the same point returns the first."""
    _draft(summary)
    if note.interview_id != summary.interview_id or note.deleted_at is not None:
        raise SummaryError("That note is not among this interview's notes.")
    row = _row(summary, point)
    quote, _ = Quote.objects.get_or_create(
        point_summary=row,
        note=note,
        defaults={
            "text": note.text,
            "source_text": note.text,
            "source_seconds": note.elapsed_seconds,
            "position": next_position(row.quotes.all()),
            "added_by": user,
            **_from_transcript(note),
        },
    )
    _touch(summary)
    return quote


def _from_transcript(note: Note) -> dict[str, Any]:
    """What a quote keeps of a highlight: where on the recording it was said, and by whom."""
    if not note.is_highlight:
        return {}
    transcript = note.transcript
    return {
        "from_transcript": True,
        "recording_id": transcript.recording_id if transcript is not None else None,
        "start_ms": note.start_ms,
        "end_ms": note.end_ms,
        "speaker_id": note.speaker_id,
        "speaker_label": note.speaker_label,
    }


@transaction.atomic
def edit_quote(quote: Quote, *, text: str | None = None, bearing: str | None = None) -> Quote:
    """Change a quote's words or whether it speaks for or against its point."""
    _draft(quote.point_summary.summary)
    changed = []
    if text is not None:
        quote.text = text
        changed.append("text")
    if bearing is not None:
        quote.bearing = bearing
        changed.append("bearing")
    if changed:
        quote.save(update_fields=[*changed, "updated_at"])
        _touch(quote.point_summary.summary)
    return quote


class EvidenceNotConfirmed(SummaryError):
    """The quote backs findings that the person did not see listed: they look again first."""

    def __init__(self) -> None:
        super().__init__("This quote is evidence for findings: see which before removing it.")


@transaction.atomic
def remove_quote(quote: Quote, user: User | None = None, *, seen: int | None = None) -> None:
    """Remove a quote from its summary. The findings' evidence it was goes with it, and each
    such finding keeps a record of what it lost (which flags decisions taken on it before);
    `seen`, how many pieces of evidence the person was shown, must cover them all."""
    _draft(quote.point_summary.summary)
    evidence = findings.resting_on(quote)
    if evidence and (seen is None or seen < len(evidence)):
        raise EvidenceNotConfirmed
    findings.record_removed(evidence, user, "Its quote was removed from the summary")
    quote.delete()
    _touch(quote.point_summary.summary)


@transaction.atomic
def finalise(summary: Summary, user: User, *, seen: str, acknowledged: bool) -> Summary:
    """Mark the summary final once its checks were seen (and confirmed, if any fired).

    `seen` is the fingerprint of the checks the person looked at: if the summary changed
    since, they look again rather than confirm checks they never saw."""
    locked = _draft(summary)
    locked.interview = summary.interview
    results = checks.objectivity_checks(entries(locked))
    if checks.fingerprint(results) != seen:
        raise ChecksChanged
    if results and not acknowledged:
        raise SummaryError("Confirm that you looked at the checks before marking it final.")
    _set_status(locked, SummaryStatus.FINAL, user, [result.record() for result in results])
    after_commit(signals.summary_finalised, summary_id=locked.pk)
    return locked


@transaction.atomic
def reopen(summary: Summary) -> None:
    locked = Summary.objects.select_for_update().get(pk=summary.pk)
    _set_status(locked, SummaryStatus.DRAFT, None, [])


def _set_status(
    summary: Summary, status: str, by: User | None, acknowledged: list[dict[str, Any]]
) -> None:
    summary.status = status
    summary.finalised_at = timezone.now() if by else None
    summary.finalised_by = by
    summary.acknowledged_checks = acknowledged
    summary.save(
        update_fields=[
            "status",
            "finalised_at",
            "finalised_by",
            "acknowledged_checks",
            "updated_at",
        ]
    )

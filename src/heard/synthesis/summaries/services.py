"""Summary rules: starting one, what it shows per validation point, its writes, its checks.

Pre-filled, never auto-decided: candidate quotes are offered from the notes (`notes.py`),
stances stay "not set" until a person picks one, and the objectivity checks point at what
deserves a second look without stopping the team from marking the summary final.

Concurrent edits: every write changes one field (a stance, one text, one quote) under a lock
on the summary, so the last write wins per field and nothing else is overwritten; quotes are
rows of their own, so two people adding quotes never lose one.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone

from heard.accounts.models import User
from heard.core.bidi import isolated
from heard.core.ordering import next_position
from heard.interviews.models import Interview, InterviewStatus, Note
from heard.interviews.services import kept_notes
from heard.studies.models import ValidationPoint
from heard.synthesis.models import (
    Bearing,
    PointSummary,
    Quote,
    Stance,
    Summary,
    SummaryStatus,
)
from heard.synthesis.summaries import notes

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

    @property
    def stance_label(self) -> str:
        return Stance(self.stance).label


def summary_of(interview: Interview) -> Summary | None:
    summary = Summary.objects.select_related("author", "finalised_by").filter(interview=interview)
    found = summary.first()
    if found is not None:
        found.interview = interview
    return found


def entries(summary: Summary, *, offered: notes.Candidates | None = None) -> list[Entry]:
    """Every validation point of the study, in order, with its stance, quotes and, if given,
    the candidates not picked yet."""
    rows = {row.point_id: row for row in summary.points.all()}
    quotes: dict[int, list[Quote]] = defaultdict(list)
    picked = Quote.objects.filter(point_summary__summary=summary).select_related(
        "note", "point_summary"
    )
    for quote in picked.order_by("position", "id"):
        quotes[quote.point_summary.point_id].append(quote)
    result = []
    for point in summary.interview.study.points.all():
        row = rows.get(point.pk)
        entry = Entry(point, quotes=quotes[point.pk])
        if row is not None:
            entry.stance, entry.what_we_heard = row.stance, row.what_we_heard
        if offered is not None:
            taken = {quote.note_id for quote in entry.quotes}
            entry.candidates = [n for n in offered.by_point.get(point.pk, []) if n.pk not in taken]
        result.append(entry)
    return result


def notes_of(summary: Summary) -> list[Note]:
    return list(kept_notes(summary.interview))


def offered(summary: Summary, kept: list[Note]) -> notes.Candidates:
    point_ids = summary.interview.study.points.values_list("pk", flat=True)
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
        },
    )
    _touch(summary)
    return quote


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


@transaction.atomic
def remove_quote(quote: Quote) -> None:
    _draft(quote.point_summary.summary)
    quote.delete()
    _touch(quote.point_summary.summary)


@transaction.atomic
def finalise(summary: Summary, user: User, *, seen: str, acknowledged: bool) -> Summary:
    """Mark the summary final once its checks were seen (and confirmed, if any fired).

    `seen` is the fingerprint of the checks the person looked at: if the summary changed
    since, they look again rather than confirm checks they never saw."""
    locked = _draft(summary)
    locked.interview = summary.interview
    results = objectivity_checks(entries(locked))
    if fingerprint(results) != seen:
        raise ChecksChanged
    if results and not acknowledged:
        raise SummaryError("Confirm that you looked at the checks before marking it final.")
    _set_status(locked, SummaryStatus.FINAL, user, [result.record() for result in results])
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


# Objectivity checks ----------------------------------------------------------------------------


class Check(StrEnum):
    NOT_SET = "not_set"
    SILENT = "silent"
    NO_QUOTE = "no_quote"
    AGAINST_STANCE = "against_stance"
    EDITED = "edited"
    SOURCE_GONE = "source_gone"


@dataclass(frozen=True)
class CheckResult:
    """One check that fires, on one point (and one quote, for the checks of a quote)."""

    check: Check
    point: ValidationPoint
    message: str
    quote: Quote | None = None

    def record(self) -> dict[str, Any]:
        return {"check": str(self.check), "point": self.point.label, "message": self.message}


# A stance that takes a side needs a quote behind it.
TAKES_A_SIDE = (Stance.SUPPORTS, Stance.CONTRADICTS, Stance.MIXED)


def objectivity_checks(points: list[Entry]) -> list[CheckResult]:
    """What deserves a second look before the summary is final, point by point.

    - a point with no stance yet, or left silent (nothing in the interview speaks to it);
    - an interpretation, or a stance that takes a side, with no quote behind it;
    - a stance its own quotes contradict, by the for/against marks people give the quotes:
      "supports" with a quote marked against (or none marked for), "contradicts" likewise,
      "mixed" without a quote on each side, "silent" with quotes picked;
    - a quote whose words are no longer the note's (an excerpt, word for word, is fine), or
      whose note was deleted from the call.
    """
    results: list[CheckResult] = []
    for entry in points:
        results += [CheckResult(check, entry.point, message) for check, message in _stance(entry)]
        for quote in entry.quotes:
            results += [
                CheckResult(check, entry.point, message, quote) for check, message in _source(quote)
            ]
    return results


def _stance(entry: Entry) -> list[tuple[Check, str]]:
    quotes = entry.quotes
    found = []
    if entry.stance == Stance.UNSET:
        found.append((Check.NOT_SET, "No stance yet: pick one, or “silent” if nothing was said."))
    elif entry.stance == Stance.SILENT:
        found.append(
            (Check.SILENT, "Left silent: cover it in a follow-up or in the next interview.")
        )
    if not quotes:
        if entry.what_we_heard.strip():
            found.append((Check.NO_QUOTE, "“What we heard” has no quote behind it."))
        elif entry.stance in TAKES_A_SIDE:
            found.append((Check.NO_QUOTE, f"“{entry.stance_label}” has no quote behind it."))
        return found
    marked_for = sum(1 for quote in quotes if quote.bearing == Bearing.FOR)
    against = sum(1 for quote in quotes if quote.bearing == Bearing.AGAINST)
    message = _against_stance(entry.stance, len(quotes), marked_for, against)
    if message:
        found.append((Check.AGAINST_STANCE, message))
    return found


def _against_stance(stance: str, picked: int, marked_for: int, against: int) -> str:
    sides = f"{marked_for} marked for, {against} against"
    if stance == Stance.SILENT:
        return f"Marked “silent”, yet {picked} quote{'s' if picked > 1 else ''} picked for it."
    if stance == Stance.SUPPORTS and (against or not marked_for):
        return f"Marked “supports”, but its quotes do not back it ({sides}). Mixed?"
    if stance == Stance.CONTRADICTS and (marked_for or not against):
        return f"Marked “contradicts”, but its quotes do not back it ({sides}). Mixed?"
    if stance == Stance.MIXED and not (marked_for and against):
        return f"Marked “mixed”, but its quotes are not on both sides ({sides})."
    return ""


def _source(quote: Quote) -> list[tuple[Check, str]]:
    found = []
    excerpt = isolated(_excerpt(quote.text))  # the quote's own direction inside the sentence
    if not quote.is_verbatim:
        found.append((Check.EDITED, f"A quote is not the note's words any more: “{excerpt}”."))
    if quote.source_is_gone:
        found.append((Check.SOURCE_GONE, f"A quote's note was deleted from the call: “{excerpt}”."))
    return found


def _excerpt(text: str, length: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def fingerprint(results: list[CheckResult]) -> str:
    """Names the checks a person saw, so that confirming them confirms exactly those."""
    lines = "\n".join(f"{r.check}|{r.point.pk}|{r.message}" for r in results)
    return hashlib.sha256(lines.encode()).hexdigest()[:20]

"""Findings: statements the team believes, the evidence behind them, and what it weighs.

Reading a finding weighs it (`weight.py`: distinct interviews, participants, companies and
segments, for it and against it); the evidence picker offers the study's summary cells and
quotes; writing one links it to its validation points and its evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from heard.accounts.models import User
from heard.interviews.models import Interview
from heard.interviews.recordings.moments import Moments
from heard.studies.models import Study, ValidationPoint
from heard.synthesis.findings.weight import Warning, Weight, source_of, warnings, weigh
from heard.synthesis.models import (
    Evidence,
    EvidenceBearing,
    Finding,
    PointSummary,
    Quote,
    RemovedEvidence,
    Stance,
)


class FindingError(Exception):
    """A change to a finding that Heard refuses, with the reason to show."""


# Reading ----------------------------------------------------------------------------------------

# Each piece of evidence reaches its interview and participant in the same query.
EVIDENCE_PATHS = (
    "quote__note",
    "quote__speaker__user",
    "quote__point_summary__point",
    "quote__point_summary__summary__interview__participant",
    "point_summary__point",
    "point_summary__summary__interview__participant",
)


def evidence_rows() -> QuerySet[Evidence]:
    return Evidence.objects.select_related(*EVIDENCE_PATHS).order_by("created_at", "id")


def ordered_points() -> QuerySet[ValidationPoint]:
    return ValidationPoint.objects.order_by("position", "id")


@dataclass
class Weighed:
    """A finding with its evidence (as prefetched), sorted by side, and its weight."""

    finding: Finding
    supporting: list[Evidence]
    contradicting: list[Evidence]
    weight: Weight
    warnings: list[Warning]
    number: int = 0
    """Its place in the study's list, from 1: "finding 2 of 5"."""

    @property
    def points(self) -> list[ValidationPoint]:
        return list(self.finding.points.all())

    @property
    def evidence(self) -> list[Evidence]:
        return self.supporting + self.contradicting


def weighed(finding: Finding, number: int = 0) -> Weighed:
    """Weigh a finding whose points and evidence were prefetched (`with_evidence`)."""
    rows = list(finding.evidence.all())
    supporting = [e for e in rows if e.bearing == EvidenceBearing.SUPPORTS]
    contradicting = [e for e in rows if e.bearing == EvidenceBearing.CONTRADICTS]
    weight = weigh(source_of(e) for e in rows)
    return Weighed(finding, supporting, contradicting, weight, warnings(weight, supporting), number)


def mark_moments(items: Iterable[Weighed], ws: str) -> None:
    """Put on each quote of the findings' evidence who said it and the moment of the
    recording it plays (`moments`): one query for them all."""
    quoted = [e for item in items for e in item.evidence if e.quote is not None]
    moments = Moments(ws, {e.interview.pk for e in quoted})
    for e in quoted:
        moments.mark_quotes([e.quote], e.interview)


def mark_picker_moments(points: Iterable[PickerPoint], ws: str) -> None:
    """The same for the quotes the evidence picker offers."""
    cells = [cell for point in points for cell in point.cells]
    moments = Moments(ws, {cell.row.summary.interview_id for cell in cells})
    for cell in cells:
        moments.mark_quotes([offered.quote for offered in cell.quotes], cell.row.summary.interview)


def with_evidence(findings: QuerySet[Finding]) -> QuerySet[Finding]:
    """Findings with their points and evidence: three queries however many there are."""
    return findings.prefetch_related(
        Prefetch("points", queryset=ordered_points()),
        Prefetch("evidence", queryset=evidence_rows()),
    ).order_by("created_at", "id")


def findings_of(study: Study) -> list[Weighed]:
    return [
        weighed(finding, number)
        for number, finding in enumerate(with_evidence(study.findings.all()), start=1)
    ]


def one_finding(study: Study, finding: Finding) -> Weighed:
    """The finding, weighed, with its place in the study's list."""
    found = with_evidence(Finding.objects.filter(pk=finding.pk)).get()
    found.study = study
    earlier = study.findings.filter(
        Q(created_at__lt=found.created_at) | Q(created_at=found.created_at, pk__lt=found.pk)
    )
    return weighed(found, earlier.count() + 1)


# The evidence picker ----------------------------------------------------------------------------


class SourceKind(StrEnum):
    """What the picker offers as evidence: a quote, or a whole summary cell. A pick names it
    with its id, as `quote:12` or `cell:34`."""

    QUOTE = "quote"
    CELL = "cell"


@dataclass
class PickedQuote:
    quote: Quote
    picked: Evidence | None = None

    @property
    def source(self) -> str:
        return f"{SourceKind.QUOTE}:{self.quote.pk}"


@dataclass
class Cell:
    """A summary cell (one interview on one point) as the picker offers it."""

    row: PointSummary
    quotes: list[PickedQuote]
    picked: Evidence | None = None

    @property
    def source(self) -> str:
        return f"{SourceKind.CELL}:{self.row.pk}"

    @property
    def interview(self) -> Interview:
        return self.row.summary.interview

    @property
    def stance_label(self) -> str:
        return Stance(self.row.stance).label


@dataclass
class PickerPoint:
    point: ValidationPoint
    cells: list[Cell]
    linked: bool
    """The finding is about this point: it opens first."""

    @property
    def picked(self) -> int:
        return sum(bool(c.picked) + sum(bool(q.picked) for q in c.quotes) for c in self.cells)


def _has_something(row: PointSummary) -> bool:
    return row.stance != Stance.UNSET or bool(row.what_we_heard.strip()) or bool(row.quotes.all())


def picker(finding: Finding) -> list[PickerPoint]:
    """Every summary cell of the study that says something, by validation point (the
    finding's own points first), with its quotes and what is already picked."""
    rows = (
        PointSummary.objects.filter(summary__interview__study_id=finding.study_id)
        .select_related("point", "summary__interview__participant")
        .prefetch_related(
            Prefetch(
                "quotes", queryset=Quote.objects.select_related("note", "speaker", "speaker__user")
            )
        )
        .order_by("point__position", "point_id", "summary__interview__starts_at", "id")
    )
    picked = list(finding.evidence.all())
    by_cell = {e.point_summary_id: e for e in picked if e.point_summary_id}
    by_quote = {e.quote_id: e for e in picked if e.quote_id}
    linked = {p.pk for p in finding.points.all()}
    cells: dict[int, list[Cell]] = {}
    for row in rows:
        if not _has_something(row):
            continue
        quotes = [PickedQuote(q, by_quote.get(q.pk)) for q in row.quotes.all()]
        cells.setdefault(row.point_id, []).append(Cell(row, quotes, by_cell.get(row.pk)))
    # Current points; an archived one only where the finding speaks to it or holds evidence.
    held = {row.point_id for row in rows if row.pk in by_cell} | {
        e.quote.point_summary.point_id for e in picked if e.quote_id and e.quote
    }
    points = [p for p in finding.study.points.all() if not p.is_archived or p.pk in linked | held]
    found = [PickerPoint(p, cells.get(p.pk, []), p.pk in linked) for p in points]
    return sorted(found, key=lambda entry: not entry.linked)


# Writing ----------------------------------------------------------------------------------------


def _points_of(study: Study, points: Iterable[ValidationPoint]) -> list[ValidationPoint]:
    points = list(points)
    if any(p.study_id != study.pk for p in points):
        raise FindingError("A finding speaks to its own study's validation points.")
    return points


@transaction.atomic
def create_finding(
    study: Study, user: User, statement: str, points: Iterable[ValidationPoint]
) -> Finding:
    finding = Finding.objects.create(study=study, statement=statement, created_by=user)
    finding.points.set(_points_of(study, points))
    return finding


@transaction.atomic
def edit_finding(finding: Finding, statement: str, points: Iterable[ValidationPoint]) -> Finding:
    finding.statement = statement
    finding.save(update_fields=["statement", "updated_at"])
    finding.points.set(_points_of(finding.study, points))
    return finding


def quotes_of(study: Study) -> list[Quote]:
    """Every quote of the study's summaries, by validation point, then interview."""
    return list(
        Quote.objects.filter(point_summary__summary__interview__study=study)
        .select_related(
            "note", "point_summary__point", "point_summary__summary__interview__participant"
        )
        .order_by(
            "point_summary__point__position",
            "point_summary__point_id",
            "point_summary__summary__interview__starts_at",
            "position",
            "id",
        )
    )


def quote_of_study(study: Study, pk: int) -> Quote | None:
    return (
        Quote.objects.select_related("note", "point_summary__summary__interview__participant")
        .filter(point_summary__summary__interview__study=study, pk=pk)
        .first()
    )


def cell_of_study(study: Study, pk: int) -> PointSummary | None:
    return PointSummary.objects.filter(summary__interview__study=study, pk=pk).first()


def pick(
    finding: Finding,
    user: User,
    bearing: str | None,
    *,
    quote: Quote | None = None,
    cell: PointSummary | None = None,
) -> Evidence | None:
    """Mark a quote or a summary cell as supporting or contradicting the finding, or (with no
    bearing) take it off. Marking it again with the same bearing changes nothing."""
    if (quote is None) == (cell is None):
        raise ValueError("Pick a quote or a cell.")
    source = quote.point_summary if quote else cell
    if source is None or source.summary.interview.study_id != finding.study_id:
        raise FindingError("That evidence is not from this study's interviews.")
    match = {"finding": finding, "quote": quote, "point_summary": cell}
    with transaction.atomic():
        existing = Evidence.objects.select_for_update().filter(**match).first()
        if bearing is None:
            if existing:
                record_removed([existing], user, "Taken off the finding")
                existing.delete()
            return None
        if existing is None:
            try:
                with transaction.atomic():
                    return Evidence.objects.create(**match, bearing=bearing, added_by=user)
            except IntegrityError:  # picked by someone else a moment ago
                existing = Evidence.objects.select_for_update().get(**match)
        if existing.bearing != bearing:
            # A change of side counts from now: a decision taken before it is flagged.
            existing.bearing, existing.added_by = bearing, user
            existing.save(update_fields=["bearing", "added_by", "updated_at"])
        return existing


# Losing evidence --------------------------------------------------------------------------------


def resting_on(quote: Quote) -> list[Evidence]:
    """The findings' evidence that a quote is: what removing it from its summary takes away."""
    return list(quote.evidence.select_related("finding").order_by("finding__created_at", "id"))


def _words(evidence: Evidence) -> str:
    if evidence.quote is not None:
        return evidence.quote.marked()
    cell = evidence.cell
    heard = f": {cell.what_we_heard.strip()}" if cell.what_we_heard.strip() else ""
    return f"The whole summary of {cell.point.label} ({Stance(cell.stance).label}){heard}"


def record_removed(
    rows: Iterable[Evidence], user: User | None, why: str, *, words: str | None = None
) -> None:
    """Keep what each piece of evidence said before it goes: its finding's page lists it, and
    a decision taken on that finding before now is flagged (`reviews.decisions`). `words`, if
    given, stand for what each said (an erased participant's words are not kept)."""
    now = timezone.now()
    RemovedEvidence.objects.bulk_create(
        RemovedEvidence(
            finding_id=e.finding_id,
            bearing=e.bearing,
            words=_words(e) if words is None else words,
            interview=e.interview,
            why=why,
            removed_by=user,
            removed_at=now,
        )
        for e in rows
    )


def decisions_on(finding: Finding) -> int:
    return finding.decisions.count()


@transaction.atomic
def delete_finding(finding: Finding) -> None:
    """Delete a finding no decision rests on: the decision log keeps what was concluded."""
    Finding.objects.select_for_update().filter(pk=finding.pk).first()
    count = decisions_on(finding)
    if count:
        raise FindingError(
            f"{count} decision{'s rest' if count != 1 else ' rests'} on this finding: it stays, "
            "so that the decision log keeps what was decided and why. Edit its statement or "
            "its evidence instead."
        )
    finding.delete()

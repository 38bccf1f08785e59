"""After the calls: each interview's summary (its cells and quotes), a study's matrix, its
findings weighed by their evidence (with the warning where one voice carries a finding),
and its decision log."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Prefetch
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from heard.api.core import Page, Paged, page, ws
from heard.api.resources.common import PathId, link
from heard.studies.access import get_study_for
from heard.studies.models import ValidationPoint
from heard.synthesis.access import get_summary_for
from heard.synthesis.findings import services as findings
from heard.synthesis.matrix import queries as matrix
from heard.synthesis.models import (
    Bearing,
    Decision,
    EvidenceBearing,
    PointSummary,
    Quote,
    Stance,
    SummaryStatus,
)

router = Router()


# Summaries


class QuoteOut(Schema):
    id: int
    text: str = Field(description="What they said, word for word.")
    note_id: str | None
    from_transcript: bool
    start_ms: int | None
    end_ms: int | None
    speaker: str
    bearing: Bearing


class CellOut(Schema):
    point_id: int
    stance: Stance
    what_we_heard: str = Field(description="The team's interpretation.")
    quotes: list[QuoteOut] = Field(description="What they said: the verbatim quotes behind it.")


class SummaryOut(Schema):
    id: int
    interview_id: int
    status: SummaryStatus
    main_pains: str
    solution_requests: str
    surprises: str
    follow_ups: str
    finalised_at: datetime.datetime | None
    cells: list[CellOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    url: str


def quote_out(quote: Quote) -> dict[str, Any]:
    return {
        "id": quote.pk,
        "text": quote.text,
        "note_id": str(quote.note_id) if quote.note_id else None,
        "from_transcript": quote.from_transcript,
        "start_ms": quote.start_ms,
        "end_ms": quote.end_ms,
        "speaker": quote.speaker_label,
        "bearing": quote.bearing,
    }


@router.get("/interviews/{interview_id}/summary", response=SummaryOut, tags=["summaries"])
def get_summary(request: HttpRequest, interview_id: PathId) -> dict[str, Any]:
    """An interview's summary: per validation point what we heard and what they said, and the
    pains, solution requests and surprises."""
    summary = get_summary_for(request, ws(request), interview_id)  # type: ignore[arg-type]
    cells = (
        PointSummary.objects.filter(summary=summary)
        .select_related("point")
        .prefetch_related(Prefetch("quotes", queryset=Quote.objects.order_by("position", "id")))
        .order_by("point__position", "point_id")
    )
    return {
        "id": summary.pk,
        "interview_id": summary.interview_id,
        "status": summary.status,
        "main_pains": summary.main_pains,
        "solution_requests": summary.solution_requests,
        "surprises": summary.surprises,
        "follow_ups": summary.follow_ups,
        "finalised_at": summary.finalised_at,
        "cells": [
            {
                "point_id": cell.point_id,
                "stance": cell.stance,
                "what_we_heard": cell.what_we_heard,
                "quotes": [quote_out(q) for q in cell.quotes.all()],
            }
            for cell in cells
        ],
        "created_at": summary.created_at,
        "updated_at": summary.updated_at,
        "url": link_to("summaries:detail", ws=ws(request), pk=summary.interview_id),
    }


def link_to(name: str, **kwargs: Any) -> str:
    return link(reverse(name, kwargs=kwargs))


# The matrix


class MatrixPointOut(Schema):
    id: int
    statement: str
    stances: dict[str, int] = Field(description="How many summaries take each stance.")
    interviews_quoted: int
    quotes: int


class MatrixCellOut(Schema):
    point_id: int
    stance: Stance
    what_we_heard: str
    quotes: int


class MatrixRowOut(Schema):
    interview_id: int
    participant_id: int
    summary_status: SummaryStatus | None
    cells: list[MatrixCellOut]


class MatrixOut(Schema):
    study_id: int
    points: list[MatrixPointOut]
    rows: Page[MatrixRowOut]


class MatrixFilters(Paged):
    segment: str | None = Field(default=None, max_length=100)
    final_only: bool = False


@router.get("/studies/{study_id}/matrix", response=MatrixOut, tags=["matrix"])
def get_matrix(
    request: HttpRequest, study_id: PathId, filters: Query[MatrixFilters]
) -> dict[str, Any]:
    """The study's matrix: a row per interview held or summarised (a page of them), a column
    per validation point, and each point's totals over every row kept."""
    study = get_study_for(request, ws(request), study_id)  # type: ignore[arg-type]
    kept = matrix.Filters(segment=filters.segment or "", final_only=filters.final_only)
    rows = matrix.rows_of(study, kept)
    points = list(
        ValidationPoint.objects.filter(study=study, archived_at__isnull=True).order_by(
            "position", "id"
        )
    )
    totals = matrix.totals(rows, points)

    order = {point.pk: place for place, point in enumerate(points)}

    def cells(found: list[Any]) -> list[dict[str, Any]]:
        by_summary: dict[int, list[dict[str, Any]]] = {}
        summaries = [i.summary.pk for i in found if getattr(i, "summary", None)]
        rows = (
            PointSummary.objects.filter(summary__in=summaries, point__in=list(order))
            .order_by()
            .values_list("summary_id", "point_id", "stance", "what_we_heard")
            .annotate(quote_count=Count("quotes"))
        )
        for summary_id, point_id, stance, heard, quotes in sorted(
            rows, key=lambda row: order[row[1]]
        ):
            by_summary.setdefault(summary_id, []).append(
                {"point_id": point_id, "stance": stance, "what_we_heard": heard, "quotes": quotes}
            )
        made = []
        for interview in found:
            summary = getattr(interview, "summary", None)
            made.append(
                {
                    "interview_id": interview.pk,
                    "participant_id": interview.participant_id,
                    "summary_status": summary.status if summary else None,
                    "cells": by_summary.get(summary.pk, []) if summary else [],
                }
            )
        return made

    return {
        "study_id": study.pk,
        "points": [
            {
                "id": total.point.pk,
                "statement": total.point.statement,
                "stances": total.stances,
                "interviews_quoted": total.interviews_quoted,
                "quotes": total.quotes,
            }
            for total in totals
        ],
        # A row needs its interview's participant and summary, not what the page's row
        # headers show (the team, the participant's details).
        "rows": page(
            rows.prefetch_related(None)
            .select_related(None)
            .select_related("summary")
            .only("id", "participant_id", "summary__id", "summary__status"),
            cells,
            filters,
        ),
    }


# Findings and decisions


class SideOut(Schema):
    evidence: int
    interviews: int
    participants: int
    companies: int
    segments: int


class WarningOut(Schema):
    kind: str = Field(description="single_source, contested, unsupported or no_evidence.")
    title: str
    text: str


class EvidenceOut(Schema):
    id: int
    bearing: EvidenceBearing
    quote_id: int | None
    point_summary_id: int | None


class FindingOut(Schema):
    id: int
    number: int
    statement: str
    point_ids: list[int]
    supporting: SideOut
    contradicting: SideOut
    warnings: list[WarningOut] = Field(
        description="What a reader must know before trusting it, e.g. that all its support "
        "comes from one interview."
    )
    evidence: list[EvidenceOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    url: str


def _side(side: Any) -> dict[str, int]:
    return {
        "evidence": side.evidence,
        "interviews": side.interviews,
        "participants": side.participants,
        "companies": side.companies,
        "segments": side.segments,
    }


@router.get("/studies/{study_id}/findings", response=list[FindingOut], tags=["findings"])
def list_findings(request: HttpRequest, study_id: PathId) -> list[dict[str, Any]]:
    """The study's findings, weighed by their evidence, in the order they were made."""
    study = get_study_for(request, ws(request), study_id)  # type: ignore[arg-type]
    slug = ws(request)
    found = []
    for item in findings.findings_of(study):
        finding = item.finding
        found.append(
            {
                "id": finding.pk,
                "number": item.number,
                "statement": finding.statement,
                "point_ids": [p.pk for p in finding.points.all()],
                "supporting": _side(item.weight.supporting),
                "contradicting": _side(item.weight.contradicting),
                "warnings": [
                    {"kind": w.kind, "title": w.title, "text": w.text} for w in item.warnings
                ],
                "evidence": [
                    {
                        "id": e.pk,
                        "bearing": e.bearing,
                        "quote_id": e.quote_id,
                        "point_summary_id": e.point_summary_id,
                    }
                    for e in finding.evidence.all()
                ],
                "created_at": finding.created_at,
                "updated_at": finding.updated_at,
                "url": link_to("findings:detail", ws=slug, study_pk=study.pk, pk=finding.pk),
            }
        )
    return found


class DecisionOut(Schema):
    id: int
    text: str
    review_id: int | None
    recorded_by_id: int | None
    decided_at: datetime.datetime


class DecisionFilters(Paged):
    """The decision log, a page at a time."""


@router.get("/studies/{study_id}/decisions", response=Page[DecisionOut], tags=["decisions"])
def list_decisions(
    request: HttpRequest, study_id: PathId, filters: Query[DecisionFilters]
) -> dict[str, Any]:
    """The study's decision log, oldest first."""
    study = get_study_for(request, ws(request), study_id)  # type: ignore[arg-type]
    return page(
        Decision.objects.filter(study=study),
        lambda found: [
            {
                "id": d.pk,
                "text": d.text,
                "review_id": d.review_id,
                "recorded_by_id": d.recorded_by_id,
                "decided_at": d.decided_at,
            }
            for d in found
        ],
        filters,
    )

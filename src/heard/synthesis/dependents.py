"""What the synthesis keeps that rests on a validation point or on an interview
(`core.dependents`): summaries and their cells, quotes, findings' evidence, decisions. A point
with any of these is archived, never deleted; an interview with a summary keeps its study,
guide and participant."""

from __future__ import annotations

from django.db.models import Model, Q

from heard.core.dependents import Dependent, register
from heard.interviews.models import Interview
from heard.studies.models import ValidationPoint
from heard.synthesis.models import (
    Decision,
    Evidence,
    Finding,
    PointSummary,
    Quote,
    Summary,
    SummaryStatus,
)


def _synthesis(cells: Q, findings: Q) -> list[Dependent]:
    rows = PointSummary.objects.filter(cells)
    summaries = rows.values("summary").distinct().count()
    final = rows.filter(summary__status=SummaryStatus.FINAL).values("summary").distinct().count()
    quotes = Quote.objects.filter(point_summary__in=rows).count()
    evidence = Evidence.objects.filter(
        Q(point_summary__in=rows) | Q(quote__point_summary__in=rows)
    ).count()
    found = Finding.objects.filter(findings).distinct()
    decisions = Decision.objects.filter(findings__in=found).distinct().count()
    return [
        Dependent(summaries, "summary", "summaries", f"{final} final" if final else ""),
        Dependent(quotes, "quote", "quotes"),
        Dependent(evidence, "piece of finding evidence", "pieces of finding evidence"),
        Dependent(found.count(), "finding", "findings"),
        Dependent(decisions, "decision", "decisions"),
    ]


def of_point(point: Model) -> list[Dependent]:
    """Summaries that spoke to it, their quotes, the evidence drawn from them, the findings
    about it (or resting on that evidence), the decisions on those findings."""
    cells = Q(point=point)
    rests = Q(points=point) | Q(evidence__point_summary__point=point)
    return _synthesis(cells, rests | Q(evidence__quote__point_summary__point=point))


def of_interview(interview: Model) -> list[Dependent]:
    """Its summary, the summary's quotes, the evidence drawn from them, and so on."""
    summary = Summary.objects.filter(interview_id=interview.pk).first()
    if summary is None:
        return []
    final = "final" if summary.is_final else "a draft"
    rests = Q(evidence__point_summary__summary=summary) | Q(
        evidence__quote__point_summary__summary=summary
    )
    return [Dependent(1, "summary", "summaries", final), *_synthesis(Q(summary=summary), rests)[1:]]


def register_all() -> None:
    register(ValidationPoint, of_point)
    register(Interview, of_interview)

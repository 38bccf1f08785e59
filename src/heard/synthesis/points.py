"""Which validation points a synthesis page shows: the study's current ones, and an archived
one wherever summaries already spoke to it (shown as archived there, `core.archiving`)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from heard.studies.models import Study, ValidationPoint
from heard.synthesis.models import PointSummary


def points_spoken_to(study: Study, cells: Q) -> QuerySet[ValidationPoint]:
    """The study's current points, and the archived ones that the summary cells `cells` (a
    filter on `PointSummary`) spoke to, in the study's order."""
    spoken = PointSummary.objects.filter(cells).values("point_id")
    return study.points.filter(Q(archived_at__isnull=True) | Q(pk__in=spoken)).order_by(
        "position", "id"
    )


def matrix_points(study: Study) -> list[ValidationPoint]:
    """The matrix's columns: every point a summary of the study spoke to stays a column."""
    return list(points_spoken_to(study, Q(summary__interview__study=study)))

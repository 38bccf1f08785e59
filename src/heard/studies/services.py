"""Study rules that views and other apps call."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from heard.accounts.models import User, Workspace
from heard.core.ordering import next_position
from heard.core.queries import count_of, count_of_related
from heard.studies.models import Study, ValidationPoint


def studies_for_list(workspace: Workspace) -> QuerySet[Study]:
    """A workspace's studies with their counts, in one query."""
    return (
        Study.objects.filter(workspace=workspace)
        .annotate(
            point_count=count_of(ValidationPoint, "study"),
            interview_count=count_of_related(Study, "interviews"),
        )
        .order_by("-updated_at", "-id")
    )


def create_study(workspace: Workspace, user: User, **fields: object) -> Study:
    return Study.objects.create(workspace=workspace, created_by=user, **fields)


def touch(study: Study) -> None:
    """Mark the study as changed, so it rises in the study list."""
    Study.objects.filter(pk=study.pk).update(updated_at=timezone.now())


def add_point(study: Study, point: ValidationPoint) -> ValidationPoint:
    point.study = study
    point.position = next_position(study.points.all())
    point.save()
    touch(study)
    return point

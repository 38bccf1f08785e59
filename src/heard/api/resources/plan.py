"""The plan: the workspace, its studies and their validation points, and the guides (the
participant directory is `participants.py`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from heard.accounts.access import Need
from heard.accounts.models import Role
from heard.api.core import Page, Synced, member, page, ws
from heard.api.resources.common import Id, Input, PathId, link
from heard.guides.access import get_guide_for
from heard.guides.models import Guide
from heard.studies import services as studies
from heard.studies.access import get_study_for
from heard.studies.models import PointKind, Priority, Study, StudyStatus, ValidationPoint

router = Router()


# Workspace


class WorkspaceOut(Schema):
    slug: str
    name: str
    role: Role = Field(
        description="The role this token acts with: its own, or its owner's if lower."
    )
    read_only: bool
    url: str


@router.get("/workspace", response=WorkspaceOut, tags=["workspace"])
def workspace(request: HttpRequest) -> dict[str, Any]:
    """The workspace this token belongs to."""
    membership = member(request)
    return {
        "slug": membership.workspace.slug,
        "name": membership.workspace.name,
        "role": membership.role_enum,
        "read_only": request.auth.read_only,  # type: ignore[attr-defined]
        "url": link(reverse("site:workspace", kwargs={"ws": membership.workspace.slug})),
    }


# Studies and validation points


class PointOut(Schema):
    id: int
    statement: str
    kind: PointKind
    confirm_if: str
    refute_if: str
    priority: Priority
    position: int
    archived: bool


class StudyOut(Schema):
    id: int
    title: str
    goal: str
    decision: str
    status: StudyStatus
    created_at: datetime.datetime
    updated_at: datetime.datetime
    url: str


class StudyDetailOut(StudyOut):
    points: list[PointOut]


class StudyIn(Input):
    title: str = Field(min_length=1, max_length=200)
    goal: str = Field(min_length=1, max_length=20_000)
    status: StudyStatus = StudyStatus.PLANNING


class StudyPatch(Input):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    goal: str | None = Field(default=None, min_length=1, max_length=20_000)
    decision: str | None = Field(default=None, max_length=20_000)
    status: StudyStatus | None = None


class PointIn(Input):
    statement: str = Field(min_length=1, max_length=2_000)
    kind: PointKind = PointKind.HYPOTHESIS
    confirm_if: str = Field(default="", max_length=2_000)
    refute_if: str = Field(default="", max_length=2_000)
    priority: Priority = Priority.MEDIUM


def point_out(point: ValidationPoint) -> dict[str, Any]:
    return {
        "id": point.pk,
        "statement": point.statement,
        "kind": point.kind,
        "confirm_if": point.confirm_if,
        "refute_if": point.refute_if,
        "priority": point.priority,
        "position": point.position,
        "archived": point.archived_at is not None,
    }


def study_out(study: Study, *, points: bool = False) -> dict[str, Any]:
    found = {
        "id": study.pk,
        "title": study.title,
        "goal": study.goal,
        "decision": study.decision,
        "status": study.status,
        "created_at": study.created_at,
        "updated_at": study.updated_at,
        "url": link(reverse("studies:detail", kwargs={"ws": study.workspace.slug, "pk": study.pk})),
    }
    if points:
        found["points"] = [point_out(p) for p in study.points.order_by("position", "id")]
    return found


class StudyFilters(Synced):
    status: StudyStatus | None = None


@router.get("/studies", response=Page[StudyOut], tags=["studies"])
def list_studies(request: HttpRequest, filters: Query[StudyFilters]) -> dict[str, Any]:
    """The workspace's studies."""
    membership = member(request)
    rows = Study.objects.filter(workspace=membership.workspace).select_related("workspace")
    if filters.status:
        rows = rows.filter(status=filters.status)
    return page(
        rows,
        lambda found: [study_out(s) for s in found],
        filters,
    )


@router.post("/studies", response={201: StudyDetailOut}, tags=["studies"])
def create_study(request: HttpRequest, body: StudyIn) -> Status[dict[str, Any]]:
    membership = member(request, Need.EDIT)
    study = studies.create_study(membership.workspace, membership.user, **body.dict())
    return Status(201, study_out(study, points=True))


@router.get("/studies/{study_id}", response=StudyDetailOut, tags=["studies"])
def get_study(request: HttpRequest, study_id: PathId) -> dict[str, Any]:
    """A study with its validation points."""
    return study_out(get_study_for(request, ws(request), study_id), points=True)  # type: ignore[arg-type]


@router.patch("/studies/{study_id}", response=StudyDetailOut, tags=["studies"])
def update_study(request: HttpRequest, study_id: PathId, body: StudyPatch) -> dict[str, Any]:
    study = get_study_for(request, ws(request), study_id, Need.EDIT)  # type: ignore[arg-type]
    changed = body.dict(exclude_unset=True)
    for name, value in changed.items():
        if value is None:
            raise HttpError(422, f"{name} cannot be null.")
        setattr(study, name, value)
    study.clean_fields(exclude=[f.name for f in Study._meta.fields if f.name not in changed])
    study.save()
    return study_out(study, points=True)


@router.post("/studies/{study_id}/points", response={201: PointOut}, tags=["studies"])
def add_point(request: HttpRequest, study_id: PathId, body: PointIn) -> Status[dict[str, Any]]:
    """Add a validation point (a hypothesis to confirm or refute, or an open question)."""
    study = get_study_for(request, ws(request), study_id, Need.EDIT)  # type: ignore[arg-type]
    point = studies.add_point(study, ValidationPoint(**body.dict()))
    return Status(201, point_out(point))


# Guides


class QuestionOut(Schema):
    id: int
    text: str
    priority: str
    minutes: int
    follow_ups: str
    answered_by: str


class SectionOut(Schema):
    id: int
    title: str
    purpose: str
    questions: list[QuestionOut]


class GuideOut(Schema):
    id: int
    study_id: int
    title: str
    interview_minutes: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class GuideDetailOut(GuideOut):
    sections: list[SectionOut]


class GuideFilters(Synced):
    study: Id | None = None


def guide_out(guide: Guide) -> dict[str, Any]:
    return {
        "id": guide.pk,
        "study_id": guide.study_id,
        "title": guide.title,
        "interview_minutes": guide.interview_minutes,
        "created_at": guide.created_at,
        "updated_at": guide.updated_at,
    }


@router.get("/guides", response=Page[GuideOut], tags=["guides"])
def list_guides(request: HttpRequest, filters: Query[GuideFilters]) -> dict[str, Any]:
    membership = member(request)
    rows = Guide.objects.filter(study__workspace=membership.workspace, archived_at__isnull=True)
    if filters.study is not None:
        rows = rows.filter(study_id=filters.study)
    return page(
        rows,
        lambda found: [guide_out(g) for g in found],
        filters,
    )


@router.get("/guides/{guide_id}", response=GuideDetailOut, tags=["guides"])
def get_guide(request: HttpRequest, guide_id: PathId) -> dict[str, Any]:
    """A guide with its sections and questions, in the order they are asked."""
    guide = get_guide_for(request, ws(request), guide_id)  # type: ignore[arg-type]
    sections = guide.sections.filter(archived_at__isnull=True).order_by("position", "id")
    found = guide_out(guide)
    found["sections"] = [
        {
            "id": section.pk,
            "title": section.title,
            "purpose": section.purpose,
            "questions": [
                {
                    "id": q.pk,
                    "text": q.text,
                    "priority": q.priority,
                    "minutes": q.minutes,
                    "follow_ups": q.follow_ups,
                    "answered_by": q.answered_by,
                }
                for q in section.questions.filter(archived_at__isnull=True).order_by(
                    "position", "id"
                )
            ],
        }
        for section in sections
    ]
    return found

"""The plan: the workspace, its studies and their validation points, the participant
directory (with an upsert by email, for keeping it in step with a CRM), and the guides."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from heard.accounts.access import Need
from heard.accounts.models import Role
from heard.api.core import Page, Synced, member, page, ws
from heard.api.resources.common import Id, Input, PathId, link
from heard.guides.access import get_guide_for
from heard.guides.models import Guide
from heard.participants import services as participants
from heard.participants.access import get_participant_for
from heard.participants.models import Participant
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
        "url": link(reverse("studies:detail", kwargs={"ws": ws_of(study), "pk": study.pk})),
    }
    if points:
        found["points"] = [point_out(p) for p in study.points.order_by("position", "id")]
    return found


def ws_of(thing: Study | Participant) -> str:
    return thing.workspace.slug


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


# Participants


class ParticipantOut(Schema):
    id: int
    name: str
    email: str | None = Field(
        description="Null for an observer where the workspace keeps the participant list "
        "from observers (as its CSV download does)."
    )
    company: str
    role: str
    segment: str
    profile: dict[str, str]
    pseudonym: str
    erased: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    url: str


class ParticipantIn(Input):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(default="", max_length=254)
    company: str = Field(default="", max_length=200)
    role: str = Field(default="", max_length=200)
    segment: str = Field(default="", max_length=100)
    profile: dict[str, str] = Field(default_factory=dict, max_length=200)


class ParticipantPatch(Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=254)
    company: str | None = Field(default=None, max_length=200)
    role: str | None = Field(default=None, max_length=200)
    segment: str | None = Field(default=None, max_length=100)
    profile: dict[str, str] | None = Field(default=None, max_length=200)


class ParticipantUpsert(ParticipantPatch):
    email: str = Field(min_length=3, max_length=254)


class ParticipantUpserted(Schema):
    created: bool
    participant: ParticipantOut


class ParticipantFilters(Synced):
    email: str | None = Field(default=None, max_length=254)
    segment: str | None = Field(default=None, max_length=100)
    q: str | None = Field(
        default=None,
        max_length=200,
        description="Words of the name, email, company, role or segment.",
    )


def participant_out(person: Participant, *, emails: bool = True) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.name,
        "email": person.email if emails else None,
        "company": person.company,
        "role": person.role,
        "segment": person.segment,
        "profile": {str(k): str(v) for k, v in (person.profile or {}).items()},
        "pseudonym": f"P{person.alias:02d}" if person.alias else "",
        "erased": person.is_erased,
        "created_at": person.created_at,
        "updated_at": person.updated_at,
        "url": link(
            reverse("participants:detail", kwargs={"ws": person.workspace.slug, "pk": person.pk})
        ),
    }


@router.get("/participants", response=Page[ParticipantOut], tags=["participants"])
def list_participants(request: HttpRequest, filters: Query[ParticipantFilters]) -> dict[str, Any]:
    """The participant directory, erased people included (with nothing about them left)."""
    membership = member(request)
    emails = membership.may_export_participants
    if filters.email is not None and not emails:
        raise HttpError(403, NO_EMAILS)
    if filters.q:
        # Words are not looked for in emails by those who may not read them.
        fields = tuple(f for f in participants.SEARCHED_FIELDS if emails or f != "email")
        rows = participants.directory(membership.workspace, query=filters.q, fields=fields)
    else:
        rows = Participant.objects.filter(workspace=membership.workspace)
    rows = rows.select_related("workspace")
    if filters.email is not None:
        rows = rows.filter(email__iexact=filters.email.strip())
    if filters.segment is not None:
        rows = rows.filter(segment=filters.segment)
    return page(
        rows,
        lambda found: [participant_out(p, emails=emails) for p in found],
        filters,
    )


NO_EMAILS = (
    "Observers may not read participants' emails in this workspace (as they may not download "
    "the participant list): an owner can allow it in the workspace settings."
)


def _checked_email(email: str) -> str:
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise HttpError(422, f"{email[:100]!r} is not an email address.") from None
    return email


def _apply(membership: Any, person: Participant, values: dict[str, Any]) -> Participant:
    """Save `values` onto `person` through the directory's own rule, profile keys checked."""
    keys = participants.profile_keys(membership.workspace)
    known = {key.key for key in keys}
    profile = values.pop("profile", None) or {}
    unknown = sorted(set(profile) - known)
    if unknown:
        raise HttpError(
            422,
            f"Unknown profile fields: {', '.join(unknown)[:300]}. The workspace's guides ask "
            f"for: {', '.join(sorted(known)) or 'none'}.",
        )
    for name, value in values.items():
        if value is None:
            raise HttpError(422, f"{name} cannot be null.")
        setattr(person, name, _checked_email(value) if name == "email" else value.strip())
    values_given = {key: str(value) for key, value in profile.items()}
    kept = {**(person.profile or {}), **values_given}
    try:
        return participants.save_participant(
            membership.workspace, person, keys, {k: kept.get(k, "") for k in known}
        )
    except participants.EmailInUse:
        raise HttpError(409, "Another participant of this workspace has this email.") from None


@router.post("/participants", response={201: ParticipantOut}, tags=["participants"])
def create_participant(request: HttpRequest, body: ParticipantIn) -> Status[dict[str, Any]]:
    membership = member(request, Need.EDIT)
    person = Participant(workspace=membership.workspace)
    return Status(201, participant_out(_apply(membership, person, body.dict())))


@router.put(
    "/participants/by-email",
    response={200: ParticipantUpserted, 201: ParticipantUpserted},
    tags=["participants"],
)
def upsert_participant(request: HttpRequest, body: ParticipantUpsert) -> Status[dict[str, Any]]:
    """Create the participant with this email, or change the one who has it: what a CRM or
    recruiting tool calls to keep the directory in step. Fields not sent are left as they
    are (a new participant without a name is named by their email)."""
    membership = member(request, Need.EDIT)
    values = body.dict(exclude_unset=True)
    email = _checked_email(values.pop("email"))
    if not email:
        raise HttpError(422, "An email is needed to find the participant.")
    for attempt in range(2):
        try:
            with transaction.atomic():
                person = (
                    Participant.objects.select_for_update()
                    .filter(workspace=membership.workspace, email__iexact=email)
                    .first()
                )
                created = person is None
                if person is None:
                    person = Participant(workspace=membership.workspace, email=email)
                    values.setdefault("name", email.split("@")[0])
                elif person.is_erased:
                    raise HttpError(409, "This person was erased.")
                saved = _apply(membership, person, dict(values))
                answer = {"created": created, "participant": participant_out(saved)}
                return Status(201 if created else 200, answer)
        except HttpError as error:
            # Another request created this email at the same moment: find theirs and update.
            if error.status_code == 409 and attempt == 0 and "email" in error.message:
                continue
            raise
        except IntegrityError:
            if attempt == 0:
                continue
            raise
    raise HttpError(409, "This participant changed meanwhile: send it again.")


@router.get("/participants/{participant_id}", response=ParticipantOut, tags=["participants"])
def get_participant(request: HttpRequest, participant_id: PathId) -> dict[str, Any]:
    person = get_participant_for(request, ws(request), participant_id)  # type: ignore[arg-type]
    # The API hands out many records at once, as the participant list's download does: its
    # rule, not the one of a participant's page, decides whether emails come with them.
    return participant_out(person, emails=request.membership.may_export_participants)  # type: ignore[attr-defined]


@router.patch("/participants/{participant_id}", response=ParticipantOut, tags=["participants"])
def update_participant(
    request: HttpRequest, participant_id: PathId, body: ParticipantPatch
) -> dict[str, Any]:
    """Change some of a participant's details; those not sent stay as they are."""
    person = get_participant_for(request, ws(request), participant_id, Need.EDIT)  # type: ignore[arg-type]
    membership = request.membership  # type: ignore[attr-defined]
    return participant_out(_apply(membership, person, body.dict(exclude_unset=True)))


@router.delete("/participants/{participant_id}", response={204: None}, tags=["participants"])
def delete_participant(request: HttpRequest, participant_id: PathId) -> Status[None]:
    """Delete a participant who was never interviewed (erase one who was: see the
    participant's page)."""
    person = get_participant_for(request, ws(request), participant_id, Need.EDIT)  # type: ignore[arg-type]
    try:
        participants.delete_participant(person)
    except participants.ParticipantInUse as error:
        raise HttpError(409, str(error)) from None
    return Status(204, None)


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


__all__ = ["get_object_or_404", "router"]

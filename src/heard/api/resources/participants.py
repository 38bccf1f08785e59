"""The participant directory: reading it, and keeping it in step with a CRM or a recruiting
tool (an upsert by email)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from heard.accounts.access import Need
from heard.api.core import Page, Synced, member, page, ws
from heard.api.resources.common import Input, PathId, link
from heard.core.busy import is_collision
from heard.participants import services as participants
from heard.participants.access import get_participant_for
from heard.participants.models import Participant

router = Router()


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


# How many times an upsert runs before it answers a conflict.
UPSERT_ATTEMPTS = 3


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
    # A racing insert of the same email ends one transaction (a unique violation, or on
    # PostgreSQL at times a deadlock between the two inserts); run again, it finds the other's
    # row and updates it.
    for attempt in range(UPSERT_ATTEMPTS):
        last = attempt == UPSERT_ATTEMPTS - 1
        try:
            with transaction.atomic():
                person = (
                    Participant.objects.select_for_update()
                    .filter(workspace=membership.workspace, email__iexact=email)
                    .first()
                )
                created = person is None
                given = dict(values)  # each attempt its own: a new person's name is its own
                if person is None:
                    person = Participant(workspace=membership.workspace, email=email)
                    given.setdefault("name", email.split("@")[0])
                elif person.is_erased:
                    raise HttpError(409, "This person was erased.")
                saved = _apply(membership, person, given)
                answer = {"created": created, "participant": participant_out(saved)}
                return Status(201 if created else 200, answer)
        except HttpError as error:
            # Another request created this email at the same moment: find theirs and update.
            if error.status_code == 409 and not last and "email" in error.message:
                continue
            raise
        except IntegrityError:
            if not last:
                continue
            raise
        except OperationalError as error:
            if is_collision(error) and not last:
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

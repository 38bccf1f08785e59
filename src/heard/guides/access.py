"""Who may see or change a guide and its parts: the workspace membership decides (see accounts)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from heard.accounts.access import Need, membership_for
from heard.accounts.requests import WorkspaceRequest
from heard.guides.models import Guide, ProfileField, Question, Section


def get_guide_for(request: WorkspaceRequest, ws: str, pk: int, need: Need = Need.VIEW) -> Guide:
    """The guide `pk` of workspace `ws`: 404 outside it, 403 if the role falls short of `need`."""
    membership = membership_for(request, ws, need)
    return get_object_or_404(
        Guide.objects.select_related("study"), study__workspace=membership.workspace, pk=pk
    )


def get_section_for(
    request: WorkspaceRequest, ws: str, guide_pk: int, pk: int, need: Need = Need.VIEW
) -> Section:
    """A section of the guide as it stands: an archived one stays as held interviews saw it."""
    guide = get_guide_for(request, ws, guide_pk, need)
    section = get_object_or_404(Section.objects.current(), guide=guide, pk=pk)
    section.guide = guide
    return section


def get_question_for(
    request: WorkspaceRequest, ws: str, guide_pk: int, pk: int, need: Need = Need.VIEW
) -> Question:
    """A question of the guide as it stands: an archived one (or one of an archived section)
    stays as held interviews saw it."""
    guide = get_guide_for(request, ws, guide_pk, need)
    question = get_object_or_404(
        Question.objects.current().select_related("section"),
        section__guide=guide,
        section__archived_at__isnull=True,
        pk=pk,
    )
    question.section.guide = guide
    return question


def get_profile_field_for(
    request: WorkspaceRequest, ws: str, guide_pk: int, pk: int, need: Need = Need.VIEW
) -> ProfileField:
    guide = get_guide_for(request, ws, guide_pk, need)
    field = get_object_or_404(ProfileField, guide=guide, pk=pk)
    field.guide = guide
    return field

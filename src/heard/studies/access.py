from __future__ import annotations

from django.shortcuts import get_object_or_404

from heard.accounts.access import Need, membership_for
from heard.accounts.requests import WorkspaceRequest
from heard.studies.models import Study, ValidationPoint


def get_study_for(request: WorkspaceRequest, ws: str, pk: int, need: Need = Need.VIEW) -> Study:
    membership = membership_for(request, ws, need)
    return get_object_or_404(Study, workspace=membership.workspace, pk=pk)


def get_point_for(
    request: WorkspaceRequest, ws: str, study_pk: int, pk: int, need: Need = Need.VIEW
) -> ValidationPoint:
    study = get_study_for(request, ws, study_pk, need)
    return get_object_or_404(ValidationPoint, study=study, pk=pk)

"""Who may exchange a study with other programs: whoever reads the study downloads its project
and codebook (observers with pseudonyms, where the workspace says so); only those who edit
import a project, and an import is its study's."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from heard.accounts.access import Need
from heard.accounts.requests import WorkspaceRequest
from heard.exchange.models import ProjectImport
from heard.studies.access import get_study_for


def get_import_for(request: WorkspaceRequest, ws: str, pk: int, import_pk: int) -> ProjectImport:
    study = get_study_for(request, ws, pk, Need.EDIT)
    return get_object_or_404(
        ProjectImport.objects.select_related("study", "created_by"), study=study, pk=import_pk
    )

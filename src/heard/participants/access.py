"""Who may see or change a participant, a research note or an import: decided here only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from heard.accounts.access import Need, membership_for
from heard.accounts.models import Membership
from heard.accounts.requests import WorkspaceRequest
from heard.participants.models import Participant, ParticipantImport, ResearchNote


def export_membership_for(request: WorkspaceRequest, ws: str) -> Membership:
    """The membership behind a download of the participant list (every email and phone):
    403 for an observer unless the workspace allows observers to download it."""
    membership = membership_for(request, ws)
    if not membership.may_export_participants:
        raise PermissionDenied(
            "Observers may not download the participant list in this workspace. An owner can "
            "allow it in the workspace settings."
        )
    return membership


def get_participant_for(
    request: WorkspaceRequest, ws: str, pk: int, need: Need = Need.VIEW
) -> Participant:
    membership = membership_for(request, ws, need)
    participant = get_object_or_404(Participant, workspace=membership.workspace, pk=pk)
    if need == Need.EDIT and participant.is_erased:
        raise PermissionDenied("This person was erased: nothing about them is kept or added.")
    return participant


def get_note_for(
    request: WorkspaceRequest, ws: str, participant_pk: int, pk: int, need: Need = Need.VIEW
) -> ResearchNote:
    participant = get_participant_for(request, ws, participant_pk, need)
    note = get_object_or_404(ResearchNote, participant=participant, pk=pk)
    note.participant = participant
    return note


def get_import_for(
    request: WorkspaceRequest, ws: str, pk: int, need: Need = Need.EDIT
) -> ParticipantImport:
    """Imports change the directory, so even looking at one needs the right to edit."""
    membership = membership_for(request, ws, need)
    return get_object_or_404(
        ParticipantImport.objects.select_related("workspace"), workspace=membership.workspace, pk=pk
    )

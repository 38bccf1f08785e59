"""A participant's requests from the web: everything held about them as a ZIP, and erasing
them (the preview of exactly what goes, then the erasure). Owners only."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from heard.accounts.access import Need
from heard.accounts.requests import WorkspaceRequest
from heard.core.downloads import attachment
from heard.core.streaming import StreamedDownload
from heard.participants.access import get_participant_for
from heard.privacy import erasure, subject_access


def erase_participant(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    person = get_participant_for(request, ws, pk, Need.PARTICIPANT_REQUESTS)
    source = request.POST if request.method == "POST" else request.GET
    team_side = source.get("team_side") == "erase"
    found = erasure.preview(person, team_side=team_side)
    problem = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            problem = "Tick the box to confirm that this cannot be undone."
        else:
            try:
                erasure.erase(
                    person, request.user, team_side=team_side, seen=request.POST.get("seen", "")
                )
            except erasure.ErasureRefused as refusal:
                problem = str(refusal)
                found = erasure.preview(person, team_side=team_side)
            else:
                messages.success(
                    request,
                    "The participant is erased. Their interviews stay, without anything that "
                    "named them or was in their words.",
                )
                return redirect("participants:detail", ws=ws, pk=pk)
    return render(
        request,
        "privacy/erase.html",
        {"person": person, "preview": found, "team_side": team_side, "problem": problem},
    )


def export_participant(request: WorkspaceRequest, ws: str, pk: int) -> StreamedDownload:
    """Everything held about the participant, as a ZIP streamed as it is written."""
    person = get_participant_for(request, ws, pk, Need.PARTICIPANT_REQUESTS)
    if person.is_erased:
        raise Http404
    response = StreamedDownload(subject_access.archive(person), content_type="application/zip")
    response["Content-Disposition"] = attachment(f"heard-participant-{person.pk}.zip")
    response["Cache-Control"] = "private, no-store"
    return response

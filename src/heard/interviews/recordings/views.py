"""Recordings' pages and the uploader's JSON API, under an interview's address.

The uploader (`static/heard/js/recordings.js`) starts an upload (`start`), sends the file in
pieces (`chunk`, POST with `?offset=`), asks how much arrived after a cut (`chunk`, GET) and
resumes. Without JavaScript the page's form posts the file whole (`upload`). The files are
served only here, after the access check (`original`, `play`), never from a public address.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from heard.accounts import audit
from heard.accounts.access import Need, current_user, get_only, post_only
from heard.accounts.models import AuditAction
from heard.accounts.requests import WorkspaceRequest
from heard.core import ranged
from heard.core.downloads import attachment, name_part
from heard.interviews.access import get_interview_for, get_recording_for
from heard.interviews.models import Consent, Interview, Recording
from heard.interviews.recordings import playback, services, uploads
from heard.interviews.recordings.forms import RecordingForm

# A play is recorded once an hour per person and recording, whatever ranges the player asks.
PLAYS_APART = datetime.timedelta(hours=1)


def _page(ws: str, interview_pk: int) -> str:
    return reverse("interviews:detail", kwargs={"ws": ws, "pk": interview_pk}) + "#recordings"


def upload_json(recording: Recording, ws: str) -> dict[str, Any]:
    """An upload as the uploader reads it."""
    kwargs = {"ws": ws, "pk": recording.interview_id, "recording_pk": recording.pk}
    return {
        "id": recording.pk,
        "name": recording.original_name,
        "size": recording.size,
        "offset": recording.size if not recording.is_uploading else uploads.received(recording.key),
        "status": recording.status,
        "status_label": recording.get_status_display(),
        "chunk_url": reverse("recordings:chunk", kwargs=kwargs),
        "delete_url": reverse("recordings:delete", kwargs=kwargs),
    }


def _refused(message: str, status: int = 400, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


@post_only
def recording_start(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview = get_interview_for(request, ws, pk, Need.EDIT)
    try:
        sent = json.loads(request.body or b"{}")
        name, size = str(sent["name"]), int(sent["size"])
        confirmed = sent.get("consent") is True
    except (ValueError, KeyError, TypeError):
        return _refused("Send the file's name and size.")
    try:
        recording = services.start_upload(
            interview, current_user(request), name, size, consent_confirmed=confirmed
        )
    except services.UploadRefused as refusal:
        return _refused(str(refusal))
    return JsonResponse(upload_json(recording, ws), status=201)


def recording_chunk(request: WorkspaceRequest, ws: str, pk: int, recording_pk: int) -> HttpResponse:
    """GET: how much of the upload arrived. POST `?offset=N`: the piece that starts there."""
    recording = get_recording_for(request, ws, pk, recording_pk, Need.EDIT)
    if request.method == "GET":
        return JsonResponse(upload_json(recording, ws))
    if request.method != "POST":
        return _refused("Send a piece with POST.", status=405)
    offset = request.GET.get("offset", "")
    if not offset.isdecimal() or len(offset) > 15:
        return _refused("Say where the piece starts: ?offset=…")
    try:
        recording = services.receive(recording, int(offset), request)
    except uploads.Gap as gap:
        return _refused(str(gap), status=409, offset=gap.offset)
    except services.UploadRefused as refusal:
        return _refused(str(refusal), status=422)
    return JsonResponse(upload_json(recording, ws))


@post_only
def recording_upload(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """The plain form's upload: the whole file in one request."""
    interview = get_interview_for(request, ws, pk, Need.EDIT)
    form = RecordingForm(
        request.POST, request.FILES, ask_consent=interview.recording_consent != Consent.YES
    )
    if not form.is_valid():
        messages.error(request, "Choose a recording to upload.")
        return redirect(_page(ws, pk))
    upload = form.cleaned_data["file"]
    try:
        recording = services.start_upload(
            interview,
            current_user(request),
            upload.name or "",
            upload.size or 0,
            consent_confirmed=bool(form.cleaned_data.get("consent")),
        )
        services.receive(recording, 0, upload)
    except (services.UploadRefused, uploads.Gap) as refusal:
        messages.error(request, f"The recording was not added. {refusal}")
        return redirect(_page(ws, pk))
    messages.success(request, "Recording added. A copy to play in the browser is being made.")
    return redirect(_page(ws, pk))


@get_only
def recordings_list(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """The list of the interview page's recordings card alone: htmx asks for it while a copy
    is being made, the uploader once an upload is done."""
    interview = get_interview_for(request, ws, pk)
    return render(request, "interviews/recordings/_list.html", card_context(interview))


def card_context(interview: Interview) -> dict[str, Any]:
    recordings = list(services.recordings_of(interview))
    return {
        "interview": interview,
        "recordings": recordings,
        "recording_form": RecordingForm(ask_consent=interview.recording_consent != Consent.YES),
        "upload_refusal": services.consent_refusal(interview, confirmed=True),
        "asks_consent": interview.recording_consent != Consent.YES,
        "busy": any(r.is_processing for r in recordings),
        "chunk_bytes": settings.HEARD_RECORDING_CHUNK_BYTES,
    }


def recording_delete(
    request: WorkspaceRequest, ws: str, pk: int, recording_pk: int
) -> HttpResponse:
    recording = get_recording_for(request, ws, pk, recording_pk, Need.EDIT)
    if request.method == "POST":
        with_transcripts = request.POST.get("transcripts") == "delete"
        services.delete_recording(recording, with_transcripts=with_transcripts)
        if request.headers.get("X-Requested-With") == "fetch":
            return JsonResponse({"deleted": recording_pk})
        messages.success(
            request,
            "Recording deleted, with its files and transcripts."
            if with_transcripts
            else "Recording deleted, with its files.",
        )
        return redirect(_page(ws, pk))
    transcripts = recording.transcripts.count()
    return render(
        request,
        "interviews/recordings/delete.html",
        {"recording": recording, "transcripts": transcripts},
    )


def _record(
    request: WorkspaceRequest,
    recording: Recording,
    action: AuditAction,
    once_within: datetime.timedelta | None = None,
    **details: Any,
) -> None:
    audit.record_request(
        request,
        action,
        recording,
        target_label=f"Recording {recording.pk} of interview {recording.interview_id}",
        once_within=once_within,
        interview=recording.interview_id,
        **details,
    )


@get_only
def recording_original(
    request: WorkspaceRequest, ws: str, pk: int, recording_pk: int
) -> HttpResponseBase:
    """The file as it was uploaded, to download. Once words of it are redacted, only those
    who handle participants' requests (owners) download the original, which still holds
    them; everyone else downloads the playback copy, silent where it is redacted."""
    recording = get_recording_for(request, ws, pk, recording_pk)
    if not recording.original.name:
        raise Http404
    stem = name_part(recording.original_name.rsplit(".", 1)[0]) or "recording"
    if (
        recording.redactions.exists()
        and not request.membership.role_enum.can_handle_participant_requests()
    ):
        if not recording.playback.name:
            return HttpResponse(
                "The recording's redacted copy is being made: download it in a minute.",
                status=409,
                content_type="text/plain; charset=utf-8",
            )
        _record(request, recording, AuditAction.RECORDING_DOWNLOADED, redacted=True)
        return ranged.served(
            request,
            recording.playback.name,
            playback.CONTENT_TYPE,
            attachment(f"{stem}-redacted.{playback.EXTENSION}"),
        )
    _record(request, recording, AuditAction.RECORDING_DOWNLOADED)
    stored: str = recording.original.name
    filename = f"{stem}.{stored.rsplit('.', 1)[-1]}"
    return ranged.served(
        request,
        stored,
        recording.content_type or "application/octet-stream",
        attachment(filename),
    )


@get_only
def recording_play(
    request: WorkspaceRequest, ws: str, pk: int, recording_pk: int
) -> HttpResponseBase:
    """The playback copy, for the page's player (which asks for byte ranges to seek).

    A player asks for many ranges while it plays and seeks, each a request: the audit log
    records one play per person and recording an hour, not one per range."""
    recording = get_recording_for(request, ws, pk, recording_pk)
    if not recording.playback.name:
        raise Http404
    _record(request, recording, AuditAction.RECORDING_PLAYED, once_within=PLAYS_APART)
    return ranged.served(request, recording.playback.name, playback.CONTENT_TYPE, "inline")

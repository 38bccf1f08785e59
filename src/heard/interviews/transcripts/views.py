"""An interview's transcripts: the card on the interview page (transcribe, import, progress,
who each speaker is), the transcript's page, its downloads, cancelling, retrying, deleting.

Observers read and download; only researchers start, cancel, import, map and delete.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Min
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from heard.accounts import audit
from heard.accounts.access import Need, current_user, get_only, post_only
from heard.accounts.models import AuditAction
from heard.accounts.requests import WorkspaceRequest
from heard.core.downloads import attachment
from heard.interviews.access import get_interview_for, get_transcript_for
from heard.interviews.models import (
    Interview,
    Recording,
    Segment,
    Transcript,
    TranscriptSpeaker,
    TranscriptStatus,
)
from heard.interviews.services import file_name
from heard.interviews.transcripts import (
    formats,
    imports,
    jobs,
    page,
    speakers,
    store,
)
from heard.interviews.transcripts.forms import ImportForm, SpeakersForm
from heard.participants import pseudonyms

CONTENT_TYPES = {
    "vtt": "text/vtt; charset=utf-8",
    "srt": "application/x-subrip; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _page(ws: str, interview_pk: int) -> str:
    return reverse("interviews:detail", kwargs={"ws": ws, "pk": interview_pk}) + "#transcripts"


def time_left(transcript: Transcript) -> str:
    """ "About 3 minutes left", from how fast it went so far; "" until that can be told."""
    if transcript.status != TranscriptStatus.RUNNING or not transcript.started_at:
        return ""
    spent = (timezone.now() - transcript.started_at).total_seconds()
    total, done = transcript.total_seconds or 0.0, transcript.done_seconds
    if spent < 2 or done <= 0 or total <= done:
        return ""
    left = (total - done) * spent / done
    if left < 60:
        return "Less than a minute left"
    minutes = round(left / 60)
    return f"About {minutes} minute{'s' if minutes != 1 else ''} left"


def _ordered_labels(transcripts: list[Transcript]) -> list[int]:
    """The speakers of the transcripts, in the order they first speak."""
    order: dict[int, None] = {}
    for transcript in transcripts:
        firsts = (
            Segment.objects.filter(transcript=transcript, speaker__isnull=False)
            .values("speaker_id")
            .annotate(first=Min("index"))
            .order_by("first")
        )
        for row in firsts:
            order.setdefault(row["speaker_id"], None)
    return list(order)


def speakers_form(interview: Interview, transcripts: list[Transcript], data: Any = None) -> Any:
    """Who each speaker of the interview's current transcripts is (None when no one speaks)."""
    current = [t for t in transcripts if t.is_current and t.status != TranscriptStatus.QUEUED]
    ids = _ordered_labels(current)
    if not ids:
        return None
    found = {s.pk: s for s in TranscriptSpeaker.objects.filter(pk__in=ids).select_related("user")}
    ordered = [found[pk] for pk in ids if pk in found]
    team = speakers.team_of(interview)
    return SpeakersForm(
        data,
        speakers=ordered,
        choices=speakers.choices_for(interview, team),
        suggested=speakers.suggest(interview, [s.label for s in ordered], team),
    )


def card_context(interview: Interview) -> dict[str, Any]:
    jobs.revive_stalled(interview)
    transcripts = list(
        interview.transcripts.select_related("recording", "created_by").order_by(
            "-created_at", "-id"
        )
    )
    for transcript in transcripts:
        transcript.time_left = time_left(transcript)  # type: ignore[attr-defined]
    ready = [r for r in interview.recordings.all() if r.is_ready]
    transcribed = {t.recording_id for t in transcripts if t.is_current and t.is_ready}
    busy = {t.recording_id for t in transcripts if t.is_unfinished}
    return {
        "interview": interview,
        "transcripts": [t for t in transcripts if t.is_current],
        "superseded": [t for t in transcripts if not t.is_current],
        "transcribable": [(r, r.pk in transcribed) for r in ready if r.pk not in busy],
        "transcribe_refusal": (jobs.refusal(interview, ready[0]) if ready else ""),
        "import_form": ImportForm(interview=interview, auto_id="transcript-%s"),
        "speakers_form": speakers_form(interview, transcripts),
        "transcripts_busy": bool(busy),
    }


@get_only
def transcripts_card(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """The card's list alone: asked for every few seconds while a transcription runs."""
    interview = get_interview_for(request, ws, pk)
    return render(request, "interviews/transcripts/_list.html", card_context(interview))


@post_only
def transcript_start(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview = get_interview_for(request, ws, pk, Need.EDIT)
    recording_pk = request.POST.get("recording", "")
    if not recording_pk.isdecimal():
        messages.error(request, "Choose the recording to transcribe.")
        return redirect(_page(ws, pk))
    recording = get_object_or_404(Recording, interview=interview, pk=int(recording_pk))
    try:
        jobs.start(interview, recording, current_user(request))
    except jobs.Refused as refusal:
        messages.error(request, f"The recording was not transcribed. {refusal}")
        return redirect(_page(ws, pk))
    messages.success(request, "Transcribing. The first minutes can be read while the rest is done.")
    return redirect(_page(ws, pk))


@post_only
def transcript_import(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview = get_interview_for(request, ws, pk, Need.EDIT)
    form = ImportForm(request.POST, request.FILES, interview=interview)
    if not form.is_valid():
        errors = "; ".join(str(e) for field in form.errors.values() for e in field)
        messages.error(request, f"Nothing was imported. {errors}")
        return redirect(_page(ws, pk))
    try:
        transcript = imports.import_transcript(
            interview,
            current_user(request),
            form.cleaned_data["file"],
            form.cleaned_data["recording"],
        )
    except formats.TranscriptFormatError as error:
        messages.error(request, f"Nothing was imported. {error}")
        return redirect(_page(ws, pk))
    count = transcript.segments.count()
    messages.success(request, f"Transcript imported: {count} line{'s' if count != 1 else ''}.")
    for warning in transcript.warnings[:5]:
        messages.warning(request, warning)
    return redirect(
        reverse("transcripts:detail", kwargs={"ws": ws, "pk": pk, "transcript_pk": transcript.pk})
    )


@post_only
def transcript_speakers(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview = get_interview_for(request, ws, pk, Need.EDIT)
    transcripts = list(interview.transcripts.all())
    form = speakers_form(interview, transcripts, request.POST)
    back = request.POST.get("next", "")
    target = back if back.startswith(f"/w/{ws}/interviews/{pk}/") else _page(ws, pk)
    if form is None or not form.is_valid():
        messages.error(request, "Choose who each speaker is from the lists.")
        return redirect(target)
    changed = speakers.save_mapping(
        interview, form.answers(), speakers.team_of(interview), current_user(request)
    )
    messages.success(
        request,
        "Speakers saved: pages and downloads use these names." if changed else "Nothing changed.",
    )
    return redirect(target)


@post_only
def transcript_cancel(
    request: WorkspaceRequest, ws: str, pk: int, transcript_pk: int
) -> HttpResponse:
    transcript = get_transcript_for(request, ws, pk, transcript_pk, Need.EDIT)
    if jobs.cancel(transcript):
        messages.success(request, "Transcription cancelled. What was done so far stays.")
    else:
        messages.info(request, "This transcription had already ended.")
    return redirect(_page(ws, pk))


@post_only
def transcript_retry(
    request: WorkspaceRequest, ws: str, pk: int, transcript_pk: int
) -> HttpResponse:
    transcript = get_transcript_for(request, ws, pk, transcript_pk, Need.EDIT)
    if jobs.retry(transcript):
        messages.success(request, "Transcribing again, from the start.")
    else:
        messages.info(request, "This transcript cannot be made again.")
    return redirect(_page(ws, pk))


def transcript_delete(
    request: WorkspaceRequest, ws: str, pk: int, transcript_pk: int
) -> HttpResponse:
    transcript = get_transcript_for(request, ws, pk, transcript_pk, Need.EDIT)
    if request.method == "POST":
        if transcript.is_unfinished:
            jobs.cancel(transcript)
        Transcript.objects.filter(pk=transcript.pk).delete()
        messages.success(request, "Transcript deleted.")
        return redirect(_page(ws, pk))
    return render(
        request,
        "interviews/transcripts/delete.html",
        {
            "transcript": transcript,
            "interview": transcript.interview,
            "count": transcript.segments.count(),
            "highlights": transcript.highlights.filter(deleted_at__isnull=True).count(),
            "quoted": transcript.highlights.filter(deleted_at__isnull=True, quotes__isnull=False)
            .distinct()
            .count(),
        },
    )


@get_only
def transcript_detail(
    request: WorkspaceRequest, ws: str, pk: int, transcript_pk: int
) -> HttpResponse:
    transcript = get_transcript_for(request, ws, pk, transcript_pk)
    context = page.page_context(transcript, request.membership.role_enum.can_edit())
    context["time_left"] = time_left(transcript)
    if request.htmx:
        return render(request, "interviews/transcripts/_lines.html", context)
    return render(request, "interviews/transcripts/detail.html", context)


@get_only
def transcript_download(
    request: WorkspaceRequest, ws: str, pk: int, transcript_pk: int, fmt: str
) -> HttpResponse:
    if fmt not in formats.WRITERS:
        raise Http404
    transcript = get_transcript_for(request, ws, pk, transcript_pk)
    interview = transcript.interview
    used = TranscriptSpeaker.objects.filter(interview=interview).select_related("user")
    hide = pseudonyms.of(
        interview.study.workspace_id, [interview.participant], pseudonyms.wanted(request)
    )
    document = store.pseudonymised(
        store.document_of(transcript, speakers.names_for(interview, used)), hide
    )
    response = HttpResponse(formats.write(document, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = attachment(file_name(interview, "transcript", fmt, hide))
    audit.record_request(
        request,
        AuditAction.TRANSCRIPT_DOWNLOADED,
        transcript,
        target_label=f"Transcript {transcript.pk} of interview {interview.pk}",
        interview=interview.pk,
        format=fmt,
        **pseudonyms.noted(hide),
    )
    response["Cache-Control"] = "private, no-store"
    return response

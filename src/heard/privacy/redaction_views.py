"""The redaction page of an interview (`interviews/<pk>/redact/`): researchers redact words
selected on a transcript (`?transcript=&first=&last=&words=&at=`, the transcript page's
"Redact" beside a selection), words of one line or one note (`?transcript=&first=` or
`?note=`, a field to type them in: the way without a script or a mouse), or the
suggestions Heard finds (no parameters). Each form shows what goes and says it goes for
good; observers get 403, outsiders 404."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from heard.accounts import audit
from heard.accounts.access import Need, current_user
from heard.accounts.models import AuditAction
from heard.accounts.requests import WorkspaceRequest
from heard.interviews.access import get_interview_for
from heard.interviews.models import Interview, Note, Segment, Transcript, TranscriptStatus
from heard.privacy import redaction, suggestions
from heard.privacy.cuts import Cut, RedactionError, cuts_in_note, cuts_of_selection
from heard.privacy.redaction import Done

SELECTION, LINE_OR_NOTE, SUGGESTED = "selection", "typed", "suggested"


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _transcript_of(interview: Interview, pk: Any) -> Transcript | None:
    found = _int(pk)
    return interview.transcripts.filter(pk=found).first() if found is not None else None


def _note_of(interview: Interview, pk: Any) -> Note | None:
    try:
        found = uuid.UUID(str(pk))
    except ValueError:
        return None
    return Note.objects.filter(interview=interview, pk=found, deleted_at__isnull=True).first()


def _back(ws: str, interview: Interview, transcript: Transcript | None, anchor: str) -> str:
    if transcript is not None:
        url = reverse(
            "transcripts:detail",
            kwargs={"ws": ws, "pk": interview.pk, "transcript_pk": transcript.pk},
        )
    else:
        url = reverse("interviews:wrapup", kwargs={"ws": ws, "pk": interview.pk})
    return f"{url}#{anchor}" if anchor else url


def redact(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview = get_interview_for(request, ws, pk, Need.EDIT)
    source = request.POST if request.method == "POST" else request.GET
    transcript = _transcript_of(interview, source.get("transcript"))
    note = _note_of(interview, source.get("note"))
    first = _int(source.get("first"))
    line = (
        Segment.objects.filter(transcript=transcript, pk=first).first()
        if transcript is not None and first is not None
        else None
    )
    words = source.get("words", "")
    context: dict[str, Any] = {
        "interview": interview,
        "transcript": transcript,
        "note": note,
        "line": line,
        "words": words,
        "first": source.get("first", ""),
        "last": source.get("last", ""),
        "at": source.get("at", ""),
    }
    status = 200
    if request.method == "POST":
        try:
            cuts, anchor = _cuts(request, interview, transcript, note, line, words)
            done = redaction.redact(interview, cuts, current_user(request))
        except RedactionError as refused:
            context["problem"] = str(refused)
            status = 400
        else:
            _record(request, interview, cuts, done)
            messages.success(request, done.summary)
            return redirect(_back(ws, interview, transcript, anchor))
    if line is None and note is None:
        found, total = suggestions.suggest(interview)
        context.update(suggestions=found, suggestions_total=total, mode=SUGGESTED)
    else:
        typed = source.get("mode") == LINE_OR_NOTE or not words or line is None
        context["mode"] = LINE_OR_NOTE if typed else SELECTION
        if transcript is not None and transcript.status != TranscriptStatus.READY:
            context["problem"] = "Redact a transcript once it is ready."
    return render(request, "privacy/redact.html", context, status=status)


def _cuts(
    request: HttpRequest,
    interview: Interview,
    transcript: Transcript | None,
    note: Note | None,
    line: Segment | None,
    words: str,
) -> tuple[list[Cut], str]:
    """The cuts the form asks for, and the anchor of the page to return to."""
    mode = request.POST.get("mode")
    if mode == SUGGESTED:
        cuts = [
            Cut.parse(
                key, request.POST.get(f"words:{key}", ""), request.POST.get(f"reason:{key}", "")
            )
            for key in request.POST.getlist("cut")
        ]
        if not cuts:
            raise RedactionError("Tick the suggestions to redact.")
        return cuts, ""
    if note is not None:
        return cuts_in_note(note, words), f"note-{note.pk}"
    if transcript is None or line is None:
        raise RedactionError("Those words are not in this interview any more.")
    if mode == SELECTION:
        cuts = cuts_of_selection(
            transcript, line.pk, _int(request.POST.get("last")), words, _int(request.POST.get("at"))
        )
    else:
        cuts = cuts_of_selection(transcript, line.pk, None, words, None)
    return cuts, f"segment-{line.pk}"


def _record(request: WorkspaceRequest, interview: Interview, cuts: list[Cut], done: Done) -> None:
    audit.record_request(
        request,
        AuditAction.REDACTED,
        interview,
        target_label=f"Interview {interview.pk}",
        lines=done.lines,
        notes=done.notes,
        spans=done.spans,
        characters=done.characters,
        reasons=sorted({cut.reason for cut in cuts}),
        recordings_silenced=done.recordings,
    )

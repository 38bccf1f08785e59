"""Highlighting words of a transcript, changing a highlight's kind and points, removing it.

On the transcript's page a reader selects words and a dialog asks for the kind and the
points (`transcript.js`); without a script, or from the keyboard, each line's "Highlight"
opens this form with the line's words to cut down. Researchers only: observers read.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from heard.accounts.access import Need, current_user, post_only
from heard.accounts.requests import WorkspaceRequest
from heard.interviews.access import get_transcript_for
from heard.interviews.models import Note, NoteSource, Segment, Transcript
from heard.interviews.transcripts import highlights
from heard.interviews.transcripts.forms import HighlightForm


def _page(transcript: Transcript, ws: str, anchor: str = "") -> str:
    kwargs = {"ws": ws, "pk": transcript.interview_id, "transcript_pk": transcript.pk}
    return reverse("transcripts:detail", kwargs=kwargs) + (f"#{anchor}" if anchor else "")


def _highlight_of(transcript: Transcript, note_pk: Any) -> Note:
    found = (
        Note.objects.filter(
            pk=note_pk,
            transcript=transcript,
            source=NoteSource.RECORDING,
            deleted_at__isnull=True,
        )
        .prefetch_related("points")
        .first()
    )
    if found is None:
        raise Http404
    return found


def highlight_new(request: WorkspaceRequest, ws: str, pk: int, transcript_pk: int) -> HttpResponse:
    """The form for words of one or more lines (GET `?first=&last=&words=`: the first line's
    words when none are given), and keeping them (POST)."""
    transcript = get_transcript_for(request, ws, pk, transcript_pk, Need.EDIT)
    interview = transcript.interview
    status = 200
    if request.method == "POST":
        form = HighlightForm(request.POST, interview=interview)
        if form.is_valid():
            data = form.cleaned_data
            try:
                span = highlights.locate(
                    transcript, data["first"], data["last"], data["words"], data["at"]
                )
            except highlights.HighlightError as refused:
                form.add_error("words", str(refused))
            else:
                highlights.add(
                    transcript, span, data["kind"], data["points"], current_user(request)
                )
                messages.success(
                    request, "Highlighted: the summary offers it as a quote, from the recording."
                )
                return redirect(_page(transcript, ws, f"segment-{span.first.pk}"))
        status = 400
    else:
        first = _int(request.GET.get("first"))
        line = Segment.objects.filter(transcript=transcript, pk=first).first() if first else None
        if line is None:
            messages.info(request, "Select words of a line to highlight them.")
            return redirect(_page(transcript, ws))
        words = request.GET.get("words", "").strip() or line.text
        form = HighlightForm(
            interview=interview,
            initial={"first": line.pk, "last": _int(request.GET.get("last")), "words": words},
        )
    context = {
        "interview": interview,
        "transcript": transcript,
        "form": form,
        "back": _page(transcript, ws, f"segment-{form['first'].value()}"),
    }
    return render(request, "interviews/transcripts/highlight.html", context, status=status)


def highlight_edit(
    request: WorkspaceRequest, ws: str, pk: int, transcript_pk: int, note_pk: str
) -> HttpResponse:
    """A highlight's kind and points; its words stay the transcript's."""
    transcript = get_transcript_for(request, ws, pk, transcript_pk, Need.EDIT)
    note = _highlight_of(transcript, note_pk)
    interview = transcript.interview
    back = _page(transcript, ws, f"highlight-{note.pk}")
    status = 200
    if request.method == "POST":
        form = HighlightForm(request.POST, interview=interview, with_words=False)
        if form.is_valid():
            highlights.change(note, form.cleaned_data["kind"], form.cleaned_data["points"])
            messages.success(request, "Highlight saved.")
            return redirect(back)
        status = 400
    else:
        form = HighlightForm(
            interview=interview,
            with_words=False,
            initial={"kind": note.kind, "points": list(note.points.all())},
        )
    context = {
        "interview": interview,
        "transcript": transcript,
        "form": form,
        "highlight": note,
        "back": back,
    }
    return render(request, "interviews/transcripts/highlight.html", context, status=status)


@post_only
def highlight_delete(
    request: WorkspaceRequest, ws: str, pk: int, transcript_pk: int, note_pk: str
) -> HttpResponse:
    transcript = get_transcript_for(request, ws, pk, transcript_pk, Need.EDIT)
    note = _highlight_of(transcript, note_pk)
    highlights.remove(note)
    quoted = note.quotes.count()
    if quoted:
        messages.success(
            request,
            f"Highlight removed. The {quoted} quote{'s' if quoted > 1 else ''} picked from it "
            "keep their words; the summary's checks point them out.",
        )
    else:
        messages.success(request, "Highlight removed.")
    return redirect(_page(transcript, ws, f"segment-{note.segment_id}" if note.segment_id else ""))


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None

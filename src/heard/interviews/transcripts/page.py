"""The transcript's page: the lines beside the recording's player, and editing a line.

The page is rendered in a fixed number of queries whatever the transcript's length (the
segments with their speakers in one), with lean markup: each line is its time, speaker and
text, and the player's script (`static/heard/js/transcript.js`) reads the start times from
the lines' `data-start`.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any, NamedTuple

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from heard.accounts.access import Need, current_user, post_only
from heard.accounts.requests import WorkspaceRequest
from heard.interviews.access import get_transcript_for
from heard.interviews.models import (
    Interview,
    Note,
    NoteSource,
    Recording,
    Segment,
    Transcript,
    TranscriptSpeaker,
)
from heard.interviews.recordings.moments import said_by
from heard.interviews.signals import changed
from heard.interviews.transcripts import editing, formats, highlights, speakers
from heard.interviews.transcripts.forms import HighlightForm, OffsetForm, SegmentForm


def time_label(ms: int | None) -> str:
    if ms is None:
        return ""
    seconds = ms // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


class Line(NamedTuple):
    """A line as the page shows it: its time and the name its speaker goes by."""

    pk: int
    start_ms: int | None
    at: str
    name: str
    text: str


def line_of(segment: Segment, interview: Interview) -> Line:
    speaker = segment.speaker
    return Line(
        segment.pk,
        segment.start_ms,
        time_label(segment.start_ms),
        speakers.name_of(speaker, interview) if speaker else "",
        segment.text,
    )


def edit_base(transcript: Transcript) -> str:
    """The transcript's own address, which a line's edit and highlight addresses extend."""
    interview = transcript.interview
    kwargs = {"ws": interview.study.workspace.slug, "pk": interview.pk}
    return reverse("transcripts:detail", kwargs={**kwargs, "transcript_pk": transcript.pk})


def line_html(line: Line, edits: str, can_highlight: bool = True) -> SafeString:
    """One line's markup (`_lines.html` puts thousands of them in a page, a swap one alone):
    built here with plain string formatting, the text and name escaped, rather than by an
    included template or `format_html`, which cost ten and three times as much a line. The
    time and speaker are a button that plays from the line; editors get the edit and
    highlight links, `edits` being `edit_base` for them and "" for those who only read; no
    highlight link while the transcript is not ready (its lines may still change)."""
    pk, start_ms, at, name, text = line
    start = "" if start_ms is None else f' data-start="{start_ms}"'
    time = f"<time>{at}</time>" if at else ""
    tools = ""
    if edits:
        where = f"the line at {at}" if at else "this line"
        base = escape(edits)
        highlight = (
            f' <a href="{base}highlight/?first={pk}">Highlight<span class="visually-hidden">'
            f" words of {where}</span></a>"
            if can_highlight
            else ""
        )
        tools = (
            f'<span class="transcript-tools small"><a href="{base}segments/{pk}/" '
            f'hx-get="{base}segments/{pk}/">Edit<span class="visually-hidden"> {where}'
            f"</span></a>{highlight}</span>"
        )
    return mark_safe(
        f'<li class="transcript-line" id="segment-{pk}"{start}><button type="button" '
        f'class="transcript-at">{time} <span class="transcript-speaker" dir="auto">'
        f'{escape(name)}</span></button><p class="transcript-text" dir="auto">'
        f"{escape(text)}</p>{tools}</li>"
    )


def lines_of(transcript: Transcript) -> list[Line]:
    """The transcript's lines in order: the speakers' names in one query, the lines as plain
    rows in another (no model objects for thousands of them)."""
    interview = transcript.interview
    used = TranscriptSpeaker.objects.filter(interview=interview).select_related("user")
    names = speakers.names_for(interview, used)
    rows = (
        Segment.objects.filter(transcript=transcript)
        .order_by("index")
        .values_list("pk", "start_ms", "speaker_id", "text")
    )
    return [
        Line(pk, start_ms, time_label(start_ms), names.get(speaker_id, ""), text)
        for pk, start_ms, speaker_id, text in rows
    ]


def notes_on(interview: Interview, recording: Recording | None) -> list[tuple[int, Note]]:
    """The call's notes at their time on the recording, in ms, earliest first: a note's time
    into the call less the seconds into the call when the recording starts."""
    offset = recording.call_offset_seconds if recording is not None else 0
    found = Note.objects.filter(
        interview=interview, source=NoteSource.CALL, deleted_at__isnull=True
    ).order_by("elapsed_seconds", "created_at")
    return [(max(0, note.elapsed_seconds - offset) * 1000, note) for note in found]


def interleaved(
    lines: list[Line],
    notes: list[tuple[int, Note]],
    edits: str,
    marks: dict[int, list[Note]] | None = None,
    highlightable: bool = True,
) -> list[tuple[str, Any]]:
    """The lines with each note before the first line that starts after it: ("line", line)
    and ("note", (note, time)). Notes after the last timed line come last. `marks`: the
    highlights by the line they start in, each after its line: ("highlight", note)."""
    items: list[tuple[str, Any]] = []
    waiting = iter(notes)
    upcoming = next(waiting, None)
    marks = marks or {}
    for line in lines:
        start = line.start_ms
        while upcoming is not None and start is not None and upcoming[0] < start:
            items.append(("note", (upcoming[1], time_label(upcoming[0]))))
            upcoming = next(waiting, None)
        items.append(("line", line_html(line, edits, highlightable)))
        items += [("highlight", mark) for mark in marks.get(line.pk, ())]
    while upcoming is not None:
        items.append(("note", (upcoming[1], time_label(upcoming[0]))))
        upcoming = next(waiting, None)
    return items


def page_context(transcript: Transcript, can_edit: bool) -> dict[str, Any]:
    interview = transcript.interview
    recording = transcript.recording
    playable = recording is not None and recording.is_ready and bool(recording.playback.name)
    lines = lines_of(transcript)
    marks: dict[int, list[Note]] = defaultdict(list)
    mark: Any  # a highlight, with who said it and when, for the page
    for mark in highlights.of_transcript(transcript):
        mark.said_by = said_by(mark, interview)
        mark.time = time_label(mark.start_ms)
        marks[mark.segment_id or 0].append(mark)
    return {
        "interview": interview,
        "transcript": transcript,
        "lines": (
            interleaved(
                lines,
                notes_on(interview, recording),
                edit_base(transcript) if can_edit else "",
                marks,
                transcript.is_ready,
            )
            if lines
            else []
        ),
        "highlight_count": sum(len(found) for found in marks.values()),
        "highlight_form": (
            HighlightForm(interview=interview)
            if can_edit and lines and transcript.is_ready
            else None
        ),
        "recording": recording if playable else None,
        "offset_form": OffsetForm(
            initial={"seconds": recording.call_offset_seconds if recording else 0}
        ),
        "writers": [(name, fmt.label) for name, fmt in formats.WRITERS.items()],
    }


def _speaker_choices(interview: Interview) -> list[tuple[TranscriptSpeaker, str]]:
    found = TranscriptSpeaker.objects.filter(interview=interview).select_related("user")
    return [(s, speakers.name_of(s, interview)) for s in found.order_by("label", "pk")]


def segment_edit(
    request: WorkspaceRequest, ws: str, pk: int, transcript_pk: int, segment_pk: int
) -> HttpResponse:
    """A line's form (GET) and its saving (POST), with the line's history below the form;
    for researchers only (observers read the page). With htmx the line is swapped in place;
    without, a POST goes back to the line."""
    transcript = get_transcript_for(request, ws, pk, transcript_pk, Need.EDIT)
    interview = transcript.interview
    segment = get_object_or_404(
        Segment.objects.select_related("speaker", "speaker__user"),
        transcript=transcript,
        pk=segment_pk,
    )
    choices = _speaker_choices(interview)
    back = edit_base(transcript) + f"#segment-{segment.pk}"
    names = {s.pk: name for s, name in choices}
    status = 200
    if request.method == "POST":
        form = SegmentForm(request.POST, speakers=choices)
        if form.is_valid():
            data = form.cleaned_data
            try:
                changed = editing.edit_segment(
                    segment, data["text"], data["speaker"], data["version"], current_user(request)
                )
            except editing.Stale:
                segment.refresh_from_db()
                # Saving again replaces the line as it now is: the form carries its version.
                data = request.POST.copy()
                data["version"] = str(segment.version)
                form = SegmentForm(data, speakers=choices)
                form.is_valid()
                form.add_error(
                    None,
                    "Someone changed this line while you were editing it: it now reads as "
                    "shown here. Your text is kept below; save again to replace theirs.",
                )
                status = 409
            else:
                if request.htmx:
                    return HttpResponse(
                        line_html(line_of(segment, interview), edit_base(transcript))
                    )
                if changed:
                    messages.success(request, "Line saved.")
                return redirect(back)
        elif status == 200:
            status = 400
    elif request.GET.get("cancel") and request.htmx:
        return HttpResponse(line_html(line_of(segment, interview), edit_base(transcript)))
    else:
        form = SegmentForm(
            initial={"text": segment.text, "speaker": segment.speaker, "version": segment.version},
            speakers=choices,
        )
    context = {
        "interview": interview,
        "transcript": transcript,
        "segment": segment,
        "line": line_of(segment, interview),
        "form": form,
        "history": [
            (edit, names.get(edit.old_speaker_id or 0, ""), names.get(edit.new_speaker_id or 0, ""))
            for edit in segment.edits.select_related("edited_by")
        ],
        "back": back,
    }
    template = "_segment_form.html" if request.htmx else "segment.html"
    # htmx swaps only 2xx answers: a refusal is still the form, with its message.
    return render(
        request,
        f"interviews/transcripts/{template}",
        context,
        status=200 if request.htmx else status,
    )


@post_only
def recording_offset(
    request: WorkspaceRequest, ws: str, pk: int, transcript_pk: int
) -> HttpResponse:
    """Where the recording starts on the call's clock, set by hand: the notes move with it."""
    transcript = get_transcript_for(request, ws, pk, transcript_pk, Need.EDIT)
    back = reverse(
        "transcripts:detail", kwargs={"ws": ws, "pk": pk, "transcript_pk": transcript_pk}
    )
    recording = transcript.recording
    if recording is None:
        messages.error(request, "This transcript has no recording to line the notes up with.")
        return redirect(back)
    form = OffsetForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(str(e) for field in form.errors.values() for e in field)
        messages.error(request, f"The notes were not moved. {errors}")
        return redirect(back + "#offset")
    recording.call_offset_seconds = form.cleaned_data["seconds"]
    recording.save(update_fields=["call_offset_seconds"])
    highlights.follow_offset(recording)
    changed(recording.interview_id)
    messages.success(request, "The notes now sit at their time on this recording.")
    return redirect(back)

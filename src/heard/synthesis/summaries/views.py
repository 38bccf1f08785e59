"""The interview summary: the editor and its small writes, marking final, the two exports.

Each write answers an htmx request with the part of the page it changed (and the checks,
out of band); without JavaScript the same forms post and come back to the point.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from heard.accounts import audit
from heard.accounts.access import Need, current_user, get_only, post_only
from heard.accounts.models import AuditAction
from heard.accounts.requests import WorkspaceRequest
from heard.core.downloads import attachment
from heard.interviews.access import get_interview_for
from heard.interviews.models import Note, NoteKind
from heard.interviews.recordings.moments import said_by
from heard.interviews.services import file_name, intro_order
from heard.participants import pseudonyms
from heard.synthesis.access import get_point_for, get_quote_for, get_summary_for
from heard.synthesis.summaries import answers, export, services
from heard.synthesis.summaries.forms import (
    AddQuoteForm,
    FinaliseForm,
    HeardForm,
    MeasureForm,
    QuoteForm,
    StanceForm,
    TextForm,
)


def summary_page(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """The editor. `?find=…&point=…` looks for words among the other notes offered under a
    point: with htmx, the answer is that list alone."""
    interview = get_interview_for(request, ws, pk)
    summary = services.summary_of(interview)
    if summary is None:
        return render(request, "synthesis/summary_start.html", {"interview": interview})
    context = answers.editor(request, summary)
    search = context["search"]
    if request.htmx and search.point_id is not None:
        context["entry"] = answers.entry(context, search.point_id)
        if context["entry"] is None:
            raise Http404("No such validation point in this study.")
        return render(request, "synthesis/summary.html#others", context)
    return render(request, "synthesis/summary.html", context)


@post_only
def summary_start(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview = get_interview_for(request, ws, pk, Need.EDIT)
    try:
        services.start_summary(interview, current_user(request))
    except services.SummaryError as error:
        messages.error(request, str(error))
    return redirect("summaries:detail", ws=ws, pk=pk)


@post_only
def stance_set(request: WorkspaceRequest, ws: str, pk: int, point_pk: int) -> HttpResponse:
    return _point_write(request, ws, pk, point_pk, StanceForm, "stance")


@post_only
def heard_set(request: WorkspaceRequest, ws: str, pk: int, point_pk: int) -> HttpResponse:
    return _point_write(request, ws, pk, point_pk, HeardForm, "what_we_heard")


def _point_write(
    request: WorkspaceRequest, ws: str, pk: int, point_pk: int, form_class: type[Form], name: str
) -> HttpResponse:
    """Set one field of one point (its stance, or what we heard) and answer with its part."""
    summary = get_summary_for(request, ws, pk, Need.EDIT)
    point = get_point_for(summary, point_pk)
    part = "stance" if name == "stance" else "heard"
    form = form_class(request.POST)
    if not form.is_valid():
        return answers.refused(request, summary, answers.first_error(form), point.pk, part)
    value = form.cleaned_data[name]
    user = current_user(request)
    return answers.write(
        request,
        summary,
        lambda: services.set_point_field(summary, point, user, name, value),
        part,
        point_pk=point.pk,
    )


@post_only
def text_set(request: WorkspaceRequest, ws: str, pk: int, section: str) -> HttpResponse:
    summary = get_summary_for(request, ws, pk, Need.EDIT)
    if section not in services.TEXT_FIELDS:
        raise Http404("No such part of the summary.")
    form = TextForm(request.POST)
    if not form.is_valid():
        return answers.refused(
            request, summary, answers.first_error(form), part="text", section=section
        )
    value = form.cleaned_data["text"]
    return answers.write(
        request,
        summary,
        lambda: services.set_text(summary, section, value),
        "text",
        section=section,
    )


@post_only
def measure_set(request: WorkspaceRequest, ws: str, pk: int, note_id: uuid.UUID) -> HttpResponse:
    """Move a KPI to the pain it measures (or to none), from the notes beside the pains."""
    summary = get_summary_for(request, ws, pk, Need.EDIT)
    kept = Note.objects.filter(interview=summary.interview, deleted_at__isnull=True)
    kpi = get_object_or_404(kept, pk=note_id, kind=NoteKind.KPI)
    form = MeasureForm(request.POST)
    if not form.is_valid():
        return answers.refused(request, summary, "Pick a pain, or none.", section="main_pains")
    chosen = form.cleaned_data["pain"]
    pain = get_object_or_404(kept, pk=chosen, kind=NoteKind.PAIN) if chosen else None
    try:
        follows = services.move_measure(summary, kpi, pain)
    except services.SummaryError as error:
        return answers.refused(request, summary, str(error), section="main_pains")
    notice = "" if follows else UNFOLLOWED
    if notice and not request.htmx:
        messages.info(request, notice)
    return answers.answer(request, summary, "text", None, "main_pains", notice=notice)


# When a KPI moves but the team's pains text no longer says what the notes gave it.
UNFOLLOWED = (
    "Moved beside the notes. Your text differs from what the notes gave, so it stays as it "
    "is: move the measure in it too."
)


@post_only
def quote_add(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    summary = get_summary_for(request, ws, pk, Need.EDIT)
    form = AddQuoteForm(request.POST)
    if not form.is_valid():
        return answers.refused(
            request, summary, "Pick a note and the validation point it speaks to."
        )
    point = get_point_for(summary, form.cleaned_data["point"])
    note = get_object_or_404(
        Note, interview=summary.interview, pk=form.cleaned_data["note"], deleted_at__isnull=True
    )
    user = current_user(request)
    return answers.write(
        request,
        summary,
        lambda: services.add_quote(summary, point, user, note),
        "quotes",
        point_pk=point.pk,
    )


@post_only
def quote_edit(request: WorkspaceRequest, ws: str, pk: int, quote_pk: int) -> HttpResponse:
    quote = get_quote_for(request, ws, pk, quote_pk, Need.EDIT)
    summary = quote.point_summary.summary
    point_pk = quote.point_summary.point_id
    form = QuoteForm(request.POST)
    if not form.is_valid():
        return answers.refused(request, summary, answers.first_error(form), point_pk, "quotes")
    return answers.write(
        request,
        summary,
        lambda: services.edit_quote(
            quote, text=form.cleaned_data["text"], bearing=form.cleaned_data["bearing"]
        ),
        "quotes",
        point_pk=point_pk,
    )


@post_only
def summary_finalise(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    summary = get_summary_for(request, ws, pk, Need.EDIT)
    form = FinaliseForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ChecksChanged
        services.finalise(
            summary,
            current_user(request),
            seen=form.cleaned_data["seen"],
            acknowledged=form.cleaned_data["acknowledged"],
        )
    except services.SummaryError as error:
        messages.error(request, str(error))
        return redirect(answers.summary_url(summary) + "#checks")
    messages.success(request, "Summary marked final. Reopen it to change it.")
    return redirect(answers.summary_url(summary))


@post_only
def summary_reopen(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    summary = get_summary_for(request, ws, pk, Need.EDIT)
    services.reopen(summary)
    messages.success(request, "Summary reopened as a draft.")
    return redirect(answers.summary_url(summary))


@get_only
def summary_markdown(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    summary = get_summary_for(request, ws, pk)
    interview = summary.interview
    wrapup = request.build_absolute_uri(
        reverse("interviews:wrapup", kwargs={"ws": ws, "pk": interview.pk})
    )
    hide = pseudonyms.of(
        interview.study.workspace_id, [interview.participant], pseudonyms.wanted(request)
    )
    content = hide.text(
        export.summary_markdown(summary, services.entries(summary), intro_order(interview), wrapup)
    )
    response = HttpResponse(content, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = attachment(file_name(interview, "summary", "md", hide))
    audit.record_request(
        request,
        AuditAction.EXPORTED,
        interview,
        export="summary_markdown",
        **pseudonyms.noted(hide),
    )
    return response


@get_only
def summary_print(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    summary = get_summary_for(request, ws, pk)
    audit.record_request(request, AuditAction.EXPORTED, summary.interview, export="summary_print")
    entries = services.entries(summary)
    quote: Any  # with who said it, for the page
    for entry in entries:
        for quote in entry.quotes:
            quote.said_by = said_by(quote, summary.interview)
    context = {
        "summary": summary,
        "interview": summary.interview,
        "held_at": export.when(summary.interview),
        "team": intro_order(summary.interview),
        "entries": entries,
        "sections": [(title, getattr(summary, name)) for name, title in export.SECTIONS],
    }
    return render(request, "synthesis/summary_print.html", context)

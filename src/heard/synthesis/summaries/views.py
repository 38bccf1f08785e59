"""The interview summary: the editor and its small writes, marking final, the two exports.

Each write answers an htmx request with the part of the page it changed (and the checks,
out of band); without JavaScript the same forms post and come back to the point.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django_htmx.http import HttpResponseClientRefresh

from heard.accounts.access import Need, current_user, get_only, post_only
from heard.accounts.requests import WorkspaceRequest
from heard.core.downloads import attachment
from heard.interviews.access import get_interview_for
from heard.interviews.models import Note, NoteKind
from heard.interviews.services import file_name, intro_order
from heard.synthesis.access import get_point_for, get_quote_for, get_summary_for
from heard.synthesis.models import Bearing, Stance, Summary
from heard.synthesis.summaries import checks, export, notes, services
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
    context = _editor(request, summary)
    search = context["search"]
    if request.htmx and search.point_id is not None:
        context["entry"] = _entry(context, search.point_id)
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
        return _refused(request, summary, _first_error(form), point.pk, part)
    value = form.cleaned_data[name]
    user = current_user(request)
    return _write(
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
        return _refused(request, summary, _first_error(form), part="text", section=section)
    value = form.cleaned_data["text"]
    return _write(
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
        return _refused(request, summary, "Pick a pain, or none.", section="main_pains")
    chosen = form.cleaned_data["pain"]
    pain = get_object_or_404(kept, pk=chosen, kind=NoteKind.PAIN) if chosen else None
    try:
        follows = services.move_measure(summary, kpi, pain)
    except services.SummaryError as error:
        return _refused(request, summary, str(error), section="main_pains")
    notice = "" if follows else UNFOLLOWED
    if notice and not request.htmx:
        messages.info(request, notice)
    return _answer(request, summary, "text", None, "main_pains", notice=notice)


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
        return _refused(request, summary, "Pick a note and the validation point it speaks to.")
    point = get_point_for(summary, form.cleaned_data["point"])
    note = get_object_or_404(
        Note, interview=summary.interview, pk=form.cleaned_data["note"], deleted_at__isnull=True
    )
    user = current_user(request)
    return _write(
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
        return _refused(request, summary, _first_error(form), point_pk, "quotes")
    return _write(
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
        return redirect(_summary_url(summary) + "#checks")
    messages.success(request, "Summary marked final. Reopen it to change it.")
    return redirect(_summary_url(summary))


@post_only
def summary_reopen(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    summary = get_summary_for(request, ws, pk, Need.EDIT)
    services.reopen(summary)
    messages.success(request, "Summary reopened as a draft.")
    return redirect(_summary_url(summary))


@get_only
def summary_markdown(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    summary = get_summary_for(request, ws, pk)
    interview = summary.interview
    wrapup = request.build_absolute_uri(
        reverse("interviews:wrapup", kwargs={"ws": ws, "pk": interview.pk})
    )
    content = export.summary_markdown(
        summary, services.entries(summary), intro_order(interview), wrapup
    )
    response = HttpResponse(content, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = attachment(file_name(interview, "summary", "md"))
    return response


@get_only
def summary_print(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    summary = get_summary_for(request, ws, pk)
    context = {
        "summary": summary,
        "interview": summary.interview,
        "held_at": export.when(summary.interview),
        "team": intro_order(summary.interview),
        "entries": services.entries(summary),
        "sections": [(title, getattr(summary, name)) for name, title in export.SECTIONS],
    }
    return render(request, "synthesis/summary_print.html", context)


# Helpers ---------------------------------------------------------------------------------------


def _summary_url(summary: Summary) -> str:
    interview = summary.interview
    return reverse(
        "summaries:detail", kwargs={"ws": interview.study.workspace.slug, "pk": interview.pk}
    )


def _search(request: WorkspaceRequest) -> services.Search:
    """The words looked for among the other notes, and under which point: from the address,
    or carried along by a quote added from the list they narrowed."""
    data = request.POST if request.method == "POST" else request.GET
    point = data.get("point", "")
    words = data.get("find", "")[:200]
    return services.Search(words, int(point) if point.isdigit() else None)


def _entry(context: dict[str, Any], point_pk: int | None) -> services.Entry | None:
    return next((e for e in context["entries"] if e.point.pk == point_pk), None)


def _editor(request: WorkspaceRequest, summary: Summary) -> dict[str, Any]:
    """Everything the editor shows: the points with the notes they may quote, the notes'
    digest, the checks. The partials an htmx write answers with are rendered from the same
    context."""
    kept = services.notes_of(summary)
    offered = services.offered(summary, kept)
    search = _search(request)
    points = services.entries(summary, offered=offered, search=search)
    found_checks = checks.objectivity_checks(points)
    found = notes.digest(kept, summary.measures)
    membership = request.membership
    return {
        "summary": summary,
        "interview": summary.interview,
        "held_at": export.when(summary.interview),
        "entries": points,
        "unlinked": offered.unlinked,
        "digest": found,
        "sections": [
            {"name": name, "title": title, "value": getattr(summary, name)}
            for name, title in export.SECTIONS
        ],
        "search": search,
        "checks": found_checks,
        "seen": checks.fingerprint(found_checks),
        "stances": Stance.choices,
        "bearings": Bearing.choices,
        "editable": membership.role_enum.can_edit() and not summary.is_final,
    }


def _write(
    request: WorkspaceRequest,
    summary: Summary,
    change: Callable[[], object],
    part: str,
    *,
    point_pk: int | None = None,
    section: str = "",
) -> HttpResponse:
    try:
        change()
    except services.SummaryError as error:
        return _refused(request, summary, str(error), point_pk, part, section)
    return _answer(request, summary, part, point_pk, section)


def _refused(
    request: WorkspaceRequest,
    summary: Summary,
    error: str,
    point_pk: int | None = None,
    part: str = "",
    section: str = "",
) -> HttpResponse:
    """Say why a write was refused. Text being typed comes back with the reason, never lost."""
    if request.htmx and part in ("heard", "text"):
        typed = request.POST.get("what_we_heard" if part == "heard" else "text", "")
        return _answer(request, summary, part, point_pk, section, error=error, typed=typed)
    messages.error(request, error)
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(_summary_url(summary) + _anchor(point_pk, section))


def _answer(
    request: WorkspaceRequest,
    summary: Summary,
    part: str,
    point_pk: int | None,
    section: str,
    **extra: str,
) -> HttpResponse:
    if not request.htmx:
        return redirect(_summary_url(summary) + _found(request) + _anchor(point_pk, section))
    summary.refresh_from_db(fields=["status", *services.TEXT_FIELDS, "measures", "updated_at"])
    context = _editor(request, summary)
    context["entry"] = _entry(context, point_pk)
    context["section"] = next((s for s in context["sections"] if s["name"] == section), None)
    html = render_to_string(f"synthesis/summary.html#{part}", {**context, **extra}, request)
    checks = render_to_string("synthesis/summary.html#checks", {**context, "oob": True}, request)
    return HttpResponse(html + checks)


def _found(request: WorkspaceRequest) -> str:
    """The search a quote was added from, to come back to it without JavaScript."""
    search = _search(request)
    if not search.words.strip() or search.point_id is None:
        return ""
    return "?" + urlencode({"find": search.words, "point": search.point_id})


def _anchor(point_pk: int | None, section: str) -> str:
    if point_pk is not None:
        return f"#point-{point_pk}"
    return f"#text-{section}" if section else ""


def _first_error(form: Form) -> str:
    return str(next(iter(form.errors.values()))[0])

"""What the summary editor's writes answer: the editor's context, the part of the page a
write changed (with the checks, out of band) or, without JavaScript, the way back to it; and
the reason a write was refused, with the text being typed kept. Shared by every view that
changes a summary (`views`, `removing`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django_htmx.http import HttpResponseClientRefresh

from heard.accounts.requests import WorkspaceRequest
from heard.interviews.recordings.moments import Moments
from heard.synthesis.models import Bearing, Stance, Summary
from heard.synthesis.summaries import checks, export, notes, services


def summary_url(summary: Summary) -> str:
    interview = summary.interview
    return reverse(
        "summaries:detail", kwargs={"ws": interview.study.workspace.slug, "pk": interview.pk}
    )


def search_of(request: WorkspaceRequest) -> services.Search:
    """The words looked for among the other notes, and under which point: from the address,
    or carried along by a quote added from the list they narrowed."""
    data = request.POST if request.method == "POST" else request.GET
    point = data.get("point", "")
    words = data.get("find", "")[:200]
    return services.Search(words, int(point) if point.isdigit() else None)


def entry(context: dict[str, Any], point_pk: int | None) -> services.Entry | None:
    return next((e for e in context["entries"] if e.point.pk == point_pk), None)


def editor(request: WorkspaceRequest, summary: Summary) -> dict[str, Any]:
    """Everything the editor shows: the points with the notes they may quote, the notes'
    digest, the checks. The partials an htmx write answers with are rendered from the same
    context."""
    kept = services.notes_of(summary)
    offered = services.offered(summary, kept)
    search = search_of(request)
    points = services.entries(summary, offered=offered, search=search)
    # Who said each quote and highlight, and the moment of the recording each one plays.
    interview = summary.interview
    moments = Moments(request.membership.workspace.slug, [interview.pk])
    moments.mark_notes(kept, interview)
    for point in points:
        moments.mark_quotes(point.quotes, interview)
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


def write(
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
        return refused(request, summary, str(error), point_pk, part, section)
    return answer(request, summary, part, point_pk, section)


def refused(
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
        return answer(request, summary, part, point_pk, section, error=error, typed=typed)
    messages.error(request, error)
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(summary_url(summary) + anchor(point_pk, section))


def answer(
    request: WorkspaceRequest,
    summary: Summary,
    part: str,
    point_pk: int | None,
    section: str,
    **extra: str,
) -> HttpResponse:
    if not request.htmx:
        return redirect(summary_url(summary) + found(request) + anchor(point_pk, section))
    summary.refresh_from_db(fields=["status", *services.TEXT_FIELDS, "measures", "updated_at"])
    context = editor(request, summary)
    context["entry"] = entry(context, point_pk)
    context["section"] = next((s for s in context["sections"] if s["name"] == section), None)
    html = render_to_string(f"synthesis/summary.html#{part}", {**context, **extra}, request)
    checks = render_to_string("synthesis/summary.html#checks", {**context, "oob": True}, request)
    return HttpResponse(html + checks)


def found(request: WorkspaceRequest) -> str:
    """The search a quote was added from, to come back to it without JavaScript."""
    search = search_of(request)
    if not search.words.strip() or search.point_id is None:
        return ""
    return "?" + urlencode({"find": search.words, "point": search.point_id})


def anchor(point_pk: int | None, section: str) -> str:
    if point_pk is not None:
        return f"#point-{point_pk}"
    return f"#text-{section}" if section else ""


def first_error(form: Form) -> str:
    return str(next(iter(form.errors.values()))[0])

"""The workspace's search page, adding results to the synthesis, and saved searches."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from heard.accounts.access import Need, get_only, membership_for, post_only
from heard.accounts.models import Workspace
from heard.accounts.requests import WorkspaceRequest
from heard.core.redirects import safe_next
from heard.search import actions, query, results, saved
from heard.search.filters import is_number, studies_named
from heard.search.forms import SaveSearchForm, SearchForm
from heard.search.models import Kind, SavedSearch
from heard.studies.models import Study, ValidationPoint
from heard.synthesis.models import EvidenceBearing, Finding


def search_url(ws: str, q: str, **more: str | int) -> str:
    params = {"q": q, **{key: value for key, value in more.items() if value}}
    return f"{reverse('search:page', kwargs={'ws': ws})}?{urlencode(params)}"


# The "Add a filter" form's fields, and the filter each adds to the query.
ADDED_FILTERS = {
    "f_study": "study",
    "f_kind": "kind",
    "f_speaker": "speaker",
    "f_segment": "segment",
    "f_participant": "participant",
    "f_interviewer": "interviewer",
    "f_point": "point",
    "f_after": "after",
    "f_before": "before",
}
FILTER_KINDS = [
    ("pain", "Pains"),
    ("kpi", "KPIs"),
    ("solution_request", "Solution requests"),
    *Kind.choices,
]


def with_added_filters(text: str, params: dict[str, str]) -> str | None:
    """The query with the filters the "Add a filter" form chose, or None if it chose none."""
    added = []
    for name, key in ADDED_FILTERS.items():
        value = " ".join((params.get(name) or "").split())[:200]
        if value:
            added.append(str(query.Filter(key, value.replace('"', ""))))
    return " ".join([text.strip(), *added]).strip() if added else None


@get_only
def search_page(request: WorkspaceRequest, ws: str) -> HttpResponse:
    membership = membership_for(request, ws)
    workspace = membership.workspace
    added = with_added_filters(request.GET.get("q", ""), request.GET.dict())
    if added is not None:
        return redirect(search_url(ws, added, order=request.GET.get("order", "")))
    form = SearchForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    text = data.get("q", "")
    order = data.get("order") or results.RELEVANCE
    kind = Kind(data["kind"]) if data.get("kind") else None
    parsed = query.read(text)
    kept, since = opened_saved(request, workspace, request.GET.get("saved", ""))
    found = (
        results.run(workspace, parsed, order, kind, data.get("page") or 1) if text.strip() else None
    )
    links = Links(ws, text, order, found) if found is not None else None
    if found is not None and since is not None:
        for group in found.groups:
            for hit in group.hits:
                hit.is_new = hit.entry.created > since
    can_edit = membership.role_enum.can_edit()
    studies = list(Study.objects.filter(workspace=workspace).order_by("title"))
    context = {
        "form": form,
        "text": text,
        "parsed": parsed,
        "results": found,
        "order": order,
        "kind": kind,
        "orders": results.ORDERS,
        "kinds": Kind,
        "chips": chips(ws, parsed, order, studies),
        "links": links,
        "filter_kinds": FILTER_KINDS,
        "can_edit": can_edit,
        "studies": studies,
        "targets": targets(found, studies) if can_edit and found else None,
        "save_form": SaveSearchForm(
            initial={"q": text, "study": only_study(workspace, parsed)},
            studies=[(study.pk, study.title) for study in studies],
        )
        if can_edit and text.strip() and studies
        else None,
        "here": without_saved(request),
        "saved_search": kept,
        "since": since,
        "nav_section": "search",
    }
    template = "search/_results.html" if request.htmx else "search/page.html"
    return render(request, template, context)


class Links:
    """The addresses the results page links to: each kind's tab, the pages of one kind."""

    def __init__(self, ws: str, text: str, order: str, found: results.Results) -> None:
        self.all = search_url(ws, text, order=order)
        self.tabs = [
            (
                kind,
                results.count_label(found.counts[kind.value]),
                search_url(ws, text, order=order, kind=kind.value),
            )
            for kind in Kind
            if found.counts.get(kind.value)
        ]
        for group in found.groups:
            group.more_url = search_url(ws, text, order=order, kind=group.kind.value)
        kind = found.kind.value if found.kind else ""
        self.previous = search_url(ws, text, order=order, kind=kind, page=found.page - 1)
        self.next = search_url(ws, text, order=order, kind=kind, page=found.page + 1)


def without_saved(request: WorkspaceRequest) -> str:
    """The page's address without `saved=`: coming back to it is not another look."""
    params = request.GET.copy()
    params.pop("saved", None)
    return f"{request.path}?{params.urlencode()}" if params else request.path


def opened_saved(
    request: WorkspaceRequest, workspace: Workspace, pk: str
) -> tuple[SavedSearch | None, datetime.datetime | None]:
    """The saved search the page was opened from (`?saved=<id>`), and when this person had
    last looked at it; opening it is looking at it now."""
    if not is_number(pk):
        return None, None
    kept = SavedSearch.objects.filter(study__workspace=workspace, pk=int(pk)).first()
    if kept is None:
        return None, None
    since = saved.last_look(kept, request.user)
    saved.looked(kept, request.user, timezone.now())
    return kept, since


def chips(ws: str, parsed: query.Query, order: str, studies: list[Study]) -> list[tuple[str, str]]:
    """Each filter of the query (a study named by its id, by its title), and the address of
    the same search without it."""
    titles = {str(study.pk): study.title for study in studies}
    found = []
    for index, item in enumerate(parsed.filters):
        rest = query.Query(
            parsed.groups,
            parsed.excluded,
            [other for i, other in enumerate(parsed.filters) if i != index],
        )
        label = str(item)
        if item.key == "study" and item.value in titles:
            label = f"{'-' if item.negated else ''}study: {titles[item.value]}"
        found.append((label, search_url(ws, str(rest), order=order)))
    return found


def only_study(workspace: Workspace, parsed: query.Query) -> int | None:
    """The study a search's `study:` filter names, when it names exactly one."""
    named = [item for item in parsed.filter_values("study") if not item.negated]
    if len(named) != 1:
        return None
    ids = studies_named(workspace, named[0].value)
    return ids[0] if len(ids) == 1 else None


def targets(found: results.Results, studies: list[Study]) -> dict[str, object]:
    """Where the results on the page may go: the current points and the findings of the
    studies they come from."""
    study_ids = {
        hit.entry.study_id for group in found.groups for hit in group.hits if hit.entry.study_id
    }

    points = (
        ValidationPoint.objects.current()
        .filter(study_id__in=study_ids)
        .select_related("study")
        .order_by("study__title", "position")
    )
    findings = (
        Finding.objects.filter(study_id__in=study_ids)
        .select_related("study")
        .order_by("study__title", "-created_at")
    )
    return {"points": list(points), "findings": list(findings), "bearings": EvidenceBearing}


@post_only
def add_results(request: WorkspaceRequest, ws: str) -> HttpResponse:
    membership = membership_for(request, ws, Need.EDIT)
    workspace = membership.workspace
    keys = request.POST.getlist("hit")
    back = safe_next(request, request.POST.get("next")) or reverse("search:page", kwargs={"ws": ws})
    if not keys:
        outcome = actions.Outcome(refused=["Tick the results to add first."])
    elif request.POST.get("action") == "evidence":
        bearing = request.POST.get("bearing", "")
        if bearing not in EvidenceBearing.values:
            outcome = actions.Outcome(refused=["Say whether they support or contradict it."])
        else:
            outcome = actions.add_as_evidence(
                workspace, request.user, keys, _number(request.POST.get("finding")), bearing
            )
    else:
        outcome = actions.add_as_quotes(
            workspace, request.user, keys, _number(request.POST.get("point"))
        )
    if request.htmx:
        return render(request, "search/_outcome.html", {"outcome": outcome})
    for line in outcome.added:
        messages.success(request, line)
    for line in outcome.refused:
        messages.warning(request, line)
    return redirect(back)


def _number(value: str | None) -> int:
    return int(value) if value and is_number(value) else 0


@post_only
def save_search(request: WorkspaceRequest, ws: str) -> HttpResponse:
    membership = membership_for(request, ws, Need.EDIT)
    workspace = membership.workspace
    studies = list(Study.objects.filter(workspace=workspace).values_list("pk", "title"))
    form = SaveSearchForm(request.POST, studies=studies)
    if not form.is_valid():
        messages.warning(request, "Give the search a name and a study to keep it on.")
        return redirect(search_url(ws, request.POST.get("q", "")))
    study = get_object_or_404(Study, workspace=workspace, pk=form.cleaned_data["study"])
    kept = saved.save(study, request.user, form.cleaned_data["name"], form.cleaned_data["q"])
    messages.success(request, f"The search “{kept.name}” is kept on {study.title}.")
    return redirect(search_url(ws, kept.query, saved=kept.pk))


@post_only
def delete_saved(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    membership = membership_for(request, ws, Need.EDIT)
    kept = get_object_or_404(
        SavedSearch.objects.select_related("study"), study__workspace=membership.workspace, pk=pk
    )
    study = kept.study
    kept.delete()
    messages.success(request, f"The saved search “{kept.name}” is deleted.")
    study_page = reverse("studies:detail", kwargs={"ws": ws, "pk": study.pk})
    return redirect(safe_next(request, request.POST.get("next")) or study_page)

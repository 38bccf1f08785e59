from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from heard.accounts.access import Need, membership_for, post_only
from heard.accounts.requests import WorkspaceRequest
from heard.core.archiving import Outcome, delete_or_archive
from heard.core.bidi import isolated
from heard.core.dependents import dependents_of
from heard.core.ordering import moved, reordered
from heard.studies import services
from heard.studies.access import get_point_for, get_study_for
from heard.studies.forms import StudyForm, ValidationPointForm
from heard.studies.models import StudyStatus


def study_list(request: WorkspaceRequest, ws: str) -> HttpResponse:
    membership = membership_for(request, ws)
    studies = services.studies_for_list(membership.workspace)
    status = request.GET.get("status", "")
    if status in StudyStatus.values:
        studies = studies.filter(status=status)
    page = Paginator(studies, 25).get_page(request.GET.get("page"))
    context = {"page": page, "statuses": StudyStatus.choices, "status": status}
    return render(request, "studies/study_list.html", context)


def study_create(request: WorkspaceRequest, ws: str) -> HttpResponse:
    membership = membership_for(request, ws, Need.EDIT)
    form = StudyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        study = services.create_study(membership.workspace, membership.user, **form.cleaned_data)
        messages.success(request, "Study created. Add the validation points it sets out to test.")
        return redirect("studies:detail", ws=ws, pk=study.pk)
    return render(request, "studies/study_form.html", {"form": form})


def study_detail(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    study = get_study_for(request, ws, pk)
    context = {
        "study": study,
        "points": study.points.current(),
        "archived_points": study.points.archived(),
        "point_form": ValidationPointForm(),
        # Archived guides last: kept for the interviews held with them.
        "guides": study.guides.order_by(F("archived_at").asc(nulls_first=True), "title", "id"),
    }
    return render(request, "studies/study_detail.html", context)


def study_edit(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    study = get_study_for(request, ws, pk, Need.EDIT)
    form = StudyForm(request.POST or None, instance=study)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Study saved.")
        return redirect("studies:detail", ws=ws, pk=study.pk)
    return render(request, "studies/study_form.html", {"form": form, "study": study})


def study_delete(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    study = get_study_for(request, ws, pk, Need.EDIT)
    if request.method == "POST":
        if study.interviews.exists():
            messages.error(
                request, "This study has interviews. Cancel or move them before deleting it."
            )
            return redirect("studies:detail", ws=ws, pk=study.pk)
        study.delete()
        messages.success(request, f"Study “{isolated(study.title)}” deleted.")
        return redirect("studies:list", ws=ws)
    return render(request, "studies/study_delete.html", {"study": study})


def point_create(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    study = get_study_for(request, ws, pk, Need.EDIT)
    form = ValidationPointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_point(study, form.save(commit=False))
        messages.success(request, "Validation point added.")
        return redirect("studies:detail", ws=ws, pk=study.pk)
    return render(request, "studies/point_form.html", {"form": form, "study": study})


def point_edit(request: WorkspaceRequest, ws: str, study_pk: int, pk: int) -> HttpResponse:
    point = get_point_for(request, ws, study_pk, pk, Need.EDIT)
    form = ValidationPointForm(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        form.save()
        services.touch(point.study)
        messages.success(request, "Validation point saved.")
        return redirect("studies:detail", ws=ws, pk=study_pk)
    return render(
        request, "studies/point_form.html", {"form": form, "study": point.study, "point": point}
    )


def point_delete(request: WorkspaceRequest, ws: str, study_pk: int, pk: int) -> HttpResponse:
    """Delete a point nothing rests on; archive one that summaries, quotes or findings speak
    to (the page says what rests on it, with counts, before anything happens)."""
    point = get_point_for(request, ws, study_pk, pk, Need.EDIT)
    if request.method == "POST":
        outcome, kept = delete_or_archive(point)
        services.touch(point.study)
        if outcome == Outcome.DELETED:
            messages.success(request, "Validation point deleted.")
        else:
            messages.success(
                request,
                f"{point.label} archived: {', '.join(k.label for k in kept)} keep it. "
                "New guides, summaries and findings no longer offer it.",
            )
        return redirect("studies:detail", ws=ws, pk=study_pk)
    context = {
        "point": point,
        "study": point.study,
        "kept": dependents_of(point),
        # The questions the guides ask now; those of held interviews keep their links.
        "questions": point.questions.current().filter(section__archived_at__isnull=True).count(),
    }
    return render(request, "studies/point_delete.html", context)


@post_only
def point_archive(request: WorkspaceRequest, ws: str, study_pk: int, pk: int) -> HttpResponse:
    """Archive a point by choice, whatever rests on it."""
    point = get_point_for(request, ws, study_pk, pk, Need.EDIT)
    point.archive()
    services.touch(point.study)
    messages.success(request, f"{point.label} archived. Restore it from the study page.")
    return redirect("studies:detail", ws=ws, pk=study_pk)


@post_only
def point_restore(request: WorkspaceRequest, ws: str, study_pk: int, pk: int) -> HttpResponse:
    point = get_point_for(request, ws, study_pk, pk, Need.EDIT)
    point.restore()
    services.touch(point.study)
    messages.success(request, f"{point.label} restored: new work offers it again.")
    return redirect("studies:detail", ws=ws, pk=study_pk)


def point_move(request: WorkspaceRequest, ws: str, study_pk: int, pk: int) -> HttpResponse:
    point = get_point_for(request, ws, study_pk, pk, Need.EDIT)
    return moved(request, point.study.points.all(), point.pk, _study_url(ws, study_pk))


def point_reorder(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    study = get_study_for(request, ws, pk, Need.EDIT)
    return reordered(request, study.points.all())


def _study_url(ws: str, pk: int) -> str:
    return reverse("studies:detail", kwargs={"ws": ws, "pk": pk})

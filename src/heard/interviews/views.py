from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from heard.accounts.access import Need, current_user, get_only, membership_for, post_only
from heard.accounts.requests import WorkspaceRequest
from heard.core.bidi import isolated
from heard.interviews import services
from heard.interviews.access import (
    get_checklist_item_for,
    get_interview_for,
    get_team_member_for,
)
from heard.interviews.forms import InterviewForm, NewInterviewForm, TeamMemberForm
from heard.interviews.invitation import build_invitation, invitation_filename
from heard.interviews.models import Interview, Mode
from heard.studies.models import Study

PAGE_SIZE = 25


def _pk_from(value: str | None) -> int | None:
    return int(value) if value and value.isdecimal() and len(value) < 12 else None


def interview_list(request: WorkspaceRequest, ws: str) -> HttpResponse:
    membership = membership_for(request, ws)
    workspace = membership.workspace
    studies = list(Study.objects.filter(workspace=workspace).order_by("title", "id"))
    study_pk = _pk_from(request.GET.get("study"))
    study = next((s for s in studies if s.pk == study_pk), None)
    try:
        listing = services.Listing(request.GET.get("view", services.Listing.UPCOMING))
    except ValueError:
        listing = services.Listing.UPCOMING
    interviews = services.interviews_for_list(workspace, listing, study)
    page = Paginator(interviews, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "listing": listing,
        "listings": list(services.Listing),
        "counts": services.count_by_listing(workspace, study),
        "studies": studies,
        "study": study,
    }
    return render(request, "interviews/interview_list.html", context)


def interview_create(request: WorkspaceRequest, ws: str) -> HttpResponse:
    membership = membership_for(request, ws, Need.EDIT)
    initial = {}
    study_pk = _pk_from(request.GET.get("study"))
    study = (
        Study.objects.filter(workspace=membership.workspace, pk=study_pk).first()
        if study_pk
        else None
    )
    if study is not None:
        initial["study"] = study.pk
        # A guide named in the address (a follow-up round's), or else the study's only one.
        guide_pk = _pk_from(request.GET.get("guide"))
        guide = study.guides.filter(pk=guide_pk).first() if guide_pk else None
        guide = guide or services.sole_guide(study)
        if guide is not None:
            initial["guide"] = guide.pk
    participant_pk = _pk_from(request.GET.get("participant"))
    if participant_pk:
        initial["participant"] = participant_pk
    form = NewInterviewForm(request.POST or None, workspace=membership.workspace, initial=initial)
    if request.method == "POST" and form.is_valid():
        interview = services.schedule_interview(
            form.save(commit=False),
            membership.user,
            creator_interviews=form.cleaned_data["creator_interviews"],
        )
        messages.success(
            request,
            "Interview scheduled. Complete the team, download the invitation for your calendar, "
            "and tick the prep checklist before the call.",
        )
        return redirect("interviews:detail", ws=ws, pk=interview.pk)
    return render(request, "interviews/interview_form.html", {"form": form, "study": study})


def interview_detail(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview = get_interview_for(request, ws, pk)
    team = services.intro_order(interview)
    context = {
        "interview": interview,
        "team": team,
        "team_warnings": services.team_warnings(team),
        "schedule_warnings": services.schedule_warnings(interview),
        "team_form": TeamMemberForm(interview=interview),
        "notes": interview.notes.select_related("author", "question"),
        **_checklist_context(interview),
    }
    return render(request, "interviews/interview_detail.html", context)


def interview_edit(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview = get_interview_for(request, ws, pk, Need.EDIT)
    old_mode = interview.mode
    form = InterviewForm(
        request.POST or None, instance=interview, workspace=interview.study.workspace
    )
    if request.method == "POST" and form.is_valid():
        services.save_changes(form.save(commit=False))
        note = " The prep checklist now fits the new mode." if interview.mode != old_mode else ""
        messages.success(
            request, f"Interview saved.{note} Download the invitation again to update calendars."
        )
        return redirect("interviews:detail", ws=ws, pk=pk)
    return render(request, "interviews/interview_form.html", {"form": form, "interview": interview})


def interview_cancel(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview = get_interview_for(request, ws, pk, Need.EDIT)
    if interview.is_cancelled:
        return redirect("interviews:detail", ws=ws, pk=pk)
    if request.method == "POST":
        services.cancel_interview(interview)
        messages.success(
            request,
            "Interview cancelled. It stays under “Past and cancelled”. Download the invitation "
            "again to remove it from calendars.",
        )
        return redirect("interviews:detail", ws=ws, pk=pk)
    return render(request, "interviews/interview_cancel.html", {"interview": interview})


@post_only
def interview_reinstate(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview = get_interview_for(request, ws, pk, Need.EDIT)
    services.reinstate_interview(interview)
    messages.success(request, "Interview back on the schedule.")
    return redirect("interviews:detail", ws=ws, pk=pk)


@get_only
def interview_ics(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview = get_interview_for(request, ws, pk)
    response = HttpResponse(
        build_invitation(interview), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{invitation_filename(interview)}"'
    return response


def team_add(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview = get_interview_for(request, ws, pk, Need.EDIT)
    form = TeamMemberForm(request.POST or None, interview=interview)
    if request.method == "POST" and form.is_valid():
        member = services.add_team_member(interview, form.save(commit=False))
        messages.success(request, f"{isolated(member.display_name)} added to the team.")
        return redirect(reverse("interviews:detail", kwargs={"ws": ws, "pk": pk}) + "#team")
    return render(request, "interviews/team_form.html", {"form": form, "interview": interview})


def team_edit(request: WorkspaceRequest, ws: str, interview_pk: int, pk: int) -> HttpResponse:
    member = get_team_member_for(request, ws, interview_pk, pk, Need.EDIT)
    interview = member.interview
    form = TeamMemberForm(request.POST or None, instance=member, interview=interview)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{isolated(member.display_name)} saved.")
        return redirect(
            reverse("interviews:detail", kwargs={"ws": ws, "pk": interview_pk}) + "#team"
        )
    context = {"form": form, "interview": interview, "member": member}
    return render(request, "interviews/team_form.html", context)


@post_only
def team_remove(request: WorkspaceRequest, ws: str, interview_pk: int, pk: int) -> HttpResponse:
    member = get_team_member_for(request, ws, interview_pk, pk, Need.EDIT)
    member.delete()
    messages.success(request, f"{isolated(member.display_name)} removed from the team.")
    return redirect(reverse("interviews:detail", kwargs={"ws": ws, "pk": interview_pk}) + "#team")


@post_only
def checklist_toggle(
    request: WorkspaceRequest, ws: str, interview_pk: int, pk: int
) -> HttpResponse:
    item = get_checklist_item_for(request, ws, interview_pk, pk, Need.EDIT)
    interview = item.interview
    if interview.is_cancelled:
        messages.error(request, "This interview is cancelled: its checklist is closed.")
    else:
        services.set_done(item, current_user(request), request.POST.get("done") == "1")
    if request.htmx:
        return render(
            request,
            "interviews/interview_detail.html#checklist",
            {"interview": interview, **_checklist_context(interview)},
        )
    return redirect(
        reverse("interviews:detail", kwargs={"ws": ws, "pk": interview_pk}) + "#checklist"
    )


def _checklist_context(interview: Interview) -> dict[str, object]:
    items = list(interview.checklist.select_related("done_by"))
    return {"checklist": items, "readiness": services.readiness(items), "Mode": Mode}

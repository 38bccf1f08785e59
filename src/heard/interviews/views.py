from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from heard.accounts import audit
from heard.accounts.access import Need, current_user, get_only, membership_for, post_only
from heard.accounts.models import AuditAction
from heard.accounts.requests import WorkspaceRequest
from heard.core.bidi import isolated
from heard.core.downloads import attachment
from heard.core.queries import page_of
from heard.interviews import invitation, listings, scheduling, services
from heard.interviews.access import (
    get_checklist_item_for,
    get_interview_for,
    get_team_member_for,
)
from heard.interviews.forms import (
    InterviewForm,
    NewInterviewForm,
    StudyFilterForm,
    TeamMemberForm,
)
from heard.interviews.models import Interview, Mode, NoteSource
from heard.studies.models import Study

PAGE_SIZE = 25
PARTICIPANT_SEARCH = "participant_q"
# What the schedule form sends when, without JavaScript, its Search button looks for a
# participant (by GET): each comes back as it was typed.
KEPT_BY_SEARCH = (
    "study",
    "participant",
    "guide",
    "day",
    "start_time",
    "time_zone",
    "length_minutes",
    "mode",
    "location",
)


def _pk_from(value: str | None) -> int | None:
    return int(value) if value and value.isdecimal() and len(value) < 12 else None


def _participant_search(request: WorkspaceRequest) -> tuple[str, dict[str, object]]:
    """The participant search typed in the schedule form, and (for a search sent by GET,
    without JavaScript) the rest of the form as it was."""
    if request.method == "POST":
        return request.POST.get(PARTICIPANT_SEARCH, ""), {}
    if PARTICIPANT_SEARCH not in request.GET:
        return "", {}
    kept: dict[str, object] = {
        name: request.GET[name] for name in KEPT_BY_SEARCH if request.GET.get(name)
    }
    kept["creator_interviews"] = "creator_interviews" in request.GET
    return request.GET[PARTICIPANT_SEARCH], kept


def interview_list(request: WorkspaceRequest, ws: str) -> HttpResponse:
    membership = membership_for(request, ws)
    workspace = membership.workspace
    study_pk = _pk_from(request.GET.get("study"))
    study = Study.objects.filter(workspace=workspace, pk=study_pk).first() if study_pk else None
    try:
        listing = listings.Listing(request.GET.get("view", listings.Listing.UPCOMING))
    except ValueError:
        listing = listings.Listing.UPCOMING
    counts = listings.count_by_listing(workspace, study)
    page = page_of(
        listings.interviews_for_list(workspace, listing, study),
        request.GET.get("page"),
        PAGE_SIZE,
        rows=listings.for_rows,
        count=counts[listing],
    )
    context = {
        "page": page,
        "listing": listing,
        "listings": list(listings.Listing),
        "counts": counts,
        "study_filter": StudyFilterForm(workspace, study),
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
        guide = guide or scheduling.sole_guide(study)
        if guide is not None:
            initial["guide"] = guide.pk
    participant_pk = _pk_from(request.GET.get("participant"))
    if participant_pk:
        initial["participant"] = participant_pk
    query, kept = _participant_search(request)
    form = NewInterviewForm(
        request.POST or None,
        workspace=membership.workspace,
        initial={**initial, **kept},
        participant_query=query,
    )
    if request.method == "POST" and form.is_valid():
        interview = scheduling.schedule_interview(
            form.save(commit=False),
            membership.user,
            creator_interviews=form.cleaned_data["creator_interviews"],
        )
        messages.success(
            request,
            "Interview scheduled. Complete the team, download the invitations for the calendars, "
            "and tick the prep checklist before the call.",
        )
        return redirect("interviews:detail", ws=ws, pk=interview.pk)
    context = {"form": form, "study": study, "searched": bool(kept)}
    return render(request, "interviews/interview_form.html", context)


def guide_options(request: WorkspaceRequest, ws: str) -> HttpResponse:
    """The schedule form's guide select for the study in `?study=`: what its script puts in
    place when the study changes (404 for a study outside the workspace)."""
    membership = membership_for(request, ws, Need.EDIT)
    study = get_object_or_404(
        Study, workspace=membership.workspace, pk=_pk_from(request.GET.get("study")) or 0
    )
    form = InterviewForm(workspace=membership.workspace, initial={"study": study.pk})
    return HttpResponse(str(form["guide"]))


def interview_detail(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview = get_interview_for(request, ws, pk)
    team = services.intro_order(interview)
    context = {
        "interview": interview,
        "team": team,
        "team_warnings": services.team_warnings(team),
        "schedule_warnings": scheduling.schedule_warnings(interview),
        "team_form": TeamMemberForm(interview=interview),
        "notes": interview.notes.filter(source=NoteSource.CALL).select_related(
            "author", "question"
        ),
        **_checklist_context(interview),
    }
    return render(request, "interviews/interview_detail.html", context)


def interview_edit(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview = get_interview_for(request, ws, pk, Need.EDIT)
    old_mode = interview.mode
    query, kept = _participant_search(request)
    form = InterviewForm(
        request.POST or None,
        instance=interview,
        workspace=interview.study.workspace,
        initial=kept,
        participant_query=query,
    )
    if request.method == "POST" and form.is_valid():
        scheduling.save_changes(form.save(commit=False))
        note = " The prep checklist now fits the new mode." if interview.mode != old_mode else ""
        messages.success(
            request, f"Interview saved.{note} Download the invitations again to update calendars."
        )
        return redirect("interviews:detail", ws=ws, pk=pk)
    return render(request, "interviews/interview_form.html", {"form": form, "interview": interview})


def interview_cancel(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview = get_interview_for(request, ws, pk, Need.EDIT)
    if interview.is_cancelled:
        return redirect("interviews:detail", ws=ws, pk=pk)
    if request.method == "POST":
        scheduling.cancel_interview(interview)
        messages.success(
            request,
            "Interview cancelled. It stays under “Past and cancelled”. Download the invitations "
            "again to remove it from calendars.",
        )
        return redirect("interviews:detail", ws=ws, pk=pk)
    return render(request, "interviews/interview_cancel.html", {"interview": interview})


@post_only
def interview_reinstate(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview = get_interview_for(request, ws, pk, Need.EDIT)
    scheduling.reinstate_interview(interview)
    messages.success(request, "Interview back on the schedule.")
    return redirect("interviews:detail", ws=ws, pk=pk)


@get_only
def interview_ics(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """The team's invitation: for the team's own calendars."""
    interview = get_interview_for(request, ws, pk)
    audit.record_request(request, AuditAction.EXPORTED, interview, export="interview_ics")
    content = invitation.build_invitation(interview)
    return _calendar_file(content, invitation.invitation_filename(interview))


@get_only
def interview_customer_ics(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """The customer's invitation: only what the customer may read."""
    interview = get_interview_for(request, ws, pk)
    audit.record_request(request, AuditAction.EXPORTED, interview, export="customer_ics")
    content = invitation.build_customer_invitation(interview)
    return _calendar_file(content, invitation.customer_invitation_filename(interview))


def _calendar_file(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = attachment(filename)
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

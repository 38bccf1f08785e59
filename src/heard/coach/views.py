"""The coach's pages: an interview's report, an interviewer's trend, a study's figures, the
workspace's policy; and the same figures as JSON."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from heard.accounts import audit
from heard.accounts.access import Need, get_only, membership_for, post_only
from heard.accounts.models import AuditAction
from heard.accounts.requests import WorkspaceRequest
from heard.coach import access, services, trends
from heard.coach.forms import PolicyForm
from heard.coach.models import CoachPolicy, CoachReport
from heard.coach.present import page_of
from heard.coach.report import VERSION
from heard.core.downloads import attachment, name_part
from heard.interviews.services import file_name
from heard.participants import pseudonyms
from heard.participants.models import Participant


def _report_of(interview_pk: int) -> CoachReport | None:
    return (
        CoachReport.objects.select_related("transcript", "interviewer")
        .filter(interview_id=interview_pk)
        .first()
    )


@get_only
def report(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """An interview's report; asked for when there is none yet (or one from older rules),
    and shown as it comes."""
    interview = access.get_coached_interview_for(request, ws, pk)
    found = _report_of(interview.pk)
    evidence = services.has_evidence(interview)
    outdated = found is not None and found.is_ready and found.version != VERSION
    if evidence and (found is None or (outdated and not found.is_stale)):
        services.want(interview.pk)
        found = _report_of(interview.pk)
    context = {
        "interview": interview,
        "report": found,
        "evidence": evidence,
        "page": page_of(interview, found) if found is not None and found.is_ready else None,
        "pending": found is not None and found.is_stale,
        "open_to_researchers": services.policy_of(interview.study.workspace).open_to_researchers,
        "sees_all": access.sees_all(request.membership),
    }
    template = "coach/_report_body.html" if request.htmx else "coach/report.html"
    return render(request, template, context)


@post_only
def recompute(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview = access.get_coached_interview_for(request, ws, pk)
    services.want(interview.pk)
    messages.success(request, "The coach is reading the interview again.")
    return redirect("coach:report", ws=ws, pk=interview.pk)


@get_only
def report_json(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview = access.get_coached_interview_for(request, ws, pk)
    found = _report_of(interview.pk)
    if found is None or not found.is_ready:
        return JsonResponse({"interview": interview.pk, "ready": False, "report": None}, status=202)
    hide = pseudonyms.of(
        interview.study.workspace_id, [interview.participant], pseudonyms.wanted(request)
    )
    audit.record_request(
        request,
        AuditAction.EXPORTED,
        interview,
        export="coach_report_json",
        **pseudonyms.noted(hide),
    )
    return _download(
        hide.json(trends.report_json(interview, found)),
        file_name(interview, "coach", "json", hide),
    )


@get_only
def person(request: WorkspaceRequest, ws: str, user_pk: int) -> HttpResponse:
    """An interviewer's figures across the interviews they led, with the workspace's median."""
    member = access.get_person_for(request, ws, user_pk)
    return render(
        request,
        "coach/person.html",
        {"member": member, **trends.person_page(member, request.membership)},
    )


@get_only
def study(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """The coach figures of a study's interviews, in the order they were held."""
    found = access.get_coached_study_for(request, ws, pk)
    return render(
        request,
        "coach/study.html",
        {"study": found, **trends.study_page(found, request.membership)},
    )


@get_only
def study_json(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    found = access.get_coached_study_for(request, ws, pk)
    name = name_part(found.title) or f"study-{found.pk}"
    hide = pseudonyms.of(
        found.workspace_id,
        Participant.objects.filter(interviews__study=found).distinct(),
        pseudonyms.wanted(request),
    )
    audit.record_request(
        request, AuditAction.EXPORTED, found, export="coach_study_json", **pseudonyms.noted(hide)
    )
    return _download(
        hide.json(trends.study_json(found, request.membership)), f"heard-coach-{name}.json"
    )


def _download(data: dict[str, Any], name: str) -> HttpResponse:
    """A JSON file to keep, never cached: it holds what the coach says of people."""
    response = JsonResponse(data, json_dumps_params={"indent": 1})
    response["Content-Disposition"] = attachment(name)
    response["Cache-Control"] = "private, no-store"
    return response


def policy(request: WorkspaceRequest, ws: str) -> HttpResponse:
    """Owners open the reports to every researcher, and set the customer's share to aim for."""
    membership = membership_for(request, ws, Need.MANAGE)
    current = CoachPolicy.objects.filter(workspace=membership.workspace).first()
    form = PolicyForm(
        request.POST or None, instance=current or CoachPolicy(workspace=membership.workspace)
    )
    if request.method == "POST" and form.is_valid():
        aim_changed = "customer_share_target" in form.changed_data
        form.save()
        if aim_changed:
            services.policy_changed(membership.workspace)
        messages.success(request, "Coaching settings saved.")
        return redirect("coach:policy", ws=ws)
    return render(request, "coach/policy.html", {"form": form}, status=400 if form.errors else 200)

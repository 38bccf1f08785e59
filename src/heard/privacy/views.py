"""A participant's requests from the web: everything held about them as a ZIP, and erasing
them (the preview of exactly what goes, then the erasure); the workspace's retention policy
and an interview's hold on it. Owners only."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from heard.accounts import audit
from heard.accounts.access import Need, get_only, membership_for
from heard.accounts.models import AuditAction
from heard.accounts.requests import WorkspaceRequest
from heard.core.downloads import attachment
from heard.core.streaming import StreamedDownload
from heard.interviews.access import get_interview_for
from heard.participants.access import get_participant_for
from heard.privacy import erasure, retention, subject_access
from heard.privacy.forms import RetentionHoldForm, RetentionPolicyForm
from heard.privacy.models import RetentionPolicy


def erase_participant(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    person = get_participant_for(request, ws, pk, Need.PARTICIPANT_REQUESTS)
    source = request.POST if request.method == "POST" else request.GET
    team_side = source.get("team_side") == "erase"
    found = erasure.preview(person, team_side=team_side)
    problem = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            problem = "Tick the box to confirm that this cannot be undone."
        else:
            try:
                done = erasure.erase(
                    person, request.user, team_side=team_side, seen=request.POST.get("seen", "")
                )
            except erasure.ErasureRefused as refusal:
                problem = str(refusal)
                found = erasure.preview(person, team_side=team_side)
            else:
                audit.record_request(
                    request,
                    AuditAction.PARTICIPANT_ERASED,
                    person,
                    erasure=done.pk,
                    team_side=team_side,
                )
                messages.success(
                    request,
                    "The participant is erased. Their interviews stay, without anything that "
                    "named them or was in their words.",
                )
                return redirect("participants:detail", ws=ws, pk=pk)
    return render(
        request,
        "privacy/erase.html",
        {"person": person, "preview": found, "team_side": team_side, "problem": problem},
    )


@get_only
def export_participant(request: WorkspaceRequest, ws: str, pk: int) -> StreamedDownload:
    """Everything held about the participant, as a ZIP streamed as it is written."""
    person = get_participant_for(request, ws, pk, Need.PARTICIPANT_REQUESTS)
    if person.is_erased:
        raise Http404
    audit.record_request(request, AuditAction.PARTICIPANT_EXPORTED, person)
    response = StreamedDownload(subject_access.archive(person), content_type="application/zip")
    response["Content-Disposition"] = attachment(f"heard-participant-{person.pk}.zip")
    response["Cache-Control"] = "private, no-store"
    return response


def retention_policy(request: WorkspaceRequest, ws: str) -> HttpResponse:
    """The workspace's retention policy: owners set it; a change that would delete anything
    at once says what, and asks again."""
    membership = membership_for(request, ws, Need.PARTICIPANT_REQUESTS)
    workspace = membership.workspace
    policy = retention.policy_of(workspace)
    initial = {
        "recordings_days": policy.recordings_days,
        "transcripts_days": policy.transcripts_days,
        "interviews_months": policy.interviews_months,
    }
    form = RetentionPolicyForm(request.POST or None, initial=initial)
    at_once: dict[str, int] | None = None
    seen = ""
    if request.method == "POST" and form.is_valid():
        wanted = RetentionPolicy(workspace=workspace, **form.cleaned_data)
        at_once = retention.due(wanted, timezone.now()).counts()
        seen = ",".join(str(at_once[key]) for key in ("recordings", "transcripts", "interviews"))
        # Saved at once when it deletes nothing now, else once the person has seen exactly
        # what it deletes (a change made on the confirming page shows its own counts).
        if seen == "0,0,0" or request.POST.get("seen") == seen:
            policy = retention.set_policy(workspace, request.user, **form.cleaned_data)
            if form.has_changed():
                audit.record_request(
                    request,
                    AuditAction.RETENTION_POLICY_CHANGED,
                    policy,
                    target_label="the retention policy",
                    **form.cleaned_data,
                )
            applied = retention.apply(policy, by=request.user) if policy.is_set else {}
            messages.success(request, _saved_message(applied))
            return redirect("privacy:retention", ws=ws)
    return render(
        request,
        "privacy/retention.html",
        {"form": form, "policy": policy, "at_once": at_once, "seen": seen},
    )


def _saved_message(applied: dict[str, int]) -> str:
    gone = [
        f"{applied[key]} {what}{'s' if applied[key] != 1 else ''}"
        for key, what in (
            ("recordings", "recording"),
            ("transcripts", "transcript"),
            ("interviews", "interview"),
        )
        if applied.get(key)
    ]
    return "Retention policy saved." + (f" Deleted now: {', '.join(gone)}." if gone else "")


def retention_hold(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """An owner keeps one interview past the policy (or lets it go again)."""
    membership_for(request, ws, Need.PARTICIPANT_REQUESTS)
    interview = get_interview_for(request, ws, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.POST.get("action") == "release":
        retention.release(interview)
        audit.record_request(request, AuditAction.RETENTION_OVERRIDE_LIFTED, interview)
        messages.success(request, "The retention policy applies to this interview again.")
    else:
        form = RetentionHoldForm(request.POST)
        if not form.is_valid():
            messages.warning(request, "Say why the interview is kept past the policy.")
        else:
            held = retention.hold(interview, request.user, **form.cleaned_data)
            audit.record_request(
                request,
                AuditAction.RETENTION_OVERRIDE,
                interview,
                until=held.until,
            )
            messages.success(request, "This interview is kept past the retention policy.")
    return redirect(reverse("interviews:detail", kwargs={"ws": ws, "pk": pk}) + "#retention")

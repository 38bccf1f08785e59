from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from heard.accounts import audit
from heard.accounts.access import (
    Need,
    allows,
    current_user,
    get_only,
    membership_for,
    post_only,
)
from heard.accounts.models import AuditAction
from heard.accounts.requests import WorkspaceRequest
from heard.core.bidi import isolated
from heard.core.downloads import attachment
from heard.followups import services
from heard.followups.access import get_followup_for, get_template_for
from heard.followups.forms import FollowUpForm, StartForm, TemplateForm
from heard.followups.message import email_for, eml_bytes, eml_filename, envelope_of, mailto_url
from heard.followups.models import FollowUp, MailStatus
from heard.interviews.access import get_interview_for
from heard.participants.forms import RecontactForm

# The section of the top navigation each page belongs to: a follow-up is part of its
# interview; the templates are the workspace's, kept beside the team and its settings.
INTERVIEWS = "interviews"
TEAM = "accounts"


def followup_create(request: WorkspaceRequest, ws: str, interview_pk: int) -> HttpResponse:
    """Write a follow-up from a template: the GET form picks what to start from."""
    interview = get_interview_for(request, ws, interview_pk, Need.EDIT)
    author = current_user(request)
    templates = services.templates_for(interview.study.workspace)
    start_form = StartForm(
        request.GET or None, templates=templates, notes=services.highlight_notes(interview)
    )
    start = start_form.start()
    values = services.merge_values(
        interview, services.highlight_text(start.note, start.typed), author
    )
    draft = services.draft_from(start.template, values)
    form = FollowUpForm(
        request.POST or None,
        workspace=interview.study.workspace,
        initial={
            "to_email": interview.participant.email,
            "subject": draft.subject,
            "body": draft.body,
            "template": start.template.pk,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        followup = services.create_draft(
            interview,
            author,
            to_email=data["to_email"],
            subject=data["subject"],
            body=data["body"],
            template=data["template"],
        )
        messages.success(
            request,
            "Draft saved. Read it as the customer will, then send it, download it or open it "
            "in your mail program.",
        )
        return redirect("followups:detail", ws=ws, interview_pk=interview.pk, pk=followup.pk)
    context = {
        "interview": interview,
        "start_form": start_form,
        "form": form,
        "fields": services.field_rows(values),
        "filled": True,
        "nav_section": INTERVIEWS,
    }
    return render(request, "followups/followup_form.html", context)


def followup_detail(request: WorkspaceRequest, ws: str, interview_pk: int, pk: int) -> HttpResponse:
    """The email as the customer will read it, where it stands, and the ways to send it."""
    followup = get_followup_for(request, ws, interview_pk, pk)
    interview = followup.interview
    context = {
        "followup": followup,
        "interview": interview,
        "email": email_for(followup, current_user(request)),
        "envelope": envelope_of(followup, current_user(request)),
        "mailto": mailto_url(followup),
        "sending_available": services.sending_available(),
        "sending_off": services.SENDING_OFF,
        "person": interview.participant,
        "recontact_form": RecontactForm(participant=interview.participant),
        "others": services.for_interview(interview).exclude(pk=followup.pk),
        "nav_section": INTERVIEWS,
    }
    if request.htmx:
        return render(request, "followups/followup_detail.html#status", context)
    return render(request, "followups/followup_detail.html", context)


def followup_edit(request: WorkspaceRequest, ws: str, interview_pk: int, pk: int) -> HttpResponse:
    followup = get_followup_for(request, ws, interview_pk, pk, Need.EDIT)
    if not followup.is_editable:
        messages.info(request, "This email has gone to the mail server: it can no longer change.")
        return _to_detail(followup)
    form = FollowUpForm(
        request.POST or None, instance=followup, workspace=followup.interview.study.workspace
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if services.update_draft(
            followup, to_email=data["to_email"], subject=data["subject"], body=data["body"]
        ):
            messages.success(request, "Draft saved.")
        else:
            messages.error(request, "This email went to the mail server meanwhile: not changed.")
        return _to_detail(followup)
    context = {
        "interview": followup.interview,
        "followup": followup,
        "form": form,
        "fields": services.field_rows(),
        "nav_section": INTERVIEWS,
    }
    return render(request, "followups/followup_form.html", context)


@post_only
def followup_send(request: WorkspaceRequest, ws: str, interview_pk: int, pk: int) -> HttpResponse:
    """Send, or send again after a failure. The background task does the sending."""
    followup = get_followup_for(request, ws, interview_pk, pk, Need.EDIT)
    despite_doubt = request.POST.get("despite_doubt") == "1"
    try:
        queued = services.queue(followup, current_user(request), despite_doubt=despite_doubt)
    except services.SendingOff as error:
        messages.error(request, str(error))
        return _to_detail(followup)
    except services.MayHaveArrived:
        messages.warning(
            request,
            "Not sent: an earlier attempt may have delivered this email. Check first, then tick "
            "the box to send it again anyway.",
        )
        return _to_detail(followup)
    if not queued:
        messages.info(request, "This email is on its way already, or sent: nothing was done.")
        return _to_detail(followup)
    followup.refresh_from_db()
    if followup.status == MailStatus.SENT:
        messages.success(request, f"Sent to {followup.to_email}.")
    elif followup.status == MailStatus.FAILED:
        messages.error(request, "Not sent. The reason is below; nothing was lost.")
    else:
        messages.success(request, "Queued: it goes out in a moment.")
    return _to_detail(followup)


@post_only
def followup_sent_by_hand(
    request: WorkspaceRequest, ws: str, interview_pk: int, pk: int
) -> HttpResponse:
    followup = get_followup_for(request, ws, interview_pk, pk, Need.EDIT)
    if services.mark_sent_by_hand(followup, current_user(request)):
        messages.success(request, "Kept as sent from your own mail program.")
    else:
        messages.info(request, "This email is on its way already, or sent: nothing was done.")
    return _to_detail(followup)


@post_only
def followup_outcome(
    request: WorkspaceRequest, ws: str, interview_pk: int, pk: int
) -> HttpResponse:
    """Settle a mail whose sending stopped midway, or failed in doubt: failed (to send it again
    after checking), or arrived after all."""
    followup = get_followup_for(request, ws, interview_pk, pk, Need.EDIT)
    outcome = request.POST.get("outcome")
    if outcome == MailStatus.FAILED and services.give_up(followup):
        messages.success(
            request, "Marked as failed. Check whether it arrived before you send it again."
        )
    elif outcome == MailStatus.SENT and services.mark_arrived(followup):
        messages.success(request, "Kept as sent.")
    else:
        messages.info(request, "This email moved on meanwhile: nothing was done.")
    return _to_detail(followup)


@post_only
def followup_delete(request: WorkspaceRequest, ws: str, interview_pk: int, pk: int) -> HttpResponse:
    followup = get_followup_for(request, ws, interview_pk, pk, Need.EDIT)
    if not services.discard(followup):
        messages.error(request, "Only an email that was not sent can be thrown away.")
        return _to_detail(followup)
    messages.success(request, "Draft thrown away.")
    return redirect("interviews:detail", ws=ws, pk=interview_pk)


@get_only
def followup_eml(request: WorkspaceRequest, ws: str, interview_pk: int, pk: int) -> HttpResponse:
    followup = get_followup_for(request, ws, interview_pk, pk)
    audit.record_request(
        request,
        AuditAction.EXPORTED,
        followup,
        target_label=f"Follow-up email {followup.pk} of interview {interview_pk}",
        export="followup_eml",
        interview=interview_pk,
    )
    response = HttpResponse(
        eml_bytes(followup, current_user(request)), content_type="message/rfc822"
    )
    response["Content-Disposition"] = attachment(eml_filename(followup))
    return response


def _to_detail(followup: FollowUp) -> HttpResponse:
    return redirect(
        "followups:detail",
        ws=followup.interview.study.workspace.slug,
        interview_pk=followup.interview_id,
        pk=followup.pk,
    )


def template_list(request: WorkspaceRequest, ws: str) -> HttpResponse:
    membership = membership_for(request, ws)
    # Someone who may edit gets the built-in template saved, to change or delete; a reader
    # sees it as it would be, and their visit writes nothing.
    if allows(membership.role_enum, Need.EDIT):
        templates = services.templates_for(membership.workspace)
    else:
        templates = services.templates_to_read(membership.workspace)
    context = {"templates": templates, "fields": services.field_rows(), "nav_section": TEAM}
    return render(request, "followups/template_list.html", context)


def template_create(request: WorkspaceRequest, ws: str) -> HttpResponse:
    membership = membership_for(request, ws, Need.EDIT)
    form = TemplateForm(request.POST or None, workspace=membership.workspace)
    if request.method == "POST" and form.is_valid():
        template = form.save(commit=False)
        template.workspace = membership.workspace
        template.save()
        messages.success(request, f"Template “{isolated(template.name)}” added.")
        return redirect("followups:templates", ws=ws)
    context = {"form": form, "fields": services.field_rows(), "nav_section": TEAM}
    return render(request, "followups/template_form.html", context)


def template_edit(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    template = get_template_for(request, ws, pk, Need.EDIT)
    form = TemplateForm(request.POST or None, instance=template, workspace=template.workspace)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Template “{isolated(template.name)}” saved.")
        return redirect("followups:templates", ws=ws)
    context = {
        "form": form,
        "template": template,
        "fields": services.field_rows(),
        "nav_section": TEAM,
    }
    return render(request, "followups/template_form.html", context)


def template_delete(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    template = get_template_for(request, ws, pk, Need.EDIT)
    if request.method == "POST":
        template.delete()
        messages.success(request, f"Template “{isolated(template.name)}” deleted.")
        return redirect("followups:templates", ws=ws)
    context = {"template": template, "nav_section": TEAM}
    return render(request, "followups/template_delete.html", context)

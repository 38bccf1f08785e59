from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from heard.accounts import audit, invitation_mail, services
from heard.accounts.access import Need, current_user, membership_for, post_only
from heard.accounts.forms import (
    InvitationForm,
    NewAccountForm,
    RoleForm,
    SetupForm,
    SignInForm,
    WorkspaceForm,
    WorkspaceSettingsForm,
)
from heard.accounts.hashers import RETRY_AFTER_SECONDS, PasswordChecksBusy
from heard.accounts.models import (
    AuditAction,
    Invitation,
    InvitationStatus,
    Membership,
    Role,
    User,
)
from heard.accounts.requests import WorkspaceRequest
from heard.core.bidi import isolated
from heard.core.proxy import client_address
from heard.core.redirects import safe_next

BUSY = (
    "Heard is busy signing other people in. Nothing is wrong with your account: "
    f"send the form again in {RETRY_AFTER_SECONDS} seconds."
)


def _safe_next(request: HttpRequest) -> str | None:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


@login_not_required
def setup(request: HttpRequest) -> HttpResponse:
    """First run: create the owner account. Gone for good once any account exists."""
    if not services.needs_first_run():
        return redirect("accounts:login")
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_owner(
                email=data["email"],
                name=data["name"],
                password=data["password"],
                workspace_name=data["workspace_name"],
            )
        except PermissionError:
            return redirect("accounts:login")
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        messages.success(
            request, "Welcome to Heard. Start with a study: the goal of your round of interviews."
        )
        return redirect("site:home")
    return render(request, "accounts/setup.html", {"form": form})


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponse:
    if services.needs_first_run():
        # A browser may still hold a session cookie from an earlier installation.
        return redirect("accounts:setup")
    form = SignInForm(request.POST or None)
    error = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        attempt = services.reserve_sign_in_attempt(email, client_address(request))
        if attempt is None:
            error = (
                "Too many failed attempts. Sign-in is paused for "
                f"{settings.HEARD_LOGIN_LOCKOUT_MINUTES} minutes, to keep guessers out. "
                "Nothing is wrong with your account: try again after that."
            )
            status = 429
        else:
            try:
                user = authenticate(request, email=email, password=form.cleaned_data["password"])
            except PasswordChecksBusy:
                services.release_sign_in_attempt(attempt)
                error = BUSY
                status = 503
            else:
                if user is None:
                    error = "That email and password do not match an account."
                else:
                    services.clear_sign_in_failures(email)
                    login(request, user)
                    return redirect(_safe_next(request) or settings.LOGIN_REDIRECT_URL)
    context = {"form": form, "error": error, "next": _safe_next(request) or ""}
    response = render(request, "accounts/login.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(settings.HEARD_LOGIN_LOCKOUT_MINUTES * 60)
    elif status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("site:home")

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, "Your password has been changed.")
        return super().form_valid(form)


@login_not_required
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """A one-time link: shown as a button so that link previewers cannot spend it."""
    if request.method == "POST":
        user = services.redeem_sign_in_link(token)
        if user is not None:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            return redirect("site:home")
        messages.error(
            request,
            "That sign-in link has expired or has been used. Start `heard demo` again for a new one.",
        )
        return redirect("accounts:login")
    return render(request, "accounts/sign_in_link.html")


@login_not_required
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invite = services.invitation_for_token(token)
    except services.InvitationError as error:
        return render(
            request, "accounts/invitation_invalid.html", {"error": str(error)}, status=410
        )
    form = (
        NewAccountForm(request.POST or None, initial={"email": invite.email})
        if not request.user.is_authenticated
        else None
    )
    if request.method == "POST":
        user = request.user if isinstance(request.user, User) else None
        if user is None and form is not None and form.is_valid():
            data = form.cleaned_data
            user = User.objects.create_user(
                email=data["email"], name=data["name"], password=data["password"]
            )
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        if user is not None:
            try:
                membership = services.accept_invitation(token, user)
            except services.InvitationError as error:
                return render(
                    request, "accounts/invitation_invalid.html", {"error": str(error)}, status=410
                )
            _record_member(request, membership, AuditAction.MEMBER_JOINED, role=membership.role)
            messages.success(
                request,
                f"You joined {membership.workspace.name} as {membership.get_role_display().lower()}.",
            )
            return redirect("site:workspace", ws=membership.workspace.slug)
    context = {
        "invite": invite,
        "form": form,
        "login_url": reverse("accounts:login") + "?next=" + request.path,
    }
    return render(request, "accounts/invitation.html", context)


def workspace_new(request: HttpRequest) -> HttpResponse:
    form = WorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        workspace = services.create_workspace(form.cleaned_data["name"], current_user(request))
        return redirect("site:workspace", ws=workspace.slug)
    return render(request, "accounts/workspace_new.html", {"form": form})


def team(request: WorkspaceRequest, ws: str) -> HttpResponse:
    membership = membership_for(request, ws)
    workspace = membership.workspace
    members = (
        Membership.objects.filter(workspace=workspace).select_related("user").order_by("user__name")
    )
    invitations = Invitation.objects.filter(workspace=workspace).select_related("created_by")
    mail_available = invitation_mail.mail_available()
    context = {
        "members": members,
        "invitations": invitations[:50],
        "invite_form": InvitationForm(mail_available=mail_available),
        "mail_available": mail_available,
        "roles": list(Role),
        "new_link": request.session.pop("new_invitation_link", None),
        "now": timezone.now(),
    }
    return render(request, "accounts/team.html", context)


@post_only
def invitation_create(request: WorkspaceRequest, ws: str) -> HttpResponse:
    membership = membership_for(request, ws, Need.MANAGE)
    form = InvitationForm(request.POST, mail_available=invitation_mail.mail_available())
    if not form.is_valid():
        messages.error(
            request,
            "Check the invitation: "
            + "; ".join(
                f"{field}: {' '.join(str(e) for e in errors)}"
                for field, errors in form.errors.items()
            ),
        )
        return redirect("accounts:team", ws=ws)
    invite, token = Invitation.issue(
        workspace=membership.workspace,
        role=form.cleaned_data["role"],
        email=form.cleaned_data["email"],
        created_by=membership.user,
        days=settings.HEARD_INVITE_DAYS,
    )
    _record_invitation(request, invite, AuditAction.MEMBER_INVITED, emailed=form.send)
    if form.send:
        invitation_mail.queue(invite)
        messages.success(request, f"The invitation is on its way to {invite.email}.")
    else:
        request.session["new_invitation_link"] = settings.HEARD_BASE_URL + reverse(
            "accounts:invitation", args=[token]
        )
    return redirect("accounts:team", ws=ws)


@post_only
def invitation_send(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """Email an open invitation again, with a new link (the earlier email's stops working)."""
    membership = membership_for(request, ws, Need.MANAGE)
    invite = get_object_or_404(Invitation, workspace=membership.workspace, pk=pk)
    try:
        sent = invitation_mail.queue(invite, again=True)
    except invitation_mail.MailOff as error:
        messages.error(request, str(error))
    else:
        if sent:
            _record_invitation(
                request, invite, AuditAction.MEMBER_INVITED, emailed=True, again=True
            )
            messages.success(
                request,
                f"Sent again to {invite.email}, with a new link: the earlier email's no longer "
                "works.",
            )
        else:
            messages.error(request, "This invitation cannot be emailed now.")
    return redirect("accounts:team", ws=ws)


@post_only
def invitation_revoke(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    membership = membership_for(request, ws, Need.MANAGE)
    invite = get_object_or_404(Invitation, workspace=membership.workspace, pk=pk)
    if invite.status == InvitationStatus.OPEN:
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])
        _record_invitation(request, invite, AuditAction.INVITATION_REVOKED)
        messages.success(request, "The invitation link no longer works.")
    return redirect("accounts:team", ws=ws)


@post_only
def member_role(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    membership = membership_for(request, ws, Need.MANAGE)
    target = get_object_or_404(Membership, workspace=membership.workspace, pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        before = target.role
        try:
            services.change_role(target, Role(form.cleaned_data["role"]))
            if target.role != before:
                _record_member(
                    request, target, AuditAction.ROLE_CHANGED, was=before, role=target.role
                )
            messages.success(
                request, f"{isolated(str(target.user))} is now {target.get_role_display().lower()}."
            )
        except PermissionError as error:
            messages.error(request, str(error))
    return redirect("accounts:team", ws=ws)


@post_only
def member_remove(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    membership = membership_for(request, ws, Need.MANAGE)
    target = get_object_or_404(Membership, workspace=membership.workspace, pk=pk)
    removed = target.pk  # the row's id, which deleting it takes off the object
    try:
        services.remove_member(target)
        _record_member(request, target, AuditAction.MEMBER_REMOVED, removed, role=target.role)
        messages.success(
            request,
            f"{isolated(str(target.user))} no longer has access to {isolated(str(membership.workspace))}.",
        )
    except PermissionError as error:
        messages.error(request, str(error))
    return redirect("accounts:team", ws=ws)


def workspace_settings(request: WorkspaceRequest, ws: str) -> HttpResponse:
    """Owners rename the workspace and word the purpose said at every kickoff."""
    membership = membership_for(request, ws, Need.MANAGE)
    form = WorkspaceSettingsForm(request.POST or None, instance=membership.workspace)
    if request.method == "POST" and form.is_valid():
        form.save()
        if form.changed_data:
            audit.record_request(
                request,
                AuditAction.SETTINGS_CHANGED,
                membership.workspace,
                target_label=str(membership.workspace)[:80],
                changed=form.changed_data,
            )
        messages.success(request, "Workspace settings saved.")
        return redirect("accounts:workspace_settings", ws=ws)
    return render(request, "accounts/workspace_settings.html", {"form": form})


def _record_invitation(
    request: WorkspaceRequest, invitation: Invitation, action: AuditAction, **details: Any
) -> None:
    """An entry about an invitation, named by the address it is for, with its role."""
    audit.record_request(
        request,
        action,
        invitation,
        target_label=invitation.email or "an invitation link for anyone",
        role=invitation.role,
        **details,
    )


def _record_member(
    request: HttpRequest,
    member: Membership,
    action: AuditAction,
    member_id: int | None = None,
    **details: Any,
) -> None:
    """An entry about a member, who is named as they were: the log reads right once they
    have left. `member_id` for a membership just deleted."""
    audit.record(
        member.workspace,
        current_user(request),
        action,
        target=member,
        target_id=member_id or "",
        target_label=audit.person_label(member.user),
        request=request,
        **details,
    )

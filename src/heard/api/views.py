"""A workspace's page of API tokens: each member's own, made, listed and revoked here; an
owner sees and may revoke everyone's."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from heard.accounts.access import Need, allow_methods, membership_for, post_only
from heard.accounts.models import Membership, Role
from heard.accounts.requests import WorkspaceRequest
from heard.api import tokens
from heard.api.forms import TokenForm
from heard.api.models import ApiToken


def _visible(membership: Membership) -> list[ApiToken]:
    found = ApiToken.objects.filter(workspace=membership.workspace).select_related("user")
    if not membership.role_enum.can_manage_members():
        found = found.filter(user=membership.user)
    return list(found)


@allow_methods("GET", "HEAD", "POST")
def token_list(request: WorkspaceRequest, ws: str) -> HttpResponse:
    """The tokens, and the form that makes one; a token just made is shown once, here."""
    membership = membership_for(request, ws)
    form = TokenForm(request.POST or None, role=membership.role_enum)
    made = None
    if request.method == "POST" and form.is_valid():
        made = tokens.create(
            membership.workspace,
            membership.user,
            name=form.cleaned_data["name"],
            role=Role(form.cleaned_data["role"]),
            read_only=form.cleaned_data["read_only"],
            expires_in_days=form.expires_in_days,
        )
        form = TokenForm(role=membership.role_enum)
    context = {
        "form": form,
        "made": made,
        "tokens": _visible(membership),
        "is_owner": membership.role_enum.can_manage_members(),
        "docs_url": reverse("api:openapi-view"),
        "api_root": request.build_absolute_uri("/api/v1/"),
    }
    response = render(request, "api/tokens.html", context, status=201 if made else 200)
    if made:
        response["Cache-Control"] = "no-store"  # the token is in this page, and only here
    return response


@post_only
def token_revoke(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    membership = membership_for(request, ws, Need.VIEW)
    token = get_object_or_404(ApiToken, workspace=membership.workspace, pk=pk)
    if token.user_id != membership.user.pk and not membership.role_enum.can_manage_members():
        raise Http404  # another member's token is not theirs to see
    if tokens.revoke(token, membership.user):
        messages.success(request, f"“{token.name}” ({token.shown}) no longer opens the API.")
    return redirect("api_tokens:list", ws=ws)

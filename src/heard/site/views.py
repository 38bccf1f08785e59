from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from heard.accounts.access import current_user, membership_for
from heard.accounts.models import Membership
from heard.accounts.requests import WorkspaceRequest
from heard.interviews.listings import upcoming
from heard.studies.models import Study, StudyStatus


def home(request: HttpRequest) -> HttpResponse:
    """Straight into the workspace when there is one; a choice when there are several."""
    memberships = list(
        Membership.objects.filter(user=current_user(request))
        .select_related("workspace")
        .order_by("workspace__name")
    )
    if len(memberships) == 1:
        return redirect("site:workspace", ws=memberships[0].workspace.slug)
    return render(request, "site/home.html", {"memberships": memberships})


def workspace_home(request: WorkspaceRequest, ws: str) -> HttpResponse:
    membership = membership_for(request, ws)
    workspace = membership.workspace
    context = {
        "studies": Study.objects.filter(workspace=workspace).exclude(status=StudyStatus.DECIDED)[
            :6
        ],
        "upcoming": upcoming(workspace, 8),
    }
    return render(request, "site/workspace_home.html", context)

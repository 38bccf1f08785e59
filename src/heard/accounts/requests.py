"""The request a workspace view gets, typed."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from heard.accounts.models import Membership, Role, User


class WorkspaceRequest(HttpRequest):
    """A request to a page under `/w/<ws>/`: signed in (`LoginRequiredMiddleware`), with htmx's
    details (`django_htmx`), and, once the view's access check has passed, the membership that
    check found (`accounts.access.membership_for`), which the layout reads."""

    user: User
    htmx: HtmxDetails
    membership: Membership
    # Set on a request made with an API token: the highest role the token lets its owner act
    # with (`membership_for` lowers the membership's role to it).
    role_ceiling: Role | None

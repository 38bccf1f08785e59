from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from heard import __version__


def workspace(request: HttpRequest) -> dict[str, Any]:
    """The workspace a page belongs to, and the signed-in user's role in it, for the layout."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"HEARD_VERSION": __version__}
    role = membership.role_enum
    return {
        "HEARD_VERSION": __version__,
        "membership": membership,
        "workspace": membership.workspace,
        "can_edit": role.can_edit(),
        "can_manage": role.can_manage_members(),
        "can_read_audit_log": role.can_read_audit_log(),
        "can_export_participants": membership.may_export_participants,
    }

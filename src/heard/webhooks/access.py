"""Who may see and change a workspace's webhooks: its owners (`Need.MANAGE`), as they invite
people and rename the workspace. A webhook carries what happens in the workspace to another
tool; its log holds what was sent."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from heard.accounts.access import Need, membership_for
from heard.accounts.models import Membership
from heard.accounts.requests import WorkspaceRequest
from heard.webhooks.models import Delivery, Webhook

NEED = Need.MANAGE


def webhooks_membership(request: WorkspaceRequest, ws: str) -> Membership:
    return membership_for(request, ws, NEED)


def get_webhook_for(request: WorkspaceRequest, ws: str, pk: int) -> Webhook:
    membership = webhooks_membership(request, ws)
    return get_object_or_404(Webhook, workspace=membership.workspace, pk=pk)


def get_delivery_for(request: WorkspaceRequest, ws: str, pk: int, delivery_pk: int) -> Delivery:
    hook = get_webhook_for(request, ws, pk)
    delivery = get_object_or_404(
        Delivery.objects.select_related("event"), webhook=hook, pk=delivery_pk
    )
    delivery.webhook = hook
    return delivery

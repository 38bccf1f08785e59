"""A workspace's webhooks: registering one (its signing secret made then), changing it, a new
secret, deleting it; the list with each one's last delivery, and its delivery log."""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from heard.accounts.models import User, Workspace
from heard.webhooks import sending, signing
from heard.webhooks.models import Attempt, Delivery, DeliveryStatus, Webhook


@dataclass(frozen=True)
class Listed:
    """A webhook as the list shows it, with its last delivery's status, answer and time."""

    hook: Webhook
    last_status: str | None
    last_response: int | None
    last_at: datetime.datetime | None

    @property
    def last_status_label(self) -> str:
        return DeliveryStatus(self.last_status).label if self.last_status else ""


def webhooks_of(workspace: Workspace) -> list[Listed]:
    """The workspace's webhooks, each with its last delivery, in one query."""
    last = Delivery.objects.filter(webhook=OuterRef("pk")).order_by("-created_at", "-id")
    rows = Webhook.objects.filter(workspace=workspace).annotate(
        last_status=Subquery(last.values("status")[:1]),
        last_response=Subquery(last.values("response_status")[:1]),
        last_at=Subquery(last.values("created_at")[:1]),
    )
    return [Listed(row, row.last_status, row.last_response, row.last_at) for row in rows]


def create(
    workspace: Workspace, user: User, *, url: str, events: Sequence[str], description: str = ""
) -> Webhook:
    return Webhook.objects.create(
        workspace=workspace,
        url=url,
        events=list(events),
        description=description,
        secret=signing.new_secret(),
        secret_made_at=timezone.now(),
        created_by=user,
    )


def make_new_secret(hook: Webhook) -> str:
    """A new signing secret: requests sign with it from now on, the old one stops."""
    hook.secret = signing.new_secret()
    hook.secret_made_at = timezone.now()
    hook.save(update_fields=["secret", "secret_made_at", "updated_at"])
    return hook.secret


@transaction.atomic
def delete(hook: Webhook) -> None:
    """The webhook goes, and its log with it; deliveries under way write nothing more."""
    hook.delete()


@dataclass
class LoggedDelivery:
    delivery: Delivery
    attempts: list[Attempt]

    @property
    def request_body(self) -> str:
        """The body sent, laid out to read (the bytes sent are the stored text)."""
        try:
            return json.dumps(json.loads(self.delivery.event.body), indent=2, ensure_ascii=False)
        except ValueError:
            return self.delivery.event.body


def log_of(deliveries: Sequence[Delivery]) -> list[LoggedDelivery]:
    """A page of the log: each delivery with its attempts, newest first, in one more query."""
    attempts: dict[int, list[Attempt]] = {}
    for attempt in Attempt.objects.filter(delivery__in=[d.pk for d in deliveries]).order_by(
        "-number"
    ):
        attempts.setdefault(attempt.delivery_id, []).append(attempt)
    return [LoggedDelivery(d, attempts.get(d.pk, [])) for d in deliveries]


def deliveries_of(hook: Webhook) -> QuerySet[Delivery]:
    return hook.deliveries.select_related("event").order_by("-created_at", "-id")


def revive_stalled(hook: Webhook) -> int:
    """Deliveries of this webhook whose sender died go back to the worker (looked at)."""
    return sending.claims().revive(hook.deliveries.all(), sending.enqueue)

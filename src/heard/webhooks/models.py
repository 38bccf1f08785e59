"""Outgoing webhooks: the addresses a workspace's owners register (`Webhook`), what happened
(`Event`, its body written once), one `Delivery` of an event to each webhook that asked for
it, and each `Attempt` to send it."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from heard.accounts.models import User, Workspace

URL_MAX_LENGTH = 2000
# What the log keeps of a receiver's answer.
RESPONSE_KEEP_BYTES = 4096


class EventType(models.TextChoices):
    """What Heard tells a webhook about; the value is the event's `type` and `Heard-Event`."""

    INTERVIEW_SCHEDULED = "interview.scheduled", "Interview scheduled"
    INTERVIEW_FINISHED = "interview.finished", "Interview finished"
    TRANSCRIPT_READY = "transcript.ready", "Transcript ready"
    SUMMARY_FINALISED = "summary.finalised", "Summary finalised"
    FINDING_DISPUTED = "finding.disputed", "Finding disputed in a review"
    FINDING_ALIGNED = "finding.aligned", "Finding aligned in a review"
    DECISION_RECORDED = "decision.recorded", "Decision recorded"
    PARTICIPANT_ERASED = "participant.erased", "Participant erased"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    RETRYING = "retrying", "Waiting to try again"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


# A delivery that may still be sent; the others are settled.
UNSETTLED = (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.RETRYING)


class Webhook(models.Model):
    """An address of the team's own tools that Heard calls when one of `events` happens in
    the workspace, each call signed with `secret`."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    url = models.CharField("URL", max_length=URL_MAX_LENGTH)
    description = models.CharField(max_length=200, blank=True)
    # The values of `EventType` it asked for.
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    # Shown in full once, when made; Heard needs it whole to sign each request.
    secret = models.CharField(max_length=100)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    secret_made_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return self.active and event_type in self.events

    @property
    def event_labels(self) -> list[str]:
        return [label for value, label in EventType.choices if value in self.events]

    @property
    def secret_hint(self) -> str:
        """Enough of the secret to tell two apart, never enough to sign."""
        return f"{self.secret[:10]}…"


class Event(models.Model):
    """Something that happened in a workspace, as its webhooks are told: the body is written
    once, so every delivery and attempt sends the same bytes."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=40, choices=EventType.choices)
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (
            # The purge of old events.
            models.Index(fields=("created_at",), name="webhook_event_age_idx"),
        )

    def __str__(self) -> str:
        return f"{self.type} {self.uuid}"


class Delivery(models.Model):
    """One event for one webhook, tried until it is delivered or given up; each try is claimed
    with a lease (`core.leases`), so no attempt goes twice."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    next_attempt_at = models.DateTimeField()
    # Attempts since it was first sent, or last sent again by hand: what the back-off counts.
    tries = models.PositiveSmallIntegerField(default=0)
    # The claim of the attempt under way (`core.leases`); `attempts` counts every attempt.
    run_token = models.CharField(max_length=32, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The last attempt's outcome, for the lists.
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (
            # A webhook's delivery log, newest first, and its last delivery.
            models.Index(fields=("webhook", "-created_at"), name="webhook_delivery_log_idx"),
            # The deliveries a worker still has to send, by when.
            models.Index(
                fields=("status", "next_attempt_at"),
                name="webhook_delivery_due_idx",
                condition=Q(status__in=UNSETTLED),
            ),
        )

    def __str__(self) -> str:
        return f"Delivery {self.uuid}"

    @property
    def is_settled(self) -> bool:
        return self.status not in UNSETTLED


class Attempt(models.Model):
    """One request sent for a delivery, and what came back."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts_made")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    # The first `RESPONSE_KEEP_BYTES` of the answer, as text.
    response_body = models.TextField(blank=True)
    response_truncated = models.BooleanField(default=False)
    # When the next attempt is due, if this one is tried again.
    retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("delivery", "number")
        constraints = (
            models.UniqueConstraint(fields=("delivery", "number"), name="webhook_attempt_once"),
        )

    def __str__(self) -> str:
        return f"Attempt {self.number} of {self.delivery_id}"

    @property
    def succeeded(self) -> bool:
        return self.response_status is not None and 200 <= self.response_status < 300

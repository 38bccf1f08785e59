"""Sending deliveries, by the worker: each attempt claimed, sent, recorded, and tried again
later when it may yet succeed.

A delivery is a row with a status. Its task **claims** it with one conditional update
(`core.leases`: a delivery waiting to be sent, or one whose sender died mid-attempt), so of two
workers that take tasks for the same delivery at once, one sends and the other finds it taken:
no attempt goes twice. A delivery waiting to try again becomes claimable once its time has
come (`_due`), so an early task cannot send before then.

An answer of 2xx delivers it. No answer (the connection refused or cut, no answer within
`HEARD_WEBHOOKS_TIMEOUT`, the name not found), 408, 429 and 5xx are tried again, after
`RETRY_DELAYS` (with a tenth either way at random, so that many deliveries failed at once do
not come back at once; never sooner than a `Retry-After` asks), for about a day; then the
delivery has failed. Any other answer (a redirect, which Heard does not follow, or a 4xx) is
final. Every attempt sends the same body under the same `Heard-Delivery`, with a fresh
signature.
"""

from __future__ import annotations

import datetime
import email.utils
import logging
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from heard.core.busy import when_free
from heard.core.leases import Lease
from heard.webhooks import signing, targets, transport
from heard.webhooks.models import (
    RESPONSE_KEEP_BYTES,
    UNSETTLED,
    Attempt,
    Delivery,
    DeliveryStatus,
    Event,
)

logger = logging.getLogger(__name__)

USER_AGENT = "Heard-Webhooks/1"
# After the first failed attempt, the second comes a minute later, and so on: seven attempts
# over about 21 hours.
RETRY_DELAYS = (60, 300, 1800, 7200, 21600, 43200)
JITTER = 0.1
# A receiver's Retry-After is honoured up to this long.
LONGEST_WAIT = datetime.timedelta(hours=24)
# The delivery log keeps settled deliveries this long.
LOG_KEEP = datetime.timedelta(days=30)
# A task that should have sent a delivery this long ago was lost with its worker.
OVERDUE = datetime.timedelta(minutes=1)
ERROR_LENGTH = 500


def claims() -> Lease:
    """The lease an attempt holds: longer than any attempt can take (its name lookup and its
    whole exchange), so a live attempt is never taken over."""
    seconds = max(120.0, 3 * (float(settings.HEARD_WEBHOOKS_TIMEOUT) + targets.RESOLVE_SECONDS))
    return Lease(
        Delivery,
        DeliveryStatus.PENDING,
        DeliveryStatus.SENDING,
        length=datetime.timedelta(seconds=seconds),
    )


# Handing deliveries to the worker ---------------------------------------------------------------


def enqueue(delivery_id: int, at: datetime.datetime | None = None) -> None:
    """A task to send the delivery, at `at` if later than now. A backend that runs tasks at
    once (the tests') is not asked to run one later: the sweep finds it when it is due."""
    from heard.webhooks.tasks import send_delivery  # the task module imports this

    if at is not None and at > timezone.now():
        if send_delivery.get_backend().supports_defer:
            send_delivery.using(run_after=at).enqueue(delivery_id)
        return
    send_delivery.enqueue(delivery_id)


def enqueue_all(ids: Iterable[int]) -> None:
    for delivery_id in ids:
        enqueue(delivery_id)


def requeue(*, overdue: datetime.timedelta = datetime.timedelta(0)) -> int:
    """A task for every delivery whose task was lost with a killed worker: those whose sender
    died mid-attempt (back to waiting), and those waiting, or whose next attempt is due, for
    longer than `overdue`. A second task for a delivery is harmless: one claims it."""
    revived = claims().revive(Delivery.objects.all(), enqueue)
    before = timezone.now() - overdue
    waiting = Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=before)
    due = Delivery.objects.filter(status=DeliveryStatus.RETRYING, next_attempt_at__lte=before)
    ids = [*waiting.values_list("pk", flat=True), *due.values_list("pk", flat=True)]
    enqueue_all(ids)
    return revived + len(ids)


def on_worker_starting(**_: Any) -> None:
    from heard.webhooks.tasks import schedule_sweep

    requeue()
    schedule_sweep(timezone.now())


def sweep() -> int:
    """Every few minutes: the deliveries whose task was lost go back to the worker, and the
    log forgets what is past its time."""
    found = requeue(overdue=OVERDUE)
    purge_old()
    return found


def purge_old() -> int:
    """Delete the events (their deliveries and attempts with them) older than `LOG_KEEP`
    whose deliveries are all settled."""
    old = Event.objects.filter(created_at__lt=timezone.now() - LOG_KEEP).exclude(
        deliveries__status__in=UNSETTLED
    )
    deleted, _ = old.delete()
    return deleted


def send_again(delivery: Delivery) -> bool:
    """Send a delivery again now, whatever became of it (a new round of retries if it fails);
    False while it is being sent or waits to be."""
    with transaction.atomic():
        restarted = Delivery.objects.filter(
            pk=delivery.pk,
            status__in=(DeliveryStatus.DELIVERED, DeliveryStatus.FAILED, DeliveryStatus.RETRYING),
        ).update(
            status=DeliveryStatus.PENDING,
            tries=0,
            next_attempt_at=timezone.now(),
            finished_at=None,
        )
        if restarted:
            transaction.on_commit(lambda: enqueue(delivery.pk))
    return bool(restarted)


# An attempt -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What an attempt came to: delivered, worth trying again, or final."""

    status: int | None = None
    error: str = ""
    retryable: bool = False
    body: bytes = b""
    truncated: bool = False
    duration_ms: int = 0
    retry_after: str = ""

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def attempt(delivery_id: int) -> str:
    """The task's whole job: claim the delivery, send it once, record what came back. Returns
    the status it ends in ("busy" when another attempt holds it or it is not due yet)."""
    lease = claims()
    _due(delivery_id)
    token = lease.claim(delivery_id, tries=F("tries") + 1)
    if token is None:
        return lease.status_of(delivery_id, UNSETTLED)
    delivery = Delivery.objects.select_related("webhook", "event").get(pk=delivery_id)
    at = timezone.now()
    try:
        outcome = _send(delivery)
    except Exception as error:  # a bug must not leave the delivery "sending" until it lapses
        logger.exception("Sending webhook delivery %s failed", delivery_id)
        outcome = Outcome(error=f"Unexpected error: {error}"[:ERROR_LENGTH], retryable=True)
    return _settle(lease, delivery, token, at, outcome)


def _due(delivery_id: int) -> None:
    """A delivery waiting to try again is claimable once its time has come."""
    Delivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.RETRYING, next_attempt_at__lte=timezone.now()
    ).update(status=DeliveryStatus.PENDING)


def headers_for(delivery: Delivery, body: bytes, at: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "Heard-Event": delivery.event.type,
        "Heard-Delivery": str(delivery.uuid),
        "Heard-Signature": signing.sign(delivery.webhook.secret, body, at),
        "Connection": "close",
    }


def _send(delivery: Delivery) -> Outcome:
    hook = delivery.webhook
    if not hook.active:
        return Outcome(error="The webhook is switched off: switch it on, then send it again.")
    try:
        target = targets.check(hook.url)
    except targets.TargetRefused as refusal:
        return Outcome(error=str(refusal)[:ERROR_LENGTH])
    except targets.TargetUnreachable as failure:
        return Outcome(error=str(failure)[:ERROR_LENGTH], retryable=True)
    body = delivery.event.body.encode("utf-8")
    answer = transport.post(
        target,
        body,
        headers_for(delivery, body, int(time.time())),
        seconds=float(settings.HEARD_WEBHOOKS_TIMEOUT),
        keep_bytes=RESPONSE_KEEP_BYTES,
    )
    error, retryable = _verdict(answer)
    return Outcome(
        status=answer.status,
        error=error[:ERROR_LENGTH],
        retryable=retryable,
        body=answer.body,
        truncated=answer.truncated,
        duration_ms=answer.duration_ms,
        retry_after=answer.retry_after,
    )


def _verdict(answer: transport.Answer) -> tuple[str, bool]:
    """What went wrong, if anything, and whether trying again may help."""
    status = answer.status
    if status is None:
        return answer.error, True
    if 200 <= status < 300:
        return "", False
    if status in (408, 429) or status >= 500:
        return f"The receiver answered {status}.", True
    if 300 <= status < 400:
        where = f" to {answer.location[:200]}" if answer.location else ""
        return (
            f"The receiver answered {status}, a redirect{where}: Heard does not follow "
            "redirects. Register the address it leads to.",
            False,
        )
    return f"The receiver answered {status}: not tried again.", False


def retry_after(value: str, now: datetime.datetime) -> datetime.timedelta | None:
    """How long a `Retry-After` header asks to wait (seconds, or an HTTP date)."""
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return datetime.timedelta(seconds=int(text[:9]))
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return max(moment - now, datetime.timedelta(0))


def next_attempt(tries: int, asked: str, now: datetime.datetime) -> datetime.datetime | None:
    """When to try again after `tries` failed attempts, or None: time to give up."""
    if tries > len(RETRY_DELAYS):
        return None
    delay = datetime.timedelta(
        seconds=RETRY_DELAYS[tries - 1] * random.uniform(1 - JITTER, 1 + JITTER)  # noqa: S311 (a spread, no secret)
    )
    wait = retry_after(asked, now)
    if wait is not None:
        delay = max(delay, min(wait, LONGEST_WAIT))
    return now + delay


def _settle(
    lease: Lease, delivery: Delivery, token: str, at: datetime.datetime, outcome: Outcome
) -> str:
    """Record the attempt, and the delivery's new status while this attempt holds it."""
    now = timezone.now()
    retry_at = None
    if outcome.delivered:
        status = DeliveryStatus.DELIVERED
    elif outcome.retryable and (retry_at := next_attempt(delivery.tries, outcome.retry_after, now)):
        status = DeliveryStatus.RETRYING
    else:
        status = DeliveryStatus.FAILED
    error = outcome.error.replace("\x00", "")
    if status == DeliveryStatus.FAILED and outcome.retryable:
        error = f"{error} Given up after {delivery.tries} attempts."[:ERROR_LENGTH]

    def write() -> bool:
        with transaction.atomic():
            ended = lease.end(
                delivery.pk,
                token,
                status=status,
                next_attempt_at=retry_at or delivery.next_attempt_at,
                response_status=outcome.status,
                error=error,
                finished_at=None if retry_at else now,
                run_token="",
            )
            # The request went, whoever holds the delivery now: the log says so.
            if ended or Delivery.objects.filter(pk=delivery.pk).exists():
                Attempt.objects.create(
                    delivery_id=delivery.pk,
                    number=delivery.attempts,
                    at=at,
                    duration_ms=outcome.duration_ms,
                    response_status=outcome.status,
                    error=error,
                    response_body=_text(outcome.body),
                    response_truncated=outcome.truncated,
                    retry_at=retry_at if ended else None,
                )
            if ended and retry_at is not None:
                pk, when = delivery.pk, retry_at
                transaction.on_commit(lambda: enqueue(pk, when))
            return ended

    return status if when_free(write) else "overtaken"


def _text(body: bytes) -> str:
    """A receiver's answer as text the database keeps (PostgreSQL refuses NUL)."""
    return body.decode("utf-8", "replace").replace("\x00", "\ufffd")

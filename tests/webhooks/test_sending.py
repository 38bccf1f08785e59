"""Sending deliveries, by the real worker, to a real HTTP server: signed as the docs say,
tried again after 5xx, 429, 408 and a receiver that hangs or trickles (within the attempt's
time), Retry-After honoured, 4xx and redirects final, one attempt however many workers take
it, a killed worker's attempt taken over, "Send again", and a bounded answer."""

from __future__ import annotations

import datetime
import email.utils
import threading
import time
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from heard.core.worker import thread_worker, worker_starting
from heard.webhooks import events, sending, services, tasks
from heard.webhooks.models import (
    RESPONSE_KEEP_BYTES,
    Attempt,
    Delivery,
    DeliveryStatus,
    EventType,
    Webhook,
)
from tests.support import factories
from tests.support.personas import Team
from tests.support.urls import url
from tests.support.webhooks import Receiver, Reply, documented_verify

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def worker_tasks(settings: Any) -> None:
    """Tasks go to the database, for `heard worker` to run."""
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def no_waiting(monkeypatch: Any) -> None:
    """Every retry is due at once, so one batch of the worker runs them all."""
    monkeypatch.setattr(sending, "RETRY_DELAYS", (0,) * len(sending.RETRY_DELAYS))


def hook_for(team: Team, receiver: Receiver) -> Webhook:
    return services.create(
        team.workspace,
        team.owner,
        url=receiver.url(),
        events=[EventType.INTERVIEW_SCHEDULED],
        description="Roadmap",
    )


def scheduled(team: Team) -> list[Delivery]:
    """An interview scheduled: the event's deliveries."""
    study = factories.study(team.workspace, title="Reporting pains")
    interview = factories.interview(study)
    return events.emit(events.interview_scheduled(interview.pk))


def run_worker() -> None:
    call_command("worker", "--batch", "--interval", "0.1", verbosity=0)


def test_a_delivery_arrives_signed_as_the_docs_say(
    team: Team, receiver: Receiver, worker_tasks: None
):
    hook = hook_for(team, receiver)
    [delivery] = scheduled(team)
    assert receiver.received == []  # handed to the worker, not sent by whoever caused it
    run_worker()
    [request] = receiver.received
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert request.path == "/hooks/heard"
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    assert request.headers["user-agent"] == "Heard-Webhooks/1"
    assert request.headers["heard-event"] == "interview.scheduled"
    assert request.headers["heard-delivery"] == str(delivery.uuid)
    assert request.body == delivery.event.body.encode()
    verify = documented_verify()
    signature = request.headers["heard-signature"]
    assert verify(hook.secret, request.body, signature)
    assert not verify(hook.secret, request.body + b" ", signature)
    assert not verify(hook.secret + "x", request.body, signature)
    assert not verify(hook.secret, request.body, signature, tolerance=-1)
    body = request.json()
    assert body["id"] == str(delivery.event.uuid)
    assert body["type"] == "interview.scheduled"
    assert body["workspace"]["slug"] == team.workspace.slug
    assert body["data"]["study"]["title"] == "Reporting pains"
    [attempt] = Attempt.objects.filter(delivery=delivery)
    assert (attempt.number, attempt.response_status, attempt.error) == (1, 200, "")
    assert attempt.response_body == '{"ok": true}'


def test_5xx_is_tried_again_until_given_up_each_attempt_the_same_delivery(
    team: Team, receiver: Receiver, worker_tasks: None, no_waiting: None
):
    hook_for(team, receiver)
    receiver.default = Reply(500, b"down for maintenance")
    [delivery] = scheduled(team)
    run_worker()
    delivery.refresh_from_db()
    attempts = len(sending.RETRY_DELAYS) + 1
    assert len(receiver.received) == attempts
    assert {r.headers["heard-delivery"] for r in receiver.received} == {str(delivery.uuid)}
    assert len({r.headers["heard-signature"] for r in receiver.received}) >= 1
    assert {r.body for r in receiver.received} == {delivery.event.body.encode()}
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error == f"The receiver answered 500. Given up after {attempts} attempts."
    numbers = list(
        Attempt.objects.filter(delivery=delivery).values_list("number", "response_status")
    )
    assert numbers == [(n, 500) for n in range(1, attempts + 1)]
    assert Attempt.objects.filter(delivery=delivery).last().response_body == "down for maintenance"


def test_the_retry_schedule_is_a_day_with_jitter():
    now = timezone.now()
    waits = []
    for tries in range(1, len(sending.RETRY_DELAYS) + 1):
        at = sending.next_attempt(tries, "", now)
        assert at is not None
        waits.append((at - now).total_seconds())
    for wait, planned in zip(waits, (60, 300, 1800, 7200, 21600, 43200), strict=True):
        assert planned * 0.9 <= wait <= planned * 1.1
    assert sending.next_attempt(len(sending.RETRY_DELAYS) + 1, "", now) is None
    assert 20 * 3600 < sum(sending.RETRY_DELAYS) < 24 * 3600


def test_a_receiver_that_hangs_or_trickles_holds_the_worker_only_for_the_attempts_time(
    team: Team, receiver: Receiver, worker_tasks: None, no_waiting: None, settings: Any
):
    settings.HEARD_WEBHOOKS_TIMEOUT = 0.5
    hook_for(team, receiver)
    receiver.answer(Reply(wait=4.0), Reply(drip=0.2), Reply(503), Reply(408), Reply(200))
    [delivery] = scheduled(team)
    started = time.monotonic()
    run_worker()
    assert time.monotonic() - started < 4.0
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    tried = list(Attempt.objects.filter(delivery=delivery))
    assert [a.response_status for a in tried] == [None, None, 503, 408, 200]
    assert tried[0].error == "No complete answer within 0.5 s."
    assert tried[1].error == "No complete answer within 0.5 s."
    for attempt in tried[:2]:
        assert 450 <= attempt.duration_ms < 1500, attempt.duration_ms
    assert len(receiver.received) == 5


def test_retry_after_is_honoured_in_seconds_and_as_a_date(
    team: Team, receiver: Receiver, worker_tasks: None
):
    hook_for(team, receiver)
    receiver.answer(Reply(429, headers={"Retry-After": "600"}))
    [delivery] = scheduled(team)
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING
    wait = delivery.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=590) < wait <= datetime.timedelta(seconds=600)
    # The worker holds the next attempt for then, and nothing sends it sooner.
    [task] = DBTaskResult.objects.filter(task_path=tasks.send_delivery.module_path, status="READY")
    assert task.run_after == delivery.next_attempt_at
    assert task.args_kwargs["args"] == [delivery.pk]
    assert sending.attempt(delivery.pk) == "busy"
    assert len(receiver.received) == 1

    later = timezone.now() + datetime.timedelta(hours=3)
    receiver.answer(Reply(503, headers={"Retry-After": email.utils.format_datetime(later)}))
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert sending.attempt(delivery.pk) == DeliveryStatus.RETRYING
    delivery.refresh_from_db()
    assert abs(delivery.next_attempt_at - later) < datetime.timedelta(seconds=2)
    # A shorter wait than the schedule's is not taken: the schedule says 5 minutes or so.
    receiver.answer(Reply(503, headers={"Retry-After": "1"}))
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert sending.attempt(delivery.pk) == DeliveryStatus.RETRYING
    delivery.refresh_from_db()
    assert delivery.next_attempt_at - timezone.now() > datetime.timedelta(minutes=25)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 422])
def test_a_4xx_answer_is_final(team: Team, receiver: Receiver, status: int, no_waiting: None):
    hook_for(team, receiver)
    receiver.default = Reply(status, b"no such hook")
    [delivery] = scheduled(team)  # the tests' tasks run at once
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error == f"The receiver answered {status}: not tried again."
    assert len(receiver.received) == 1


def test_a_redirect_is_not_followed(team: Team, receiver: Receiver):
    hook_for(team, receiver)
    receiver.answer(Reply(301, headers={"Location": receiver.url("/elsewhere")}))
    [delivery] = scheduled(team)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "a redirect to http://127.0.0.1" in delivery.error
    assert [r.path for r in receiver.received] == ["/hooks/heard"]


def test_two_workers_taking_the_same_delivery_at_once_send_it_once(
    team: Team, receiver: Receiver, worker_tasks: None
):
    hook_for(team, receiver)
    receiver.default = Reply(wait=0.5)
    [delivery] = scheduled(team)
    sending.enqueue(delivery.pk)  # a second task for it, as a worker's start adds
    assert DBTaskResult.objects.filter(task_path=tasks.send_delivery.module_path).count() == 2

    def work() -> None:
        try:
            thread_worker(batch=True).run()
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert len(receiver.received) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert Attempt.objects.filter(delivery=delivery).count() == 1
    # Every other task (the two workers' starts added one each) found it taken, or delivered.
    sent = DBTaskResult.objects.filter(task_path=tasks.send_delivery.module_path)
    ended = list(sent.values_list("return_value", flat=True))
    assert len(ended) >= 2
    assert set(ended) <= {"busy", "delivered"}


def test_attempts_claimed_at_the_same_moment_send_once(team: Team, receiver: Receiver):
    hook_for(team, receiver)
    receiver.default = Reply(wait=0.3)
    study = factories.study(team.workspace)
    interview = factories.interview(study)
    occurrence = events.interview_scheduled(interview.pk)
    hooks = events.subscribed(team.workspace, EventType.INTERVIEW_SCHEDULED)
    delivery = Delivery.objects.create(
        webhook=hooks[0],
        event=events.Event.objects.create(
            workspace=team.workspace,
            type=occurrence.type,
            body=events.body_of(events.uuid.uuid4(), occurrence, timezone.now()),
            created_at=timezone.now(),
        ),
        next_attempt_at=timezone.now(),
    )
    start = threading.Barrier(3)
    results: list[str] = []

    def attempt() -> None:
        try:
            start.wait()
            results.append(sending.attempt(delivery.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == ["busy", "busy", "delivered"]
    assert len(receiver.received) == 1


def test_a_killed_workers_attempt_is_taken_over_and_the_dead_one_writes_nothing(
    team: Team, receiver: Receiver, worker_tasks: None
):
    hook_for(team, receiver)
    [delivery] = scheduled(team)
    DBTaskResult.objects.all().delete()  # its task died with the worker
    lease = sending.claims()
    dead = lease.claim(delivery.pk)
    assert dead is not None
    assert sending.attempt(delivery.pk) == "busy"  # while its claim is fresh
    Delivery.objects.filter(pk=delivery.pk).update(
        heartbeat_at=timezone.now() - lease.length - datetime.timedelta(seconds=1)
    )
    worker_starting.send(sender=None)  # a worker starts: the stalled one goes back
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 2
    assert not lease.end(delivery.pk, dead, status=DeliveryStatus.FAILED)
    assert len(receiver.received) == 1


def test_send_again_sends_the_same_delivery_once_more(
    team: Team, receiver: Receiver, owner_client: Client
):
    hook = hook_for(team, receiver)
    receiver.answer(Reply(404))
    [delivery] = scheduled(team)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    address = url("webhooks:resend", team.workspace, pk=hook.pk, delivery_pk=delivery.pk)
    response = owner_client.post(address)
    assert response.status_code == 302
    assert response.url.endswith(f"#delivery-{delivery.pk}")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    first, second = receiver.received
    assert first.headers["heard-delivery"] == second.headers["heard-delivery"]
    assert first.body == second.body
    assert list(delivery.attempts_made.values_list("number", "response_status")) == [
        (1, 404),
        (2, 200),
    ]
    # A GET is not a way to send.
    assert owner_client.get(address).status_code == 405


def test_a_switched_off_webhook_is_sent_nothing(team: Team, receiver: Receiver):
    hook = hook_for(team, receiver)
    Webhook.objects.filter(pk=hook.pk).update(active=False)
    assert scheduled(team) == []
    Webhook.objects.filter(pk=hook.pk).update(active=True)
    [delivery] = scheduled(team)
    receiver.received.clear()
    Webhook.objects.filter(pk=hook.pk).update(active=False)
    sending.send_again(delivery)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "switched off" in delivery.error
    assert receiver.received == []


def test_only_the_start_of_a_large_answer_is_read_and_kept(team: Team, receiver: Receiver):
    hook_for(team, receiver)
    receiver.answer(Reply(200, b"\x00" + "é".encode() * 500_000))
    [delivery] = scheduled(team)
    [attempt] = Attempt.objects.filter(delivery=delivery)
    assert attempt.response_truncated
    assert len(attempt.response_body.encode()) <= RESPONSE_KEEP_BYTES + 4
    assert attempt.response_body.startswith("\ufffdé")


def test_the_log_forgets_settled_deliveries_after_30_days(team: Team, receiver: Receiver):
    hook_for(team, receiver)
    [old] = scheduled(team)
    receiver.answer(Reply(500))
    [waiting] = scheduled(team)
    month_ago = timezone.now() - sending.LOG_KEEP - datetime.timedelta(hours=1)
    events.Event.objects.update(created_at=month_ago)
    waiting.refresh_from_db()
    assert waiting.status == DeliveryStatus.RETRYING
    assert sending.purge_old() > 0
    assert not Delivery.objects.filter(pk=old.pk).exists()
    assert Delivery.objects.filter(pk=waiting.pk).exists()  # still to be sent: kept

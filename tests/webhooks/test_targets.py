"""Where webhooks may send: public http(s) addresses only, unless private targets are allowed;
refused at registration with a clear message, and again before each attempt; the request goes
to the very address that was checked, whatever the name resolves to a moment later."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.test import Client

from heard.webhooks import sending, services, targets
from heard.webhooks.models import Attempt, Delivery, DeliveryStatus, Event, EventType, Webhook
from tests.support.personas import Team
from tests.support.urls import url
from tests.support.webhooks import Receiver

pytestmark = pytest.mark.django_db

REFUSED = [
    ("http://127.0.0.1/hook", "loopback"),
    ("http://127.1.2.3:8080/hook", "loopback"),
    ("http://10.0.0.5/hook", "private"),
    ("http://192.168.1.20/hook", "private"),
    ("http://172.16.3.4/hook", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[::1]/hook", "loopback"),
    ("http://[::ffff:127.0.0.1]/hook", "loopback"),
    ("http://[::ffff:169.254.169.254]/hook", "link-local"),
    ("http://[fe80::1]/hook", "link-local"),
    ("http://[fd00::7]/hook", "private"),
    ("http://[2002:7f00:1::]/hook", "loopback"),  # 6to4 of 127.0.0.1
    ("http://[64:ff9b::a00:1]/hook", "private"),  # NAT64 of 10.0.0.1
    ("http://0.0.0.0/hook", "unspecified"),
    ("http://[::]/hook", "unspecified"),
    ("http://224.0.0.1/hook", "multicast"),
    ("http://100.64.0.1/hook", "non-public"),  # shared address space (carrier NAT)
    ("http://2130706433/hook", "loopback"),  # 127.0.0.1 as one number
    ("http://localhost:8000/hook", "loopback"),  # a name that resolves to the loopback
]


@pytest.mark.parametrize(("address", "kind"), REFUSED)
def test_private_and_special_addresses_are_refused(address: str, kind: str, settings: Any):
    settings.HEARD_WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(targets.TargetRefused, match=f"a {kind} address"):
        targets.check(address)


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("ftp://93.184.216.34/hook", "only to http:// and https://"),
        ("file:///etc/passwd", "only to http:// and https://"),
        ("javascript:alert(1)", "only to http:// and https://"),
        ("https://user:secret@93.184.216.34/hook", "user name or password"),
        ("https://user@93.184.216.34/hook", "user name or password"),
        ("https:///hook", "names no host"),
        ("https://93.184.216.34:99999/", "not an address Heard can read"),
        ("https://exa mple.com/", "without spaces"),
        ("https://93.184.216.34\n.evil/", "without spaces"),
        ("", "without spaces"),
    ],
)
def test_addresses_that_are_not_http_or_carry_credentials_are_refused_even_when_private_is_allowed(
    address: str, message: str
):
    with pytest.raises(targets.TargetRefused, match=message):
        targets.check(address, private_allowed=True)


def test_a_public_address_passes_and_keeps_its_parts():
    target = targets.check("https://93.184.216.34:8443/hooks/heard?team=1#x", private_allowed=False)
    assert target.ips == (targets.ipaddress.ip_address("93.184.216.34"),)
    assert target.address == targets.Address("https", "93.184.216.34", 8443, "/hooks/heard?team=1")


def test_a_name_is_refused_if_any_of_its_addresses_is_private(monkeypatch: Any):
    """A name that resolves to a public and a private address: one forbidden is enough."""

    def two_addresses(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        assert host == "mixed.example"
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.1.1", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", two_addresses)
    with pytest.raises(targets.TargetRefused, match=r"mixed.example resolves to 10.1.1.1"):
        targets.check("https://mixed.example/hook", private_allowed=False)


def test_the_form_says_why_it_refuses(team: Team, owner_client: Client, settings: Any):
    settings.HEARD_WEBHOOKS_ALLOW_PRIVATE = False
    for address, kind in REFUSED[:9] + REFUSED[-1:]:
        response = owner_client.post(
            url("webhooks:create", team.workspace),
            {"url": address, "events": [EventType.INTERVIEW_SCHEDULED]},
        )
        assert response.status_code == 200, address
        page = response.content.decode()
        assert f"a {kind} address: Heard sends webhooks only to addresses on the public" in page
        assert 'class="field field--error"' in page
    response = owner_client.post(
        url("webhooks:create", team.workspace),
        {"url": "https://someone:pw@93.184.216.34/", "events": [EventType.INTERVIEW_SCHEDULED]},
    )
    assert "user name or password" in response.content.decode()
    response = owner_client.post(
        url("webhooks:create", team.workspace),
        {"url": "https://nowhere.invalid/hook", "events": [EventType.INTERVIEW_SCHEDULED]},
    )
    assert "nowhere.invalid could not be found" in response.content.decode()
    assert not Webhook.objects.exists()


def test_a_private_address_is_refused_again_at_send_time(
    team: Team, receiver: Receiver, settings: Any
):
    """Registered while the network was allowed, sent after it no longer is: nothing goes."""
    hook = services.create(
        team.workspace, team.owner, url=receiver.url(), events=[EventType.INTERVIEW_SCHEDULED]
    )
    settings.HEARD_WEBHOOKS_ALLOW_PRIVATE = False
    delivery = _delivery(hook)
    assert sending.attempt(delivery.pk) == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    assert delivery.error.startswith("127.0.0.1, a loopback address")
    assert receiver.received == []
    [attempt] = Attempt.objects.filter(delivery=delivery)
    assert attempt.response_status is None


def test_the_request_goes_to_the_address_checked_not_to_where_the_name_points_later(
    team: Team, receiver: Receiver, monkeypatch: Any
):
    """DNS rebinding: the name resolves to the receiver when checked, and to another machine
    afterwards. The request still reaches the receiver, naming the host in its Host header."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def rebinding(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "rebind.test":
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        where = "127.0.0.1" if len(lookups) == 1 else "10.255.255.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (where, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    hook = services.create(
        team.workspace,
        team.owner,
        url=receiver.url(host="rebind.test"),
        events=[EventType.INTERVIEW_SCHEDULED],
    )
    lookups.clear()
    assert sending.attempt(_delivery(hook).pk) == DeliveryStatus.DELIVERED
    assert lookups == ["rebind.test"]  # once, to check it: the connection looked up nothing
    [request] = receiver.received
    assert request.headers["host"] == f"rebind.test:{receiver.port}"


def test_https_checks_the_certificate_against_the_name(team: Team, receiver: Receiver):
    """A plain HTTP server where https is promised: the handshake fails, the attempt says so,
    and it is tried again later."""
    hook = services.create(
        team.workspace,
        team.owner,
        url=f"https://127.0.0.1:{receiver.port}/hook",
        events=[EventType.INTERVIEW_SCHEDULED],
    )
    delivery = _delivery(hook)
    assert sending.attempt(delivery.pk) == DeliveryStatus.RETRYING
    delivery.refresh_from_db()
    assert delivery.error
    assert delivery.response_status is None


def _delivery(hook: Webhook) -> Delivery:
    from django.utils import timezone

    event = Event.objects.create(
        workspace=hook.workspace,
        type=EventType.INTERVIEW_SCHEDULED,
        body='{"type":"interview.scheduled"}',
        created_at=timezone.now(),
    )
    return Delivery.objects.create(webhook=hook, event=event, next_attempt_at=timezone.now())

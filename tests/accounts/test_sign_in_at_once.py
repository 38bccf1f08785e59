"""Sign-in against a real `heard serve`, many attempts at once (threads, real argon2).

Attempts are reserved before the password is checked, under a lock, so parallel guesses
cannot all slip in before the first failure is counted; password checks are capped per
process (argon2 takes about 100 MB each); behind a proxy, the client's address is the one
the trusted proxy saw, whatever the client wrote in X-Forwarded-For."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from heard.accounts.models import LoginFailure
from tests.support.server import HeardServer
from tests.support.signin import BUSY, NO_MATCH, PAUSED, SignInPage, argon2_user, at_once

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def serve() -> Iterator[object]:
    servers: list[HeardServer] = []

    def start(**env: str) -> HeardServer:
        server = HeardServer()
        server.env |= env
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def test_parallel_wrong_passwords_count_no_more_than_the_limit(serve):
    argon2_user("olivia@acme.example", "the right password 1")
    page = SignInPage(serve(HEARD_PASSWORD_CHECKS="12", HEARD_LOGIN_MAX_FAILURES="5"))
    answers = at_once([lambda: page.post("olivia@acme.example", "guess")] * 12)
    checked = [a for a in answers if a.status == 200 and NO_MATCH in a.text]
    paused = [a for a in answers if a.status == 429 and PAUSED in a.text]
    assert (len(checked), len(paused)) == (5, 7), [a.status for a in answers]
    assert LoginFailure.objects.filter(email="olivia@acme.example").count() == 5
    # The right password is paused too: the guesses spent the email's attempts.
    assert page.post("olivia@acme.example", "the right password 1").status == 429


def test_password_checks_beyond_the_cap_are_asked_to_come_back(serve):
    argon2_user("olivia@acme.example", "the right password 1")
    page = SignInPage(serve(HEARD_PASSWORD_CHECKS="1", HEARD_LOGIN_MAX_FAILURES="100"))
    posts = [lambda i=i: page.post(f"nobody{i}@acme.example", "guess") for i in range(16)]
    answers = at_once(posts)
    busy = [a for a in answers if a.status == 503]
    checked = [a for a in answers if a.status == 200]
    assert len(busy) + len(checked) == 16, [a.status for a in answers]
    assert busy, "sixteen argon2 checks at once on one place: some must be turned away"
    assert all(BUSY in a.text and a.retry_after == "2" for a in busy)
    assert all(NO_MATCH in a.text for a in checked)
    # An attempt turned away was not counted against anyone.
    assert LoginFailure.objects.count() == len(checked)
    assert page.post("olivia@acme.example", "the right password 1").status == 302


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(serve):
    argon2_user("olivia@acme.example", "the right password 1")
    page = SignInPage(
        serve(HEARD_BEHIND_PROXY="true", HEARD_LOGIN_MAX_FAILURES="1", HEARD_PASSWORD_CHECKS="4")
    )
    statuses = []
    for i in range(6):
        # The client makes up the first entry each time; the proxy (127.0.0.1) adds the
        # address it got the request from.
        forwarded = {"X-Forwarded-For": f"198.51.100.{i}, 203.0.113.7"}
        statuses.append(page.post(f"guess{i}@acme.example", "guess", forwarded).status)
    assert statuses == [200, 200, 200, 200, 429, 429]  # four failures per address
    assert set(LoginFailure.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}

"""A person's calendar address: made on their own page, shown once, kept only as a hash,
stopped or replaced; the feed answers 404 for any address that is not live, to anyone, and
needs no session."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from heard.accounts.models import User
from heard.interviews.calendar import services as calendar
from heard.interviews.models import CalendarFeed
from tests.support import factories
from tests.support.personas import Team

pytestmark = pytest.mark.django_db

PAGE = reverse("calendar:page")
CREATE = reverse("calendar:create")
STOP = reverse("calendar:stop")
ADDRESS = re.compile(r"https?://[^\s<\"]+/calendar/([A-Za-z0-9_-]+)\.ics")


def feed_url(token: str) -> str:
    return reverse("calendar:feed", kwargs={"token": token})


def make(client: Client, replaces: str = "") -> str:
    """Make an address on the page; its secret, as the page shows it."""
    response = client.post(CREATE, {"replaces": replaces})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    found = ADDRESS.search(response.content.decode())
    assert found, "the new address is on the page"
    return found.group(1)


def every_row() -> str:
    """Every row of every table of the database, sessions and tasks included, as text."""
    texts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            texts.append(repr(cursor.fetchall()))
    return "\n".join(texts)


def test_signed_out_visitors_are_sent_to_sign_in_but_the_feed_needs_no_session(team: Team):
    token = calendar.new_feed(team.owner, None)[1]
    visitor = Client()
    for address in (PAGE, CREATE, STOP):
        response = visitor.get(address) if address == PAGE else visitor.post(address)
        assert response.status_code == 302, address
        assert response.url.startswith(reverse("accounts:login")), address
    assert CalendarFeed.objects.count() == 1
    response = visitor.get(feed_url(token))
    assert response.status_code == 200
    assert not response.cookies


def test_the_address_is_shown_once_and_only_its_hash_is_kept(team: Team, owner_client: Client):
    page = owner_client.get(PAGE)
    assert page.status_code == 200
    assert b"Make my calendar address" in page.content
    token = make(owner_client)
    assert len(token) >= 43
    feed = CalendarFeed.objects.get(user=team.owner)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in every_row(), "no row holds the address, sessions included"
    assert Session.objects.exists()
    again = owner_client.get(PAGE).content.decode()
    assert token not in again
    assert token[: len(feed.hint)] in again  # the hint tells which address is live
    assert "Last fetched" in again
    assert "Not yet" in again
    assert Client().get(feed_url(token)).status_code == 200
    assert " ago)" in owner_client.get(PAGE).content.decode()


def test_stopping_the_address_makes_it_404(team: Team, owner_client: Client):
    token = make(owner_client)
    response = owner_client.post(STOP)
    assert response.status_code == 302
    assert Client().get(feed_url(token)).status_code == 404
    assert not CalendarFeed.objects.filter(user=team.owner).exists()
    assert b"No calendar address yet" in owner_client.get(PAGE).content


def test_a_new_address_stops_the_old_one(team: Team, owner_client: Client):
    old = make(owner_client)
    live = CalendarFeed.objects.get(user=team.owner)
    new = make(owner_client, replaces=str(live.pk))
    assert new != old
    assert Client().get(feed_url(old)).status_code == 404
    assert Client().get(feed_url(new)).status_code == 200
    assert CalendarFeed.objects.filter(user=team.owner).count() == 1


def test_the_form_sent_again_makes_no_second_address(team: Team, owner_client: Client):
    first = make(owner_client)
    # A reload of the answer sends the same form: it named no address to replace.
    response = owner_client.post(CREATE, {"replaces": ""})
    assert response.status_code == 302
    assert Client().get(feed_url(first)).status_code == 200
    assert CalendarFeed.objects.filter(user=team.owner).count() == 1
    assert b"shown only once" in owner_client.get(PAGE).content


def test_each_person_has_their_own_address(team: Team, owner_client: Client):
    owners = make(owner_client)
    teammates = make(team.client_for(team.teammate))
    assert owners != teammates
    assert CalendarFeed.objects.count() == 2
    make(owner_client, replaces=str(CalendarFeed.objects.get(user=team.owner).pk))
    assert Client().get(feed_url(teammates)).status_code == 200


@pytest.mark.parametrize(
    "token",
    [
        "unknown-address-of-forty-three-characters-xx",
        "x",
        "a" * 500,
        "..%2F..%2Fetc%2Fpasswd",
        "<script>alert(1)</script>",
        "%E2%80%AEevil",
    ],
)
def test_an_unknown_address_is_404(team: Team, token: str):
    calendar.new_feed(team.owner, None)
    response = Client().get(f"/calendar/{token}.ics")
    assert response.status_code == 404
    assert not response.cookies


def test_a_deactivated_accounts_address_is_404(team: Team):
    token = calendar.new_feed(team.owner, None)[1]
    User.objects.filter(pk=team.owner.pk).update(is_active=False)
    assert Client().get(feed_url(token)).status_code == 404


def test_the_feed_takes_only_get(team: Team):
    token = calendar.new_feed(team.owner, None)[1]
    assert Client().post(feed_url(token)).status_code == 405
    assert Client().post(feed_url("unknown")).status_code == 405
    assert Client().head(feed_url(token)).status_code == 200


def test_before_first_run_the_feed_answers_404_not_the_set_up_page(db: None):
    assert not User.objects.exists()
    response = Client().get(feed_url("anything"))
    assert response.status_code == 404
    assert Client().get(PAGE).status_code == 302


def test_the_account_page_leads_to_the_feed(team: Team, owner_client: Client):
    page = owner_client.get(reverse("accounts:password_change")).content.decode()
    assert f'href="{PAGE}"' in page
    assert "Set up your calendar feed" in page
    make(owner_client)
    page = owner_client.get(reverse("accounts:password_change")).content.decode()
    assert "Manage your calendar feed" in page
    assert "No calendar app has fetched it yet." in page


def test_a_user_with_no_workspace_gets_an_empty_feed(db: None):
    person = factories.user(name="Lone Person")
    client = Client()
    client.force_login(person)
    token = make(client)
    response = Client().get(feed_url(token))
    assert response.status_code == 200
    assert b"BEGIN:VEVENT" not in response.content


@pytest.mark.parametrize("value", ["²", "-1", "9" * 60, "<script>", "\x00", "1 OR 1=1"])
def test_a_hostile_form_is_refused_or_makes_one_address(
    team: Team, owner_client: Client, value: str
):
    make(owner_client)
    response = owner_client.post(CREATE, {"replaces": value})
    assert response.status_code == 302
    assert CalendarFeed.objects.filter(user=team.owner).count() == 1

"""Error pages: each has the site's header, says what happened in plain words and offers a way
back; the 500 page needs neither the database nor the request; a 404 says nothing about a
workspace the reader is not in."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path, reverse
from django.views.defaults import server_error

from heard.accounts.models import LoginFailure
from tests.support import factories
from tests.support.personas import Team
from tests.support.urls import url

pytestmark = pytest.mark.django_db


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


# The app's own addresses, and one whose view fails (this module is the URL map of one test).
urlpatterns = [path("broken/", broken), path("", include("heard.urls"))]


def assert_error_page(html: str, code: int) -> None:
    assert html.startswith("<!doctype html>")
    assert f"Error {code}" in html
    assert '<header class="topbar">' in html
    assert '<a class="brand" href="/">' in html
    assert 'href="/">Back to your workspaces</a>' in html
    assert "heard/heard.css" in html


def test_a_missing_page_in_ones_own_workspace(team: Team, owner_client: Client):
    response = owner_client.get(url("studies:detail", team, pk=999999))
    assert response.status_code == 404
    html = response.content.decode()
    assert_error_page(html, 404)
    assert "There is nothing at this address" in html


def test_an_outsiders_404_reveals_nothing_about_the_workspace(team: Team, outsider_client: Client):
    study = factories.study(team.workspace, title="Secret pricing study")
    theirs = outsider_client.get(url("studies:detail", team, pk=study.pk))
    nobodys = outsider_client.get(url("studies:detail", "no-such-workspace", pk=study.pk))
    assert theirs.status_code == nobodys.status_code == 404
    assert theirs.content == nobodys.content
    html = theirs.content.decode()
    assert_error_page(html, 404)
    for secret in (team.workspace.name, team.workspace.slug, study.title):
        assert secret not in html


def test_a_change_the_role_does_not_allow(team: Team, observer_client: Client):
    study = factories.study(team.workspace)
    response = observer_client.post(url("studies:edit", team, pk=study.pk), {"title": "New"})
    assert response.status_code == 403
    html = response.content.decode()
    assert_error_page(html, 403)
    assert "Your role (Observer) cannot do this." in html
    assert "Nothing was changed." in html


def test_an_expired_form(team: Team):
    client = Client(enforce_csrf_checks=True)
    client.force_login(team.owner)
    response = client.post(url("studies:create", team), {"title": "New"})
    assert response.status_code == 403
    html = response.content.decode()
    assert_error_page(html, 403)
    assert "This form has expired" in html
    assert "Nothing was saved." in html


def test_a_button_address_opened_as_a_page(team: Team, owner_client: Client, outsider_client):
    study = factories.study(team.workspace)
    address = url("reviews:start", team, study_pk=study.pk)
    response = owner_client.get(address)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    html = response.content.decode()
    assert_error_page(html, 405)
    assert "press it again" in html
    assert outsider_client.get(address).status_code == 404


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error(owner_client: Client):
    owner_client.raise_request_exception = False
    response = owner_client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert_error_page(html, 500)
    assert "Something went wrong on Heard's side" in html


def test_the_500_page_needs_no_database_and_no_request(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/anything/"))
    assert response.status_code == 500
    assert_error_page(response.content.decode(), 500)


@override_settings(HEARD_LOGIN_MAX_FAILURES=1, HEARD_LOGIN_LOCKOUT_MINUTES=15)
def test_paused_sign_in_says_for_how_long(client: Client):
    factories.user(email="sam@example.org")
    LoginFailure.objects.create(email="sam@example.org", ip_address="127.0.0.1")
    response = client.post(
        reverse("accounts:login"), {"email": "sam@example.org", "password": "guess"}
    )
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    html = response.content.decode()
    assert '<header class="topbar">' in html
    assert "Sign-in is paused for 15 minutes" in html
    assert "try again after that" in html

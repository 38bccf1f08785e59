from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from heard.accounts.models import LoginFailure, Membership, Role, SignInLink, User
from tests.support import factories

pytestmark = pytest.mark.django_db

SETUP = {
    "name": "Rita Researcher",
    "email": "Rita@Example.org",
    "password": "a long and unusual passphrase",
    "password_again": "a long and unusual passphrase",
    "workspace_name": "Rita's team",
}


def test_every_page_leads_to_first_run_setup_until_an_owner_exists(client: Client):
    for path in ("/", "/accounts/login/", "/w/anything/studies/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url == reverse("accounts:setup")


def test_first_run_creates_the_owner_and_a_workspace(client: Client):
    response = client.post(reverse("accounts:setup"), SETUP)
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "rita@example.org"
    assert user.check_password(SETUP["password"])
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.OWNER
    assert membership.workspace.name == "Rita's team"
    assert client.get("/").status_code == 302  # signed in, sent on to the workspace


def test_first_run_refuses_weak_or_mismatched_passwords(client: Client):
    weak = SETUP | {"password": "password", "password_again": "password"}
    response = client.post(reverse("accounts:setup"), weak)
    assert response.status_code == 200
    assert b"too common" in response.content or b"too short" in response.content
    differ = SETUP | {"password_again": "something else entirely"}
    response = client.post(reverse("accounts:setup"), differ)
    assert b"The two passwords differ." in response.content
    assert not User.objects.exists()


def test_setup_is_gone_once_an_account_exists(client: Client):
    factories.user()
    response = client.post(reverse("accounts:setup"), SETUP)
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert User.objects.count() == 1


def test_sign_in_by_email_any_case(client: Client):
    person = factories.user(email="sam@example.org")
    response = client.post(
        reverse("accounts:login"), {"email": "SAM@example.org", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_wrong_password_says_so_without_telling_which_part(client: Client):
    factories.user(email="sam@example.org")
    response = client.post(
        reverse("accounts:login"), {"email": "sam@example.org", "password": "nope"}
    )
    assert response.status_code == 200
    assert b"That email and password do not match an account." in response.content
    assert LoginFailure.objects.count() == 1


@override_settings(HEARD_LOGIN_MAX_FAILURES=3)
def test_sign_in_is_paused_after_too_many_failures(client: Client):
    factories.user(email="sam@example.org")
    for _ in range(3):
        client.post(reverse("accounts:login"), {"email": "sam@example.org", "password": "guess"})
    response = client.post(
        reverse("accounts:login"), {"email": "sam@example.org", "password": factories.PASSWORD}
    )
    assert response.status_code == 429
    assert b"Too many failed attempts" in response.content
    assert "_auth_user_id" not in client.session
    LoginFailure.objects.update(at=timezone.now() - timedelta(hours=1))
    response = client.post(
        reverse("accounts:login"), {"email": "sam@example.org", "password": factories.PASSWORD}
    )
    assert response.status_code == 302


def test_sign_in_does_not_redirect_off_site(client: Client):
    factories.user(email="sam@example.org")
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"email": "sam@example.org", "password": factories.PASSWORD},
    )
    assert response.url == reverse("site:home")


def test_sign_out_is_a_post(client: Client):
    client.force_login(factories.user())
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_password_change(client: Client):
    person = factories.user()
    client.force_login(person)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": "another long passphrase here",
            "new_password2": "another long passphrase here",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("another long passphrase here")


def test_one_time_sign_in_link_works_once(client: Client):
    person = factories.user()
    token = SignInLink.issue(person)
    url = reverse("accounts:sign_in_link", args=[token])
    assert client.get(url).status_code == 200  # a preview does not spend the link
    assert client.post(url).status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)
    other = Client()
    other.post(url)
    assert "_auth_user_id" not in other.session


def test_expired_sign_in_link_is_refused(client: Client):
    person = factories.user()
    token = SignInLink.issue(person)
    SignInLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.post(reverse("accounts:sign_in_link", args=[token]))
    assert "_auth_user_id" not in client.session


def test_pages_need_sign_in(client: Client):
    factories.user()
    response = client.get("/w/anything/studies/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_security_headers_and_csp_on_pages(client: Client):
    factories.user()
    response = client.get(reverse("accounts:login"))
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"'.encode() in response.content


def test_stylesheets_and_scripts_are_served(client: Client):
    for path in (
        "/static/heard/heard.css",
        "/static/heard/js/common.js",
        "/static/heard/js/sortable.js",
    ):
        response = client.get(path)
        assert response.status_code == 200, path

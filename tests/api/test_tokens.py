"""Tokens: shown once and kept hashed, letting in only while live and only as far as their
owner's role and their own; rate limited; made and revoked from the page and the command
line."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from heard.accounts.models import AuditAction, AuditEntry, Membership, Role
from heard.api import tokens
from heard.api.models import ApiToken
from tests.support import factories
from tests.support.api import ApiClient, token_client
from tests.support.personas import Team

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_and_kept_only_as_a_hash(team: Team):
    made = tokens.create(team.workspace, team.teammate, name="CRM sync")
    assert made.secret.startswith("heard_")
    assert len(made.secret) >= 40
    row = ApiToken.objects.get(pk=made.token.pk)
    stored = " ".join(str(value) for value in row.__dict__.values())
    assert made.secret not in stored
    assert made.secret[6:] not in stored
    assert ApiClient(made.secret).get("workspace").json()["slug"] == team.workspace.slug
    entry = AuditEntry.objects.get(action=AuditAction.TOKEN_CREATED)
    assert entry.actor == team.teammate
    assert made.secret not in str(entry.__dict__)


@pytest.mark.parametrize(
    "header",
    [
        "",
        "Bearer",
        "Bearer heard_",
        "Bearer nonsense",
        "Basic dXNlcjpwYXNz",
        "Bearer " + "x" * 5000,
    ],
)
def test_requests_without_a_good_token_get_401_in_json(team: Team, header: str):
    client = Client()
    response = client.get("/api/v1/studies", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_with_a_wrong_secret_but_a_known_prefix_is_refused(team: Team):
    made = tokens.create(team.workspace, team.owner, name="Mine")
    forged = made.secret[:14] + ("A" if made.secret[14] != "A" else "B") + made.secret[15:]
    assert ApiClient(forged).get("studies").status_code == 401


def test_revoked_expired_and_orphaned_tokens_stop_at_once(team: Team):
    revoked = tokens.create(team.workspace, team.teammate, name="A")
    expired = tokens.create(team.workspace, team.teammate, name="B", expires_in_days=1)
    left = tokens.create(team.workspace, team.teammate, name="C")
    inactive = tokens.create(team.workspace, team.owner, name="D")
    for made in (revoked, expired, left, inactive):
        assert ApiClient(made.secret).get("studies").status_code == 200
    tokens.revoke(revoked.token, team.teammate)
    ApiToken.objects.filter(pk=expired.token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert ApiClient(revoked.secret).get("studies").status_code == 401
    assert ApiClient(expired.secret).get("studies").status_code == 401
    Membership.objects.filter(user=team.teammate, workspace=team.workspace).delete()
    assert ApiClient(left.secret).get("studies").status_code == 401
    team.owner.is_active = False
    team.owner.save()
    assert ApiClient(inactive.secret).get("studies").status_code == 401


def test_a_token_never_has_a_higher_role_than_its_maker(team: Team):
    with pytest.raises(PermissionDenied, match="higher role"):
        tokens.create(team.workspace, team.teammate, name="X", role=Role.OWNER)
    with pytest.raises(PermissionDenied, match="member"):
        tokens.create(team.other_workspace, team.teammate, name="X")


def test_a_lower_role_and_read_only_hold_on_every_write(team: Team):
    study = factories.study(team.workspace)
    as_observer = token_client(team.workspace, team.teammate, role=Role.OBSERVER)
    read_only = token_client(team.workspace, team.owner, read_only=True)
    full = token_client(team.workspace, team.teammate)
    body = {"title": "Changed"}
    for client in (as_observer, read_only):
        assert client.get(f"studies/{study.pk}").status_code == 200
        response = client.patch(f"studies/{study.pk}", body)
        assert response.status_code == 403, response.content
        assert client.post("studies", {"title": "New", "goal": "G"}).status_code == 403
    assert (
        read_only.patch(f"studies/{study.pk}", body).json()["detail"] == "This token is read-only."
    )
    assert full.patch(f"studies/{study.pk}", body).status_code == 200


def test_a_token_follows_its_owners_role_down(team: Team):
    study = factories.study(team.workspace)
    client = token_client(team.workspace, team.teammate)
    assert client.patch(f"studies/{study.pk}", {"title": "One"}).status_code == 200
    Membership.objects.filter(user=team.teammate, workspace=team.workspace).update(
        role=Role.OBSERVER
    )
    assert client.patch(f"studies/{study.pk}", {"title": "Two"}).status_code == 403
    assert client.get("workspace").json()["role"] == "observer"


@override_settings(HEARD_API_REQUESTS_PER_MINUTE=3)
def test_each_token_is_rate_limited(team: Team):
    client = token_client(team.workspace, team.owner)
    other = token_client(team.workspace, team.owner)
    ApiToken.objects.update(rate_window=int(timezone.now().timestamp()) // 60)
    statuses = [client.get("studies").status_code for _ in range(4)]
    limited = client.get("studies")
    assert statuses == [200, 200, 200, 429]
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert "Too many requests" in limited.json()["detail"]
    assert other.get("studies").status_code == 200  # each token has its own count
    token = ApiToken.objects.order_by("pk").first()
    assert token is not None
    assert token.last_used_at is not None


def test_the_page_makes_shows_once_and_revokes(
    team: Team, teammate_client: Client, owner_client: Client, observer_client: Client
):
    url = reverse("api_tokens:list", kwargs={"ws": team.workspace.slug})
    page = teammate_client.get(url)
    assert page.status_code == 200
    roles = [value for value, _ in page.context["form"].fields["role"].choices]
    assert roles == ["researcher", "observer"]
    made = teammate_client.post(url, {"name": "Wiki", "role": "observer", "expires": "30"})
    assert made.status_code == 201
    assert made["Cache-Control"] == "no-store"
    secret = made.context["made"].secret
    assert secret in made.content.decode()
    assert secret not in teammate_client.get(url).content.decode()  # once
    assert ApiClient(secret).get("workspace").status_code == 200
    too_high = teammate_client.post(url, {"name": "Root", "role": "owner"})
    assert too_high.status_code == 200
    assert ApiToken.objects.count() == 1
    token = ApiToken.objects.get()
    revoke = reverse("api_tokens:revoke", kwargs={"ws": team.workspace.slug, "pk": token.pk})
    # Another member who is not an owner does not see it; an owner does.
    assert observer_client.post(revoke).status_code == 404
    assert token.shown not in observer_client.get(url).content.decode()
    assert token.shown in owner_client.get(url).content.decode()
    assert teammate_client.post(revoke).status_code == 302
    assert ApiClient(secret).get("workspace").status_code == 401
    assert AuditEntry.objects.filter(action=AuditAction.TOKEN_REVOKED).count() == 1


def test_the_command_line_makes_lists_and_revokes(team: Team):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "tokens",
        "create",
        "--user",
        team.teammate.email.upper(),
        "--workspace",
        team.workspace.slug,
        "--read-only",
        "--expires",
        "7",
        "--name",
        "Deploy",
        stdout=out,
        stderr=err,
    )
    secret = out.getvalue().strip()
    assert secret.startswith("heard_")
    assert "shown only now" in err.getvalue()
    client = ApiClient(secret)
    assert client.get("workspace").json() | {"url": ""} == {
        "slug": team.workspace.slug,
        "name": team.workspace.name,
        "role": "observer",
        "read_only": True,
        "url": "",
    }
    listing = io.StringIO()
    call_command("tokens", "list", "--workspace", team.workspace.slug, stdout=listing)
    assert secret[:14] in listing.getvalue()
    assert secret not in listing.getvalue()
    call_command("tokens", "revoke", "--workspace", team.workspace.slug, secret[:14], stderr=err)
    assert client.get("workspace").status_code == 401
    with pytest.raises(CommandError, match="revoked already"):
        call_command(
            "tokens", "revoke", "--workspace", team.workspace.slug, secret[:14], stderr=err
        )
    with pytest.raises(CommandError, match="higher role"):
        call_command(
            "tokens",
            "create",
            "--user",
            team.teammate.email,
            "--workspace",
            team.workspace.slug,
            "--role",
            "owner",
        )
    with pytest.raises(CommandError, match="No workspace"):
        call_command("tokens", "list", "--workspace", "nope")
    entry = AuditEntry.objects.filter(action=AuditAction.TOKEN_CREATED).get()
    assert entry.details.get("via") == "command line"

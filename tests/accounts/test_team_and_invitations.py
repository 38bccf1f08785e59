from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from heard.accounts.models import Invitation, Membership, Role, User
from tests.support import factories

pytestmark = pytest.mark.django_db


def invite(
    client: Client, ws: str, role: str = "researcher", email: str = "nina@example.org"
) -> str:
    client.post(reverse("accounts:invitation_create", args=[ws]), {"email": email, "role": role})
    page = client.get(reverse("accounts:team", args=[ws])).content.decode()
    match = re.search(r"http://[^\s<]*/invitations/([\w-]{20,})/", page)
    assert match, "the new link is shown once on the team page"
    return reverse("accounts:invitation", args=[match.group(1)])


def test_owner_invites_and_a_new_person_joins_with_that_role(team, owner_client):
    link = invite(owner_client, team.workspace.slug, "observer")
    newcomer = Client()
    response = newcomer.post(
        link,
        {
            "name": "Nina New",
            "email": "nina@example.org",
            "password": "a long and unusual passphrase",
            "password_again": "a long and unusual passphrase",
        },
    )
    assert response.status_code == 302
    nina = User.objects.get(email="nina@example.org")
    assert Membership.objects.get(user=nina, workspace=team.workspace).role == Role.OBSERVER


def test_the_link_is_shown_once(team, owner_client):
    invite(owner_client, team.workspace.slug)
    page = owner_client.get(reverse("accounts:team", args=[team.workspace.slug])).content.decode()
    assert not re.search(r"http://[^\s<]*/invitations/([\w-]{20,})/", page)


def test_an_invitation_works_once(team, owner_client, outsider_client):
    link = invite(owner_client, team.workspace.slug)
    assert outsider_client.post(link).status_code == 302
    second = Client()
    second.force_login(factories.user())
    response = second.post(link)
    assert response.status_code == 410
    assert b"has been used" in response.content
    assert Membership.objects.filter(workspace=team.workspace).count() == 4


def test_an_expired_or_revoked_invitation_is_refused(team, owner_client):
    link = invite(owner_client, team.workspace.slug)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert Client().get(link).status_code == 410
    link = invite(owner_client, team.workspace.slug)
    fresh = Invitation.objects.filter(revoked_at__isnull=True, used_at__isnull=True).latest("id")
    fresh.expires_at = timezone.now() + timedelta(days=1)
    fresh.save()
    owner_client.post(reverse("accounts:invitation_revoke", args=[team.workspace.slug, fresh.pk]))
    assert Client().get(link).status_code == 410


def test_a_made_up_token_is_refused():
    factories.user()
    response = Client().get(reverse("accounts:invitation", args=["made-up"]))
    assert response.status_code == 410


def test_only_owners_invite_and_change_roles(team, teammate_client, observer_client):
    ws = team.workspace.slug
    for client in (teammate_client, observer_client):
        response = client.post(reverse("accounts:invitation_create", args=[ws]), {"role": "owner"})
        assert response.status_code == 403
        membership = Membership.objects.get(user=team.teammate)
        response = client.post(
            reverse("accounts:member_role", args=[ws, membership.pk]), {"role": "owner"}
        )
        assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert Membership.objects.get(user=team.teammate).role == Role.RESEARCHER


def test_owner_changes_a_role_and_removes_a_member(team, owner_client):
    ws = team.workspace.slug
    membership = Membership.objects.get(user=team.teammate)
    owner_client.post(
        reverse("accounts:member_role", args=[ws, membership.pk]), {"role": "observer"}
    )
    membership.refresh_from_db()
    assert membership.role == Role.OBSERVER
    owner_client.post(reverse("accounts:member_remove", args=[ws, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_owner_stays_an_owner(team, owner_client):
    ws = team.workspace.slug
    membership = Membership.objects.get(user=team.owner, workspace=team.workspace)
    owner_client.post(
        reverse("accounts:member_role", args=[ws, membership.pk]), {"role": "observer"}
    )
    owner_client.post(reverse("accounts:member_remove", args=[ws, membership.pk]))
    membership.refresh_from_db()
    assert membership.role == Role.OWNER


def test_roles_are_an_enum_with_abilities():
    assert Role.OWNER.can_manage_members()
    assert Role.OWNER.can_edit()
    assert Role.RESEARCHER.can_edit()
    assert not Role.RESEARCHER.can_manage_members()
    assert not Role.OBSERVER.can_edit()
    assert Role.OBSERVER.can_view()


def test_a_member_creates_another_workspace(team, teammate_client):
    teammate_client.post(reverse("accounts:workspace_new"), {"name": "Side project"})
    membership = Membership.objects.get(user=team.teammate, workspace__name="Side project")
    assert membership.role == Role.OWNER

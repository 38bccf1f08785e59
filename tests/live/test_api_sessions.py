"""The live API reads a known session, its user, the interview and the role in one statement
(`interviews.access.open_for_session`): whatever ends a session or a membership still ends it
at once, on the very next save."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from heard.accounts import sessions
from heard.accounts.access import Need
from heard.accounts.models import Membership, Role
from heard.interviews.access import open_for_session
from heard.interviews.models import Note
from tests.support.live import note_data, post_json
from tests.support.urls import live_url

pytestmark = pytest.mark.django_db(transaction=True)


def save(client, interview):  # type: ignore[no-untyped-def]
    return post_json(client, live_url("live_note_save", interview), note_data())


def session_of(client) -> Session:  # type: ignore[no-untyped-def]
    return Session.objects.get(pk=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_a_known_session_is_read_with_the_interview_in_one_statement(
    team, teammate_client, interview
):
    assert save(teammate_client, interview).status_code == 200  # Django's way, then remembered
    request = RequestFactory().post("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = session_of(teammate_client).pk
    ws = interview.study.workspace.slug
    with CaptureQueriesContext(connection) as captured:
        found, user, role = open_for_session(request, ws, interview.pk, Need.EDIT)
    assert len(captured.captured_queries) == 1
    assert (found, found.status, found.guide_id) == (
        interview,
        interview.status,
        interview.guide_id,
    )
    assert (user, user.name, user.is_active, role) == (
        team.teammate,
        team.teammate.name,
        True,
        Role.RESEARCHER,
    )
    assert isinstance(found.created_at, datetime.datetime)
    assert found.created_at.tzinfo is not None


def test_a_session_seen_for_the_first_time_goes_djangos_way(teammate_client, interview):
    request = RequestFactory().post("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = session_of(teammate_client).pk
    ws = interview.study.workspace.slug
    assert open_for_session(request, ws, interview.pk, Need.EDIT) is None


@pytest.mark.parametrize(
    "ending",
    ["signed out", "expired", "password changed", "deactivated"],
)
def test_what_ends_a_session_ends_it_on_the_next_save(team, teammate_client, interview, ending):
    assert save(teammate_client, interview).status_code == 200
    session = session_of(teammate_client)
    if ending == "signed out":
        session.delete()
    elif ending == "expired":
        session.expire_date = timezone.now() - datetime.timedelta(seconds=1)
        session.save()
    elif ending == "password changed":
        team.teammate.set_password("a new passphrase for Tom")
        team.teammate.save()
    else:
        team.teammate.is_active = False
        team.teammate.save()
    response = save(teammate_client, interview)
    assert response.status_code == 401
    assert "sign in again" in response.json()["error"]


def test_a_session_is_whoever_its_row_names_now(team, teammate_client, interview):
    """The remembered user is only which row to read: a session row that names someone else
    (never made by Heard, checked all the same) is that person's, as Django would find."""
    assert save(teammate_client, interview).status_code == 200
    session = session_of(teammate_client)
    session.session_data = session_of(team.client_for(team.owner)).session_data
    session.save()
    response = save(teammate_client, interview)
    assert response.status_code == 200
    assert Note.objects.get(pk=response.json()["note"]["id"]).author == team.owner


def test_leaving_the_workspace_is_a_404_on_the_next_save(team, teammate_client, interview):
    assert save(teammate_client, interview).status_code == 200
    Membership.objects.filter(user=team.teammate).delete()
    assert save(teammate_client, interview).status_code == 404


def test_becoming_an_observer_is_a_403_on_the_next_save(team, teammate_client, interview):
    assert save(teammate_client, interview).status_code == 200
    Membership.objects.filter(user=team.teammate).update(role=Role.OBSERVER)
    assert save(teammate_client, interview).status_code == 403


def test_another_workspaces_interview_is_a_404(team, outsider_client, interview):
    from tests.support import factories

    theirs = factories.interview(factories.study(team.other_workspace))
    assert save(outsider_client, theirs).status_code == 200
    assert save(outsider_client, interview).status_code == 404
    url = live_url("live_note_save", interview).replace(
        interview.study.workspace.slug, team.other_workspace.slug
    )
    assert post_json(outsider_client, url, note_data()).status_code == 404


def test_the_remembered_keys_are_bounded(monkeypatch):
    monkeypatch.setattr(sessions, "REMEMBERED", 3)
    monkeypatch.setattr(sessions, "_users", type(sessions._users)())
    for n in range(5):
        sessions._remember(sessions._users, f"key{n}", n)
    assert list(sessions._users) == ["key2", "key3", "key4"]


def _outcome(check):  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    try:
        found = check()
    except Http404:
        return 404
    except PermissionDenied:
        return 403
    return None if found is None else (found[0].pk, found[-1])


@pytest.mark.parametrize("need", [Need.VIEW, Need.EDIT])
def test_the_one_statement_and_open_interview_agree_on_everyone(team, interview, need):
    """Two ways to one rule: for every person, interview and workspace named in the URL,
    `open_for_session` answers as `open_interview` does."""
    from heard.interviews.access import open_interview
    from tests.support import factories

    theirs = factories.interview(factories.study(team.other_workspace))
    slugs = [team.workspace.slug, team.other_workspace.slug, "no-such-workspace"]
    for user in (team.owner, team.teammate, team.observer, team.outsider):
        client = team.client_for(user)
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        request = RequestFactory().post("/")
        request.COOKIES[settings.SESSION_COOKIE_NAME] = key
        sessions._remember(sessions._users, key, user.pk)
        for pk in (interview.pk, theirs.pk, 10**9):
            for ws in slugs:
                usual = _outcome(lambda: open_interview(user, ws, pk, need))  # noqa: B023
                quick = _outcome(lambda: open_for_session(request, ws, pk, need))  # noqa: B023
                if quick is None:  # an interview not found: it leaves the answer to the usual way
                    assert usual == 404, (user, ws, pk)
                    continue
                assert quick == usual, (user, ws, pk)

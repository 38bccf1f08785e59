"""A write lock held longer than Heard waits (HEARD_DB_BUSY_TIMEOUT): 503 with Retry-After,
nothing half-written, and what was typed kept, ready to send again."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from heard.core.busy import RETRY_AFTER_SECONDS
from heard.interviews.models import Interview, LiveEvent, Note
from heard.studies.models import Study
from tests.support import factories
from tests.support.live import note_data, post_json
from tests.support.locks import busy_timeout, write_lock_held
from tests.support.personas import Team
from tests.support.urls import live_url, url

# Another connection holds the lock: the data must be committed for it to be there.
pytestmark = pytest.mark.django_db(transaction=True)

TYPED = {
    "title": "Pricing <b>pilot</b> for Zoë & co",
    "goal": "Learn whether teams\nwould pay “per seat”.\n=1+1",
    "decision": "",
    "status": "planning",
}


def hidden_fields(page: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', page):
        fields.setdefault(html.unescape(name), []).append(html.unescape(value))
    return fields


def test_a_form_sent_while_the_database_is_locked_is_kept_and_sent_again(team: Team):
    study = factories.study(team.workspace, title="Old title", goal="Old goal")
    client = Client(enforce_csrf_checks=True)
    client.force_login(team.owner)
    address = url("studies:edit", team, pk=study.pk)
    form_page = client.get(address)
    token = form_page.context["csrf_token"]

    with busy_timeout(0.3), write_lock_held(Study):
        response = client.post(
            address,
            TYPED | {"csrfmiddlewaretoken": str(token)},
            HTTP_REFERER="http://testserver" + address,
        )

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "Heard is busy: nothing was saved yet" in page
    # Every typed text is on the page, escaped, to read and copy.
    assert html.escape(TYPED["title"]) in page
    assert html.escape(TYPED["goal"]) in page
    assert "<b>pilot</b>" not in page
    # …and in a form that sends exactly it again, to the same address, with a valid token.
    assert f'<form method="post" action="{address}"' in page
    fields = hidden_fields(page)
    token_again = fields.pop("csrfmiddlewaretoken")
    assert fields == {name: [value] for name, value in TYPED.items()}
    assert f'href="{address}">Back to the form</a>' in page
    study.refresh_from_db()
    assert (study.title, study.goal) == ("Old title", "Old goal")  # nothing half-written

    again = client.post(
        address,
        {name: values[0] for name, values in fields.items()}
        | {"csrfmiddlewaretoken": token_again[0]},
    )
    assert again.status_code == 302
    study.refresh_from_db()
    assert (study.title, study.goal) == (TYPED["title"], TYPED["goal"])


def test_a_password_is_not_written_into_the_page(team: Team):
    client = team.client_for(team.owner)
    with busy_timeout(0.3), write_lock_held(Study):
        response = client.post(
            url("studies:create", team),
            TYPED | {"title": "New study", "password": "a long and unusual passphrase"},
        )
    assert response.status_code == 503
    page = response.content.decode()
    assert "a long and unusual passphrase" not in page
    assert "Passwords are not kept on a page" in page
    assert "New study" in page
    assert not Study.objects.filter(title="New study").exists()


def test_the_live_api_answers_busy_in_json_and_stores_nothing(team: Team):
    study = factories.study(team.workspace)
    interview = factories.interview(study, guide=factories.guide(study, questions=1))
    client = team.client_for(team.owner)
    data = note_data(text="They export every Monday.")
    with busy_timeout(0.3), write_lock_held(Interview, Note, LiveEvent):
        response = post_json(client, live_url("live_note_save", interview), data)
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "busy" in response.json()["error"]
    assert not Note.objects.exists()
    assert not LiveEvent.objects.filter(interview=interview).exists()
    # The screen's outbox sends it again, and it is stored once.
    assert post_json(client, live_url("live_note_save", interview), data).status_code == 200
    assert Note.objects.count() == 1


def test_a_password_change_while_every_password_check_is_taken_is_asked_to_come_back(
    team: Team, settings
):
    """Work Heard does a few at a time (argon2 hashes) answers like a busy database: 503
    with its own reason and Retry-After, nothing changed, and no password on the page."""
    from heard.accounts import hashers

    settings.HEARD_PASSWORD_CHECKS = 1
    # New passwords are hashed by Heard's argon2 hasher, as outside the tests.
    settings.PASSWORD_HASHERS = [
        "heard.accounts.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    hashers._places.cache_clear()
    client = team.client_for(team.owner)
    places = hashers._places()
    assert places.acquire(timeout=1)  # another request is checking a password
    try:
        response = client.post(
            "/accounts/password/",
            {
                "old_password": factories.PASSWORD,
                "new_password1": "a brand new passphrase",
                "new_password2": "a brand new passphrase",
            },
        )
    finally:
        places.release()
        hashers._places.cache_clear()
    assert response.status_code == 503
    assert response["Retry-After"] == str(hashers.RETRY_AFTER_SECONDS)
    page = response.content.decode()
    assert "checking other people&#x27;s passwords" in page
    assert "a brand new passphrase" not in page
    team.owner.refresh_from_db()
    assert not team.owner.check_password("a brand new passphrase")


def test_the_last_word_of_work_done_outside_waits_for_the_lock(team: Team):
    """`when_free` records what cannot be undone (a mail the server took) once the lock is let
    go, where a request would have answered 503."""
    import threading

    from heard.core.busy import when_free

    study = factories.study(team.workspace, title="Old title")
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with write_lock_held(Study):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    with busy_timeout(0.3):
        holder.start()
        assert held.wait(10)
        threading.Timer(1.5, release.set).start()
        changed = when_free(lambda: Study.objects.filter(pk=study.pk).update(title="New title"))
    holder.join()
    assert changed == 1
    study.refresh_from_db()
    assert study.title == "New title"

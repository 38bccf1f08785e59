"""Every form's POST, as the workspace's owner, with hostile values: never a 500, and a POST
that is refused (4xx, or the form again) changes no row.

The fields of each address come from the forms on Heard's own pages (every page of the URL
walker, read as the owner), so the values reach the code that reads them; each field gets a
value the page offers, hostile text, another workspace's id, several values, or nothing.
Every example is rolled back, so each starts from the same world.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from heard.interviews.models import Presence
from tests.support import factories
from tests.support.hostile import hostile_text
from tests.support.personas import Team
from tests.test_url_access import (
    POST_DATA,
    READ_ONLY,
    World,
    build_world,
    workspace_urls,
)

pytestmark = pytest.mark.django_db

# Not fuzzed here: signing in and out and first run (the sign-in form counts failures on
# purpose), links with tokens, and the live call's JSON API (tests/properties/test_live_api.py).
SKIPPED = {"accounts:login", "accounts:logout", "accounts:setup", "accounts:sign_in_link",
           "accounts:invitation"}  # fmt: skip
OWN_PAGES = {"accounts:password_change", "accounts:workspace_new"}


class Rollback(Exception):
    pass


def row_fingerprint() -> str:
    """Every row Heard keeps (sessions and presence aside), hashed."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.app_label in {"sessions", "contenttypes", "auth"} or model is Presence:
            continue
        digest.update(repr(list(model._default_manager.order_by("pk").values_list())).encode())
    return digest.hexdigest()


def forms_on(client: Client, pages: list[str]) -> dict[str, dict[str, list[str]]]:
    """For each address a form on these pages posts to: its fields and the values offered."""
    found: dict[str, dict[str, list[str]]] = {}
    for page in pages:
        response = client.get(page)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        document = lxml.html.fromstring(response.content)
        for form in document.forms:
            if (form.method or "GET").upper() != "POST":
                continue
            action = urlsplit(urljoin(page, form.get("action") or page)).path
            fields = found.setdefault(action, {})
            for element in form.inputs:
                name = element.get("name")
                if not name or name == "csrfmiddlewaretoken":
                    continue
                offered = fields.setdefault(name, [])
                if element.tag == "select":
                    offered += [
                        option.get("value", option.text or "") for option in element.iter("option")
                    ]
                elif element.get("value") is not None:
                    offered.append(element.get("value"))
                elif element.tag == "textarea":
                    offered.append(element.text or "")
    return found


def foreign_ids(team: Team) -> list[str]:
    """Ids of another workspace's objects, to send where our own are expected."""
    other = team.other_workspace
    study = factories.study(other)
    participant = factories.participant(other)
    guide = factories.guide(study)
    interview = factories.interview(study, participant, guide=guide)
    question = guide.sections.get().questions.first()
    return [str(obj.pk) for obj in (study, participant, guide, interview, question) if obj]


def values_for(offered: list[str], foreign: list[str]) -> st.SearchStrategy[object]:
    one = st.one_of(
        *([st.sampled_from(offered)] if offered else []),
        hostile_text,
        st.sampled_from(foreign),
    )
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


def addresses(world: World, team: Team) -> Iterator[tuple[str, str]]:
    for name, address in workspace_urls(world, team.workspace.slug):
        if name in READ_ONLY or name in SKIPPED or "live_" in name:
            continue
        yield name, address
    for name in sorted(OWN_PAGES):
        yield name, reverse(name)


@contextmanager
def rolled_back() -> Iterator[None]:
    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


def fuzz(
    client: Client, name: str, address: str, fields: dict[str, list[str]], foreign: list[str]
) -> None:
    """POST hostile values of `fields` to `address`, each example rolled back."""
    before = row_fingerprint()
    data = st.fixed_dictionaries(
        {}, optional={field: values_for(offered, foreign) for field, offered in fields.items()}
    )

    @settings(max_examples=4)  # times some 90 addresses: the suite stays within a minute
    @given(sent=data)
    # NUL reached a search (the schedule form's participant picker): PostgreSQL refused it.
    @example(sent=dict.fromkeys(fields, "\x00"))
    @example(sent=dict.fromkeys(fields, "x" * 70_000))
    # `next` that is not a path: redirect() read it as a view's name (500).
    @example(sent=dict.fromkeys(fields, '"><img src=x onerror=alert(1)>'))
    def post(sent: dict[str, object]) -> None:
        with rolled_back():
            response = client.post(address, sent)
            status = response.status_code
            assert status < 500, f"POST {name} {sent!r}: {status}"
            if status >= 400 or status == 200:
                assert row_fingerprint() == before, (
                    f"POST {name} {sent!r}: refused ({status}) but changed rows"
                )

    post()
    assert row_fingerprint() == before


def test_every_form_post_survives_hostile_values(team: Team, owner_client: Client):
    world = build_world(team)
    foreign = foreign_ids(team)
    # The live call's API reads in a thread of its own, which cannot see this test's rows.
    pages = [
        address
        for name, address in workspace_urls(world, team.workspace.slug)
        if "live_" not in name
    ]
    pages += [reverse(name) for name in OWN_PAGES]
    fields_of = forms_on(owner_client, pages)
    posted = []
    for name, address in addresses(world, team):
        assert resolve(address).url_name, name
        fields = fields_of.get(address) or {
            key: [value] for key, value in POST_DATA.items() if isinstance(value, str)
        }
        fuzz(owner_client, name, address, fields, foreign)
        posted.append(name)
    assert len(posted) > 60


def test_a_nul_in_a_search_is_a_bad_request_rather_than_a_failure(team: Team, owner_client: Client):
    """Found by the walker on PostgreSQL, which refuses a NUL even in a query: an address
    holding one is refused before any view (`core.bodylimit.BodyLimitMiddleware`)."""
    factories.participant(team.workspace, name="Ada")
    page = owner_client.get(
        reverse("participants:list", kwargs={"ws": team.workspace.slug}),
        {"q": "Ada\x00", "segment": "\x00"},
    )
    assert page.status_code == 400


def test_a_next_that_is_not_a_path_goes_to_the_default_page(team: Team, client: Client):
    """Found by the walker: `redirect()` read a `next` that is no path as a view's name."""
    team.owner.set_password("a long and unusual passphrase")
    team.owner.save()
    answer = client.post(
        reverse("accounts:login"),
        {"email": team.owner.email, "password": "a long and unusual passphrase", "next": "x"},
    )
    assert answer.status_code == 302
    assert answer.url == reverse("site:home")

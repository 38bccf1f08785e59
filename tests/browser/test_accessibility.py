"""axe-core over every page of the URL map, as the demo's owner, in a real Chromium.

The pages are found by following every link of the demo from the home page (the test client
does that quickly); axe then runs in Chromium on one address of each URL name, since axe judges
a template and a second address of the same name adds time, not findings. A form that no link
opens on a page of its own (it sits inline on another page) is opened with the arguments of a
page that takes the same ones. A page of the URL map reached neither way fails the test, unless
it is listed in NOT_PAGES with the reason. Any violation fails it, with the rule, the page and
the elements.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import deque
from dataclasses import dataclass
from os.path import commonpath
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from heard.demo.builder import build_demo_workspace
from heard.followups.services import create_draft
from heard.interviews.models import Interview, InterviewStatus
from heard.synthesis.matrix import exports as matrix_exports
from heard.webhooks import services as webhook_services
from tests.support.browser import ARTIFACTS, sign_in
from tests.support.media import stored_recording
from tests.support.webhooks import delivered_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_PAGES = {
    # Answers that are not HTML pages: downloads, the live call's JSON API and stream.
    "interviews:ics": "a calendar file",
    "interviews:customer_ics": "a calendar file",
    "interviews:live_state": "JSON",
    "interviews:live_events": "JSON",
    "interviews:live_stream": "an event stream",
    "summaries:markdown": "a Markdown file",
    "matrix:xlsx": "a workbook",
    "matrix:export_file": "a workbook made in the background",
    "interviews:guide_options": "the schedule form's guide select, which its script swaps in",
    "matrix:csv": "a CSV file",
    "coach:report_json": "a JSON file",
    "coach:study_json": "a JSON file",
    "participants:export": "a CSV file",
    "audit:csv": "a CSV file",
    "privacy:export": "a ZIP of everything held about a participant",
    "followups:eml": "a mail file",
    "participants:picker": "the participant picker's matches, swapped into the schedule form",
    "recordings:chunk": "a piece of an upload, sent by the uploader's script (JSON)",
    "recordings:play": "audio for the player",
    "recordings:list": "the recordings card's list, which its poll swaps in while a copy is made",
    "recordings:original": "the recording's file",
    "transcripts:download": "a transcript file (VTT, SRT, text, Word, JSON)",
    "transcripts:card": "the transcripts card, which its poll swaps in while one is made",
    # Pages a signed-in owner of a set-up Heard does not see.
    "site:home": "a person in one workspace is sent straight into it",
    "accounts:setup": "first run only; it sends everyone else away",
    "accounts:login": "it sends a signed-in person on",
    "accounts:logout": "an action: a POST",
    "accounts:sign_in_link": "needs a one-time token",
    "accounts:invitation": "needs an invitation token",
    "exchange:project": "a REFI-QDA project (a ZIP)",
    "exchange:codebook": "a REFI-QDA codebook (XML)",
    "calendar:feed": "a calendar file, at a secret address",
}
# The API answers a token's holder in JSON; its docs page is django-ninja's Swagger UI, the
# library's own page for trying the API out (tests/api/ checks that Heard serves it locally).
API = "api:"
SKIP_LINKS = re.compile(r"/stream/|/events/|\.(ics|md|xlsx|csv|eml|qdpx|qdc)$|/export/")
CSV = "Name,Email,Company\nAda Lovelace,ada@example.org,Analytical\n"


@dataclass(frozen=True)
class Route:
    path: str
    """The route as written, e.g. "w/<slug:ws>/guides/<int:guide_pk>/fields/<int:pk>/move/"."""
    arguments: frozenset[str]
    shows_a_page: bool
    """False for the actions that only take a POST (`post_only`, the call's `live_action`)."""


def url_map() -> dict[str, Route]:
    """Every named URL, as "namespace:name", with the arguments its address takes."""

    def walk(
        patterns: list[URLPattern | URLResolver],
        namespace: str,
        prefix: str,
        arguments: frozenset[str],
    ) -> dict[str, Route]:
        routes: dict[str, Route] = {}
        for entry in patterns:
            path = prefix + str(entry.pattern)
            here = arguments | set(getattr(entry.pattern, "converters", {}))
            if isinstance(entry, URLResolver):
                inner = f"{entry.namespace}:" if entry.namespace else namespace
                routes |= walk(entry.url_patterns, inner, path, here)
            elif entry.name:
                methods = getattr(entry.callback, "http_methods", ("GET",))
                routes[f"{namespace}{entry.name}"] = Route(path, here, "GET" in methods)
        return routes

    return walk(get_resolver().url_patterns, "", "", frozenset())


def name_of(address: str) -> str:
    return resolve(urlsplit(address).path).view_name


def one_page_per_name(client: Client, start: list[str]) -> dict[str, str]:
    """Follow every link of every page from the `start` pages; the first address of each URL
    name that answers with an HTML page."""
    found: dict[str, str] = {}
    seen: set[str] = set()
    queue = deque(start)
    while queue:
        address = queue.popleft()
        if address in seen or SKIP_LINKS.search(urlsplit(address).path):
            continue
        seen.add(address)
        response = client.get(address)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        if name_of(address) not in NOT_PAGES and not name_of(address).startswith(API):
            found.setdefault(name_of(address), address)
        for link in re.findall(r'(?:href|hx-get)="(/[^"#]*)"', response.content.decode()):
            if not link.startswith(("//", "/static/")):
                queue.append(link.replace("&amp;", "&"))
    return found


def beside(name: str, routes: dict[str, Route], pages: dict[str, str]) -> str | None:
    """An address for `name` made from the arguments of the reached page whose route takes the
    same ones and shares the longest beginning with its own (so the arguments name the same
    objects): `guides:field_move` from `guides:field_edit`, `guides:section_create` from
    `guides:detail`."""
    route = routes[name]
    alike = [
        (len(Path(commonpath([route.path, routes[reached].path])).parts), address)
        for reached, address in pages.items()
        if routes[reached].arguments == route.arguments
    ]
    if not alike:
        return None
    _shared, address = max(alike)
    return reverse(name, kwargs=resolve(urlsplit(address).path).kwargs)


def every_page(client: Client, start: list[str]) -> tuple[dict[str, str], set[str]]:
    """The address of each page to check, and the pages of the map not reached."""
    pages = one_page_per_name(client, start)
    routes = url_map()
    unreached = set()
    for name, route in routes.items():
        if name in pages or name in NOT_PAGES or name.startswith(API) or not route.shows_a_page:
            continue
        address = beside(name, routes, pages)
        response = client.get(address) if address else None
        if response is not None and response.status_code == 200:
            pages[name] = address  # type: ignore[assignment]
        elif response is None or response.status_code != 405:
            unreached.add(f"{name} ({address}: {response.status_code if response else None})")
    return pages, unreached


def test_every_page_passes_axe(live_server: LiveServer, page: Page) -> None:
    demo = build_demo_workspace()
    client = Client()
    client.force_login(demo.user)
    ws = demo.workspace.slug
    # What the demo has none of: an import under way (its column and preview steps), a
    # follow-up email still a draft (its edit page), a recording (its card and delete page).
    upload = SimpleUploadedFile("people.csv", CSV.encode(), content_type="text/csv")
    started = client.post(reverse("participants:import", kwargs={"ws": ws}), {"file": upload})
    assert started.status_code == 302, started.content
    interview = Interview.objects.filter(
        study__workspace=demo.workspace, status=InterviewStatus.DONE
    ).first()
    assert interview is not None
    create_draft(
        interview, demo.user, to_email="ada@example.org", subject="Thanks", body="Thank you."
    )
    stored_recording(interview, demo.user, Path(tempfile.mkdtemp()))
    # A large study's XLSX is made in the background (the demo's studies are small): its page.
    export = matrix_exports.start(
        interview.study, demo.user, query="", pseudonyms=False, base_url=live_server.url
    )
    export_page = reverse(
        "matrix:export", kwargs={"ws": ws, "pk": interview.study_id, "export_pk": export.pk}
    )
    # A webhook with a delivery in its log (the demo calls no other machine: it has none).
    delivered_to(
        webhook_services.create(
            demo.workspace,
            demo.user,
            url="https://93.184.216.34/hooks/heard",
            events=["interview.finished"],
        )
    )

    # A REFI-QDA project checked for import: its check page (the demo's own project).
    project = client.get(reverse("exchange:project", kwargs={"ws": ws, "pk": interview.study_id}))
    checked = client.post(
        reverse("exchange:import", kwargs={"ws": ws, "pk": interview.study_id}),
        {"file": SimpleUploadedFile("coded.qdpx", b"".join(project.streaming_content))},
    )
    assert checked.status_code == 302, checked.content

    pages, unreached = every_page(
        client, ["/", started["Location"], export_page, checked["Location"]]
    )
    assert unreached == set(), f"pages of the URL map no link of the demo reaches: {unreached}"

    sign_in(page.context, live_server.url, demo.user)
    axe = Axe()
    problems, details = [], {}
    for name, address in sorted(pages.items()):
        page.goto(live_server.url + address)
        violations = axe.run(page).response["violations"]
        for violation in violations:
            targets = [", ".join(node["target"]) for node in violation["nodes"]]
            problems.append(
                f"{address} ({name}): {violation['id']} on {len(targets)}: {targets[:4]}"
            )
        if violations:
            details[address] = violations
    if details:  # the whole of what axe found, for the person fixing it
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "axe-violations.json").write_text(json.dumps(details, indent=1))
    assert problems == [], "\n".join(problems)

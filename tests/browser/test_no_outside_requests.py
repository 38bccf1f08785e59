"""The demo's pages, in a real Chromium, ask nothing of another machine.

Every page of the demo workspace that a member reaches by its links (one address per page of
the URL map, found by following the links with the test client, as the accessibility test
does) is opened in Chromium on a real `heard serve`, and every request the page makes is
recorded (`page.on("request")`): its scripts, stylesheets, fonts, images and icons, what
its scripts fetch, the polls of its parts, the live screen's event stream. Each must go to
the server itself: no fonts, CDNs or analytics. A request for anywhere else is also stopped
before it leaves, so that a regression fails here instead of waiting on the network.
Chromium's own background traffic is switched off (`CHROMIUM_ARGS`) and is no page's.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import resolve
from playwright.sync_api import Page, Request

from heard.demo.builder import build_demo_workspace
from heard.interviews.models import Interview, InterviewStatus
from tests.support.browser import sign_in
from tests.support.crawl import crawl
from tests.support.media import stored_recording
from tests.support.server import HeardServer
from tests.support.urls import url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Downloads are no pages, and the live call's event stream never ends.
NOT_PAGES = re.compile(
    r"/live/stream/$|\.(ics|md|xlsx|csv|json|eml)$|/(export|original|play)/$|/download/"
)
# Addresses that reach no machine at all: what a page makes itself.
NO_MACHINE = ("data:", "blob:", "about:")
WEB_FONT = "https://fonts.googleapis.com/css2?family=Inter"


def one_address_per_page(client: Client, home: str) -> dict[str, str]:
    """The first address of each page of the URL map that the links from `home` reach."""
    reached = crawl(client, home, within=home, limit=600, skip=NOT_PAGES)
    pages: dict[str, str] = {}
    for address, answer in reached.items():
        if answer.page:
            pages.setdefault(resolve(urlsplit(address).path).view_name, address)
    return pages


def test_the_demo_pages_load_nothing_from_another_machine(
    heard_server: HeardServer, page: Page, tmp_path: Path
) -> None:
    demo = build_demo_workspace()
    held = Interview.objects.filter(
        study__workspace=demo.workspace, status=InterviewStatus.DONE
    ).first()
    assert held is not None
    stored_recording(held, demo.user, tmp_path)  # its card and player
    client = Client()
    client.force_login(demo.user)
    pages = one_address_per_page(client, url("site:workspace", demo.workspace))
    assert {"interviews:live", "transcripts:detail", "matrix:page", "search:page"} <= set(pages)

    here = heard_server.url + "/"
    asked: list[str] = []

    def record(request: Request) -> None:
        asked.append(request.url)

    page.on("request", record)
    page.context.route(lambda address: not address.startswith(here), lambda route: route.abort())
    sign_in(page.context, heard_server.url, demo.user)
    for address in sorted(pages.values()):
        answer = page.goto(heard_server.url + address)
        assert answer is not None, address
        assert answer.ok, address
    page.goto("about:blank")  # what the last page asked for while it was open is recorded

    outside = sorted({request for request in asked if not request.startswith((here, *NO_MACHINE))})
    assert outside == []
    loaded = {urlsplit(request).path for request in asked}
    assert any(path.endswith(".css") for path in loaded)
    assert any(path.endswith(".js") for path in loaded)
    assert any(path.endswith("/live/stream/") for path in loaded)
    # What a page asks of another machine is seen (and stopped): a web font, say.
    seen = len(asked)
    page.set_content(f'<link rel="stylesheet" href="{WEB_FONT}">')
    assert asked[seen:] == [WEB_FONT]

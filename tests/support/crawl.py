"""Clicking through a workspace with the test client: every link from a page, breadth first."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlsplit

from django.http import StreamingHttpResponse
from django.test import Client

LINK = re.compile(r'<a\b[^>]*?\shref="([^"]+)"')


def links_of(page: str, within: str) -> list[str]:
    """The addresses of the page's links (`<a href>`) under the path `within`, without their
    fragment."""
    found = []
    for href in LINK.findall(page):
        address = unescape(href).split("#", 1)[0]
        if address.startswith(within):
            found.append(address)
    return found


@dataclass(frozen=True)
class Reached:
    status: int
    page: bool  # an HTML page, not a download or a redirect


def crawl(
    client: Client, start: str, *, within: str, limit: int, skip: re.Pattern[str]
) -> dict[str, Reached]:
    """GET `start` and every address its links lead to under `within`, as a person clicking
    each link would, breadth first, `limit` addresses at most; a download is read to its end.
    Returns what each address answered; addresses whose path `skip` matches (an event stream
    that never ends) are not opened."""
    reached: dict[str, Reached] = {}
    queue = deque([start])
    while queue and len(reached) < limit:
        address = queue.popleft()
        if address in reached or skip.search(urlsplit(address).path):
            continue
        response = client.get(address)
        page = response.status_code == 200 and "html" in response.get("Content-Type", "")
        reached[address] = Reached(response.status_code, page)
        if isinstance(response, StreamingHttpResponse):
            b"".join(response.streaming_content)  # type: ignore[arg-type]
        elif page:
            queue.extend(links_of(response.content.decode(), within))
        elif response.status_code in (301, 302) and response["Location"].startswith(within):
            queue.append(response["Location"])
    return reached

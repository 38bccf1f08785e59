"""No template or static file of Heard makes a browser load anything from another machine.

A browser fetches by itself whatever a page refers to in order to show it: scripts,
stylesheets, fonts, images and icons, frames, audio and video, a CSS `@import` or `url()`, a
form's target once sent, a `<link>` of any kind (stylesheet, icon, preload, prefetch,
preconnect: rather than judge each, none may point elsewhere), and what a script fetches. So
every address of another machine (`https://…`, `wss://…`, `//host…`) written in a template or
a static file is refused, but for three kinds that make the browser fetch nothing:

- the `href` of an `<a>`: a link goes anywhere only when a person clicks it (documentation,
  the call's video link), and then it is their choice; nothing is fetched before;
- an `xmlns` namespace (`http://www.w3.org/2000/svg`): a name, never fetched;
- the names reserved for examples (RFC 2606 and 6761: `example.com`, `….example`,
  `….invalid`, `….test`), as in a placeholder that shows what to type: no machine answers.

Addresses a template makes as it renders (`{% static %}`, `{% url %}`, a value) are known only
then: the browser test (tests/browser/test_no_outside_requests.py) records what the pages
ask for. The `<script>` that django-htmx's `{% htmx_script %}` writes is in none of Heard's
files, so it is rendered here and read as they are.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.template import Context, Template

import heard

HEARD = Path(heard.__file__).resolve().parent

OUTSIDE = re.compile(
    r"(?:\b[a-z][a-z0-9+.-]*:)?//(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)+)[^\s\"'`<>()]*", re.I
)
# What stands before an address that is a link's target or a namespace's name.
LINK = re.compile(r"<a\b[^<>]*\shref=[\"']?$", re.I)
NAMESPACE = re.compile(r"\sxmlns(?::\w+)?=[\"']?$", re.I)
RESERVED = re.compile(r"(?:^|\.)(?:example\.(?:com|net|org)|example|invalid|test|localhost)$")


def loaded_from_outside(text: str) -> list[str]:
    """The addresses of other machines in `text` that a browser would fetch by itself."""
    found = []
    for match in OUTSIDE.finditer(text):
        before = text[text.rfind("<", 0, match.start()) : match.start()]
        is_link = LINK.search(before) or NAMESPACE.search(before)
        if not is_link and not RESERVED.search(match["host"].lower()):
            found.append(match.group(0))
    return found


def heard_files() -> list[Path]:
    templates = [path for path in HEARD.glob("**/templates/**/*") if path.is_file()]
    static = [path for path in (HEARD / "static").rglob("*") if path.is_file()]
    return sorted(templates + static)


def test_no_template_or_static_file_loads_from_another_machine() -> None:
    files = heard_files()
    kinds = {path.suffix for path in files}
    assert {".html", ".css", ".js", ".svg"} <= kinds
    assert len(files) > 150
    found = {
        str(path.relative_to(HEARD)): outside
        for path in files
        if (outside := loaded_from_outside(path.read_text()))
    }
    assert found == {}


def test_the_htmx_script_comes_from_heard_itself() -> None:
    tag = Template("{% load django_htmx %}{% htmx_script %}").render(Context({}))
    assert "<script" in tag
    assert "/static/" in tag
    assert loaded_from_outside(tag) == []


def test_the_check_finds_what_loads_and_lets_links_be() -> None:
    page = """
    <link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter">
    <link rel="preconnect" href="//cdn.jsdelivr.net">
    <script src="https://plausible.io/js/script.js" defer></script>
    <style>@import url(https://use.typekit.net/abc.css); body { background: url('//img.host.net/a.png') }</style>
    <script>fetch(`https://updates.heard.app/latest`)</script>
    <img srcset="https://gravatar.com/avatar/1 2x">
    <a href="https://docs.djangoproject.com/">Django's documentation</a>
    <a class="button" target="_blank" rel="noopener" href='https://meet.jit.si/heard'>Join</a>
    <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"></svg>
    <input placeholder="https://meet.example.com/abc-defg-hij">
    """
    assert loaded_from_outside(page) == [
        "https://fonts.googleapis.com/css2?family=Inter",
        "//cdn.jsdelivr.net",
        "https://plausible.io/js/script.js",
        "https://use.typekit.net/abc.css",
        "//img.host.net/a.png",
        "https://updates.heard.app/latest",
        "https://gravatar.com/avatar/1",
    ]

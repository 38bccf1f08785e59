"""The guide editor in a real Chromium: reordering by keyboard and by drag is saved."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.db import connections
from playwright.sync_api import BrowserContext, Page

from heard.guides import services
from heard.guides.models import Guide, Section
from tests.support import factories
from tests.support.browser import screenshot, sign_in
from tests.support.personas import Team
from tests.support.urls import url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor(context: BrowserContext, page: Page, live_server, team: Team) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    """The owner's browser, tall enough that a drag needs no scrolling (synthetic drags do not)."""
    sign_in(context, live_server.url, team.owner)
    page.set_viewport_size({"width": 1280, "height": 2000})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    # Queries made while Playwright's loop ran opened a connection of their own; close it,
    # or PostgreSQL refuses to drop the test database at the end.
    connections.close_all()
    assert not errors


@pytest.fixture
def template_guide(team: Team) -> Guide:
    return services.create_from_template(factories.study(team.workspace), title="Discovery")


def texts(section: Section) -> list[str]:
    return [q.text for q in section.questions.all()]


def test_arrow_down_on_a_question_handle_saves_the_new_order(
    editor, live_server, team, template_guide
):
    section = template_guide.sections.get(title="Pains and how they measure them")
    first, second, third = texts(section)
    editor.goto(live_server.url + url("guides:detail", team, pk=template_guide.pk))
    screenshot(editor, "guides-01-editor")
    question = section.questions.first()
    handle = editor.locator(f"#question-{question.pk} > .drag-handle")
    with editor.expect_response(lambda r: "/questions/reorder/" in r.url) as saved:
        handle.focus()
        editor.keyboard.press("ArrowDown")
    assert saved.value.ok
    assert texts(section) == [second, first, third]
    # Focus stays on the handle, so a second press moves it on.
    with editor.expect_response(lambda r: "/questions/reorder/" in r.url):
        editor.keyboard.press("ArrowDown")
    assert texts(section) == [second, third, first]
    assert editor.evaluate("document.activeElement.closest('li').id") == f"question-{question.pk}"


def test_arrow_up_on_a_section_handle_moves_the_section(editor, live_server, team, template_guide):
    titles = [s.title for s in template_guide.sections.all()]
    last = template_guide.sections.last()
    editor.goto(live_server.url + url("guides:detail", team, pk=template_guide.pk))
    with editor.expect_response(lambda r: "/sections/reorder/" in r.url):
        editor.locator(f"#section-{last.pk} > .drag-handle").focus()
        editor.keyboard.press("ArrowUp")
    assert [s.title for s in template_guide.sections.all()] == [*titles[:4], titles[5], titles[4]]


def test_dragging_a_profile_field_saves_the_new_order(editor, live_server, team, template_guide):
    first, second = list(template_guide.profile_fields.all())[:2]
    editor.goto(live_server.url + url("guides:detail", team, pk=template_guide.pk))
    target = editor.locator(f"#field-{second.pk}")
    box = target.bounding_box()
    assert box is not None
    with editor.expect_response(lambda r: "/fields/reorder/" in r.url):
        # Drop on the lower half of the second field: the first goes after it.
        editor.locator(f"#field-{first.pk} strong").drag_to(
            target, target_position={"x": 20, "y": box["height"] - 6}
        )
    assert list(template_guide.profile_fields.all())[:2] == [second, first]


def test_the_hard_copy_fits_one_a4_page(editor, live_server, team, template_guide):
    editor.goto(live_server.url + url("guides:print", team, pk=template_guide.pk))
    screenshot(editor, "guides-02-hard-copy")
    editor.emulate_media(media="print")
    # A4 less the browser's 10 mm margins, at 96 px per inch.
    editor.set_viewport_size({"width": round(190 / 25.4 * 96), "height": 1000})
    bottom = editor.evaluate("document.querySelector('main').getBoundingClientRect().bottom")
    assert bottom <= 277 / 25.4 * 96
    pdf = editor.pdf(
        format="A4", margin={side: "10mm" for side in ("top", "bottom", "left", "right")}
    )
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1

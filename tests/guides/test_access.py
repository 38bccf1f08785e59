"""Who may do what, beyond the URL walker (tests/test_url_access.py), which checks that
outsiders get 404 and observers change nothing: researchers open and change every page, the
move and reorder addresses take POST only, observers see no edit controls."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from heard.guides.models import Guide, ProfileField, Question, Section
from tests.support.urls import url

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Page:
    name: str
    kwargs: str  # which objects the URL names: study, guide, section, question, field
    writes: bool
    get: bool = True  # whether GET shows a page (the move and reorder views are POST-only)


PAGES = [
    Page("create", "study", writes=True),
    Page("copy", "study", writes=True),
    Page("detail", "guide", writes=False),
    Page("print", "guide", writes=False),
    Page("edit", "guide", writes=True),
    Page("delete", "guide", writes=True),
    Page("field_create", "guide", writes=True),
    Page("field_reorder", "guide", writes=True, get=False),
    Page("field_edit", "field", writes=True),
    Page("field_delete", "field", writes=True),
    Page("field_move", "field", writes=True, get=False),
    Page("section_create", "guide", writes=True),
    Page("section_reorder", "guide", writes=True, get=False),
    Page("section_edit", "section", writes=True),
    Page("section_delete", "section", writes=True),
    Page("section_move", "section", writes=True, get=False),
    Page("question_create", "section", writes=True),
    Page("question_reorder", "section", writes=True, get=False),
    Page("question_edit", "question", writes=True),
    Page("question_delete", "question", writes=True),
    Page("question_move", "question", writes=True, get=False),
]


def page_url(page: Page, team, study, guide) -> str:  # type: ignore[no-untyped-def]
    section = guide.sections.first()
    kwargs: dict[str, object] = {
        "study": {"study_pk": study.pk},
        "guide": {"pk": guide.pk},
        "section": {"guide_pk": guide.pk, "pk": section.pk},
        "question": {"guide_pk": guide.pk, "pk": section.questions.first().pk},
        "field": {"guide_pk": guide.pk, "pk": guide.profile_fields.first().pk},
    }[page.kwargs]
    return url(f"guides:{page.name}", team, **kwargs)


def snapshot(guide: Guide) -> list[object]:
    """Everything a write could change, to compare before and after."""
    return [
        list(Guide.objects.values_list("pk", "title", "interview_minutes", "updated_at")),
        list(Section.objects.values_list("pk", "title", "position")),
        list(Question.objects.values_list("pk", "section", "text", "position")),
        list(ProfileField.objects.values_list("pk", "label", "position")),
        list(Question.points.through.objects.values_list("pk")),
    ]


def hostile_post(page: Page, guide: Guide) -> dict[str, object]:
    """A plausible, valid submission for each form, which changes something."""
    section = guide.sections.first()
    assert section is not None
    items = {
        "field_reorder": guide.profile_fields.all(),
        "question_reorder": section.questions.all(),
    }.get(page.name, guide.sections.all())
    return {
        "title": "Changed",
        "interview_minutes": 60,
        "team_reserve_minutes": 5,
        "customer_reserve_minutes": 5,
        "start_from": "blank",
        "source": guide.pk,
        "label": "Changed",
        "purpose": "",
        "section": section.pk,
        "text": "Changed?",
        "priority": "must",
        "minutes": 2,
        "direction": "down",
        "order": list(reversed(items.values_list("pk", flat=True))),
    }


@pytest.mark.parametrize(
    "page", [p for p in PAGES if not p.get], ids=[p.name for p in PAGES if not p.get]
)
def test_move_and_reorder_refuse_get_for_members(page, team, owner_client, study, guide):
    assert owner_client.get(page_url(page, team, study, guide)).status_code == 405


@pytest.mark.parametrize("name", ["detail", "print"])
def test_observer_reads_and_prints_without_edit_controls(name, team, observer_client, guide):
    response = observer_client.get(url(f"guides:{name}", team, pk=guide.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Purpose and intros" in content
    assert "drag-handle" not in content
    assert "data-reorder-url" not in content
    assert url("guides:edit", team, pk=guide.pk) not in content
    assert "Add a question" not in content


@pytest.mark.parametrize("page", [p for p in PAGES if p.get], ids=[p.name for p in PAGES if p.get])
def test_teammate_opens_every_page(page, team, teammate_client, study, guide):
    assert teammate_client.get(page_url(page, team, study, guide)).status_code == 200


@pytest.mark.parametrize(
    "page", [p for p in PAGES if p.writes], ids=[p.name for p in PAGES if p.writes]
)
def test_teammate_may_write(page, team, teammate_client, study, guide):
    before = snapshot(guide)
    response = teammate_client.post(page_url(page, team, study, guide), hostile_post(page, guide))
    assert response.status_code == (200 if page.name.endswith("reorder") else 302)
    assert snapshot(guide) != before

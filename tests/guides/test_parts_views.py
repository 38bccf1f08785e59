"""Profile fields, sections and questions of a guide: add, edit, delete, move and reorder."""

from __future__ import annotations

import re

import pytest

from heard.guides.models import ProfileField, Question, Section
from tests.support import factories
from tests.support.text import read
from tests.support.urls import url

pytestmark = pytest.mark.django_db


def question_fields(section: Section, **overrides: object) -> dict[str, object]:
    return {
        "section": section.pk,
        "text": "How do you measure efficiency?",
        "priority": "must",
        "minutes": 4,
        "follow_ups": "What is the KPI?\nWho looks at it?",
    } | overrides


# Sections


def test_sections_are_added_at_the_end(team, owner_client, guide):
    response = owner_client.post(
        url("guides:section_create", team, pk=guide.pk),
        {"title": "Pricing", "purpose": "Their budget"},
    )
    section = guide.sections.last()
    assert section is not None
    assert response.url == url("guides:detail", team, pk=guide.pk) + f"#section-{section.pk}"
    assert (section.title, section.purpose, section.position) == ("Pricing", "Their budget", 6)


def test_a_section_needs_a_title(team, owner_client, guide):
    response = owner_client.post(url("guides:section_create", team, pk=guide.pk), {"title": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert guide.sections.count() == 6


def test_section_edit_and_delete_with_its_questions(team, owner_client, guide):
    section = guide.sections.first()
    assert section is not None
    assert (
        owner_client.get(
            url("guides:section_edit", team, guide_pk=guide.pk, pk=section.pk)
        ).status_code
        == 200
    )
    owner_client.post(
        url("guides:section_edit", team, guide_pk=guide.pk, pk=section.pk),
        {"title": "Kickoff", "purpose": ""},
    )
    section.refresh_from_db()
    assert section.title == "Kickoff"
    page = owner_client.get(url("guides:section_delete", team, guide_pk=guide.pk, pk=section.pk))
    assert "Its 3 questions will be deleted too" in page.content.decode()
    owner_client.post(url("guides:section_delete", team, guide_pk=guide.pk, pk=section.pk))
    assert not Section.objects.filter(pk=section.pk).exists()
    assert Question.objects.filter(section__guide=guide).count() == 12


def test_sections_move_without_javascript_and_reorder(team, owner_client, guide):
    ids = list(guide.sections.values_list("pk", flat=True))
    owner_client.post(
        url("guides:section_move", team, guide_pk=guide.pk, pk=ids[0]), {"direction": "down"}
    )
    assert list(guide.sections.values_list("pk", flat=True))[:2] == [ids[1], ids[0]]
    response = owner_client.post(
        url("guides:section_reorder", team, pk=guide.pk), {"order": list(reversed(ids))}
    )
    assert response.status_code == 200
    assert list(guide.sections.values_list("pk", flat=True)) == list(reversed(ids))


def test_a_section_order_naming_another_guides_section_is_refused(team, owner_client, study, guide):
    other = factories.guide(study, "Other")
    ids = list(guide.sections.values_list("pk", flat=True))
    before = list(ids)
    response = owner_client.post(
        url("guides:section_reorder", team, pk=guide.pk),
        {"order": [*ids[1:], other.sections.get().pk]},
    )
    assert response.status_code == 400
    assert "reload the page" in response.json()["error"]
    assert list(guide.sections.values_list("pk", flat=True)) == before


def test_a_malformed_order_is_refused(team, owner_client, guide):
    response = owner_client.post(url("guides:section_reorder", team, pk=guide.pk), {"order": ["x"]})
    assert response.status_code == 400
    assert owner_client.get(url("guides:section_reorder", team, pk=guide.pk)).status_code == 405


# Questions


def test_question_form_offers_only_this_studys_points_and_this_guides_sections(
    team, owner_client, study, guide
):
    factories.point(study, "Ours")
    factories.point(factories.study(team.workspace), "Another study's point")
    factories.guide(study, "Other guide")
    section = guide.sections.first()
    assert section is not None
    content = owner_client.get(
        url("guides:question_create", team, guide_pk=guide.pk, pk=section.pk)
    ).content.decode()
    assert "VP1: Ours" in read(content)
    assert "Another study" not in content
    sections = re.search(r'<select name="section".*?</select>', content, re.DOTALL)
    assert sections is not None
    assert sections.group().count("<option") == 6
    assert ">Context<" not in sections.group()
    assert '<legend dir="auto">Validation points it serves</legend>' in content


def test_question_form_explains_when_the_study_has_no_points(team, owner_client, guide):
    section = guide.sections.first()
    assert section is not None
    content = owner_client.get(
        url("guides:question_create", team, guide_pk=guide.pk, pk=section.pk)
    ).content.decode()
    assert "This study has no validation points yet" in content


def test_owner_adds_a_question_linked_to_points(team, owner_client, study, guide):
    point = factories.point(study, "Efficiency is measured")
    section = guide.sections.get(title="Pains and how they measure them")
    response = owner_client.post(
        url("guides:question_create", team, guide_pk=guide.pk, pk=section.pk),
        question_fields(section, points=[point.pk]),
    )
    question = section.questions.last()
    assert question is not None
    assert response.url.endswith(f"#question-{question.pk}")
    assert (question.text, question.priority, question.minutes, question.position) == (
        "How do you measure efficiency?",
        "must",
        4,
        3,
    )
    assert question.follow_up_list == ["What is the KPI?", "Who looks at it?"]
    assert list(question.points.all()) == [point]


def test_a_question_the_kickoff_answers_is_marked_so_in_the_editor(team, owner_client, guide):
    section = guide.sections.get(title="Purpose and intros")
    form = owner_client.get(url("guides:question_create", team, guide_pk=guide.pk, pk=section.pk))
    assert b"The consent to record, asked at the kickoff" in form.content
    owner_client.post(
        url("guides:question_create", team, guide_pk=guide.pk, pk=section.pk),
        question_fields(section, text="Is it all right if we record?", answered_by="consent"),
    )
    assert section.questions.get(text="Is it all right if we record?").answered_by == "consent"
    bad = owner_client.post(
        url("guides:question_create", team, guide_pk=guide.pk, pk=section.pk),
        question_fields(section, text="Recorded?", answered_by="telepathy"),
    )
    assert bad.status_code == 200
    assert not section.questions.filter(text="Recorded?").exists()


def test_a_question_cannot_serve_another_studys_point(team, owner_client, guide):
    foreign = factories.point(factories.study(team.workspace), "Elsewhere")
    section = guide.sections.first()
    assert section is not None
    response = owner_client.post(
        url("guides:question_create", team, guide_pk=guide.pk, pk=section.pk),
        question_fields(section, points=[foreign.pk]),
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert section.questions.count() == 3


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": ""}, "This field is required."),
        ({"text": "x" * 601}, "at most 600 characters"),
        ({"minutes": 61}, "less than or equal to 60"),
        ({"minutes": -2}, "greater than or equal to 0"),
        ({"priority": "urgent"}, "Select a valid choice."),
    ],
)
def test_bad_question_input_is_refused_with_a_message(
    team, owner_client, guide, overrides, message
):
    section = guide.sections.first()
    assert section is not None
    response = owner_client.post(
        url("guides:question_create", team, guide_pk=guide.pk, pk=section.pk),
        question_fields(section, **overrides),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert section.questions.count() == 3


def test_a_question_is_edited_and_moved_to_another_section(team, owner_client, study, guide):
    point = factories.point(study, "P")
    first, second = guide.sections.all()[:2]
    question = first.questions.first()
    assert question is not None
    response = owner_client.post(
        url("guides:question_edit", team, guide_pk=guide.pk, pk=question.pk),
        question_fields(second, text="Edited?", points=[point.pk]),
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.section, question.text, question.position) == (second, "Edited?", 2)
    assert list(question.points.all()) == [point]
    assert first.questions.count() == 2


def test_a_question_cannot_move_to_another_guides_section(team, owner_client, study, guide):
    other_section = factories.guide(study, "Other").sections.get()
    question = Question.objects.filter(section__guide=guide).first()
    assert question is not None
    response = owner_client.post(
        url("guides:question_edit", team, guide_pk=guide.pk, pk=question.pk),
        question_fields(other_section),
    )
    assert response.status_code == 200
    question.refresh_from_db()
    assert question.section.guide == guide


def test_question_delete(team, owner_client, guide):
    question = Question.objects.filter(section__guide=guide).first()
    assert question is not None
    page = owner_client.get(url("guides:question_delete", team, guide_pk=guide.pk, pk=question.pk))
    assert "Delete this question?" in page.content.decode()
    owner_client.post(url("guides:question_delete", team, guide_pk=guide.pk, pk=question.pk))
    assert not Question.objects.filter(pk=question.pk).exists()


def test_questions_move_without_javascript_and_reorder_within_their_section(
    team, owner_client, guide
):
    section = guide.sections.first()
    assert section is not None
    a, b, c = section.questions.all()
    owner_client.post(
        url("guides:question_move", team, guide_pk=guide.pk, pk=c.pk), {"direction": "up"}
    )
    assert list(section.questions.all()) == [a, c, b]
    response = owner_client.post(
        url("guides:question_reorder", team, guide_pk=guide.pk, pk=section.pk),
        {"order": f"{b.pk},{a.pk},{c.pk}"},
    )
    assert response.status_code == 200
    assert list(section.questions.all()) == [b, a, c]


def test_a_question_order_naming_another_sections_question_is_refused(team, owner_client, guide):
    first, second = guide.sections.all()[:2]
    before = list(first.questions.all())
    stranger = second.questions.first()
    assert stranger is not None
    response = owner_client.post(
        url("guides:question_reorder", team, guide_pk=guide.pk, pk=first.pk),
        {"order": [q.pk for q in before[1:]] + [stranger.pk]},
    )
    assert response.status_code == 400
    assert list(first.questions.all()) == before
    assert stranger.section == second


def test_a_question_order_for_another_guides_section_is_not_found(team, owner_client, study, guide):
    other_section = factories.guide(study, "Other").sections.get()
    response = owner_client.post(
        url("guides:question_reorder", team, guide_pk=guide.pk, pk=other_section.pk),
        {"order": list(other_section.questions.values_list("pk", flat=True))},
    )
    assert response.status_code == 404


# Customer-profile fields


def test_profile_fields_are_added_edited_and_deleted(team, owner_client, guide):
    response = owner_client.post(
        url("guides:field_create", team, pk=guide.pk), {"label": "Team size", "help_text": "People"}
    )
    assert response.url.endswith("#profile")
    field = guide.profile_fields.last()
    assert field is not None
    assert (field.label, field.key, field.position) == ("Team size", "team_size", 5)
    owner_client.post(
        url("guides:field_edit", team, guide_pk=guide.pk, pk=field.pk),
        {"label": "Size of the team", "help_text": ""},
    )
    field.refresh_from_db()
    # The key is kept: participants' values are stored under it.
    assert (field.label, field.key) == ("Size of the team", "team_size")
    owner_client.post(url("guides:field_delete", team, guide_pk=guide.pk, pk=field.pk))
    assert not ProfileField.objects.filter(pk=field.pk).exists()


def test_profile_fields_move_and_reorder(team, owner_client, study, guide):
    ids = list(guide.profile_fields.values_list("pk", flat=True))
    owner_client.post(
        url("guides:field_move", team, guide_pk=guide.pk, pk=ids[1]), {"direction": "up"}
    )
    assert list(guide.profile_fields.values_list("pk", flat=True))[:2] == [ids[1], ids[0]]
    response = owner_client.post(
        url("guides:field_reorder", team, pk=guide.pk), {"order": ids[::-1]}
    )
    assert response.status_code == 200
    assert list(guide.profile_fields.values_list("pk", flat=True)) == ids[::-1]
    other = ProfileField.objects.create(guide=factories.guide(study, "Other"), label="X", key="x")
    response = owner_client.post(
        url("guides:field_reorder", team, pk=guide.pk), {"order": [*ids[1:], other.pk]}
    )
    assert response.status_code == 400
    assert list(guide.profile_fields.values_list("pk", flat=True)) == ids[::-1]

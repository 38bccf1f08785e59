from __future__ import annotations

import pytest

from heard.studies.models import Study, ValidationPoint
from tests.support import factories
from tests.support.urls import url

pytestmark = pytest.mark.django_db


def test_owner_creates_a_study_and_lands_on_it(team, owner_client):
    response = owner_client.post(
        url("studies:create", team),
        {"title": "Reports", "goal": "Why are reports slow?", "decision": "", "status": "planning"},
    )
    study = Study.objects.get(title="Reports")
    assert response.status_code == 302
    assert response.url == url("studies:detail", team, pk=study.pk)
    assert study.workspace == team.workspace


def test_a_study_needs_a_title_and_a_goal(team, owner_client):
    response = owner_client.post(
        url("studies:create", team), {"title": "", "goal": "", "status": "planning"}
    )
    assert response.status_code == 200
    assert b"This field is required." in response.content
    assert not Study.objects.exists()


def test_teammate_sees_the_study_list_with_counts(team, teammate_client):
    study = factories.study(team.workspace, title="Pricing study")
    factories.point(study)
    response = teammate_client.get(url("studies:list", team))
    assert b"Pricing study" in response.content


def test_study_text_is_shown_as_text_not_html(team, owner_client):
    study = factories.study(team.workspace, title="<script>alert(1)</script>", goal="<b>bold</b>")
    response = owner_client.get(url("studies:detail", team, pk=study.pk))
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content
    assert b"&lt;b&gt;bold&lt;/b&gt;" in response.content


def test_points_are_added_in_order_and_reordered(team, owner_client):
    study = factories.study(team.workspace)
    for statement in ("First", "Second", "Third"):
        owner_client.post(
            url("studies:point_create", team, pk=study.pk),
            {
                "statement": statement,
                "kind": "hypothesis",
                "priority": 2,
                "confirm_if": "",
                "refute_if": "",
            },
        )
    ids = list(study.points.values_list("pk", flat=True))
    assert [p.statement for p in study.points.all()] == ["First", "Second", "Third"]
    response = owner_client.post(
        url("studies:point_reorder", team, pk=study.pk), {"order": [ids[2], ids[0], ids[1]]}
    )
    assert response.status_code == 200
    assert [p.statement for p in study.points.all()] == ["Third", "First", "Second"]


def test_reorder_that_leaves_out_a_point_is_refused(team, owner_client):
    study = factories.study(team.workspace)
    a, b = factories.point(study, "A", 0), factories.point(study, "B", 1)
    response = owner_client.post(url("studies:point_reorder", team, pk=study.pk), {"order": [b.pk]})
    assert response.status_code == 400
    assert [p.pk for p in study.points.all()] == [a.pk, b.pk]


def test_move_down_without_javascript(team, owner_client):
    study = factories.study(team.workspace)
    a, b = factories.point(study, "A", 0), factories.point(study, "B", 1)
    owner_client.post(
        url("studies:point_move", team, study_pk=study.pk, pk=a.pk), {"direction": "down"}
    )
    assert [p.pk for p in study.points.all()] == [b.pk, a.pk]


def test_point_edit_and_delete(team, owner_client):
    study = factories.study(team.workspace)
    p = factories.point(study, "Old")
    owner_client.post(
        url("studies:point_edit", team, study_pk=study.pk, pk=p.pk),
        {
            "statement": "New",
            "kind": "question",
            "priority": 1,
            "confirm_if": "x",
            "refute_if": "y",
        },
    )
    p.refresh_from_db()
    assert (p.statement, p.kind, p.priority) == ("New", "question", 1)
    owner_client.post(url("studies:point_delete", team, study_pk=study.pk, pk=p.pk))
    assert not ValidationPoint.objects.exists()


def test_a_study_with_interviews_is_not_deleted(team, owner_client):
    study = factories.study(team.workspace)
    factories.interview(study)
    owner_client.post(url("studies:delete", team, pk=study.pk))
    assert Study.objects.filter(pk=study.pk).exists()


def test_list_query_count_does_not_grow_with_rows(
    team, owner_client, django_assert_max_num_queries
):
    for i in range(3):
        factories.study(team.workspace, title=f"S{i}")
    with django_assert_max_num_queries(12) as few:
        response = owner_client.get(url("studies:list", team))
    assert response.status_code == 200
    assert b"S2" in response.content
    for i in range(30):
        factories.study(team.workspace, title=f"T{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = owner_client.get(url("studies:list", team))
    assert response.status_code == 200
    assert b"T29" in response.content

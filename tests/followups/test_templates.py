"""Workspace templates: a built-in one faithful to the method, fields checked when saved."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from heard.core.merge_fields import MalformedTemplate, field_names, fill
from heard.followups.models import DEFAULT_NAME, FollowUpTemplate
from heard.followups.services import templates_for, templates_to_read
from tests.support import factories
from tests.support.personas import Team
from tests.support.urls import url

pytestmark = pytest.mark.django_db


def template_data(**overrides: str) -> dict[str, str]:
    return {
        "name": "Short thanks",
        "subject": "Thanks, {first_name}",
        "body": "Thank you for {study_topic}, {first_name}. May we ask more?\n{interviewer}",
    } | overrides


def test_every_workspace_gets_the_built_in_template_on_first_use(team: Team):
    [template] = templates_for(team.workspace)
    assert template.name == DEFAULT_NAME
    body = template.body
    # The method: thanks for the time, a line on what was learned, may we ask more.
    assert "Thank you for taking the time" in body
    assert "{highlight}" in body
    assert "reached out with a few more" in body
    assert templates_for(team.workspace) == [template]  # made once
    assert templates_for(factories.workspace()) != [template]  # each workspace its own


def test_the_template_page_lists_templates_and_fields(team: Team, observer_client: Client):
    page = observer_client.get(url("followups:templates", team))
    assert page.status_code == 200
    text = page.content.decode()
    assert DEFAULT_NAME in text
    assert "{interview_date}" in text
    assert url("followups:template_create", team) not in text  # observers read only


def test_an_observer_reading_the_templates_writes_nothing(team: Team, observer_client: Client):
    with CaptureQueriesContext(connection) as queries:
        page = observer_client.get(url("followups:templates", team))
    assert page.status_code == 200
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert not FollowUpTemplate.objects.exists()
    text = page.content.decode()
    # The built-in template, as it would be, without edit links to a template not saved.
    assert DEFAULT_NAME in text
    assert "Thank you for taking the time" in text
    assert "/follow-up-templates/None/" not in text
    assert [t.pk for t in templates_to_read(team.workspace)] == [None]


def test_someone_who_may_edit_gets_the_built_in_template_saved(team: Team, teammate_client: Client):
    page = teammate_client.get(url("followups:templates", team))
    [template] = FollowUpTemplate.objects.filter(workspace=team.workspace)
    assert template.name == DEFAULT_NAME
    assert url("followups:template_edit", team, pk=template.pk) in page.content.decode()
    assert templates_to_read(team.workspace) == [template]


def test_a_researcher_adds_and_changes_a_template(team: Team, teammate_client: Client):
    response = teammate_client.post(url("followups:template_create", team), template_data())
    assert response.url == url("followups:templates", team)
    template = FollowUpTemplate.objects.get(name="Short thanks")
    assert template.workspace == team.workspace
    teammate_client.post(
        url("followups:template_edit", team, pk=template.pk),
        template_data(subject="Merci {first_name}"),
    )
    template.refresh_from_db()
    assert template.subject == "Merci {first_name}"


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("body", "Hello {firstname}", "Unknown field: {firstname}. Use {first_name},"),
        ("body", "Hello {first_name", "A brace is not closed."),
        ("subject", "Hi } there", "A brace is not closed."),
        ("subject", "Thanks\nBcc: eve@evil.example", "Keep it on one line."),
        ("subject", "Hi {name.__class__}", "A brace is not closed."),
    ],
)
def test_a_template_with_a_wrong_field_gets_a_clear_error(
    team: Team, owner_client: Client, field: str, value: str, error: str
):
    response = owner_client.post(
        url("followups:template_create", team), template_data(**{field: value})
    )
    assert response.status_code == 200
    assert any(message.startswith(error) for message in response.context["form"].errors[field])
    assert not FollowUpTemplate.objects.filter(name="Short thanks").exists()


def test_two_templates_cannot_share_a_name(team: Team, owner_client: Client):
    templates_for(team.workspace)
    response = owner_client.post(
        url("followups:template_create", team), template_data(name=DEFAULT_NAME)
    )
    assert response.context["form"].errors["name"] == ["A template with this name exists already."]


def test_deleting_the_last_template_brings_the_built_in_one_back(team: Team, owner_client: Client):
    [template] = templates_for(team.workspace)
    owner_client.post(url("followups:template_delete", team, pk=template.pk))
    assert not FollowUpTemplate.objects.filter(pk=template.pk).exists()
    assert [t.name for t in templates_for(team.workspace)] == [DEFAULT_NAME]


def test_fields_are_filled_once_and_doubled_braces_stay_braces():
    text = "Hi {first_name}, {{not a field}} {unknown} {"
    assert field_names("Hi {first_name} {{x}}") == ["first_name"]
    with pytest.raises(MalformedTemplate):
        field_names(text)
    # A value that looks like a field is not filled in a second time.
    assert fill(text, {"first_name": "{company}"}) == "Hi {company}, {not a field} {unknown} {"


def test_the_purpose_statement_is_checked_the_same_way(team: Team, owner_client: Client):
    response = owner_client.post(
        f"/w/{team.workspace.slug}/settings/",
        {"name": "Acme Research", "purpose_template": "Hello {participant_first_nam}"},
    )
    assert (
        response.context["form"]
        .errors["purpose_template"][0]
        .startswith("Unknown field: {participant_first_nam}.")
    )

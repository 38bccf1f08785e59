"""Merge-field templates: any text either saves or gets a clear error; filling never raises
and never reads a value as a field; a saved template always makes a follow-up page."""

from __future__ import annotations

import pytest
from django import forms
from django.db import transaction
from django.test import Client
from hypothesis import example, given
from hypothesis import strategies as st

from heard.core.merge_fields import check_fields, fill
from heard.followups.models import FollowUpTemplate
from heard.followups.services import MERGE_FIELDS
from tests.support import factories
from tests.support.hostile import hostile_text
from tests.support.personas import Team
from tests.support.urls import url

FIELDS = sorted(MERGE_FIELDS)
field = st.sampled_from(FIELDS).map(lambda name: "{" + name + "}")
# Template-like text: fields, braces, doubled braces and hostile text, run together.
template_text = st.lists(
    st.one_of(
        field, st.sampled_from(["{", "}", "{{", "}}", "{nope}", "{ first_name }"]), hostile_text
    ),
    max_size=8,
).map("".join)
values = st.fixed_dictionaries({name: hostile_text for name in FIELDS})


@given(text=template_text, filled_with=values)
@example(text="{{first_name}}", filled_with=dict.fromkeys(FIELDS, "{company}"))
def test_a_template_saves_or_says_what_is_wrong_and_always_fills(text: str, filled_with):
    try:
        assert check_fields(text, MERGE_FIELDS) == text
    except forms.ValidationError as error:
        message = " ".join(error.messages)
        assert "brace" in message or "Unknown field" in message
    # Filling never raises, whatever was saved before the check existed.
    result = fill(text, filled_with)
    assert isinstance(result, str)
    # A value is put in as it is: braces in it are never read as fields.
    single = fill("{first_name}", filled_with)
    assert single == filled_with["first_name"]


@pytest.mark.django_db
@given(name=hostile_text, subject=template_text, body=template_text)
@example(name="Hi", subject="{first_name", body="x")
@example(name="Hi\x00", subject="Hello", body="{{ {first_name} }}")
def test_any_template_typed_in_the_form_saves_or_is_refused_and_fills_a_follow_up(
    team: Team, owner_client: Client, name: str, subject: str, body: str
):
    with transaction.atomic():
        interview = factories.interview(factories.study(team.workspace))
        before = FollowUpTemplate.objects.count()
        response = owner_client.post(
            url("followups:template_create", team), {"name": name, "subject": subject, "body": body}
        )
        assert response.status_code in {200, 302}
        if response.status_code == 200:  # refused, with the form's message
            assert 'aria-invalid="true"' in response.content.decode()
            assert FollowUpTemplate.objects.count() == before
        else:
            template = FollowUpTemplate.objects.latest("pk")
            page = owner_client.get(
                url("followups:create", team, interview_pk=interview.pk),
                {"template": template.pk},
            )
            assert page.status_code == 200
        transaction.set_rollback(True)

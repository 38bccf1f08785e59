"""“Why we are here” on the live screen: the workspace's sentence, escaped, with each value
filled in (a name, a company) in the direction of its own script."""

from __future__ import annotations

import pytest

from heard.interviews.purpose import render_purpose, render_purpose_html
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_each_value_filled_in_keeps_its_own_direction(team, study):
    team.workspace.purpose_template = (
        "Thank you, {participant_first_name}: we value {company} <a lot>. {unknown}"
    )
    team.workspace.save()
    person = factories.participant(team.workspace, name="سارة <b>الخطيب</b>", company="חברת אור")
    interview = factories.interview(study, person)
    assert render_purpose_html(interview) == (
        'Thank you, <span dir="auto">سارة</span>: we value <span dir="auto">חברת אור</span> '
        "&lt;a lot&gt;. {unknown}"
    )
    assert render_purpose(interview) == "Thank you, سارة: we value חברת אור <a lot>. {unknown}"


def test_a_malformed_sentence_is_shown_as_written(team, study):
    team.workspace.purpose_template = "Hello {company[0]} and {"
    team.workspace.save()
    interview = factories.interview(study, factories.participant(team.workspace, company="Acme"))
    assert render_purpose_html(interview) == "Hello {company[0]} and {"

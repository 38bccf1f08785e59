"""The wrap-up's coverage: what the call recorded by itself counts as asked."""

from __future__ import annotations

import pytest

from heard.guides import services as guides
from heard.guides.models import QuestionPriority
from heard.interviews.live import milestones, reads
from heard.interviews.models import Interview
from tests.support import factories
from tests.support.personas import Team
from tests.support.urls import live_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def templated(team: Team) -> Interview:
    study = factories.study(team.workspace)
    guide = guides.create_from_template(study, title="Discovery call")
    return factories.interview(study, guide=guide)


def missed(interview: Interview) -> list[str]:
    return [q.text[:30] for q in reads.wrapup_for(interview)["coverage"]["must_missed"]]


def test_the_consent_the_intros_and_the_promise_recorded_count_as_asked(team, templated):
    musts = templated.guide.sections.all()
    must_count = sum(
        section.questions.filter(priority=QuestionPriority.MUST).count() for section in musts
    )
    milestones.record_consent(templated, team.owner, "no")  # asked; the answer was no
    milestones.start_intros(templated, team.owner)
    milestones.start(templated, team.owner)
    milestones.end(templated, team.owner, promised_follow_up=True)
    templated.refresh_from_db()
    left = missed(templated)
    assert len(left) == must_count - 3
    assert not any(
        text.startswith(("May we record", "Short intros", "Thank them")) for text in left
    )
    assert reads.wrapup_for(templated)["coverage"]["answered"] == 3


def test_what_the_call_did_not_record_is_still_missed(team, templated):
    milestones.start(templated, team.owner)
    milestones.end(templated, team.owner, promised_follow_up=False)
    templated.refresh_from_db()
    left = missed(templated)
    assert "May we record this call? Colle" in left
    assert "Short intros: our team first, " in left
    assert "Thank them, promise to follow " in left


def test_the_wrapup_page_lists_only_what_was_missed(team, templated, owner_client):
    milestones.record_consent(templated, team.owner, "yes")
    milestones.start(templated, team.owner)
    milestones.end(templated, team.owner, promised_follow_up=True)
    page = owner_client.get(live_url("wrapup", templated)).content.decode()
    start = page.index('class="wrapup-missed"')
    missed_list = page[start : page.index("</ol>", start)]
    assert "May we record this call?" not in missed_list
    assert "Thank them, promise to follow up" not in missed_list
    assert "Short intros" in missed_list  # the intros timer was never started

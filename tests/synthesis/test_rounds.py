"""Follow-up rounds: a guide drafted from the disputed findings, and whom to ask next."""

from __future__ import annotations

import pytest

from heard.guides.models import Guide, QuestionPriority
from heard.guides.services import BudgetState, plan_for
from heard.interviews.models import Note, NoteKind
from heard.synthesis.models import Review
from heard.synthesis.reviews import rounds
from heard.synthesis.reviews import services as review
from heard.synthesis.reviews.services import ReviewError
from tests.support import factories
from tests.support.findings import (
    BOARD,
    CLIENTS,
    EFFICIENT,
    MONDAYS,
    TEN_MINUTES,
    TWO_HOURS,
    Study3,
)
from tests.support.urls import review_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(study3: Study3, team) -> Review:
    """Two findings disputed (one by a vote, one by a challenge), one aligned."""
    hours = study3.finding(
        team.owner,
        "Reports take hours",
        (0,),
        supports=[MONDAYS, TWO_HOURS],
        contradicts=[TEN_MINUTES],
    )
    trust = study3.finding(
        team.owner, "They will not trust unreviewed reports", (1, 2), supports=[BOARD]
    )
    settled = study3.finding(team.owner, "Efficiency is a goal", (0,), supports=[EFFICIENT])
    meeting = review.start_review(study3.study, team.owner)
    review.vote(meeting, hours, team.owner, "agree")
    review.vote(meeting, hours, team.observer, "disagree")
    review.challenge(
        meeting, trust, team.teammate, "Tomás trusts nothing either.", study3.quote(CLIENTS)
    )
    for person in (team.owner, team.teammate):
        review.vote(meeting, settled, person, "agree")
    return meeting


def test_the_drafted_guide_drills_into_each_disputed_point(meeting: Review, study3: Study3, team):
    guide = rounds.draft_round(meeting, team.owner)
    meeting.refresh_from_db()
    assert meeting.follow_up_guide == guide
    assert guide.study == study3.study
    assert guide.title == "Follow-up round: VP1, VP2, VP3"
    sections = list(guide.sections.order_by("position"))
    assert [s.title for s in sections] == [
        "Purpose and intros",
        "VP1: Small teams rebuild reports by hand every week",
        "VP2: They would trust scheduled reports, unreviewed",
        "VP3: How do they measure reporting efficiency?",
        "Wrap-up",
    ]
    assert "Disputed in the review: “Reports take hours”" in sections[1].purpose
    assert "Challenged: “Tomás trusts nothing either.”" in sections[2].purpose
    vp2 = list(sections[2].questions.order_by("position"))
    assert [q.text for q in vp2] == [
        "About “They would trust scheduled reports, unreviewed”: when did this last happen to you? Walk me through it.",
        "What did you do then? Why that, and not something else?",
        "How do you measure it today? What number would tell you it got better, or worse?",
        "What did it cost you: time, money, customers, morale?",
    ]
    assert all(q.priority == QuestionPriority.MUST for q in vp2)
    assert all(list(q.points.all()) == [study3.points[1]] for q in vp2)
    vp3_opening = sections[3].questions.order_by("position").first()
    assert vp3_opening.text.startswith(
        "How do they measure reporting efficiency? Think of the last time"
    )
    # The opening and the wrap-up are the method's, linked to no point.
    assert not sections[0].questions.filter(points__isnull=False).exists()
    plan = plan_for(guide)
    assert plan.budget.state is not BudgetState.OVER
    assert not plan.uncovered


def test_drafting_again_makes_a_new_guide(meeting: Review, team):
    first = rounds.draft_round(meeting, team.owner)
    second = rounds.draft_round(meeting, team.owner)
    assert first != second
    assert Guide.objects.filter(pk=first.pk).exists()
    meeting.refresh_from_db()
    assert meeting.follow_up_guide == second


def test_nothing_disputed_drafts_nothing(study3: Study3, team):
    settled = study3.finding(team.owner, "Efficiency is a goal", (0,), supports=[EFFICIENT])
    meeting = review.start_review(study3.study, team.owner)
    for person in (team.owner, team.teammate):
        review.vote(meeting, settled, person, "agree")
    with pytest.raises(ReviewError, match="Nothing is disputed"):
        rounds.draft_round(meeting, team.owner)
    assert not Guide.objects.filter(title__startswith="Follow-up").exists()


def test_a_disputed_finding_without_points_gets_its_own_section(study3: Study3, team):
    loose = study3.finding(team.owner, "Pricing is fine", (), supports=[MONDAYS])
    meeting = review.start_review(study3.study, team.owner)
    review.vote(meeting, loose, team.owner, "disagree")
    guide = rounds.draft_round(meeting, team.owner)
    assert guide.title == "Follow-up round: disputed findings"
    assert list(guide.sections.values_list("title", flat=True)) == [
        "Purpose and intros",
        "Finding: Pricing is fine",
        "Wrap-up",
    ]


def test_suggestions_are_the_people_in_the_dispute_then_new_voices_never_a_no(
    meeting: Review, study3: Study3
):
    items = rounds.disputed(review.board(meeting))
    found = rounds.suggestions(meeting, items)
    names = [s.participant.name for s in found.people]
    # Aiko's words contradict a finding, Tomás is quoted against one in a challenge; then the
    # people whose words back the disputed findings; then SMB and mid-market people never
    # interviewed in the study (a cancelled interview does not count).
    assert names == [
        "Aiko Tanaka",
        "Tomás Ortega",
        "Nickole Barros",
        "Mia Costa",
        "Called Off",
        "Priya Shah",
    ]
    aiko = found.people[0]
    assert aiko.conflicted
    assert aiko.reasons == ["Their words contradict “Reports take hours”."]
    tomas = found.people[1]
    assert tomas.reasons == [
        "Quoted against “They will not trust unreviewed reports” in a challenge.",
        "Their words back “Reports take hours”, now disputed.",
    ]
    assert not found.people[3].conflicted
    assert found.people[3].reasons == ["Not interviewed in this study yet; segment “Mid-market”."]
    assert sorted(s.participant.name for s in found.left_out) == ["Ole Berg", "Wen Li"]
    assert found.segments == ["Mid-market", "SMB"]
    assert "Zed Okafor" not in names  # another segment
    assert "Still To Come" not in names  # already has an interview in the study


def test_someone_in_the_dispute_who_declined_is_left_out(meeting: Review, study3: Study3):
    aiko = study3.aiko.participant
    aiko.recontact = "no"
    aiko.save()
    found = rounds.suggestions(meeting, rounds.disputed(review.board(meeting)))
    assert "Aiko Tanaka" not in [s.participant.name for s in found.people]
    assert "Aiko Tanaka" in [s.participant.name for s in found.left_out]


def test_the_round_page_and_drafting_from_it(meeting: Review, team, owner_client, observer_client):
    factories.guide(meeting.study, "First round")
    address = review_url("round", meeting)
    page = observer_client.get(address).content.decode()
    assert "Disputed findings" in page
    assert "Reports take hours" in page
    assert "When did this last happen" in page or "when did this last happen" in page
    assert "Schedule" not in page  # observers schedule nothing
    assert observer_client.post(review_url("round_draft", meeting)).status_code == 403
    response = owner_client.post(review_url("round_draft", meeting))
    assert response.url == address
    page = owner_client.get(address).content.decode()
    guide = Guide.objects.get(title__startswith="Follow-up round")
    assert f"/guides/{guide.pk}/" in page
    aiko = meeting.study.interviews.get(participant__name="Aiko Tanaka").participant
    assert f"?study={meeting.study_id}&amp;participant={aiko.pk}&amp;guide={guide.pk}" in page
    assert "Left out: 2" in page
    schedule = owner_client.get(
        f"/w/{team.workspace.slug}/interviews/new/?study={meeting.study_id}&participant={aiko.pk}&guide={guide.pk}"
    )
    assert schedule.status_code == 200
    assert f'<option value="{guide.pk}" selected' in schedule.content.decode()


def test_a_note_the_team_wrote_is_not_called_their_words(meeting: Review, study3: Study3):
    Note.objects.filter(quotes__text=TEN_MINUTES).update(kind=NoteKind.PAIN)
    items = rounds.disputed(review.board(meeting))
    aiko = rounds.suggestions(meeting, items).people[0]
    assert aiko.participant == study3.aiko.participant
    assert aiko.reasons == ["Our notes of them contradict “Reports take hours”."]

"""The review meeting's rules: alignment from votes and open challenges, one vote per person,
challenges and their resolution, closing, and the decision log with its flags."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from heard.synthesis.findings import services as findings
from heard.synthesis.models import Decision, Evidence, EvidenceBearing, Review, Vote
from heard.synthesis.reviews import decisions
from heard.synthesis.reviews import services as review
from heard.synthesis.reviews.services import Alignment, ReviewError, alignment
from tests.support.findings import (
    BOARD,
    CLIENTS,
    MONDAYS,
    TEN_MINUTES,
    TWO_HOURS,
    Study3,
)

pytestmark = pytest.mark.django_db

A, D, U = "agree", "disagree", "unsure"


@pytest.mark.parametrize(
    ("votes", "open_challenges", "expected"),
    [
        ((), 0, Alignment.OPEN),
        ((A,), 0, Alignment.OPEN),  # one person agreeing with themselves
        ((A, A), 0, Alignment.ALIGNED),
        ((A, A, A), 0, Alignment.ALIGNED),
        ((A, A, U), 0, Alignment.OPEN),
        ((U, U), 0, Alignment.OPEN),
        ((A, A, D), 0, Alignment.DISPUTED),
        ((D,), 0, Alignment.DISPUTED),
        ((A, A), 1, Alignment.DISPUTED),
        ((), 2, Alignment.DISPUTED),
    ],
)
def test_alignment_follows_from_votes_and_open_challenges(votes, open_challenges, expected):
    assert alignment(votes, open_challenges) is expected


@pytest.mark.parametrize(
    ("votes", "open_challenges", "expected"),
    [
        ((), 0, "No vote yet"),
        ((A,), 0, "1 agrees: 2 votes needed"),
        ((A, A), 0, "All 2 agree, no open challenge"),
        ((A, U), 0, "1 unsure, 1 agree"),
        ((A, D, D), 0, "2 disagree"),
        ((A, D), 1, "1 disagree · 1 open challenge"),
        ((), 2, "2 open challenges"),
    ],
)
def test_the_board_says_why(votes, open_challenges, expected):
    assert review.why(votes, open_challenges) == expected


def test_a_person_votes_once_per_finding_and_may_change_it(study3: Study3, team):
    finding = study3.finding(team.owner, "Reports take hours", supports=[MONDAYS, TWO_HOURS])
    meeting = review.start_review(study3.study, team.owner)
    review.vote(meeting, finding, team.teammate, A)
    review.vote(meeting, finding, team.teammate, D)
    assert list(Vote.objects.values_list("voter__name", "choice")) == [("Tom Teammate", D)]
    review.vote(meeting, finding, team.observer, A)
    [item] = review.board(meeting, team.observer)
    assert item.alignment is Alignment.DISPUTED
    assert item.my_vote == A
    assert [(c, [v.name for v in who]) for c, _, who in item.tally] == [
        (A, ["Oscar Observer"]),
        (D, ["Tom Teammate"]),
        (U, []),
    ]
    review.vote(meeting, finding, team.teammate, A)
    [item] = review.board(meeting)
    assert item.alignment is Alignment.ALIGNED


def test_an_open_challenge_disputes_until_resolved(study3: Study3, team):
    finding = study3.finding(team.owner, "Reports take hours", supports=[MONDAYS, TWO_HOURS])
    meeting = review.start_review(study3.study, team.owner)
    for person in (team.owner, team.teammate):
        review.vote(meeting, finding, person, A)
    counter = study3.quote(TEN_MINUTES)
    objection = review.challenge(meeting, finding, team.observer, "Aiko says ten minutes.", counter)
    assert review.board(meeting)[0].alignment is Alignment.DISPUTED
    assert review.alignments(meeting) == {finding.pk: Alignment.DISPUTED}
    review.resolve(objection, team.owner, "Aiko uses a template: kept, noted.")
    [item] = review.board(meeting)
    assert item.alignment is Alignment.ALIGNED
    assert item.challenges[0].resolved_by == team.owner
    assert not Evidence.objects.filter(bearing=EvidenceBearing.CONTRADICTS).exists()
    with pytest.raises(ReviewError):
        review.resolve(objection, team.teammate, "Again")


def test_resolving_may_add_the_counter_evidence_against_the_finding(study3: Study3, team):
    finding = study3.finding(team.owner, "Reports take hours", supports=[MONDAYS, TWO_HOURS])
    meeting = review.start_review(study3.study, team.owner)
    objection = review.challenge(
        meeting, finding, team.observer, "Not for Aiko.", study3.quote(TEN_MINUTES)
    )
    review.resolve(objection, team.owner, "Fair: added against it.", add_counter_evidence=True)
    [item] = findings.findings_of(study3.study)
    assert item.weight.contested
    assert [e.quote.text for e in item.contradicting] == [TEN_MINUTES]


def test_one_open_review_per_study_and_a_closed_one_takes_no_votes(study3: Study3, team):
    finding = study3.finding(team.owner, "Reports take hours", supports=[MONDAYS])
    first = review.start_review(study3.study, team.owner, "Monday review")
    assert review.start_review(study3.study, team.teammate, "Another") == first
    review.set_status(first, "closed")
    first.refresh_from_db()
    assert first.closed_at is not None
    with pytest.raises(ReviewError, match="closed"):
        review.vote(first, finding, team.owner, A)
    with pytest.raises(ReviewError, match="closed"):
        review.challenge(first, finding, team.owner, "Late")
    second = review.start_review(study3.study, team.owner)
    assert second != first
    assert second.title.startswith("Review of “Reporting pains”")
    with pytest.raises(ReviewError, match="Another review"):
        review.set_status(first, "open")
    assert Review.objects.filter(status="open").count() == 1


def test_votes_are_per_review(study3: Study3, team):
    finding = study3.finding(team.owner, "Reports take hours", supports=[MONDAYS])
    first = review.start_review(study3.study, team.owner)
    review.vote(first, finding, team.owner, D)
    review.set_status(first, "closed")
    second = review.start_review(study3.study, team.owner)
    assert review.board(second)[0].votes == []
    assert review.alignments(second) == {finding.pk: Alignment.OPEN}
    assert review.alignments(first) == {finding.pk: Alignment.DISPUTED}


def test_a_decision_is_flagged_when_contradicting_evidence_comes_after_it(study3: Study3, team):
    hours = study3.finding(team.owner, "Reports take hours", supports=[MONDAYS, TWO_HOURS])
    trust = study3.finding(team.owner, "They will not trust it unreviewed", (1,), supports=[BOARD])
    meeting = review.start_review(study3.study, team.owner)
    decided = decisions.record_decision(
        meeting,
        team.owner,
        "Build the faster report builder first.",
        [hours],
        [team.owner, team.teammate],
    )
    [logged] = decisions.decision_log(study3.study)
    assert not logged.flagged
    assert logged.agreed_by == [team.owner, team.teammate]
    # Evidence for the finding, or against another finding, flags nothing.
    findings.pick(hours, team.owner, EvidenceBearing.SUPPORTS, cell=study3.cell(study3.tomas, 0))
    findings.pick(trust, team.owner, EvidenceBearing.CONTRADICTS, quote=study3.quote(CLIENTS))
    assert not decisions.decision_log(study3.study)[0].flagged
    against = findings.pick(
        hours, team.teammate, EvidenceBearing.CONTRADICTS, quote=study3.quote(TEN_MINUTES)
    )
    [logged] = decisions.decision_log(study3.study)
    assert logged.flagged
    assert logged.contradicted_by == [against]
    assert decisions.flagged_count(study3.study) == 1
    # Evidence that contradicted it before the decision was taken is what it was decided on.
    decided.decided_at = timezone.now() + datetime.timedelta(minutes=1)
    decided.save()
    assert not decisions.decision_log(study3.study)[0].flagged


def test_supporting_evidence_turned_against_after_the_decision_flags_it(study3: Study3, team):
    hours = study3.finding(team.owner, "Reports take hours", supports=[MONDAYS, TWO_HOURS])
    meeting = review.start_review(study3.study, team.owner)
    decisions.record_decision(meeting, team.owner, "Go.", [hours], [])
    findings.pick(hours, team.owner, EvidenceBearing.CONTRADICTS, quote=study3.quote(TWO_HOURS))
    assert decisions.decision_log(study3.study)[0].flagged


def test_deciding_on_a_single_source_or_contested_finding_needs_each_warning_acknowledged(
    study3: Study3, team
):
    mornings = study3.finding(team.owner, "Mornings go to reports", supports=[MONDAYS])
    hours = study3.finding(
        team.owner, "Reports take hours", supports=[MONDAYS, TWO_HOURS], contradicts=[TEN_MINUTES]
    )
    solid = study3.finding(team.owner, "Reports are built by hand", supports=[MONDAYS, TWO_HOURS])
    meeting = review.start_review(study3.study, team.owner)
    warned = decisions.needing_acknowledgement(study3.study)
    assert [item.finding for item in warned] == [mornings, hours]
    keys = {
        item.finding.pk: decisions.acknowledgement_key(item.finding, item.warnings)
        for item in warned
    }
    assert keys == {mornings.pk: f"{mornings.pk}:single_source", hours.pk: f"{hours.pk}:contested"}

    with pytest.raises(decisions.WarningsNotAcknowledged) as refused:
        decisions.record_decision(
            meeting, team.owner, "Go.", [mornings, hours, solid], [], [keys[hours.pk]]
        )
    assert [item.finding for item in refused.value.missing] == [mornings]
    assert "“Mornings go to reports” (single source)" in str(refused.value)
    # A warning that came after the box was drawn is not acknowledged by it.
    with pytest.raises(decisions.WarningsNotAcknowledged):
        decisions.record_decision(meeting, team.owner, "Go.", [mornings], [], [f"{mornings.pk}:"])
    assert not Decision.objects.exists()

    decided = decisions.record_decision(
        meeting, team.owner, "Go.", [mornings, hours, solid], [], keys.values()
    )
    assert decided.warnings_acknowledged == [
        {
            "finding": mornings.pk,
            "statement": "Mornings go to reports",
            "warnings": ["single_source"],
        },
        {"finding": hours.pk, "statement": "Reports take hours", "warnings": ["contested"]},
    ]
    [logged] = decisions.decision_log(study3.study)
    assert [(a.statement, a.decided_on) for a in logged.acknowledged] == [
        ("Mornings go to reports", "a single source"),
        ("Reports take hours", "contested evidence"),
    ]
    # A finding without a warning needs nothing.
    decisions.record_decision(meeting, team.owner, "Build it.", [solid], [])
    assert decisions.decision_log(study3.study)[0].acknowledged == []


def test_a_decision_rests_on_findings_of_its_study(study3: Study3, team):
    from tests.support import factories

    other = factories.study(team.workspace)
    stranger = findings.create_finding(other, team.owner, "Elsewhere", [])
    meeting = review.start_review(study3.study, team.owner)
    with pytest.raises(ReviewError):
        decisions.record_decision(meeting, team.owner, "No", [stranger], [])


def test_the_board_reads_in_a_fixed_number_of_queries(
    study3: Study3, team, django_assert_max_num_queries
):
    meeting = review.start_review(study3.study, team.owner)
    study3.finding(team.owner, "First", supports=[MONDAYS], contradicts=[TEN_MINUTES])
    with django_assert_max_num_queries(20) as few:
        items = review.board(meeting, team.owner)
    assert [item.alignment for item in items] == [Alignment.OPEN]
    for n in range(5):
        finding = study3.finding(team.owner, f"More {n}", (0, 1), supports=[MONDAYS, TWO_HOURS])
        for person in (team.owner, team.teammate, team.observer):
            review.vote(meeting, finding, person, A)
        review.challenge(meeting, finding, team.observer, "Why?", study3.quote(BOARD))
    with django_assert_max_num_queries(len(few.captured_queries)):
        items = review.board(meeting, team.owner)
        assert [item.alignment for item in items] == [Alignment.OPEN] + [Alignment.DISPUTED] * 5
        assert all(e.interview.participant.name for i in items for e in i.weighed.evidence)
        assert all(c.counter_quote.point_summary.point.label for i in items for c in i.challenges)

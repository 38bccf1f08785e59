"""The review pages: the board, presenter mode, votes and challenges (observers take part),
resolving, closing, decisions, the board kept fresh by polling; outsiders get 404."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from heard.synthesis.findings import services as findings
from heard.synthesis.models import Challenge, Decision, Review, Vote
from heard.synthesis.reviews import decisions
from heard.synthesis.reviews import services as review
from tests.support import factories
from tests.support.findings import (
    MONDAYS,
    TEN_MINUTES,
    TWO_HOURS,
    Study3,
)
from tests.support.matrix import HOSTILE, RTL
from tests.support.urls import review_url, study_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(study3: Study3, team) -> Review:
    study3.finding(team.owner, "Small teams lose a morning a week", supports=[MONDAYS])
    study3.finding(
        team.owner, "Reports take hours", supports=[MONDAYS, TWO_HOURS], contradicts=[TEN_MINUTES]
    )
    return review.start_review(study3.study, team.owner, "Monday review")


def poll(client: Client, address: str, seen: str = ""):  # type: ignore[no-untyped-def]
    joiner = "&" if "?" in address else "?"
    return client.get(f"{address}{joiner}part=live&seen={seen}", headers={"HX-Request": "true"})


def stamp_of(html: str) -> str:
    found = re.search(r"seen=([0-9a-f]{16})", html)
    assert found, "no poll address in the page"
    return found[1]


def test_a_researcher_starts_a_review_and_a_second_start_joins_it(
    study3: Study3, team, owner_client, teammate_client
):
    study3.finding(team.owner, "Something", supports=[MONDAYS])
    response = owner_client.post(
        study_url("reviews:start", study3.study), {"title": "Monday review"}
    )
    meeting = Review.objects.get()
    assert response.url == review_url("board", meeting)
    again = teammate_client.post(study_url("reviews:start", study3.study), {"title": ""})
    assert again.url == response.url
    assert meeting.title == "Monday review"
    assert meeting.started_by == team.owner
    findings_page = owner_client.get(study_url("findings:list", study3.study))
    assert b"Join the review" in findings_page.content


def test_the_board_and_presenter_mode_show_each_finding(meeting: Review, owner_client):
    board = owner_client.get(review_url("board", meeting)).content.decode()
    assert board.count('class="card board-item board-item--open"') == 2
    assert "at least two votes, all agree, and no open challenge" in board
    second = meeting.study.findings.order_by("created_at", "id").last()
    page = owner_client.get(review_url("present", meeting)).content.decode()
    assert "Finding 1 of 2" in page
    assert 'rel="next" data-presenter' in page
    assert 'rel="prev"' not in page
    assert f"?finding={second.pk}" in page
    page = owner_client.get(
        review_url("present", meeting) + f"?finding={second.pk}"
    ).content.decode()
    assert "Finding 2 of 2" in page
    assert 'rel="prev" data-presenter' in page
    assert "Back to the board" in page
    assert "Against it" in page
    assert TEN_MINUTES.split("?")[0] in page
    assert '<svg class="stance-bar"' in page  # the chart of its point
    odd = owner_client.get(review_url("present", meeting) + "?finding=nonsense")
    assert b"Finding 1 of 2" in odd.content


def test_presenter_mode_of_a_study_without_findings_renders(team, owner_client):
    study = factories.study(team.workspace)
    meeting = review.start_review(study, team.owner)
    assert b"Nothing to present yet" in owner_client.get(review_url("present", meeting)).content
    assert b"No finding to review" in owner_client.get(review_url("board", meeting)).content
    assert b"Nothing disputed" in owner_client.get(review_url("round", meeting)).content


def test_observers_vote_and_challenge(meeting: Review, study3: Study3, team, observer_client):
    finding = meeting.study.findings.first()
    vote = review_url("vote", meeting, finding_pk=finding.pk)
    answer = observer_client.post(vote, {"vote": "disagree"}, headers={"HX-Request": "true"})
    html = answer.content.decode()
    assert 'value="disagree" class="seg seg--disagree" aria-pressed="true"' in html
    assert 'id="review-live"' in html
    assert 'hx-swap-oob="true"' in html
    assert "Disputed" in html
    plain = observer_client.post(vote, {"vote": "unsure"})
    assert plain.url.endswith("#vote")
    assert Vote.objects.get().choice == "unsure"
    counter = study3.quote(TEN_MINUTES)
    challenged = observer_client.post(
        review_url("challenge", meeting, finding_pk=finding.pk),
        {"text": "Aiko needs ten minutes.", "counter": str(counter.pk)},
    )
    assert challenged.url.endswith("#challenges")
    objection = Challenge.objects.get()
    assert (objection.author, objection.counter_quote) == (team.observer, counter)


def test_a_finding_of_another_study_cannot_be_voted_on_in_this_review(
    meeting: Review, team, owner_client
):
    other = factories.study(team.workspace)
    stranger = findings.create_finding(other, team.owner, "Elsewhere", [])
    vote = review_url("vote", meeting, finding_pk=stranger.pk)
    assert owner_client.post(vote, {"vote": "agree"}).status_code == 404
    assert not Vote.objects.exists()


def test_colleagues_see_each_other_through_the_poll(meeting: Review, owner_client, teammate_client):
    finding = meeting.study.findings.first()
    address = review_url("present", meeting) + f"?finding={finding.pk}"
    stamp = stamp_of(owner_client.get(address).content.decode())
    assert poll(owner_client, address, stamp).status_code == 204  # nothing changed
    teammate_client.post(review_url("vote", meeting, finding_pk=finding.pk), {"vote": "disagree"})
    fresh = poll(owner_client, address, stamp)
    assert fresh.status_code == 200
    html = fresh.content.decode()
    assert html.lstrip().startswith('<div id="review-live"')
    assert "Tom Teammate" in html
    assert "Disputed" in html
    assert stamp_of(html) != stamp
    assert poll(owner_client, address, stamp_of(html)).status_code == 204
    board = review_url("board", meeting)
    board_stamp = stamp_of(owner_client.get(board).content.decode())
    assert poll(owner_client, board, board_stamp).status_code == 204
    teammate_client.post(review_url("challenge", meeting, finding_pk=finding.pk), {"text": "Why?"})
    assert b"1 open" in poll(owner_client, board, board_stamp).content


def test_a_challenge_without_words_keeps_the_form_and_writes_nothing(
    meeting: Review, observer_client
):
    finding = meeting.study.findings.first()
    page = observer_client.post(
        review_url("challenge", meeting, finding_pk=finding.pk),
        {"text": "", "counter": "999999"},
    )
    assert page.status_code == 200
    assert b"This field is required." in page.content
    assert not Challenge.objects.exists()


def test_resolve_a_challenge_and_add_its_counter_evidence(
    meeting: Review, study3: Study3, team, owner_client
):
    finding = meeting.study.findings.first()
    objection = review.challenge(
        meeting, finding, team.observer, "Not Aiko.", study3.quote(TEN_MINUTES)
    )
    address = review_url("challenge_resolve", meeting, challenge_pk=objection.pk)
    form = owner_client.get(address)
    assert b"Add its counter-evidence to the finding" in form.content
    response = owner_client.post(
        address, {"resolution": "Added against it.", "add_counter_evidence": "1"}
    )
    assert response.url.endswith("#challenges")
    objection.refresh_from_db()
    assert objection.is_resolved
    assert objection.resolved_by == team.owner
    assert finding.evidence.filter(bearing="contradicts", quote__text=TEN_MINUTES).exists()


def test_a_closed_review_refuses_votes_and_says_so(meeting: Review, owner_client, observer_client):
    owner_client.post(review_url("status", meeting), {"status": "closed"})
    finding = meeting.study.findings.first()
    response = observer_client.post(
        review_url("vote", meeting, finding_pk=finding.pk), {"vote": "agree"}, follow=True
    )
    assert b"This review is closed" in response.content
    assert not Vote.objects.exists()
    page = observer_client.get(review_url("present", meeting)).content.decode()
    assert "Challenge it" not in page
    assert "hx-trigger" not in page
    owner_client.post(review_url("status", meeting), {"status": "open"})
    meeting.refresh_from_db()
    assert meeting.is_open


def test_record_a_decision_and_see_it_flagged_later(
    meeting: Review, study3: Study3, team, owner_client
):
    first = meeting.study.findings.order_by("created_at", "id").first()
    add = review_url("decision_add", meeting)
    invalid = owner_client.post(add, {"text": "", "findings": []})
    assert invalid.status_code == 200
    assert b"This field is required." in invalid.content
    decision_data = {
        "text": "Scheduled reports wait.",
        "findings": [first.pk],
        "agreed_by": [team.owner.pk, team.observer.pk],
    }
    # It rests on one interview: a badge is not enough, the warning must be acknowledged.
    unacknowledged = owner_client.post(add, decision_data)
    assert unacknowledged.status_code == 200
    assert "Tick the warnings of “Small teams lose a morning a week”" in (
        unacknowledged.content.decode()
    )
    assert not Decision.objects.exists()
    key = f"{first.pk}:single_source"
    response = owner_client.post(add, {**decision_data, "acknowledge": [key]})
    assert response.url.endswith("#decisions")
    decision = Decision.objects.get()
    assert set(decision.agreed_by.all()) == {team.owner, team.observer}
    log = owner_client.get(study_url("reviews:decisions", study3.study)).content.decode()
    assert "Scheduled reports wait." in log
    assert (
        '<strong>Decided on a single source</strong>, acknowledged by <span dir="auto">Olivia Owner</span>'
        in log
    )
    assert "Flagged" not in log
    findings.pick(first, team.owner, "contradicts", quote=study3.quote(TEN_MINUTES))
    log = owner_client.get(study_url("reviews:decisions", study3.study)).content.decode()
    assert "<strong>Flagged:</strong>" in log
    assert "Aiko Tanaka" in log
    listing = owner_client.get(study_url("findings:list", study3.study)).content.decode()
    assert "1 flagged" in listing
    study_page = owner_client.get(
        f"/w/{team.workspace.slug}/studies/{study3.study.pk}/"
    ).content.decode()
    assert "1 decision flagged" in study_page


def test_the_decision_form_names_the_warnings_of_each_warned_finding(meeting: Review, owner_client):
    mornings, hours = meeting.study.findings.order_by("created_at", "id")
    board = owner_client.get(review_url("board", meeting)).content.decode()
    assert f'value="{mornings.pk}:single_source"' in board
    assert f'value="{hours.pk}:contested"' in board
    assert (
        "Decide on “\u2068Small teams lose a morning a week\u2069” knowing this. Single source:"
        in board
    )
    assert (
        "Decide on “\u2068Reports take hours\u2069” knowing this. Contested: 1 piece of evidence"
        in board
    )
    assert "Small teams lose a morning a week (single source)</span></label>" in board


def test_hostile_words_in_a_review_are_text(meeting: Review, team, owner_client):
    finding = meeting.study.findings.first()
    review.challenge(meeting, finding, team.observer, HOSTILE + RTL)
    decisions.record_decision(
        meeting, team.owner, HOSTILE, [finding], [team.owner], [f"{finding.pk}:single_source"]
    )
    for name in ("board", "present"):
        page = owner_client.get(review_url(name, meeting)).content.decode()
        assert "<script>alert" not in page, name
    page = owner_client.get(review_url("present", meeting)).content.decode()
    assert (
        f'dir="auto">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;{RTL}</p>'
        in page
    )


def test_the_review_pages_read_in_a_fixed_number_of_queries(
    meeting: Review, study3: Study3, team, owner_client, django_assert_max_num_queries
):
    first = meeting.study.findings.first()
    review.vote(meeting, first, team.observer, "disagree")
    review.challenge(meeting, first, team.observer, "Why?", study3.quote(TEN_MINUTES))
    pages = [review_url(name, meeting) for name in ("board", "present", "round")]
    counts = []
    for address in pages:
        with django_assert_max_num_queries(60) as few:
            page = owner_client.get(address)
        assert page.status_code == 200, address
        counts.append(len(few.captured_queries))
    for n in range(5):
        finding = study3.finding(team.owner, f"More {n}", (0, 1), supports=[MONDAYS, TWO_HOURS])
        review.vote(meeting, finding, team.observer, "disagree")
        review.challenge(meeting, finding, team.observer, "Why?", study3.quote(TEN_MINUTES))
    for address, count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert owner_client.get(address).status_code == 200

"""The review board takes votes and challenges on each finding (with htmx and without), its
forms survive its own updates, and screens may follow the presenter."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from heard.synthesis.findings import services as findings
from heard.synthesis.models import Challenge, Review, Vote
from heard.synthesis.reviews import services as review
from tests.support import factories
from tests.support.findings import MONDAYS, TEN_MINUTES, TWO_HOURS, Study3
from tests.support.urls import review_url

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def meeting(study3: Study3, team) -> Review:
    study3.finding(team.owner, "Small teams lose a morning a week", supports=[MONDAYS])
    study3.finding(
        team.owner, "Reports take hours", supports=[MONDAYS, TWO_HOURS], contradicts=[TEN_MINUTES]
    )
    return review.start_review(study3.study, team.owner, "Monday review")


def stamp_of(html: str) -> str:
    found = re.search(r"seen=([0-9a-f]{16})", html)
    assert found, "no poll address in the page"
    return found[1]


def poll(client: Client, address: str, seen: str):  # type: ignore[no-untyped-def]
    joiner = "&" if "?" in address else "?"
    return client.get(f"{address}{joiner}part=live&seen={seen}", headers=HTMX)


def test_each_finding_on_the_board_has_its_vote_and_challenge_forms(
    meeting: Review, observer_client: Client
):
    board = observer_client.get(review_url("board", meeting)).content.decode()
    for finding in meeting.study.findings.all():
        vote = review_url("vote", meeting, finding_pk=finding.pk)
        challenge = review_url("challenge", meeting, finding_pk=finding.pk)
        assert f'id="board-act-{finding.pk}" hx-preserve="true"' in board
        assert (
            f'<form class="board-vote" id="board-vote-{finding.pk}" method="post" action="{vote}"'
            in board
        )
        assert f'action="{challenge}" novalidate>' in board
        assert f'id="id_challenge_{finding.pk}_text"' in board
    assert board.count('<input type="hidden" name="on" value="board">') == 4


def test_a_vote_on_the_board_with_htmx_answers_with_its_form_and_the_fresh_board(
    meeting: Review, team, observer_client: Client
):
    finding = meeting.study.findings.order_by("created_at", "id").first()
    answer = observer_client.post(
        review_url("vote", meeting, finding_pk=finding.pk),
        {"vote": "disagree", "on": "board"},
        headers=HTMX,
    )
    html = answer.content.decode()
    assert html.lstrip().startswith(f'<form class="board-vote" id="board-vote-{finding.pk}"')
    assert 'value="disagree" class="seg seg--disagree" aria-pressed="true"' in html
    assert '<div id="review-live" class="review-live"' in html
    assert 'hx-swap-oob="true"' in html
    assert 'Disagree <span dir="auto">1</span></strong>: <span dir="auto">Oscar' in html
    # The fresh board holds placeholders: the forms on the page stay as they are.
    assert f'id="board-act-{finding.pk}" hx-preserve="true"' in html
    assert "Add challenge" not in html
    assert Vote.objects.get().voter == team.observer


def test_a_vote_and_a_challenge_on_the_board_without_javascript(
    meeting: Review, team, observer_client: Client
):
    finding = meeting.study.findings.order_by("created_at", "id").last()
    board = review_url("board", meeting)
    voted = observer_client.post(
        review_url("vote", meeting, finding_pk=finding.pk), {"vote": "agree", "on": "board"}
    )
    assert voted.url == f"{board}#board-{finding.pk}"
    page = observer_client.get(board).content.decode()
    assert 'value="agree" class="seg seg--agree" aria-pressed="true"' in page

    challenge = review_url("challenge", meeting, finding_pk=finding.pk)
    empty = observer_client.post(challenge, {"text": "", "on": "board"})
    assert empty.status_code == 200
    html = empty.content.decode()
    assert '<details class="board-challenge" open>' in html
    assert "This field is required." in html
    assert not Challenge.objects.exists()
    added = observer_client.post(challenge, {"text": "Aiko needs ten minutes.", "on": "board"})
    assert added.url == f"{board}#board-{finding.pk}"
    assert Challenge.objects.get().author == team.observer
    page = observer_client.get(board, follow=True).content.decode()
    assert "Challenge added" in page
    assert "1 open" in page


def test_the_board_updates_around_its_forms(meeting: Review, owner_client, teammate_client):
    board = review_url("board", meeting)
    page = owner_client.get(board).content.decode()
    stamp = stamp_of(page)
    assert stamp_of(owner_client.get(board).content.decode()) == stamp  # forms aside
    assert poll(owner_client, board, stamp).status_code == 204
    finding = meeting.study.findings.first()
    teammate_client.post(review_url("vote", meeting, finding_pk=finding.pk), {"vote": "unsure"})
    fresh = poll(owner_client, board, stamp)
    assert fresh.status_code == 200
    html = fresh.content.decode()
    assert 'Unsure <span dir="auto">1</span></strong>: <span dir="auto">Tom' in html
    assert "<form" not in html
    assert html.count('hx-preserve="true"') == 2
    assert poll(owner_client, board, stamp_of(html)).status_code == 204


def test_a_closed_review_has_no_forms_on_its_board(meeting: Review, owner_client):
    review.set_status(meeting, "closed")
    page = owner_client.get(review_url("board", meeting)).content.decode()
    assert "board-act" not in page
    assert "Add challenge" not in page


# Following the presenter --------------------------------------------------------------------


def test_screens_follow_the_presenter(meeting: Review, team, owner_client, observer_client):
    first, second = meeting.study.findings.order_by("created_at", "id")
    presenting = review_url("presenting", meeting)
    assert observer_client.post(presenting, {"finding": first.pk}).status_code == 403
    answer = owner_client.post(presenting, {"finding": second.pk})
    assert answer.url == review_url("present", meeting) + f"?finding={second.pk}"
    meeting.refresh_from_db()
    assert (meeting.presenter, meeting.presented_finding) == (team.owner, second)

    board = observer_client.get(review_url("board", meeting)).content.decode()
    follow = review_url("present", meeting) + "?follow=1"
    assert (
        f'<strong dir="auto">Olivia Owner</strong> is presenting finding 2 · <a href="{follow}">'
        "Follow the presenter</a>"
    ) in board
    followed = observer_client.get(follow).content.decode()
    assert "Finding 2 of 2" in followed
    assert (
        'Following <span dir="auto">Olivia Owner</span>: this screen moves to the finding they show.'
        in followed
    )
    assert f"?finding={second.pk}&amp;follow=1&amp;part=live" in followed
    address = review_url("present", meeting) + f"?finding={second.pk}&follow=1"
    assert poll(observer_client, address, stamp_of(followed)).status_code == 204

    # The presenter moves on: the follower's next poll sends it there.
    owner_client.post(presenting, {"finding": first.pk})
    moved = poll(observer_client, address, stamp_of(followed))
    assert moved.status_code == 200
    assert moved["HX-Redirect"] == follow
    assert "Finding 1 of 2" in observer_client.get(follow).content.decode()

    # The presenter's own page moves everyone with its Previous and Next buttons.
    own = owner_client.get(review_url("present", meeting) + f"?finding={first.pk}")
    html = own.content.decode()
    assert "You are presenting: colleagues who follow you see this finding" in html
    assert f'name="finding" value="{second.pk}" class="btn" data-presenter="next"' in html

    owner_client.post(presenting, {"stop": "1", "finding": first.pk})
    meeting.refresh_from_db()
    assert meeting.presenter is None
    assert poll(observer_client, address, "x").get("HX-Redirect") is None
    assert "is presenting" not in observer_client.get(review_url("board", meeting)).content.decode()


def test_presenting_takes_findings_of_the_study_and_ends_with_the_review(
    meeting: Review, team, owner_client
):
    presenting = review_url("presenting", meeting)
    other = factories.study(team.workspace)
    stranger = findings.create_finding(other, team.owner, "Elsewhere", [])
    assert owner_client.post(presenting, {"finding": stranger.pk}).status_code == 404
    assert owner_client.post(presenting, {"finding": "nonsense"}).status_code == 404
    owner_client.post(presenting, {"finding": meeting.study.findings.first().pk})
    review.set_status(meeting, "closed")
    meeting.refresh_from_db()
    assert (meeting.presenter, meeting.presented_finding) == (None, None)
    refused = owner_client.post(
        presenting, {"finding": meeting.study.findings.first().pk}, follow=True
    )
    assert b"This review is closed" in refused.content

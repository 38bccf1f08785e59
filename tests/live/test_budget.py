"""The time budget: the planned length split into the conversation and two reserves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from heard.interviews.live.budget import Budget, elapsed_seconds
from heard.interviews.models import Interview

BUDGET = Budget(length_s=45 * 60, team_reserve_s=10 * 60, customer_reserve_s=5 * 60)


def test_the_conversation_is_what_the_reserves_leave():
    assert BUDGET.conversation_s == 30 * 60


@pytest.mark.parametrize(
    ("elapsed_min", "part", "part_left_min", "in_reserve"),
    [
        (0, "conversation", 30, False),
        (29, "conversation", 1, False),
        (30, "team", 10, True),
        (39, "team", 1, True),
        (40, "customer", 5, True),
        (45, "over", 0, True),
        (50, "over", 0, True),
    ],
)
def test_parts_of_the_call(elapsed_min, part, part_left_min, in_reserve):
    state = BUDGET.at(elapsed_min * 60)
    assert state.part == part
    assert state.part_left_s == part_left_min * 60
    assert state.in_reserve is in_reserve
    assert state.total_left_s == (45 - elapsed_min) * 60


def test_reserves_larger_than_the_call_leave_no_conversation():
    tiny = Budget(length_s=10 * 60, team_reserve_s=10 * 60, customer_reserve_s=5 * 60)
    assert tiny.conversation_s == 0
    assert tiny.at(0).part == "team"


def test_elapsed_time_comes_from_the_server_stamps():
    now = timezone.now()
    interview = Interview(started_at=now - timedelta(minutes=12, seconds=5))
    assert elapsed_seconds(interview, now) == 12 * 60 + 5
    interview.ended_at = now - timedelta(minutes=2)
    assert elapsed_seconds(interview, now + timedelta(hours=3)) == 10 * 60 + 5
    assert elapsed_seconds(Interview(), now) == 0

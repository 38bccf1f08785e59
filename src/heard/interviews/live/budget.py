"""The time budget: the planned length split into the conversation and the two reserves.

Time comes from the server (the interview's `started_at`), never from a browser's clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.utils import timezone

from heard.interviews.models import Interview


class BudgetPart(StrEnum):
    CONVERSATION = "conversation"
    TEAM = "team"  # the team's reserve: the notetaker's and the guests' questions
    CUSTOMER = "customer"  # the customer's reserve: their questions to us
    OVER = "over"


@dataclass(frozen=True)
class BudgetState:
    part: BudgetPart
    elapsed_s: int
    part_left_s: int
    total_left_s: int
    in_reserve: bool


@dataclass(frozen=True)
class Budget:
    """The planned length split into the conversation and the two reserves."""

    length_s: int
    team_reserve_s: int
    customer_reserve_s: int

    @property
    def conversation_s(self) -> int:
        return max(0, self.length_s - self.team_reserve_s - self.customer_reserve_s)

    def at(self, elapsed_s: int) -> BudgetState:
        elapsed_s = max(0, elapsed_s)
        ends = (
            (BudgetPart.CONVERSATION, self.conversation_s),
            (BudgetPart.TEAM, self.conversation_s + self.team_reserve_s),
            (BudgetPart.CUSTOMER, self.length_s),
        )
        for part, end in ends:
            if elapsed_s < end:
                return BudgetState(
                    part,
                    elapsed_s,
                    end - elapsed_s,
                    self.length_s - elapsed_s,
                    in_reserve=part != BudgetPart.CONVERSATION,
                )
        return BudgetState(
            BudgetPart.OVER, elapsed_s, 0, self.length_s - elapsed_s, in_reserve=True
        )


def budget_for(interview: Interview) -> Budget:
    return Budget(
        length_s=interview.length_minutes * 60,
        team_reserve_s=interview.team_reserve_minutes * 60,
        customer_reserve_s=interview.customer_reserve_minutes * 60,
    )


def elapsed_seconds(interview: Interview, now: datetime | None = None) -> int:
    """Seconds since the server started the interview (0 before it starts)."""
    if interview.started_at is None:
        return 0
    end = interview.ended_at or now or timezone.now()
    return max(0, int((end - interview.started_at).total_seconds()))

"""A guide's hard copy printed for one interview: its blanks filled in."""

from __future__ import annotations

from dataclasses import dataclass

from heard.guides.models import Guide, ProfileField
from heard.guides.services import GuidePlan
from heard.interviews.models import Interview, TeamRole, interviewers_of
from heard.interviews.services import intro_order
from heard.participants.profile import asks_for_role, display_value, role_once


@dataclass(frozen=True)
class PrintedInterview:
    interview: Interview
    interviewers: str
    notetakers: str
    profile_values: list[tuple[ProfileField, str]]


def printed_interview(guide: Guide, raw_pk: str, plan: GuidePlan) -> PrintedInterview | None:
    """The interview of this guide named in the address, if any (others are ignored)."""
    if not raw_pk.isdigit():
        return None
    interview = (
        Interview.objects.filter(pk=int(raw_pk), guide=guide).select_related("participant").first()
    )
    if interview is None:
        return None
    team = intro_order(interview)
    participant = interview.participant
    profile = participant.profile or {}

    def value_of(field: ProfileField) -> str:
        value = display_value(profile.get(field.key))
        # The sheet names the customer and their company; a field that asks for the role
        # holds what the participant's own role says, once.
        return (
            role_once(participant.role, value) if asks_for_role(field.key, field.label) else value
        )

    return PrintedInterview(
        interview=interview,
        interviewers=", ".join(m.display_name for m in interviewers_of(team)),
        notetakers=", ".join(m.display_name for m in team if m.role == TeamRole.NOTETAKER),
        profile_values=[(field, value_of(field)) for field in plan.profile_fields],
    )

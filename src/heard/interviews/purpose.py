"""“Why we are here”: the workspace's purpose statement, filled in for one interview."""

from __future__ import annotations

import string
from collections.abc import Mapping

from heard.interviews.models import Interview


class _Fields(dict[str, str]):
    """Unknown names stay as typed, braces and all, instead of failing the whole text."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def purpose_fields(interview: Interview) -> Mapping[str, str]:
    participant = interview.participant
    lead = interview.lead_interviewer
    interviewer = lead.display_name if lead else ""
    return _Fields(
        participant_first_name=participant.name.split(" ")[0] if participant.name else "",
        participant_name=participant.name,
        company=participant.company or "your company",
        study_topic=interview.study.title,
        study_goal=interview.study.goal,
        interviewer=interviewer,
    )


def render_purpose(interview: Interview) -> str:
    """Plain text (templates escape it). A malformed template is shown as written."""
    template = interview.study.workspace.purpose_template
    try:
        return string.Formatter().vformat(template, (), purpose_fields(interview))
    except (ValueError, IndexError, AttributeError):
        return template

"""“Why we are here”: the workspace's purpose statement, filled in for one interview."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


# Private-use characters that mark where a filled-in value starts and ends.
_OPEN, _CLOSE = "\ue000", "\ue001"
_VALUE = re.compile(f"{_OPEN}([^{_OPEN}{_CLOSE}]*){_CLOSE}")


def render_purpose_html(interview: Interview) -> SafeString:
    """The same for a page, escaped: each value filled in (a name, a company) keeps the
    direction of its own script (dir="auto") inside the workspace's sentence."""
    template = interview.study.workspace.purpose_template.translate({0xE000: None, 0xE001: None})
    marked = _Fields(
        {key: f"{_OPEN}{value}{_CLOSE}" for key, value in purpose_fields(interview).items()}
    )
    try:
        text = string.Formatter().vformat(template, (), marked)
    except (ValueError, IndexError, AttributeError):
        text = template
    html = _VALUE.sub(r'<span dir="auto">\1</span>', str(escape(text)))
    return mark_safe(html.translate({0xE000: None, 0xE001: None}))  # escaped: markers aside

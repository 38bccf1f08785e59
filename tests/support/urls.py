"""Addresses of workspace pages, by their URL names.

`url()` serves every page: `url("guides:detail", team, pk=guide.pk)`. The others are
shortcuts for the pages under one object, which name their app's view by its short name.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from heard.accounts.models import Workspace
from heard.followups.models import FollowUp
from heard.interviews.models import Interview
from heard.studies.models import Study
from heard.synthesis.models import Review
from tests.support.personas import Team


def url(name: str, ws: Team | Workspace | str, **kwargs: Any) -> str:
    """The address of the page `name` ("app:view") in the workspace `ws` (the team's own, a
    workspace, or a slug), with the other parts of the address in `kwargs`."""
    if isinstance(ws, Team):
        ws = ws.workspace
    slug = ws.slug if isinstance(ws, Workspace) else ws
    return reverse(name, kwargs={"ws": slug, **kwargs})


def live_url(name: str, interview: Interview, **kwargs: Any) -> str:
    """A page of the interview: `live_url("live_state", interview)`."""
    return url(f"interviews:{name}", interview.study.workspace, pk=interview.pk, **kwargs)


def summary_url(name: str, interview: Interview, **kwargs: Any) -> str:
    """A page of the interview's summary: `summary_url("stance", interview, point_pk=...)`."""
    return url(f"summaries:{name}", interview.study.workspace, pk=interview.pk, **kwargs)


def matrix_url(study: Study, name: str = "page") -> str:
    """The study's matrix, or one of its downloads (`xlsx`, `csv`)."""
    return url(f"matrix:{name}", study.workspace, pk=study.pk)


def study_url(name: str, study: Study, **kwargs: Any) -> str:
    """An address under the study ("app:view"): the findings, a finding, the decision log."""
    return url(name, study.workspace, study_pk=study.pk, **kwargs)


def review_url(name: str, review: Review, **kwargs: Any) -> str:
    """A page of the review meeting: `review_url("present", review)`."""
    return url(f"reviews:{name}", review.study.workspace, pk=review.pk, **kwargs)


def mail_url(name: str, team: Team, followup: FollowUp) -> str:
    """A page of the follow-up email: `mail_url("send", team, followup)`."""
    return url(f"followups:{name}", team, interview_pk=followup.interview_id, pk=followup.pk)

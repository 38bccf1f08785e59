"""Data most interview tests start from: a study with a guide, a participant, an interview."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from heard.guides.models import Guide
from heard.interviews import services
from heard.interviews.models import Interview
from heard.participants.models import Participant
from heard.studies.models import Study
from tests import factories
from tests.conftest import Team


@pytest.fixture
def study(team: Team) -> Study:
    return factories.study(team.workspace, title="Reporting pains")


@pytest.fixture
def guide(study: Study) -> Guide:
    return factories.guide(study, title="Discovery guide")


@pytest.fixture
def participant(team: Team) -> Participant:
    return factories.participant(
        team.workspace, name="Nickole Smith", company="Client Co", role="Head of Ops"
    )


@pytest.fixture
def interview(study: Study, participant: Participant, guide: Guide) -> Interview:
    """A video call in two days, with its prep checklist."""
    iv = factories.interview(
        study,
        participant,
        guide=guide,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        location="https://meet.example.com/abc",
    )
    services.apply_checklist(iv)
    return iv


def url(name: str, team: Team, **kwargs: Any) -> str:
    return reverse(f"interviews:{name}", kwargs={"ws": team.workspace.slug, **kwargs})


def schedule_data(study: Study, participant: Participant, **overrides: Any) -> dict[str, Any]:
    data = {
        "study": study.pk,
        "participant": participant.pk,
        "guide": "",
        "day": "2027-01-15",
        "start_time": "10:00",
        "time_zone": "Europe/Berlin",
        "length_minutes": "",
        "mode": "video",
        "location": "https://meet.example.com/abc",
    }
    return data | overrides

"""Data most interview tests start from: a study with a guide, a participant, an interview."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from heard.guides.models import Guide
from heard.interviews import services
from heard.interviews.models import Interview
from heard.participants.models import Participant
from heard.studies.models import Study
from tests.support import factories
from tests.support.personas import Team


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

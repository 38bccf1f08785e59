"""The live tests' interview: a guide of three questions, 45 minutes."""

from __future__ import annotations

import pytest

from heard.interviews.models import Interview
from tests.support import factories
from tests.support.personas import Team


@pytest.fixture
def interview(team: Team) -> Interview:
    study = factories.study(team.workspace)
    guide = factories.guide(study, questions=3)
    return factories.interview(study, guide=guide, length_minutes=45)

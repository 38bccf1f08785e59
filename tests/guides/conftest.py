"""Fixtures of the guides tests: a study of the team's workspace and a guide built from the template."""

from __future__ import annotations

import pytest

from heard.guides import services
from heard.guides.models import Guide
from heard.studies.models import Study
from tests.support import factories
from tests.support.personas import Team


@pytest.fixture
def study(team: Team) -> Study:
    return factories.study(team.workspace, title="Reporting pains", goal="Learn why reports hurt.")


@pytest.fixture
def guide(study: Study) -> Guide:
    return services.create_from_template(study, title="Discovery call")

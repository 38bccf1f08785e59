"""The synthesis tests' data: a finished call of a study with three validation points (`call`),
a round of summarised interviews for the matrix (`round_`), and one to weigh findings on
(`study3`)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from heard.interviews.models import InterviewStatus
from tests.support import factories
from tests.support.calls import Call, planned_study
from tests.support.findings import Study3, build_study
from tests.support.matrix import Round, build_round
from tests.support.personas import Team


@pytest.fixture
def call(team: Team) -> Call:
    """A finished interview of a study with three validation points, each served by its own
    question."""
    plan = planned_study(
        team.workspace,
        (
            "Small teams rebuild reports by hand every week",
            "They would trust scheduled reports unreviewed",
            "How do they measure reporting efficiency?",
        ),
    )
    interview = factories.interview(
        plan.study,
        factories.participant(team.workspace, name="Nickole Barros", company="Brightpath"),
        guide=plan.guide,
        status=InterviewStatus.DONE,
        started_at=timezone.now(),
        ended_at=timezone.now(),
    )
    return Call(interview, plan.points, plan.questions)


@pytest.fixture(name="round_")
def round_fixture(team: Team) -> Round:
    return build_round(team)


@pytest.fixture(name="study3")
def study3_fixture(team: Team) -> Study3:
    return build_study(team)

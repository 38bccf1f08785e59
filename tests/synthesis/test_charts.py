"""The stance chart per validation point: counts across the study's finished interviews, and
a bar laid out on the server."""

from __future__ import annotations

import pytest

from heard.studies.models import ValidationPoint
from heard.synthesis.findings.charts import WIDTH, charts_for, stance_chart, stance_counts
from heard.synthesis.models import Stance
from tests.support import factories
from tests.support.findings import Study3
from tests.support.matrix import held

pytestmark = pytest.mark.django_db


def test_the_bar_fills_its_width_in_stance_order_and_leaves_out_zeros():
    chart = stance_chart(
        _point(), {Stance.UNSET: 1, Stance.CONTRADICTS: 1, Stance.SUPPORTS: 4, Stance.SILENT: 0}
    )
    assert chart.total == 6
    assert [p.stance for p in chart.parts] == ["supports", "contradicts", "unset"]
    assert [p.count for p in chart.parts] == [4, 1, 1]
    assert [p.x for p in chart.parts] == [0.0, 400.0, 500.0]
    assert [p.x_percent for p in chart.parts] == [0.0, 66.67, 83.33]
    assert round(sum(p.width for p in chart.parts), 1) == WIDTH
    assert [count for _, _, count in chart.legend] == [4, 0, 1, 0, 1]
    assert chart.description == "VP1, 6 interviews: supports 4, contradicts 1, not set yet 1."


def test_thin_parts_carry_no_count_inside_but_the_legend_has_it():
    chart = stance_chart(_point(), {Stance.SUPPORTS: 60, Stance.MIXED: 1})
    supports, mixed = chart.parts
    assert supports.labelled
    assert not mixed.labelled
    assert ("mixed", "Mixed", 1) in chart.legend


def test_no_finished_interview_draws_no_bar():
    chart = stance_chart(_point(), {})
    assert chart.total == 0
    assert chart.parts == []
    assert chart.description == "VP1: no interview finished yet."


def test_counts_take_finished_interviews_and_unsummarised_ones_as_not_set(study3: Study3, team):
    held(study3.study, factories.participant(team.workspace, name="Done, no summary"))
    counts, finished = stance_counts(study3.study)
    assert finished == 4  # three summarised, one not; scheduled and cancelled ones not counted
    assert counts[study3.points[0].pk] == {"supports": 2, "contradicts": 1, "unset": 1}
    assert counts[study3.points[1].pk] == {"mixed": 1, "contradicts": 1, "unset": 2}
    vp3 = charts_for(study3.study, study3.points)[2]
    assert vp3.total == 4
    assert [p.stance for p in vp3.parts] == ["unset"]


def _point() -> ValidationPoint:
    return ValidationPoint(statement="Reports take hours", position=0)

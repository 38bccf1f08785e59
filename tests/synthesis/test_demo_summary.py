"""The demo workspace shows a summary in progress: quotes picked, one stance set, checks to read."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from heard.demo.builder import build_demo_workspace
from heard.synthesis.models import Stance, Summary, SummaryStatus
from heard.synthesis.summaries.checks import Check, objectivity_checks
from heard.synthesis.summaries.services import entries

pytestmark = pytest.mark.django_db


def test_the_first_finished_demo_call_has_a_draft_summary():
    demo = build_demo_workspace()
    summary = Summary.objects.select_related("interview__study").get(
        interview__participant__name="Nickole Barros"
    )
    assert summary.status == SummaryStatus.DRAFT
    assert summary.interview.participant.name == "Nickole Barros"
    points = entries(summary)
    assert [len(entry.quotes) for entry in points] == [2, 0, 1, 0]
    assert [entry.stance for entry in points] == [Stance.SUPPORTS] + [Stance.UNSET] * 3
    assert "Measured by: Measures efficiency as hours per campaign report" in summary.main_pains
    checks = objectivity_checks(points)
    assert Check.NOT_SET in {result.check for result in checks}
    assert all(result.point.label != "VP1" for result in checks)

    client = Client()
    client.force_login(demo.user)
    for name in ("detail", "print", "markdown"):
        address = reverse(f"summaries:{name}", args=[demo.workspace.slug, summary.interview.pk])
        assert client.get(address).status_code == 200, name

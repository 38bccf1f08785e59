"""The demo workspace shows findings and a review in progress: one finding well backed, one
resting on a single interview, one contested and disputed, and a decision in the log."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from heard.demo.builder import build_demo_workspace
from heard.synthesis.findings import services as findings
from heard.synthesis.models import Review
from heard.synthesis.reviews import decisions
from heard.synthesis.reviews import services as review
from heard.synthesis.reviews.services import Alignment

pytestmark = pytest.mark.django_db


def test_the_demo_has_findings_weighed_and_a_review_in_progress():
    demo = build_demo_workspace()
    study = demo.workspace.studies.get()
    measured, mornings, scheduled = findings.findings_of(study)
    assert measured.weight.supporting.interviews == 2
    assert not measured.warnings
    assert [w.kind for w in mornings.warnings] == ["single_source"]
    assert [w.kind for w in scheduled.warnings] == ["single_source", "contested"]
    meeting = Review.objects.get()
    assert meeting.is_open
    assert [item.alignment for item in review.board(meeting)] == [
        Alignment.ALIGNED,
        Alignment.OPEN,
        Alignment.DISPUTED,
    ]
    [logged] = decisions.decision_log(study)
    assert not logged.flagged

    client = Client()
    client.force_login(demo.user)
    ws = demo.workspace.slug
    pages = [
        reverse("findings:list", args=[ws, study.pk]),
        reverse("reviews:decisions", args=[ws, study.pk]),
        reverse("reviews:board", args=[ws, meeting.pk]),
        reverse("reviews:present", args=[ws, meeting.pk]),
        reverse("reviews:round", args=[ws, meeting.pk]),
    ]
    pages += [
        reverse("findings:detail", args=[ws, study.pk, item.finding.pk])
        for item in (measured, mornings, scheduled)
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url

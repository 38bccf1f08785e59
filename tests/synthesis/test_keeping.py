"""Nothing the team learned is lost by editing the plan or the summaries: a validation point
that summaries speak to is archived, not deleted; removing a quote that findings rest on asks
first, keeps what each finding lost and flags the decisions taken on it; a finding decisions
rest on stays."""

from __future__ import annotations

import pytest

from heard.studies.models import ValidationPoint
from heard.synthesis.findings import services as findings
from heard.synthesis.models import (
    Evidence,
    Finding,
    PointSummary,
    Quote,
    RemovedEvidence,
    Summary,
    SummaryStatus,
)
from heard.synthesis.reviews import decisions
from heard.synthesis.reviews import services as review
from tests.support.findings import MONDAYS, TWO_HOURS, Study3
from tests.support.urls import url

pytestmark = pytest.mark.django_db


def decided(study3: Study3, team, finding: Finding):  # type: ignore[no-untyped-def]
    meeting = review.start_review(study3.study, team.owner)
    return decisions.record_decision(meeting, team.owner, "Build report scheduling", [finding], [])


def test_deleting_a_point_summaries_speak_to_archives_it_and_keeps_them(study3, team, owner_client):
    point = study3.points[0]
    finding = study3.finding(team.owner, "Reports take hours", supports=[MONDAYS, TWO_HOURS])
    decided(study3, team, finding)
    Summary.objects.filter(interview=study3.nickole).update(status=SummaryStatus.FINAL)
    cells, quotes = PointSummary.objects.count(), Quote.objects.count()
    address = url("studies:point_delete", team, study_pk=study3.study.pk, pk=point.pk)

    page = owner_client.get(address).content.decode()
    assert "Archive validation point VP1?" in page
    for said in ("3 summaries (1 final)", "4 quotes", "2 pieces of finding evidence"):
        assert said in page
    assert "1 finding" in page
    assert "1 decision" in page

    response = owner_client.post(address)
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.is_archived
    assert (PointSummary.objects.count(), Quote.objects.count()) == (cells, quotes)
    assert Evidence.objects.filter(finding=finding).count() == 2
    assert not decisions.decision_log(study3.study)[0].flagged

    # Kept, and shown as archived, for the interviews that spoke to it; gone from new work.
    matrix = owner_client.get(url("matrix:page", team, pk=study3.study.pk)).content.decode()
    assert "Archived" in matrix
    assert point.statement[:40] in matrix
    summary = owner_client.get(url("summaries:detail", team, pk=study3.nickole.pk))
    assert "Archived point" in summary.content.decode()
    form = owner_client.get(url("findings:create", team, study_pk=study3.study.pk))
    assert point.statement not in form.content.decode()
    study_page = owner_client.get(url("studies:detail", team, pk=study3.study.pk)).content.decode()
    assert "1 archived point" in study_page

    owner_client.post(url("studies:point_restore", team, study_pk=study3.study.pk, pk=point.pk))
    point.refresh_from_db()
    assert not point.is_archived


def test_a_point_nothing_rests_on_is_deleted_outright(study3, team, owner_client):
    point = ValidationPoint.objects.create(study=study3.study, statement="Never asked", position=9)
    address = url("studies:point_delete", team, study_pk=study3.study.pk, pk=point.pk)
    assert (
        "Nothing any interview or finding said rests on it."
        in owner_client.get(address).content.decode()
    )
    owner_client.post(address)
    assert not ValidationPoint.objects.filter(pk=point.pk).exists()


def test_the_database_refuses_to_cascade_a_point_into_summaries(study3):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        study3.points[0].delete()


def test_removing_a_quote_findings_rest_on_asks_first_and_flags_decisions(
    study3, team, owner_client
):
    finding = study3.finding(team.owner, "Reports take hours", supports=[MONDAYS, TWO_HOURS])
    decision = decided(study3, team, finding)
    quote = study3.quote(MONDAYS)
    address = url("summaries:quote_remove", team, pk=study3.nickole.pk, quote_pk=quote.pk)

    editor = owner_client.get(url("summaries:detail", team, pk=study3.nickole.pk)).content.decode()
    assert f'href="{address}"' in editor  # a link to the confirmation, not a form that removes
    page = owner_client.get(address).content.decode()
    assert "It is evidence for 1 finding" in page
    assert "Reports take hours" in page
    assert "1 decision was taken on it" in page
    assert "Build report scheduling" in page

    # A removal that did not see the findings goes to the confirmation, and removes nothing.
    response = owner_client.post(address, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == address
    assert Quote.objects.filter(pk=quote.pk).exists()

    owner_client.post(address, {"seen": "1"})
    assert not Quote.objects.filter(pk=quote.pk).exists()
    [lost] = RemovedEvidence.objects.filter(finding=finding)
    assert MONDAYS in lost.words
    assert lost.interview == study3.nickole
    assert lost.removed_by == team.owner
    [logged] = decisions.decision_log(study3.study)
    assert logged.decision == decision
    assert logged.flagged
    assert logged.removed_since == [lost]
    detail = owner_client.get(url("findings:detail", team, study_pk=study3.study.pk, pk=finding.pk))
    assert "Evidence it lost" in detail.content.decode()
    log = owner_client.get(url("reviews:decisions", team, study_pk=study3.study.pk))
    assert "evidence it rested on was removed since" in log.content.decode()


def test_taking_evidence_off_a_finding_flags_the_decisions_on_it(study3, team):
    finding = study3.finding(team.owner, "Reports take hours", supports=[MONDAYS, TWO_HOURS])
    decided(study3, team, finding)
    findings.pick(finding, team.owner, None, quote=study3.quote(TWO_HOURS))
    [logged] = decisions.decision_log(study3.study)
    assert logged.flagged
    assert logged.removed_since[0].why == "Taken off the finding"


def test_a_quote_no_finding_rests_on_is_removed_at_once(study3, team, owner_client):
    quote = study3.quote(MONDAYS)
    address = url("summaries:quote_remove", team, pk=study3.nickole.pk, quote_pk=quote.pk)
    owner_client.post(address, HTTP_HX_REQUEST="true")
    assert not Quote.objects.filter(pk=quote.pk).exists()
    assert not RemovedEvidence.objects.exists()


def test_a_finding_decisions_rest_on_is_not_deleted(study3, team, owner_client):
    finding = study3.finding(team.owner, "Reports take hours", supports=[MONDAYS, TWO_HOURS])
    decided(study3, team, finding)
    address = url("findings:delete", team, study_pk=study3.study.pk, pk=finding.pk)
    assert "1 decision rests on it" in owner_client.get(address).content.decode()
    owner_client.post(address)
    assert Finding.objects.filter(pk=finding.pk).exists()
    assert decisions.decision_log(study3.study)[0].findings == [finding]

"""The findings pages: the list with weights, warnings and charts, writing a finding, picking
its evidence; who may do what; empty studies and hostile text."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from heard.synthesis.findings import services as findings
from heard.synthesis.models import Evidence, EvidenceBearing, Finding
from tests.support import factories
from tests.support.findings import (
    BOARD,
    MONDAYS,
    TEN_MINUTES,
    TWO_HOURS,
    Study3,
)
from tests.support.matrix import HOSTILE, RTL, held, summarised
from tests.support.urls import study_url

pytestmark = pytest.mark.django_db


def htmx(client: Client, address: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(address, data, headers={"HX-Request": "true"})


def test_an_empty_study_has_a_findings_page(team, owner_client, observer_client):
    study = factories.study(team.workspace)
    for client in (owner_client, observer_client):
        page = client.get(study_url("findings:list", study))
        assert page.status_code == 200
        assert b"No finding yet" in page.content
        assert b"The study has no validation point yet." in page.content
    factories.point(study)
    page = owner_client.get(study_url("findings:list", study))
    assert b"No interview of this study is finished yet" in page.content


def test_the_list_shows_weights_warnings_and_a_chart_per_point(study3: Study3, team, owner_client):
    study3.finding(team.owner, "One customer loses Mondays", supports=[MONDAYS])
    study3.finding(
        team.owner, "Reports take hours", supports=[MONDAYS, TWO_HOURS], contradicts=[TEN_MINUTES]
    )
    page = owner_client.get(study_url("findings:list", study3.study)).content.decode()
    assert page.count('class="badge badge--warning-single_source"') == 2  # one in the help
    assert page.count('class="badge badge--warning-contested"') == 2
    assert "<strong>For:</strong> 2 interviews · 2 participants · 2 companies · 2 segments" in page
    assert "<strong>Against:</strong> 1 interview · 1 participant · 1 company · 1 segment" in page
    # VP1: three finished interviews; two support it, one contradicts it.
    assert page.count('<svg class="stance-bar"') == 3
    assert "VP1, 3 interviews: supports 2, contradicts 1." in page
    assert "Supports: 2 of 3 interviews" in page
    assert "VP3, 3 interviews: not set yet 3." in page
    assert " style=" not in page  # the CSP allows no inline style


def test_the_number_of_queries_does_not_grow_with_findings(
    study3: Study3, team, owner_client, django_assert_max_num_queries
):
    study3.finding(team.owner, "First", supports=[MONDAYS], contradicts=[TEN_MINUTES])
    address = study_url("findings:list", study3.study)
    with django_assert_max_num_queries(40) as few:
        page = owner_client.get(address)
    assert page.status_code == 200
    assert page.content.count(b'class="card finding-card') == 1
    for n in range(6):
        finding = study3.finding(team.owner, f"More {n}", (0, 1), supports=[MONDAYS, TWO_HOURS])
        findings.pick(finding, team.owner, "contradicts", cell=study3.cell(study3.aiko, 0))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = owner_client.get(address)
    assert page.status_code == 200
    assert page.content.count(b'class="card finding-card') == 7


def test_write_a_finding_then_pick_its_evidence(study3: Study3, team, owner_client):
    response = owner_client.post(
        study_url("findings:create", study3.study),
        {"statement": "Scheduled reports scare them", "points": [study3.points[1].pk]},
    )
    finding = Finding.objects.get()
    assert response.url == study_url("findings:evidence", study3.study, pk=finding.pk)
    assert list(finding.points.all()) == [study3.points[1]]
    picker = owner_client.get(response.url).content.decode()
    assert "Nickole Barros" in picker
    assert "Tomás Ortega" in picker
    quote = study3.quote(BOARD)
    pick = study_url("findings:evidence_pick", study3.study, pk=finding.pk)
    answer = htmx(owner_client, pick, {"source": f"quote:{quote.pk}", "bearing": "supports"})
    html = answer.content.decode()
    assert f'id="cell-{quote.point_summary_id}"' in html
    assert 'id="evidence-weight" aria-labelledby="evidence-weight-h" hx-swap-oob="true"' in html
    assert re.search(r'value="supports" class="seg seg--supports" aria-pressed="true"', html)
    cell = study3.cell(study3.tomas, 1)
    plain = owner_client.post(pick, {"source": f"cell:{cell.pk}", "bearing": "contradicts"})
    assert plain.url.endswith(f"#cell-{cell.pk}")
    assert dict(Evidence.objects.values_list("bearing", "quote_id")) == {
        EvidenceBearing.SUPPORTS: quote.pk,
        EvidenceBearing.CONTRADICTS: None,
    }
    owner_client.post(pick, {"source": f"quote:{quote.pk}", "bearing": "remove"})
    assert Evidence.objects.get().point_summary == cell
    detail = owner_client.get(study_url("findings:detail", study3.study, pk=finding.pk))
    assert b"Only against" in detail.content


def test_a_pick_of_something_else_is_refused(study3: Study3, team, owner_client):
    finding = study3.finding(team.owner, "Ours")
    other = factories.study(team.workspace, title="Elsewhere")
    point = factories.point(other)
    summarised(
        held(other, factories.participant(team.workspace)),
        team.owner,
        [point],
        quotes=(("x", 0, "for"),),
    )
    stranger = other.interviews.get().summary.points.get().quotes.get()
    pick = study_url("findings:evidence_pick", study3.study, pk=finding.pk)
    for data in (
        {"source": f"quote:{stranger.pk}", "bearing": "supports"},
        {"source": "note:1", "bearing": "supports"},
        {"source": "quote:1", "bearing": "maybe"},
    ):
        response = owner_client.post(pick, data, follow=True)
        assert response.status_code == 200
        assert b'class="message message--error"' in response.content
    assert not Evidence.objects.exists()


def test_a_finding_with_no_evidence_renders_everywhere(study3: Study3, team, owner_client):
    finding = study3.finding(team.owner, "Nothing behind it", ())
    for name in ("findings:detail", "findings:evidence", "findings:edit", "findings:delete"):
        page = owner_client.get(study_url(name, study3.study, pk=finding.pk))
        assert page.status_code == 200, name
    detail = owner_client.get(study_url("findings:detail", study3.study, pk=finding.pk))
    assert b"No evidence supports it yet." in detail.content
    assert b"Nothing backs it yet" in detail.content


def test_edit_and_delete_a_finding(study3: Study3, team, owner_client):
    finding = study3.finding(team.owner, "Before", supports=[MONDAYS])
    owner_client.post(
        study_url("findings:edit", study3.study, pk=finding.pk),
        {"statement": "After", "points": [p.pk for p in study3.points]},
    )
    finding.refresh_from_db()
    assert finding.statement == "After"
    assert finding.points.count() == 3
    owner_client.post(study_url("findings:delete", study3.study, pk=finding.pk))
    assert not Finding.objects.exists()
    assert not Evidence.objects.exists()


def test_observers_read_findings_without_the_evidence_picker(study3: Study3, team, observer_client):
    finding = study3.finding(team.owner, "Read only", supports=[MONDAYS])
    assert observer_client.get(study_url("findings:list", study3.study)).status_code == 200
    page = observer_client.get(study_url("findings:detail", study3.study, pk=finding.pk))
    assert page.status_code == 200
    assert b"Pick evidence" not in page.content


def test_hostile_and_right_to_left_text_is_shown_as_text(study3: Study3, team, owner_client):
    formula = '=HYPERLINK("http://evil.example","Click")'
    interview = held(
        study3.study,
        factories.participant(team.workspace, name=HOSTILE, company=formula, segment=RTL),
    )
    summarised(
        interview,
        team.owner,
        study3.points,
        stances=("supports",),
        heard=(HOSTILE,),
        quotes=((RTL, 0, "for"), (formula, 0, "for")),
    )
    finding = findings.create_finding(study3.study, team.owner, HOSTILE, study3.points[:1])
    for text in (RTL, formula):
        findings.pick(finding, team.owner, "supports", quote=study3.quote(text))
    for name in ("findings:detail", "findings:evidence"):
        page = owner_client.get(study_url(name, study3.study, pk=finding.pk)).content.decode()
        assert "<script>alert" not in page, name
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page
        assert f'dir="auto">“{RTL}”</blockquote>' in page, name
        assert "=HYPERLINK(&quot;http://evil.example&quot;,&quot;Click&quot;)" in page
    listing = owner_client.get(study_url("findings:list", study3.study)).content.decode()
    assert "<script>alert" not in listing

"""The coach's reports in the database: computed in the background when the evidence changes,
replaced whole, shown to those the rule allows, exported with the study."""

from __future__ import annotations

import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from heard.coach import services
from heard.coach.models import CoachPolicy, CoachReport
from heard.coach.report import VERSION
from heard.interviews.models import Segment
from heard.interviews.transcripts import editing
from tests.coach.conftest import held_with_transcript
from tests.support.personas import Team
from tests.support.urls import url


def test_a_transcript_made_ready_brings_a_report(team: Team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        coached = held_with_transcript(team)
    report = CoachReport.objects.get(interview=coached.interview)
    assert report.is_ready
    assert not report.is_stale
    assert report.version == VERSION
    assert report.transcript == coached.transcript
    assert report.interviewer == team.teammate
    # Bo spoke 6 to 8, 26 to 70, 76 to 90, 101 to 130 and 136 to 170 (123 s); Tom 0 to 6,
    # 8 to 20, 21 to 25, 71 to 75, 91 to 100, 131 to 135 and 171 to 180 (48 s): 72 %.
    assert report.customer_share == pytest.approx(123 / 171, abs=0.001)
    parts = {part["key"]: part for part in report.data["parts"]}
    asked = {item["class"] for item in parts["questions"]["figures"]["asked"]}
    assert {"open", "leading", "pitching"} <= asked
    assert report.leading == 1
    assert report.pitching == 1
    assert parts["kickoff"]["figures"]["purpose_stated"] is True
    assert parts["plan"]["figures"]["customer_questions"] == 1
    assert report.data["advice"][0]["text"].startswith("Keep our solution out")


def test_an_edit_replaces_the_report_whole(team: Team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        coached = held_with_transcript(team)
    before = CoachReport.objects.get(interview=coached.interview)
    line = Segment.objects.get(transcript=coached.transcript, text__startswith="Don't you think")
    with django_capture_on_commit_callbacks(execute=True):
        editing.edit_segment(
            line, "What did you try then?", line.speaker, line.version, team.teammate
        )
    after = CoachReport.objects.get(interview=coached.interview)
    assert after.pk == before.pk
    assert after.computed_from > before.computed_from
    assert after.leading == 0
    assert not after.is_stale


def test_a_report_wanted_while_none_runs_is_fresh_and_left_alone(team: Team):
    coached = held_with_transcript(team)
    assert services.recompute(coached.interview.pk) == "computed"
    assert services.recompute(coached.interview.pk) == "fresh"
    services.want(coached.interview.pk)
    assert CoachReport.objects.get(interview=coached.interview).is_stale
    assert services.recompute(coached.interview.pk) == "computed"


def test_a_computation_begun_later_that_saved_first_wins(team: Team, monkeypatch):
    coached = held_with_transcript(team)
    pk = coached.interview.pk
    real = services.compute

    def another_runs_meanwhile(call, standards):
        monkeypatch.setattr(services, "compute", real)
        services.want(pk)  # the evidence changed again while this one computed
        assert services.recompute(pk) == "computed"
        return real(call, standards)

    monkeypatch.setattr(services, "compute", another_runs_meanwhile)
    assert services.recompute(pk) == "overtaken"
    assert CoachReport.objects.get(interview_id=pk).is_ready


def test_work_left_by_a_killed_worker_is_queued_again(
    team: Team, django_capture_on_commit_callbacks
):
    coached = held_with_transcript(team)
    services.want(coached.interview.pk)  # its task never ran
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_stale() == 1
    assert CoachReport.objects.get(interview=coached.interview).is_ready


def test_deleting_the_interview_leaves_no_report_behind(
    team: Team, django_capture_on_commit_callbacks
):
    coached = held_with_transcript(team)
    services.recompute(coached.interview.pk)
    with django_capture_on_commit_callbacks(execute=True):
        coached.interview.transcripts.all().delete()
        coached.interview.notes.all().delete()
    assert CoachReport.objects.get(interview=coached.interview).transcript is None


# Who sees it


@pytest.fixture
def computed(team: Team):
    coached = held_with_transcript(team)
    services.recompute(coached.interview.pk)
    return coached


def test_the_interviewer_and_the_owners_see_the_report(team: Team, computed):
    address = url("coach:report", team.workspace, pk=computed.interview.pk)
    for person in (team.teammate, team.owner):
        page = team.client_for(person).get(address)
        assert page.status_code == 200
        assert "What to try next time" in page.content.decode()


def test_other_researchers_see_it_only_where_the_workspace_opens_it(team: Team, computed):
    from heard.accounts.models import Role
    from tests.support import factories

    other = factories.member(team.workspace, Role.RESEARCHER, name="Rita Researcher")
    client = team.client_for(other)
    for name in ("coach:report", "coach:report_json"):
        assert client.get(url(name, team.workspace, pk=computed.interview.pk)).status_code == 403
    assert (
        client.get(url("coach:person", team.workspace, user_pk=team.teammate.pk)).status_code == 403
    )
    # Her own page she sees (nothing led yet); the study page shows no one else's rows.
    assert client.get(url("coach:person", team.workspace, user_pk=other.pk)).status_code == 200
    study = client.get(url("coach:study", team.workspace, pk=computed.interview.study_id))
    assert "Bo Chen" not in study.content.decode()
    CoachPolicy.objects.create(workspace=team.workspace, open_to_researchers=True)
    assert (
        client.get(url("coach:report", team.workspace, pk=computed.interview.pk)).status_code == 200
    )
    study = client.get(url("coach:study", team.workspace, pk=computed.interview.study_id))
    assert "Bo Chen" in study.content.decode()


def test_observers_never_see_it_and_outsiders_get_404(team: Team, computed):
    addresses = [
        url("coach:report", team.workspace, pk=computed.interview.pk),
        url("coach:report_json", team.workspace, pk=computed.interview.pk),
        url("coach:person", team.workspace, user_pk=team.teammate.pk),
        url("coach:study", team.workspace, pk=computed.interview.study_id),
        url("coach:study_json", team.workspace, pk=computed.interview.study_id),
    ]
    CoachPolicy.objects.create(workspace=team.workspace, open_to_researchers=True)
    observer, outsider = team.client_for(team.observer), team.client_for(team.outsider)
    for address in addresses:
        assert observer.get(address).status_code == 403
        assert outsider.get(address).status_code == 404
    interview_page = observer.get(
        url("interviews:detail", team.workspace, pk=computed.interview.pk)
    )
    assert addresses[0] not in interview_page.content.decode()


def test_the_interview_page_leads_to_the_report(team: Team, computed):
    page = team.client_for(team.teammate).get(
        url("interviews:detail", team.workspace, pk=computed.interview.pk)
    )
    assert url("coach:report", team.workspace, pk=computed.interview.pk) in page.content.decode()


def test_a_report_not_computed_yet_is_asked_for_and_shown_as_coming(team: Team):
    coached = held_with_transcript(team)
    CoachReport.objects.filter(interview=coached.interview).delete()
    page = team.client_for(team.owner).get(
        url("coach:report", team.workspace, pk=coached.interview.pk)
    )
    assert "The coach is reading the interview" in page.content.decode()
    assert 'hx-trigger="every 3s"' in page.content.decode()
    assert CoachReport.objects.get(interview=coached.interview).is_stale


def test_reading_again_from_the_page(team: Team, computed, django_capture_on_commit_callbacks):
    client = team.client_for(team.teammate)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url("coach:recompute", team.workspace, pk=computed.interview.pk))
    assert answer.status_code == 302
    assert not CoachReport.objects.get(interview=computed.interview).is_stale


# Figures across interviews and exports


def test_the_report_downloads_as_json(team: Team, computed):
    answer = team.client_for(team.owner).get(
        url("coach:report_json", team.workspace, pk=computed.interview.pk)
    )
    assert answer["Content-Disposition"].startswith("attachment;")
    data = json.loads(answer.content)
    assert data["interview"]["participant"] == "Bo Chen"
    assert {part["key"] for part in data["report"]["parts"]} == {
        "talk",
        "questions",
        "digging",
        "plan",
        "kickoff",
    }


def test_the_study_figures_download_as_json_and_go_in_the_workbook(team: Team, computed):
    client = team.client_for(team.owner)
    data = json.loads(
        client.get(url("coach:study_json", team.workspace, pk=computed.interview.study_id)).content
    )
    assert [row["participant"] for row in data["interviews"]] == ["Bo Chen"]
    assert data["interviews"][0]["customer_share"] == pytest.approx(0.719, abs=0.001)
    answer = client.get(url("matrix:xlsx", team.workspace, pk=computed.interview.study_id))
    book = load_workbook(io.BytesIO(b"".join(answer.streaming_content)), read_only=True)
    assert "Coach" in book.sheetnames
    rows = list(book["Coach"].iter_rows(values_only=True))
    assert rows[0][0] == "Interview"
    assert rows[1][0] == "Bo Chen"
    assert rows[1][4] == pytest.approx(71.9, abs=0.1)  # the customer's share, in percent
    observer_book = team.client_for(team.observer).get(
        url("matrix:xlsx", team.workspace, pk=computed.interview.study_id)
    )
    names = load_workbook(
        io.BytesIO(b"".join(observer_book.streaming_content)), read_only=True
    ).sheetnames
    assert "Coach" not in names


def test_the_trend_pages_take_the_same_queries_for_one_interview_or_many(team: Team, computed):
    client = team.client_for(team.teammate)
    address = url("coach:person", team.workspace, user_pk=team.teammate.pk)
    with CaptureQueriesContext(connection) as one:
        assert client.get(address).status_code == 200
    for _ in range(3):
        services.recompute(held_with_transcript(team).interview.pk)
    with CaptureQueriesContext(connection) as four:
        page = client.get(address)
    assert len(four.captured_queries) == len(one.captured_queries)
    assert page.content.decode().count("coach-chart-dot") >= 4


def test_a_failed_computation_is_said_and_not_waited_for(team: Team, monkeypatch):
    coached = held_with_transcript(team)

    def broken(call, standards):
        raise ValueError("the measures broke")

    monkeypatch.setattr(services, "compute", broken)
    services.want(coached.interview.pk)
    assert services.recompute(coached.interview.pk) == "failed"
    report = CoachReport.objects.get(interview=coached.interview)
    assert report.failure == "ValueError: the measures broke"
    assert not report.is_stale
    page = (
        team.client_for(team.owner)
        .get(url("coach:report", team.workspace, pk=coached.interview.pk))
        .content.decode()
    )
    assert "The coach could not read this interview" in page
    assert "hx-trigger" not in page
    monkeypatch.undo()
    services.want(coached.interview.pk)
    assert services.recompute(coached.interview.pk) == "computed"
    assert CoachReport.objects.get(interview=coached.interview).failure == ""


def test_a_new_lead_moves_the_report_to_their_trend(team: Team, django_capture_on_commit_callbacks):
    from heard.interviews.models import TeamMember, TeamRole

    coached = held_with_transcript(team)
    services.recompute(coached.interview.pk)
    assert CoachReport.objects.get(interview=coached.interview).interviewer == team.teammate
    with django_capture_on_commit_callbacks(execute=True):
        TeamMember.objects.filter(interview=coached.interview).delete()
        TeamMember.objects.create(
            interview=coached.interview, user=team.owner, role=TeamRole.INTERVIEWER
        )
    assert CoachReport.objects.get(interview=coached.interview).interviewer == team.owner


def test_a_new_aim_reads_every_report_again(team: Team, django_capture_on_commit_callbacks):
    coached = held_with_transcript(team)
    services.recompute(coached.interview.pk)
    client = team.client_for(team.owner)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url("coach:policy", team.workspace), {"customer_share_target": "80"})
    assert answer.status_code == 302
    report = CoachReport.objects.get(interview=coached.interview)
    talk = next(part for part in report.data["parts"] if part["key"] == "talk")
    assert talk["figures"]["target_share"] == 0.8
    refused = client.post(url("coach:policy", team.workspace), {"customer_share_target": "5"})
    assert refused.status_code == 400
    assert CoachPolicy.objects.get(workspace=team.workspace).customer_share_target == 80


def test_a_researcher_sees_the_median_only_when_it_gives_away_no_one(team: Team, computed):
    client = team.client_for(team.teammate)
    address = url("coach:person", team.workspace, user_pk=team.teammate.pk)
    page = client.get(address).content.decode()
    assert "The workspace's median shows once five interviews by three interviewers" in page
    owners = team.client_for(team.owner).get(address).content.decode()
    assert "workspace median" in owners


def test_a_co_interviewer_is_not_sent_to_the_leads_trend(team: Team, computed):
    from heard.accounts.models import Role
    from heard.interviews.models import TeamMember, TeamRole
    from tests.support import factories

    other = factories.member(team.workspace, Role.RESEARCHER, name="Cora Colead")
    TeamMember.objects.create(interview=computed.interview, user=other, role=TeamRole.INTERVIEWER)
    page = team.client_for(other).get(url("coach:report", team.workspace, pk=computed.interview.pk))
    assert page.status_code == 200
    lead_trend = url("coach:person", team.workspace, user_pk=team.teammate.pk)
    assert lead_trend not in page.content.decode()

"""Scheduling, editing and cancelling an interview: the form, its checks and time zones."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from heard.interviews import scheduling, services
from heard.interviews.models import Interview, InterviewStatus, TeamRole
from heard.studies.models import StudyStatus
from tests.support import factories
from tests.support.interviews import schedule_data
from tests.support.urls import url

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def test_owner_schedules_an_interview_and_lands_on_it(team, owner_client, study, participant):
    response = owner_client.post(
        url("interviews:create", team), schedule_data(study, participant, creator_interviews="on")
    )
    interview = Interview.objects.get()
    assert response.status_code == 302
    assert response.url == url("interviews:detail", team, pk=interview.pk)
    assert (interview.study, interview.participant) == (study, participant)
    assert interview.created_by == team.owner
    assert interview.status == InterviewStatus.SCHEDULED
    assert interview.length_minutes == 45
    lead = interview.team.get()
    assert (lead.user, lead.role, lead.seniority) == (team.owner, TeamRole.INTERVIEWER, 1)
    assert interview.checklist.count() == len(services.checklist_for("video"))


def test_teammate_schedules_without_joining_the_team(team, teammate_client, study, participant):
    teammate_client.post(url("interviews:create", team), schedule_data(study, participant))
    interview = Interview.objects.get()
    assert interview.created_by == team.teammate
    assert not interview.team.exists()


def test_ten_in_berlin_in_winter_is_nine_utc(team, owner_client, study, participant):
    owner_client.post(url("interviews:create", team), schedule_data(study, participant))
    interview = Interview.objects.get()
    assert interview.starts_at == datetime.datetime(2027, 1, 15, 9, 0, tzinfo=UTC)
    assert interview.time_zone == "Europe/Berlin"
    assert (interview.local_start.hour, interview.local_start.minute) == (10, 0)


def test_ten_in_berlin_in_summer_is_eight_utc(team, owner_client, study, participant):
    owner_client.post(
        url("interviews:create", team), schedule_data(study, participant, day="2027-07-15")
    )
    interview = Interview.objects.get()
    assert interview.starts_at == datetime.datetime(2027, 7, 15, 8, 0, tzinfo=UTC)


def test_half_hour_zones_and_southern_summer(team, owner_client, study, participant):
    owner_client.post(
        url("interviews:create", team),
        schedule_data(study, participant, day="2027-01-15", time_zone="Asia/Kolkata"),
    )
    owner_client.post(
        url("interviews:create", team),
        schedule_data(study, participant, day="2027-01-15", time_zone="Australia/Sydney"),
    )
    kolkata, sydney = Interview.objects.order_by("id")
    assert kolkata.starts_at == datetime.datetime(2027, 1, 15, 4, 30, tzinfo=UTC)
    # January is summer in Sydney: UTC+11, so 10:00 there is 23:00 the day before in UTC.
    assert sydney.starts_at == datetime.datetime(2027, 1, 14, 23, 0, tzinfo=UTC)


def test_a_time_skipped_by_the_clocks_moving_forward_is_refused(
    team, owner_client, study, participant
):
    response = owner_client.post(
        url("interviews:create", team),
        schedule_data(study, participant, day="2027-03-28", start_time="02:30"),
    )
    assert response.status_code == 200
    assert b"does not exist on 28 Mar 2027 in Europe/Berlin" in response.content
    assert not Interview.objects.exists()


def test_a_time_that_happens_twice_is_the_first_one(team, owner_client, study, participant):
    owner_client.post(
        url("interviews:create", team),
        schedule_data(study, participant, day="2027-10-31", start_time="02:30"),
    )
    interview = Interview.objects.get()
    assert interview.starts_at == datetime.datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_the_interview_page_shows_the_time_in_the_interviews_zone(
    team, owner_client, study, participant
):
    interview = factories.interview(
        study,
        participant,
        starts_at=datetime.datetime(2027, 1, 15, 9, 0, tzinfo=UTC),
        time_zone="America/New_York",
    )
    content = owner_client.get(url("interviews:detail", team, pk=interview.pk)).content.decode()
    assert "Friday 15 January 2027, 04:00\u201304:45" in content
    assert "America/New_York" in content


@override_settings(TIME_ZONE="Asia/Tokyo")
def test_the_zone_defaults_to_the_server_setting(team, owner_client, study):
    content = owner_client.get(url("interviews:create", team)).content.decode()
    assert '<option value="Asia/Tokyo" selected dir="auto">' in content


def test_any_iana_zone_is_accepted_and_anything_else_refused(
    team, owner_client, study, participant
):
    owner_client.post(
        url("interviews:create", team),
        schedule_data(study, participant, time_zone="Pacific/Chatham"),
    )
    assert Interview.objects.get().time_zone == "Pacific/Chatham"
    for bad in ("Mars/Olympus_Mons", "../../etc/passwd", "localtime", ""):
        response = owner_client.post(
            url("interviews:create", team), schedule_data(study, participant, time_zone=bad)
        )
        assert response.status_code == 200, bad
    assert Interview.objects.count() == 1


def test_the_length_defaults_to_the_guides_length(team, owner_client, study, participant):
    guide = factories.guide(study)
    guide.interview_minutes = 60
    guide.save()
    owner_client.post(
        url("interviews:create", team), schedule_data(study, participant, guide=guide.pk)
    )
    assert Interview.objects.get().length_minutes == 60


def test_a_length_typed_in_wins_over_the_guide(team, owner_client, study, participant):
    guide = factories.guide(study)
    owner_client.post(
        url("interviews:create", team),
        schedule_data(study, participant, guide=guide.pk, length_minutes="30"),
    )
    assert Interview.objects.get().length_minutes == 30


def test_a_guide_of_another_study_is_refused(team, owner_client, study, participant):
    other_study = factories.study(team.workspace, title="Pricing")
    foreign_guide = factories.guide(other_study, title="Pricing guide")
    response = owner_client.post(
        url("interviews:create", team), schedule_data(study, participant, guide=foreign_guide.pk)
    )
    assert response.status_code == 200
    assert "is a guide of another study" in response.content.decode()
    assert not Interview.objects.exists()


def test_a_participant_or_study_of_another_workspace_is_refused(
    team, owner_client, study, participant
):
    stranger = factories.participant(team.other_workspace, name="Not yours")
    foreign_study = factories.study(team.other_workspace)
    foreign_guide = factories.guide(foreign_study)
    for data in (
        schedule_data(study, stranger),
        schedule_data(foreign_study, participant),
        schedule_data(study, participant, guide=foreign_guide.pk),
    ):
        response = owner_client.post(url("interviews:create", team), data)
        assert response.status_code == 200
        assert b"Select a valid choice" in response.content
    assert not Interview.objects.exists()


def test_the_form_finds_only_this_workspaces_people_and_studies(
    team, owner_client, study, participant
):
    factories.participant(team.other_workspace, name="Stranger Smith")
    factories.study(team.other_workspace, title="Secret study")
    content = owner_client.get(url("interviews:create", team) + "?participant_q=smith")
    assert "Nickole Smith" in content.content.decode()
    assert "Stranger" not in content.content.decode()
    assert "Secret study" not in content.content.decode()


def test_create_preselects_the_study_and_its_only_guide(team, owner_client, study, guide):
    response = owner_client.get(url("interviews:create", team) + f"?study={study.pk}")
    form = response.context["form"]
    assert form.initial["study"] == study.pk
    assert form.initial["guide"] == guide.pk


def test_create_ignores_a_study_of_another_workspace_or_nonsense(team, owner_client):
    foreign = factories.study(team.other_workspace)
    for query in (f"?study={foreign.pk}", "?study=abc", "?study=99999999999999999999"):
        response = owner_client.get(url("interviews:create", team) + query)
        assert response.status_code == 200
        assert "study" not in response.context["form"].initial


def test_edit_moves_the_interview_and_raises_the_invitation_sequence(
    team, owner_client, interview, study, participant
):
    before = interview.sequence
    response = owner_client.post(
        url("interviews:edit", team, pk=interview.pk),
        schedule_data(study, participant, day="2027-02-01", start_time="15:30", length_minutes=60),
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.starts_at == datetime.datetime(2027, 2, 1, 14, 30, tzinfo=UTC)
    assert interview.length_minutes == 60
    assert interview.sequence == before + 1


def test_edit_form_shows_the_stored_local_time(team, owner_client, study, participant):
    interview = factories.interview(
        study,
        participant,
        starts_at=datetime.datetime(2027, 7, 1, 7, 0, tzinfo=UTC),
        time_zone="Europe/London",
    )
    content = owner_client.get(url("interviews:edit", team, pk=interview.pk)).content.decode()
    assert 'value="2027-07-01"' in content
    assert 'value="08:00"' in content
    assert '<option value="Europe/London" selected dir="auto">' in content


def test_cancel_keeps_the_interview_as_cancelled(team, owner_client, interview):
    assert owner_client.get(url("interviews:cancel", team, pk=interview.pk)).status_code == 200
    response = owner_client.post(url("interviews:cancel", team, pk=interview.pk))
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CANCELLED
    assert interview.sequence == 1
    listed = owner_client.get(url("interviews:list", team) + "?view=past").content.decode()
    assert "Nickole Smith" in listed
    assert "Cancelled" in listed


def test_a_cancelled_interview_can_be_put_back(team, owner_client, interview):
    scheduling.cancel_interview(interview)
    assert owner_client.get(url("interviews:cancel", team, pk=interview.pk)).status_code == 302
    owner_client.post(url("interviews:reinstate", team, pk=interview.pk))
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.SCHEDULED
    assert interview.sequence == 2


def test_a_past_open_interview_is_flagged(team, owner_client, study, participant):
    interview = factories.interview(
        study, participant, starts_at=datetime.datetime(2020, 1, 1, 9, tzinfo=UTC)
    )
    content = owner_client.get(url("interviews:detail", team, pk=interview.pk)).content.decode()
    assert "The time of this interview has passed" in content
    assert "Time passed" in content


def test_hostile_names_are_shown_as_text(team, owner_client, study):
    person = factories.participant(team.workspace, name="<script>alert(1)</script>")
    interview = factories.interview(study, person, location="javascript:alert(1)")
    content = owner_client.get(url("interviews:detail", team, pk=interview.pk)).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert 'href="javascript:' not in content


def test_the_first_interview_moves_the_study_to_interviewing(team):
    study = factories.study(team.workspace)
    assert study.status == StudyStatus.PLANNING
    interview = Interview(
        study=study,
        participant=factories.participant(team.workspace),
        starts_at=timezone.now() + datetime.timedelta(days=1),
    )
    scheduling.schedule_interview(interview, team.owner)
    study.refresh_from_db()
    assert study.status == StudyStatus.INTERVIEWING


def _guides_offered(response) -> list[str]:  # type: ignore[no-untyped-def]
    field = response.context["form"]["guide"]
    return [str(label) for value, label in field.field.choices if value != ""]


def test_the_form_offers_only_the_known_studys_guides(team, owner_client, study, guide):
    other = factories.study(team.workspace, title="Pricing")
    factories.guide(other, title="Pricing guide")
    blank = owner_client.get(url("interviews:create", team))
    assert _guides_offered(blank) == []
    assert "Pick a study first" in blank.content.decode()
    chosen = owner_client.get(url("interviews:create", team) + f"?study={other.pk}")
    assert _guides_offered(chosen) == ["Pricing guide (45 min)"]
    # Without the script: the form sent back by its "Show its guides" button, as it was.
    shown = owner_client.get(
        url("interviews:create", team),
        {"participant_q": "", "study": str(other.pk), "location": "Room 4", "guides": "1"},
    )
    assert _guides_offered(shown) == ["Pricing guide (45 min)"]
    assert shown.context["form"]["location"].value() == "Room 4"


def test_the_edit_form_offers_its_own_studys_guides(team, owner_client, interview, guide):
    factories.guide(factories.study(team.workspace, title="Pricing"), title="Pricing guide")
    response = owner_client.get(url("interviews:edit", team, pk=interview.pk))
    assert _guides_offered(response) == [f"{guide.title} ({guide.interview_minutes} min)"]


def test_the_guides_of_a_study_for_the_forms_script(team, owner_client, study, guide):
    answer = owner_client.get(url("interviews:guide_options", team), {"study": study.pk})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.startswith("<select")
    assert f'value="{guide.pk}"' in html
    assert f'data-study="{study.pk}"' in html


def test_the_guides_of_another_workspaces_study_are_a_404(
    team, owner_client, outsider_client, observer_client, study
):
    foreign = factories.study(team.other_workspace)
    factories.guide(foreign, title="Their guide")
    guides = url("interviews:guide_options", team)
    assert owner_client.get(guides, {"study": foreign.pk}).status_code == 404
    assert owner_client.get(guides, {"study": "nonsense"}).status_code == 404
    assert outsider_client.get(guides, {"study": study.pk}).status_code == 404
    assert observer_client.get(guides, {"study": study.pk}).status_code == 403


def test_an_edit_sent_without_its_study_still_offers_its_guides(
    team, owner_client, interview, study, participant, guide
):
    data = schedule_data(study, participant, time_zone="Nowhere/Atlantis")
    data.pop("study")
    response = owner_client.post(url("interviews:edit", team, pk=interview.pk), data)
    assert response.status_code == 200  # refused: no study, no such time zone
    assert _guides_offered(response) == [f"{guide.title} ({guide.interview_minutes} min)"]

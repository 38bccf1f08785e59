"""Every action the audit log records writes its entry: who, what, to what, from where. A
participant appears in the log by id alone, so that erasing them leaves nothing there."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from heard.accounts.models import AuditAction, AuditEntry, Invitation, Membership, Role, User
from heard.followups.models import FollowUp
from heard.interviews.transcripts import formats
from heard.privacy import retention
from heard.privacy.models import RetentionPolicy
from tests.coach.conftest import held_with_transcript
from tests.support.personas import Team
from tests.support.privacy import EMAIL, NAME, PHONE, World, build
from tests.support.sweep import database_traces
from tests.support.urls import url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


@pytest.fixture
def world(team: Team, tmp_path: Path) -> World:
    return build(team, tmp_path)


def entries(action: AuditAction) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def the_entry(action: AuditAction, actor: User | None, kind: str, target: object) -> AuditEntry:
    """The one entry of `action`, checked to be `actor`'s on the target of `kind` and id."""
    [entry] = entries(action)
    assert entry.actor == actor
    assert (entry.target_kind, entry.target_id) == (kind, str(target))
    if actor is not None:
        assert entry.actor_label == f"{actor.name} <{actor.email}>"
        assert entry.address == "127.0.0.1"
    return entry


# Recordings and transcripts --------------------------------------------------------------------


def test_a_play_is_recorded_once_an_hour_per_person_whatever_ranges_the_player_asks(
    world: World, team: Team, observer_client: Client, teammate_client: Client
):
    recording = world.recording
    play = url("recordings:play", team, pk=recording.interview_id, recording_pk=recording.pk)
    earlier = AuditEntry.objects.create(
        workspace=team.workspace,
        at=timezone.now() - datetime.timedelta(minutes=61),
        actor=team.teammate,
        action=AuditAction.RECORDING_PLAYED,
        target_kind="interviews.recording",
        target_id=str(recording.pk),
    )
    for first in (0, 100, 200):
        response = observer_client.get(play, headers={"range": f"bytes={first}-{first + 99}"})
        assert response.status_code == 206
    for _ in range(2):
        assert teammate_client.get(play).status_code == 200
    plays = entries(AuditAction.RECORDING_PLAYED)
    assert [entry.actor for entry in plays] == [team.teammate, team.observer, team.teammate]
    assert plays[0] == earlier
    observer = plays[1]
    assert (observer.target_kind, observer.target_id) == ("interviews.recording", str(recording.pk))
    assert (
        observer.target_label == f"Recording {recording.pk} of interview {recording.interview_id}"
    )
    assert observer.details == {"interview": recording.interview_id}
    assert observer.address == "127.0.0.1"


def test_downloading_a_recording_is_recorded(world: World, team: Team, observer_client: Client):
    recording = world.recording
    response = observer_client.get(
        url("recordings:original", team, pk=recording.interview_id, recording_pk=recording.pk)
    )
    assert response.status_code == 200
    the_entry(AuditAction.RECORDING_DOWNLOADED, team.observer, "interviews.recording", recording.pk)


@pytest.mark.parametrize("fmt", sorted(formats.WRITERS))
def test_downloading_a_transcript_is_recorded_in_every_format(
    world: World, team: Team, observer_client: Client, fmt: str
):
    transcript = world.transcript
    address = url(
        "transcripts:download",
        team,
        pk=transcript.interview_id,
        transcript_pk=transcript.pk,
        fmt=fmt,
    )
    assert observer_client.get(address).status_code == 200
    entry = the_entry(
        AuditAction.TRANSCRIPT_DOWNLOADED, team.observer, "interviews.transcript", transcript.pk
    )
    assert entry.details == {
        "interview": transcript.interview_id,
        "format": fmt,
        "pseudonyms": True,
    }


# Exports and downloads of study data ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "export"),
    [
        ("summaries:markdown", "summary_markdown"),
        ("summaries:print", "summary_print"),
        ("interviews:ics", "interview_ics"),
        ("interviews:customer_ics", "customer_ics"),
    ],
)
def test_an_interviews_exports_are_recorded(
    world: World, team: Team, observer_client: Client, name: str, export: str
):
    assert observer_client.get(url(name, team, pk=world.interview.pk)).status_code == 200
    entry = the_entry(
        AuditAction.EXPORTED, team.observer, "interviews.interview", world.interview.pk
    )
    # An observer's downloads name participants by pseudonyms (the printable page is a page).
    pseudonymised = {"pseudonyms": True} if export == "summary_markdown" else {}
    assert entry.details == {"export": export, **pseudonymised}


@pytest.mark.parametrize(
    ("name", "export"), [("matrix:xlsx", "matrix_xlsx"), ("matrix:csv", "matrix_csv")]
)
def test_the_matrix_downloads_are_recorded(
    world: World, team: Team, observer_client: Client, name: str, export: str
):
    study = world.plan.study
    response = observer_client.get(url(name, team, pk=study.pk), {"segment": "SMB"})
    assert response.status_code == 200
    entry = the_entry(AuditAction.EXPORTED, team.observer, "studies.study", study.pk)
    assert entry.details == {"export": export, "filtered": True, "pseudonyms": True}


def test_the_participant_list_download_is_recorded(team: Team, teammate_client: Client):
    response = teammate_client.get(url("participants:export", team), {"q": "brightpath"})
    assert response.status_code == 200
    entry = the_entry(AuditAction.EXPORTED, team.teammate, "", "")
    assert entry.details == {"export": "participants_csv", "filtered": True}


def test_a_follow_up_email_file_is_recorded(world: World, team: Team, observer_client: Client):
    followup = FollowUp.objects.get(interview=world.interview)
    address = url("followups:eml", team, interview_pk=world.interview.pk, pk=followup.pk)
    assert observer_client.get(address).status_code == 200
    entry = the_entry(AuditAction.EXPORTED, team.observer, "followups.followup", followup.pk)
    assert entry.details == {"export": "followup_eml", "interview": world.interview.pk}


def test_the_coachs_json_is_recorded(
    team: Team, owner_client: Client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        coached = held_with_transcript(team)
    interview = coached.interview
    assert owner_client.get(url("coach:report_json", team, pk=interview.pk)).status_code == 200
    assert owner_client.get(url("coach:study_json", team, pk=interview.study_id)).status_code == 200
    report, study = entries(AuditAction.EXPORTED)
    assert (report.actor, report.target_kind, report.target_id) == (
        team.owner,
        "interviews.interview",
        str(interview.pk),
    )
    assert report.details == {"export": "coach_report_json"}
    assert (study.target_kind, study.target_id) == ("studies.study", str(interview.study_id))
    assert study.details == {"export": "coach_study_json"}


# A participant's requests and retention ---------------------------------------------------------


def test_exporting_everything_about_a_participant_is_recorded(
    world: World, team: Team, owner_client: Client, tmp_path: Path
):
    person = world.person
    response = owner_client.get(url("privacy:export", team, pk=person.pk))
    b"".join(response.streaming_content)
    the_entry(AuditAction.PARTICIPANT_EXPORTED, team.owner, "participants.participant", person.pk)
    call_command(
        "participants", "export", EMAIL, "--workspace", team.workspace.slug,
        "-o", str(tmp_path / "them.zip"), stdout=io.StringIO(),
    )  # fmt: skip
    by_command = entries(AuditAction.PARTICIPANT_EXPORTED)[-1]
    assert by_command.actor is None
    assert by_command.details == {"via": "command line"}


def test_an_erasure_is_recorded_and_the_log_keeps_nothing_of_the_person(
    world: World, team: Team, owner_client: Client, observer_client: Client
):
    person = world.person
    recording, transcript = world.recording, world.transcript
    observer_client.get(
        url("recordings:play", team, pk=recording.interview_id, recording_pk=recording.pk)
    )
    observer_client.get(
        url(
            "transcripts:download",
            team,
            pk=transcript.interview_id,
            transcript_pk=transcript.pk,
            fmt="txt",
        )
    )
    b"".join(owner_client.get(url("privacy:export", team, pk=person.pk)).streaming_content)
    erase = url("privacy:erase", team, pk=person.pk)
    seen = owner_client.get(erase).context["preview"].fingerprint
    response = owner_client.post(erase, {"team_side": "keep", "seen": seen, "confirm": "yes"})
    assert response.status_code == 302
    entry = the_entry(
        AuditAction.PARTICIPANT_ERASED, team.owner, "participants.participant", person.pk
    )
    assert entry.target_label == f"Participant {person.pk}"
    assert entry.details["team_side"] is False
    assert AuditEntry.objects.count() == 4
    traces = database_traces([NAME, EMAIL, PHONE, "Nickole", "Brightpath"])
    assert [trace for trace in traces if trace.startswith("accounts_auditentry")] == []


def test_an_erasure_from_the_command_line_is_recorded(world: World, team: Team):
    call_command(
        "participants", "erase", EMAIL, "--workspace", team.workspace.slug, "--yes",
        stdout=io.StringIO(),
    )  # fmt: skip
    entry = the_entry(
        AuditAction.PARTICIPANT_ERASED, None, "participants.participant", world.person.pk
    )
    assert entry.details["via"] == "command line"


def test_a_retention_policy_its_holds_and_what_it_deletes_are_recorded(
    world: World, team: Team, owner_client: Client
):
    policy_url = url("privacy:retention", team)
    response = owner_client.post(policy_url, {"recordings_days": "400", "interviews_months": "60"})
    assert response.status_code == 302
    policy = RetentionPolicy.objects.get(workspace=team.workspace)
    changed = the_entry(
        AuditAction.RETENTION_POLICY_CHANGED, team.owner, "privacy.retentionpolicy", policy.pk
    )
    assert changed.details == {
        "recordings_days": 400,
        "transcripts_days": None,
        "interviews_months": 60,
    }
    # Saving it unchanged is no change.
    owner_client.post(policy_url, {"recordings_days": "400", "interviews_months": "60"})
    assert len(entries(AuditAction.RETENTION_POLICY_CHANGED)) == 1

    hold = url("privacy:retention_hold", team, pk=world.interview.pk)
    owner_client.post(hold, {"until": "2031-01-31", "reason": "A dispute"})
    held = the_entry(
        AuditAction.RETENTION_OVERRIDE, team.owner, "interviews.interview", world.interview.pk
    )
    assert held.details == {"until": "2031-01-31"}
    page = owner_client.get(url("audit:log", team)).content.decode()
    assert "past the retention policy until 31 Jan 2031" in page
    owner_client.post(hold, {"action": "release"})
    the_entry(
        AuditAction.RETENTION_OVERRIDE_LIFTED,
        team.owner,
        "interviews.interview",
        world.interview.pk,
    )

    # The worker applies it 400 days on: Heard deletes the recording.
    retention.apply_all(timezone.now() + datetime.timedelta(days=405))
    applied = the_entry(AuditAction.RETENTION_APPLIED, None, "privacy.retentionpolicy", policy.pk)
    assert applied.details == {
        "recordings": 1,
        "recording_bytes": world.recording.size,
        "transcripts": 0,
        "interviews": 0,
    }
    # Nothing left to delete: nothing written.
    retention.apply_all(timezone.now() + datetime.timedelta(days=406))
    assert len(entries(AuditAction.RETENTION_APPLIED)) == 1


# The team ------------------------------------------------------------------------------------


def test_invitations_joining_roles_and_removals_are_recorded(team: Team, owner_client: Client):
    owner_client.post(
        url("accounts:invitation_create", team), {"email": "nina@example.org", "role": "observer"}
    )
    invitation = Invitation.objects.get()
    invited = the_entry(
        AuditAction.MEMBER_INVITED, team.owner, "accounts.invitation", invitation.pk
    )
    assert invited.target_label == "nina@example.org"
    assert invited.details == {"role": "observer", "emailed": False}

    link = owner_client.get(url("accounts:team", team)).context["new_link"]
    newcomer = Client()
    newcomer.post(
        urlsplit(link).path,
        {
            "name": "Nina New",
            "email": "nina@example.org",
            "password": "a long and unusual passphrase",
            "password_again": "a long and unusual passphrase",
        },
    )
    nina = User.objects.get(email="nina@example.org")
    membership = Membership.objects.get(user=nina, workspace=team.workspace)
    joined = the_entry(AuditAction.MEMBER_JOINED, nina, "accounts.membership", membership.pk)
    assert joined.details == {"role": "observer"}

    owner_client.post(url("accounts:member_role", team, pk=membership.pk), {"role": "researcher"})
    changed = the_entry(AuditAction.ROLE_CHANGED, team.owner, "accounts.membership", membership.pk)
    assert changed.details == {"was": "observer", "role": "researcher"}
    assert changed.target_label == "Nina New <nina@example.org>"
    # The same role again is no change.
    owner_client.post(url("accounts:member_role", team, pk=membership.pk), {"role": "researcher"})
    assert len(entries(AuditAction.ROLE_CHANGED)) == 1

    owner_client.post(url("accounts:member_remove", team, pk=membership.pk))
    removed = the_entry(
        AuditAction.MEMBER_REMOVED, team.owner, "accounts.membership", membership.pk
    )
    assert removed.details == {"role": "researcher"}

    owner_client.post(
        url("accounts:invitation_create", team), {"email": "rui@example.org", "role": "observer"}
    )
    unused = Invitation.objects.get(email="rui@example.org")
    owner_client.post(url("accounts:invitation_revoke", team, pk=unused.pk))
    revoked = the_entry(
        AuditAction.INVITATION_REVOKED, team.owner, "accounts.invitation", unused.pk
    )
    assert revoked.target_label == "rui@example.org"
    page = owner_client.get(url("audit:log", team)).content.decode()
    assert "changed the role of" in page


def test_changing_the_workspace_settings_is_recorded(team: Team, owner_client: Client):
    workspace = team.workspace
    data = {
        "name": workspace.name,
        "purpose_template": workspace.purpose_template,
        "transcript_language": workspace.transcript_language,
        "observers_may_export_participants": "on",
        "observers_export_pseudonyms": "on",
    }
    assert owner_client.post(url("accounts:workspace_settings", team), data).status_code == 302
    entry = the_entry(
        AuditAction.SETTINGS_CHANGED, team.owner, "accounts.workspace", team.workspace.pk
    )
    assert entry.details == {"changed": ["observers_may_export_participants"]}


def test_adding_a_member_from_the_command_line_is_recorded(team: Team, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long and unusual passphrase\n"))
    call_command(
        "createuser", "--email", "rui@example.org", "--name", "Rui", "--join",
        team.workspace.slug, "--role", Role.OBSERVER, "--password-stdin", stdout=io.StringIO(),
    )  # fmt: skip
    rui = Membership.objects.get(user__email="rui@example.org")
    entry = the_entry(AuditAction.MEMBER_JOINED, None, "accounts.membership", rui.pk)
    assert entry.details == {"role": "observer", "via": "command line"}
    assert entry.target_label == "Rui <rui@example.org>"

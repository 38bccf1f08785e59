"""The audit log itself: append-only in the model and in the database, purged by age by the
worker, gone with its workspace; the owners' page, its filters and its CSV."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from heard.accounts import audit
from heard.accounts.models import AppendOnly, AuditAction, AuditEntry
from heard.accounts.tasks import PURGE_EVERY, purge_audit_log
from tests.support import factories
from tests.support.personas import Team
from tests.support.urls import url

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def played(team: Team, at: datetime.datetime | None = None) -> AuditEntry:
    """An entry of the teammate playing a recording, written at `at` (now by default)."""
    interview = factories.interview(factories.study(team.workspace))
    return AuditEntry.objects.create(
        workspace=team.workspace,
        at=at or timezone.now(),
        actor=team.teammate,
        actor_label=audit.person_label(team.teammate),
        action=AuditAction.RECORDING_PLAYED,
        target_kind="interviews.interview",
        target_id=str(interview.pk),
        target_label=f"Interview {interview.pk}",
    )


def test_an_entry_is_never_changed_or_deleted_through_the_models(team: Team):
    entry = played(team)
    entry.target_label = "Something else"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(target_label="Something else")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).target_label.startswith("Interview ")


@pytest.mark.parametrize(
    ("column", "value"),
    [("target_label", "'Something else'"), ("action", "'exported'"), ("at", "at")],
)
def test_the_database_refuses_to_update_an_entry(team: Team, column: str, value: str):
    entry = played(team)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE accounts_auditentry SET {column} = {value} WHERE id = %s",  # noqa: S608
            [entry.pk],
        )
    kept = AuditEntry.objects.get(pk=entry.pk)
    assert (kept.target_label, kept.action) == (entry.target_label, AuditAction.RECORDING_PLAYED)


def test_a_deleted_account_leaves_its_name_in_the_log(team: Team):
    """The one change the database lets through: the actor's link set to NULL as their
    account goes; the name and email they had stay."""
    entry = played(team)
    team.teammate.delete()
    kept = AuditEntry.objects.get(pk=entry.pk)
    assert kept.actor is None
    assert kept.actor_label == f"Tom Teammate <{entry.actor_label.split('<')[1]}"
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_auditentry SET actor_id = %s WHERE id = %s", [team.owner.pk, entry.pk]
        )


def test_the_purge_deletes_entries_older_than_the_setting(team: Team, settings):
    settings.HEARD_AUDIT_KEEP_DAYS = 30
    now = timezone.now()
    old = played(team, at=now - datetime.timedelta(days=31))
    recent = played(team, at=now - datetime.timedelta(days=29))
    elsewhere = audit.record(team.other_workspace, team.outsider, AuditAction.MEMBER_INVITED)
    assert audit.purge(now) == 1
    assert set(AuditEntry.objects.values_list("pk", flat=True)) == {recent.pk, elsewhere.pk}
    assert not AuditEntry.objects.filter(pk=old.pk).exists()


def test_zero_days_keeps_every_entry(team: Team, settings):
    settings.HEARD_AUDIT_KEEP_DAYS = 0
    played(team, at=timezone.now() - datetime.timedelta(days=3650))
    assert audit.purge() == 0
    assert AuditEntry.objects.count() == 1


def test_deleting_the_workspace_deletes_its_log(team: Team):
    audit.record(team.workspace, team.owner, AuditAction.MEMBER_INVITED)
    audit.record(team.other_workspace, team.outsider, AuditAction.MEMBER_INVITED)
    team.workspace.delete()
    assert list(AuditEntry.objects.values_list("workspace", flat=True)) == [team.other_workspace.pk]


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS, HEARD_AUDIT_KEEP_DAYS=30)
def test_the_worker_purges_as_it_starts_and_then_every_day(team: Team):
    old = played(team, at=timezone.now() - datetime.timedelta(days=40))
    call_command("worker", "--batch", verbosity=0)
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    path = purge_audit_log.module_path
    [following] = DBTaskResult.objects.filter(task_path=path, status="READY")
    assert following.run_after > timezone.now() + PURGE_EVERY - datetime.timedelta(minutes=5)
    # A second worker starting queues no second purge.
    call_command("worker", "--batch", verbosity=0)
    assert DBTaskResult.objects.filter(task_path=path, status="READY").count() == 1


# The owners' page ------------------------------------------------------------------------------


def test_owners_read_who_did_what_newest_first_with_links_to_what_still_exists(
    team: Team, owner_client: Client
):
    study = factories.study(team.workspace, title="Onboarding")
    kept = factories.interview(study)
    gone = factories.interview(study)
    audit.record(team.workspace, team.teammate, AuditAction.RECORDING_PLAYED, target=kept)
    audit.record(
        team.workspace, team.owner, AuditAction.EXPORTED, target=gone, export="customer_ics"
    )
    audit.record(
        team.workspace, team.owner, AuditAction.EXPORTED, target=study, export="matrix_xlsx"
    )
    gone_id = gone.pk
    gone.delete()
    page = owner_client.get(url("audit:log", team)).content.decode()
    newest, middle, oldest = (
        page.index(f'matrix of <a href="{url("studies:detail", team, pk=study.pk)}">Study'),
        page.index(f"calendar invitation to Interview {gone_id}"),
        page.index(f'played <a href="{url("interviews:detail", team, pk=kept.pk)}">Interview'),
    )
    assert newest < middle < oldest
    assert "Tom Teammate &lt;" in page
    assert "as XLSX" in page


def test_researchers_may_not_read_it(team: Team, teammate_client: Client):
    for name in ("audit:log", "audit:csv"):
        assert teammate_client.get(url(name, team)).status_code == 403


def test_the_team_page_and_the_settings_link_it_for_owners_only(
    team: Team, owner_client: Client, teammate_client: Client
):
    address = url("audit:log", team)
    assert address in owner_client.get(url("accounts:team", team)).content.decode()
    assert address in owner_client.get(url("accounts:workspace_settings", team)).content.decode()
    assert address not in teammate_client.get(url("accounts:team", team)).content.decode()


def test_it_filters_by_action_person_and_dates(team: Team, owner_client: Client):
    now = timezone.now()
    first = played(team, at=now - datetime.timedelta(days=10))
    second = played(team, at=now - datetime.timedelta(days=2))
    invited = audit.record(team.workspace, team.owner, AuditAction.MEMBER_INVITED)
    assert invited is not None
    by_command = audit.record(
        team.workspace, None, AuditAction.PARTICIPANT_EXPORTED, via="command line"
    )
    assert by_command is not None

    def shown(**query: str) -> set[int]:
        response = owner_client.get(url("audit:log", team), query)
        assert response.status_code == 200
        return {line.entry.pk for line in response.context["lines"]}

    assert shown() == {first.pk, second.pk, invited.pk, by_command.pk}
    assert shown(action=AuditAction.RECORDING_PLAYED) == {first.pk, second.pk}
    assert shown(person=str(team.owner.pk)) == {invited.pk}
    assert shown(person="none") == {by_command.pk}
    day = timezone.localdate(now - datetime.timedelta(days=5))
    assert shown(since=day.isoformat()) == {second.pk, invited.pk, by_command.pk}
    assert shown(until=day.isoformat()) == {first.pk}
    assert shown(since=day.isoformat(), action=AuditAction.RECORDING_PLAYED) == {second.pk}
    # A date that does not hold is left out and said.
    response = owner_client.get(url("audit:log", team), {"since": "2027-02-30"})
    assert "Enter a valid date" in response.content.decode()
    assert len(response.context["lines"]) == 4


def test_a_person_who_left_can_still_be_chosen(team: Team, owner_client: Client):
    played(team)
    team.workspace.memberships.filter(user=team.teammate).delete()
    response = owner_client.get(url("audit:log", team), {"person": str(team.teammate.pk)})
    assert len(response.context["lines"]) == 1


@override_settings(TIME_ZONE="Asia/Kolkata")
def test_times_are_in_heards_time_zone(team: Team, owner_client: Client):
    played(team, at=datetime.datetime(2027, 1, 15, 9, 0, tzinfo=zoneinfo.ZoneInfo("UTC")))
    page = owner_client.get(url("audit:log", team)).content.decode()
    assert "15 Jan 2027, 14:30" in page
    assert "Asia/Kolkata" in page


def test_the_csv_holds_the_filtered_entries_neutralised_and_is_itself_recorded(
    team: Team, owner_client: Client
):
    played(team)
    audit.record(
        team.workspace,
        team.owner,
        AuditAction.EXPORTED,
        target_kind="studies.study",
        target_id="7",
        target_label='=HYPERLINK("http://evil.example")',
        export="matrix_csv",
    )
    response = owner_client.get(url("audit:csv", team), {"action": AuditAction.EXPORTED})
    assert response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="heard-audit-log-')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = text.strip().splitlines()
    assert header.startswith('"When","Who","Action","What","Target"')
    assert len(rows) == 1
    assert '"\'=HYPERLINK(""http://evil.example"")"' in rows[0]
    assert "Olivia Owner <olivia@acme.example>" in rows[0]
    downloaded = AuditEntry.objects.get(action=AuditAction.AUDIT_LOG_EXPORTED)
    assert downloaded.actor == team.owner
    assert downloaded.details == {"filtered": True, "filters": {"action": "exported"}}
    assert downloaded.address == "127.0.0.1"


def test_a_participant_is_named_by_id_only(team: Team):
    person = factories.participant(team.workspace, name="Nickole Barros")
    entry = audit.record(
        team.workspace, team.owner, AuditAction.PARTICIPANT_EXPORTED, target=person
    )
    assert entry is not None
    assert entry.target_label == f"Participant {person.pk}"
    assert (entry.target_kind, entry.target_id) == ("participants.participant", str(person.pk))

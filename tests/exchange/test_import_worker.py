"""Importing is a task: the page follows it, a second press joins it, a worker starting takes
up what a killed one left, and an import the person may no longer make fails saying why."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from heard.accounts.models import AuditAction, AuditEntry, Membership, Role
from heard.core.worker import worker_starting
from heard.exchange.models import ImportStatus, ProjectImport
from heard.interviews.models import Note
from heard.interviews.transcripts import highlights
from tests.support.exchange import coded_study
from tests.support.personas import Team

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _checked(team: Team, client: Client) -> tuple[ProjectImport, str]:
    coded = coded_study(team)
    ws = team.workspace.slug
    data = b"".join(
        client.get(
            reverse("exchange:project", kwargs={"ws": ws, "pk": coded.study.pk})
        ).streaming_content
    )
    for mark in coded.highlights:
        highlights.remove(mark)
    client.post(
        reverse("exchange:import", kwargs={"ws": ws, "pk": coded.study.pk}),
        {"file": SimpleUploadedFile("coded.qdpx", data)},
    )
    checked = ProjectImport.objects.get()
    url = reverse(
        "exchange:import_check", kwargs={"ws": ws, "pk": coded.study.pk, "import_pk": checked.pk}
    )
    return checked, url


def _made() -> int:
    return Note.objects.filter(source="recording", deleted_at__isnull=True).count()


@pytest.mark.django_db(transaction=True)
def test_the_worker_imports_and_the_page_follows(team: Team, owner_client: Client, settings: Any):
    settings.TASKS = DATABASE_TASKS
    checked, url = _checked(team, owner_client)

    assert owner_client.post(url).status_code == 302
    checked.refresh_from_db()
    assert checked.status == ImportStatus.QUEUED  # asked for, not made in the request
    assert _made() == 0
    page = owner_client.get(url).content.decode()
    assert "Importing…" in page
    assert 'hx-trigger="every 2s"' in page
    assert '<meta http-equiv="refresh" content="5">' in page
    assert "Import 3 highlights" not in page
    # A second press joins it.
    owner_client.post(url)
    assert ProjectImport.objects.get().status == ImportStatus.QUEUED

    call_command("worker", "--batch", verbosity=0)

    checked.refresh_from_db()
    assert checked.status == ImportStatus.DONE, checked.failure
    assert _made() == 3
    page = owner_client.get(url).content.decode()
    assert "Imported 3 highlights on 1 interview" in page
    assert 'hx-trigger="every 2s"' not in page
    assert AuditEntry.objects.filter(action=AuditAction.IMPORTED).count() == 1


@pytest.mark.django_db
def test_a_worker_starting_takes_up_what_was_left(team: Team, owner_client: Client):
    checked, _url = _checked(team, owner_client)
    ProjectImport.objects.filter(pk=checked.pk).update(
        status=ImportStatus.QUEUED, imported_by=team.owner
    )
    worker_starting.send(sender=None)
    checked.refresh_from_db()
    assert checked.status == ImportStatus.DONE
    assert _made() == 3


@pytest.mark.django_db
def test_an_import_the_person_may_no_longer_make_fails_and_makes_nothing(
    team: Team, owner_client: Client, teammate_client: Client
):
    checked, url = _checked(team, owner_client)
    ProjectImport.objects.filter(pk=checked.pk).update(
        status=ImportStatus.QUEUED, imported_by=team.teammate
    )
    Membership.objects.filter(user=team.teammate).update(role=Role.OBSERVER)
    worker_starting.send(sender=None)
    checked.refresh_from_db()
    assert checked.status == ImportStatus.FAILED
    assert _made() == 0
    page = owner_client.get(url).content.decode()
    assert "The import failed" in page
    assert "may no longer change this study" in page
    # Trying again, as someone who may, imports.
    owner_client.post(url)
    checked.refresh_from_db()
    assert checked.status == ImportStatus.DONE
    assert _made() == 3

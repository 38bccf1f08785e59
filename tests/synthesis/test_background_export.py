"""A large study's matrix as XLSX, made in the background: below the threshold the download is
as it was; above it the button queues an export that a worker makes (the same workbook as the
download), with its progress, a download for its asker alone, a failure that says so and tries
again, a killed worker's export taken over, and files kept a day or until a newer one."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from heard.accounts.models import AuditEntry, Membership, Role
from heard.core.worker import worker_starting
from heard.privacy import erasure
from heard.synthesis.matrix import exports, spreadsheet, tasks
from heard.synthesis.models import ExportStatus, MatrixExport
from tests.support.matrix import Round
from tests.support.personas import Team
from tests.support.spreadsheets import xlsx_as_seen
from tests.support.urls import matrix_url, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def large(settings: Any) -> None:
    """The round's four quotes make a large study."""
    settings.HEARD_EXPORT_BACKGROUND_QUOTES = 2


def export_url(export: MatrixExport, name: str = "export") -> str:
    return url(f"matrix:{name}", export.study.workspace, pk=export.study_id, export_pk=export.pk)


def queued(round_: Round, team: Team) -> MatrixExport:
    """The owner's export, as the button queues it, with no task (a killed worker took it)."""
    return MatrixExport.objects.create(
        study=round_.study, requested_by=team.owner, base_url="http://testserver"
    )


def ask(client: Client, round_: Round, **data: str) -> MatrixExport:
    """Press the matrix page's XLSX button (with htmx): the export it queued or joined."""
    response = client.post(matrix_url(round_.study, "export_start"), data, **HTMX)
    assert response.status_code == 200
    assert 'id="matrix-export"' in response.content.decode()
    return MatrixExport.objects.get(pk=response.context["export"].pk)


def downloaded(response: Any) -> bytes:
    assert response.status_code == 200, response
    assert response["Content-Type"] == spreadsheet.XLSX_TYPE
    return b"".join(response.streaming_content)


def as_seen_but_when(data: bytes) -> dict[str, Any]:
    """The file as a person sees it, less the minute it was made (the About sheet's last but
    one row), which is checked to be now."""
    seen = xlsx_as_seen(data)
    about = seen["About"]["cells"]
    [exported] = [row for row in about if row[0][0] == "Exported"]
    made = datetime.datetime.strptime(exported[1][0][:16], "%Y-%m-%d %H:%M")
    assert abs(made - timezone.localtime().replace(tzinfo=None)) < datetime.timedelta(minutes=2)
    about.remove(exported)
    return seen


def synchronous(client: Client, round_: Round, settings: Any, query: str = "") -> bytes:
    """The same file, downloaded at once as a small study's is."""
    threshold = settings.HEARD_EXPORT_BACKGROUND_QUOTES
    settings.HEARD_EXPORT_BACKGROUND_QUOTES = 10_000
    try:
        return downloaded(client.get(matrix_url(round_.study, "xlsx") + query))
    finally:
        settings.HEARD_EXPORT_BACKGROUND_QUOTES = threshold


def test_a_small_study_downloads_at_once_as_before(round_: Round, owner_client: Client):
    page = owner_client.get(matrix_url(round_.study)).content.decode()
    assert f'href="{matrix_url(round_.study, "xlsx")}" download>Download XLSX</a>' in page
    assert 'id="matrix-export"' not in page
    assert "made in the background" not in page
    book = load_workbook(io.BytesIO(downloaded(owner_client.get(matrix_url(round_.study, "xlsx")))))
    assert book["Quotes"].max_row == 1 + 4
    assert not MatrixExport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_large_study_is_made_by_the_worker_and_is_the_same_workbook(
    round_: Round, team: Team, owner_client: Client, settings: Any, large: None, monkeypatch
):
    settings.TASKS = DATABASE_TASKS
    study = round_.study
    page = owner_client.get(matrix_url(study)).content.decode()
    assert f'action="{matrix_url(study, "export_start")}"' in page
    assert f'href="{matrix_url(study, "xlsx")}"' not in page
    # The download's address (a bookmark) sends the person to the button, saying why.
    sent = owner_client.get(matrix_url(study, "xlsx") + "?segment=SMB&pseudonyms=1")
    assert sent.status_code == 302
    assert sent.url == matrix_url(study) + "?segment=SMB#matrix-export"
    assert "3 quotes: its XLSX file is made in the background" in (
        owner_client.get(sent.url).content.decode()
    )

    export = ask(owner_client, round_, sort="participant")
    assert export.status == ExportStatus.QUEUED  # queued, not made in the request
    assert export.query == "sort=participant"
    panel = owner_client.get(export_url(export), **HTMX).content.decode()
    assert '<progress id="matrix-export-progress" max="100" value="0">' in panel
    assert "Waiting for a worker" in panel
    assert 'hx-trigger="every 2s"' in panel
    # A second press, with other filters, joins the export being made.
    assert ask(owner_client, round_, segment="SMB").pk == export.pk
    assert MatrixExport.objects.count() == 1

    saved: list[dict[str, int]] = []
    save = exports._Progress._save

    def recorded(self: Any, **changes: int) -> None:
        saved.append(changes)
        save(self, **changes)

    monkeypatch.setattr(exports._Progress, "_save", recorded)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 0.0)
    call_command("worker", "--batch", verbosity=0)

    export.refresh_from_db()
    assert export.status == ExportStatus.DONE, export.failure_reason
    # Three rows of the matrix and four of the quotes; progress after each interview.
    # By participant: Aiko (no summary), Nickole (three quotes), Tomás (one).
    assert saved == [
        {"done_rows": 0, "total_rows": 7},
        {"done_rows": 1},
        {"done_rows": 5},
        {"done_rows": 7},
    ]
    assert export.done_rows == export.total_rows == 7
    assert export.progress_percent == 100
    assert export.made_for_role == Role.OWNER
    assert default_storage.exists(export.stored_name)
    assert export.size == default_storage.size(export.stored_name)

    panel = owner_client.get(export_url(export), **HTMX).content.decode()
    assert f'href="{export_url(export, "export_file")}" download>Download XLSX</a>' in panel
    assert "hx-trigger" not in panel  # done: the page stops asking
    made = downloaded(owner_client.get(export_url(export, "export_file")))
    today = timezone.localdate().isoformat()
    response = owner_client.get(export_url(export, "export_file"))
    assert response["Content-Disposition"] == (
        f'attachment; filename="heard-matrix-reporting-pains-{today}.xlsx"'
    )
    assert response["Cache-Control"] == "private, no-store"
    at_once = synchronous(owner_client, round_, settings, "?sort=participant")
    assert as_seen_but_when(made) == as_seen_but_when(at_once)
    entry = AuditEntry.objects.filter(details__export="matrix_xlsx").latest("pk")
    assert entry.actor == team.owner
    # The matrix page shows the person's file while it is kept.
    assert export_url(export, "export_file") in owner_client.get(matrix_url(study)).content.decode()


def test_progress_is_saved_at_most_every_half_second(round_: Round, team: Team, large, monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(exports, "monotonic", lambda: clock[0])
    export = queued(round_, team)
    token = exports.CLAIMS.claim(export.pk)
    assert token is not None
    progress = exports._Progress(export.pk, token)
    progress.begin(1000)
    for written in range(1, 300):
        progress(written)
    export.refresh_from_db()
    assert (export.done_rows, export.total_rows) == (0, 1000)
    clock[0] += 0.5
    progress(300)
    progress(301)
    export.refresh_from_db()
    assert export.done_rows == 300


def test_a_failure_says_so_and_try_again_makes_it(
    round_: Round, owner_client: Client, large: None, monkeypatch
):
    made = spreadsheet.workbook

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("No space left on device")

    monkeypatch.setattr(spreadsheet, "workbook", broken)
    failed = ask(owner_client, round_, final="on")
    assert failed.status == ExportStatus.FAILED
    assert failed.failure_reason == "An unexpected error stopped it (No space left on device)."
    assert not failed.stored_name
    panel = owner_client.get(export_url(failed), **HTMX).content.decode()
    assert "The XLSX file could not be made." in panel
    assert '<input type="hidden" name="final" value="on">' in panel
    assert ">Try again</button>" in panel
    assert owner_client.get(export_url(failed, "export_file")).status_code == 404

    monkeypatch.setattr(spreadsheet, "workbook", made)
    again = ask(owner_client, round_, final="on")
    assert again.status == ExportStatus.DONE
    assert again.query == "final=on"
    assert not MatrixExport.objects.filter(pk=failed.pk).exists()


def test_a_killed_workers_export_is_taken_over_and_the_dead_run_writes_nothing(
    round_: Round, team: Team, owner_client: Client, large: None
):
    export = queued(round_, team)
    dead = exports.CLAIMS.claim(export.pk)
    assert dead is not None
    # While the claim is fresh, another run leaves it to its holder.
    assert exports.run(export.pk) == "busy"
    MatrixExport.objects.filter(pk=export.pk).update(
        heartbeat_at=timezone.now() - exports.CLAIMS.length - datetime.timedelta(seconds=1)
    )
    # Someone looks at the page: the export goes back on the queue, and is made.
    panel = owner_client.get(export_url(export), **HTMX).content.decode()
    assert "Download XLSX" in panel
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert export.attempts == 2
    assert not exports.CLAIMS.renew(export.pk, dead, done_rows=1)
    assert exports.run(export.pk) == ExportStatus.DONE


def test_a_worker_starting_makes_what_was_left_queued(round_: Round, team: Team, large: None):
    export = queued(round_, team)
    worker_starting.send(sender=None)
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE


def test_an_export_is_its_askers_alone_and_outsiders_get_404(
    round_: Round, team: Team, owner_client: Client, large: None
):
    export = ask(owner_client, round_)
    assert export.status == ExportStatus.DONE
    for person in (team.teammate, team.observer, team.outsider):
        client = team.client_for(person)
        for name in ("export", "export_file"):
            assert client.get(export_url(export, name)).status_code == 404, (person, name)
    outsider = team.client_for(team.outsider)
    assert outsider.post(matrix_url(round_.study, "export_start")).status_code == 404
    assert MatrixExport.objects.count() == 1


def test_an_observer_exports_as_they_download_with_pseudonyms(
    round_: Round, team: Team, observer_client: Client, settings: Any, large: None
):
    export = ask(observer_client, round_)
    assert export.status == ExportStatus.DONE
    assert export.pseudonyms  # the workspace's default for observers
    assert export.made_for_role == Role.OBSERVER
    made = downloaded(observer_client.get(export_url(export, "export_file")))
    at_once = synchronous(observer_client, round_, settings)
    assert as_seen_but_when(made) == as_seen_but_when(at_once)
    names = [row[1].value for row in load_workbook(io.BytesIO(made))["Matrix"].iter_rows(min_row=3)]
    assert all(name.startswith("P") for name in names)
    # The file was made for an observer: once they are a researcher, they make it again.
    Membership.objects.filter(user=team.observer).update(role=Role.RESEARCHER)
    assert observer_client.get(export_url(export, "export_file")).status_code == 404
    panel = observer_client.get(export_url(export), **HTMX).content.decode()
    assert "Your role in the workspace changed since the file was made" in panel


def test_a_file_goes_when_a_newer_one_is_made_and_after_a_day(
    round_: Round, owner_client: Client, large: None, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = ask(owner_client, round_)
    assert default_storage.exists(first.stored_name)
    with django_capture_on_commit_callbacks(execute=True):
        second = ask(owner_client, round_)
    assert not MatrixExport.objects.filter(pk=first.pk).exists()
    assert not default_storage.exists(first.stored_name)
    assert default_storage.exists(second.stored_name)

    MatrixExport.objects.filter(pk=second.pk).update(
        finished_at=timezone.now() - datetime.timedelta(hours=25)
    )
    assert owner_client.get(export_url(second, "export_file")).status_code == 404
    assert "made in the background" in owner_client.get(matrix_url(round_.study)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.purge_exports.enqueue().return_value == 1
    assert not MatrixExport.objects.exists()
    assert not default_storage.exists(second.stored_name)


def test_without_javascript_the_button_leads_to_a_page_that_follows_the_export(
    round_: Round, owner_client: Client, large: None, settings: Any
):
    settings.TASKS = DATABASE_TASKS
    response = owner_client.post(matrix_url(round_.study, "export_start"), {"segment": "SMB"})
    export = MatrixExport.objects.get()
    assert response.status_code == 302
    assert response.url == export_url(export)
    page = owner_client.get(response.url).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert "Segment SMB." in page
    assert "Waiting for a worker" in page


def test_an_erasure_deletes_the_files_made_before_it(
    round_: Round, team: Team, owner_client: Client, large: None, django_capture_on_commit_callbacks
):
    """A file made before a participant is erased still names them: it goes with the erasure."""
    export = ask(owner_client, round_)
    assert default_storage.exists(export.stored_name)
    with django_capture_on_commit_callbacks(execute=True):
        erasure.erase(round_.nickole.participant, team.owner)
    assert not MatrixExport.objects.exists()
    assert not default_storage.exists(export.stored_name)

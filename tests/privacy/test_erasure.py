"""Erasing a participant: a preview of exactly what goes, then their personal data gone from
every table, the search index and the stored files, while the interviews held with them, the
team's side, the other participants and the study's conclusions stay (flagged where they
rested on them)."""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from heard.interviews.live import milestones
from heard.interviews.models import (
    Consent,
    InterviewStatus,
    Note,
    NoteKind,
    Segment,
    Transcript,
    TranscriptStatus,
)
from heard.participants import services as participants
from heard.participants.models import Participant, ResearchNote
from heard.privacy import erasure
from heard.privacy.models import Erasure
from heard.search import query, results
from heard.synthesis.models import Quote, RemovedEvidence
from heard.synthesis.reviews import decisions
from tests.support import factories
from tests.support.fixtures.object_store import keys
from tests.support.personas import Team
from tests.support.privacy import (
    EMAIL,
    NAME,
    OTHERS_LINE,
    PHONE,
    PHRASE,
    World,
    build,
)
from tests.support.sweep import database_traces, file_traces

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


@pytest.fixture
def world(team: Team, tmp_path: Path) -> World:
    return build(team, tmp_path)


def needles() -> list[str]:
    return [NAME, EMAIL, PHONE, "1234 5678", PHRASE, "Brightpath", "Nickole"]


def test_the_preview_counts_exactly_what_goes(world: World) -> None:
    found = erasure.preview(world.person)
    assert not found.refusals
    counts = found.counts
    assert counts["interviews"] == 1
    assert counts["research_notes"] == 1
    assert counts["recordings"] == 1
    assert counts["transcript_lines"] == 2  # theirs, not the team's
    assert counts["highlights_and_quote_notes"] == 2
    assert counts["summary_quotes"] == 1
    assert counts["follow_up_emails"] == 1
    assert counts["consent_records"] == 1
    assert counts["findings_flagged"] == 1
    assert counts["decisions_flagged"] == 1
    assert found.recording_bytes == world.recording.size
    assert erasure.preview(world.person, team_side=True).counts["transcript_lines"] == 3


def test_nothing_of_them_is_left_anywhere(world: World, django_capture_on_commit_callbacks) -> None:
    assert database_traces(needles())  # the sweep finds them before
    stored = [world.recording.original.name, world.recording.playback.name]
    assert all(default_storage.exists(name) for name in stored)

    with django_capture_on_commit_callbacks(execute=True):
        done = erasure.erase(world.person, world.team.owner)

    assert database_traces(needles()) == []
    assert not any(default_storage.exists(name) for name in stored)
    assert file_traces(needles()) == []
    assert done.counts["recordings"] == 1
    assert Erasure.objects.get().erased_by == world.team.owner


def test_what_stays_is_the_team_s_and_the_study_s(world: World) -> None:
    erasure.erase(world.person, world.team.owner)
    world.interview.refresh_from_db()
    assert world.interview.status == InterviewStatus.DONE
    assert world.interview.participant.name == erasure.ERASED_NAME
    assert world.interview.participant.is_erased
    lines = list(Segment.objects.filter(transcript=world.transcript).values_list("text", flat=True))
    assert lines == ["Thanks [erased]. Walk me through last Monday."]
    pain = Note.objects.get(interview=world.interview, kind=NoteKind.PAIN)
    assert pain.text == "[erased] loses Mondays to reports"
    assert not Quote.objects.filter(point_summary__summary__interview=world.interview).exists()
    # The finding stays, without the evidence, saying so; the decision on it is flagged.
    world.finding.refresh_from_db()
    assert world.finding.statement == "Reports take a day a week (as [erased] said)"
    assert world.finding.evidence.count() == 0
    lost = RemovedEvidence.objects.get(finding=world.finding)
    assert lost.why == erasure.ERASED_WHY
    assert lost.words == erasure.ERASED_WORDS
    assert decisions.flagged_count(world.plan.study) == 1
    # The other participant is untouched, and found by search as before.
    search, _ = results.matching(world.team.workspace, query.read("pricing"))
    assert OTHERS_LINE in set(search.found().values_list("text", flat=True))
    assert Participant.objects.get(name="Bo Chen").email == "bo@northwind.example"


def test_the_summary_says_its_evidence_was_erased(world: World, owner_client) -> None:
    erasure.erase(world.person, world.team.owner)
    page = owner_client.get(
        reverse(
            "summaries:detail", kwargs={"ws": world.team.workspace.slug, "pk": world.interview.pk}
        )
    ).content.decode()
    assert "Evidence erased" in page
    assert NAME not in page


def test_the_team_s_side_goes_too_where_asked(world: World) -> None:
    erasure.erase(world.person, world.team.owner, team_side=True)
    assert not Transcript.objects.filter(interview=world.interview).exists()
    assert Transcript.objects.filter(interview=world.other).exists()


def test_erasing_twice_or_mid_call_is_refused(world: World, team: Team) -> None:
    call = factories.interview(world.plan.study, world.person, guide=world.plan.guide)
    milestones.start(call, team.owner)
    with pytest.raises(erasure.ErasureRefused, match="under way"):
        erasure.erase(world.person, team.owner)
    assert not Erasure.objects.exists()
    assert Participant.objects.get(pk=world.person.pk).name == NAME
    milestones.end(call, team.owner, promised_follow_up=False)
    erasure.erase(world.person, team.owner)
    with pytest.raises(erasure.ErasureRefused, match="erased already"):
        erasure.erase(Participant.objects.get(pk=world.person.pk), team.owner)


def test_an_interview_still_to_come_is_cancelled(world: World, team: Team) -> None:
    coming = factories.interview(world.plan.study, world.person, guide=world.plan.guide)
    assert coming.status == InterviewStatus.SCHEDULED
    erasure.erase(world.person, team.owner)
    coming.refresh_from_db()
    assert coming.status == InterviewStatus.CANCELLED


def test_a_preview_that_grew_is_looked_at_again(world: World, team: Team) -> None:
    seen = erasure.preview(world.person).fingerprint
    participants.add_note(world.person, ResearchNote(source="CRM", body="More"), team.owner)
    with pytest.raises(erasure.ErasureRefused, match="look at it again"):
        erasure.erase(world.person, team.owner, seen=seen)
    assert world.interview.recording_consent == Consent.YES


def test_owners_erase_from_the_page_after_the_preview(
    world: World, owner_client, teammate_client
) -> None:
    url = reverse("privacy:erase", kwargs={"ws": world.team.workspace.slug, "pk": world.person.pk})
    assert teammate_client.get(url).status_code == 403  # researchers may not
    page = owner_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Recordings of their interviews: 1" in html
    seen = page.context["preview"].fingerprint
    unconfirmed = owner_client.post(url, {"team_side": "keep", "seen": seen})
    assert "Tick the box" in unconfirmed.content.decode()
    assert not Erasure.objects.exists()
    done = owner_client.post(url, {"team_side": "keep", "seen": seen, "confirm": "yes"})
    assert done.status_code == 302
    assert Erasure.objects.get().erased_by == world.team.owner
    after = owner_client.get(done["Location"]).content.decode()
    assert "This person was erased" in after
    assert NAME not in after


def test_the_command_previews_then_erases(world: World) -> None:
    out = io.StringIO()
    call_command(
        "participants", "erase", EMAIL.upper(), "--workspace", world.team.workspace.slug, stdout=out
    )
    assert "recordings: 1" in out.getvalue()
    assert "Nothing erased" in out.getvalue()
    assert not Erasure.objects.exists()
    call_command(
        "participants", "erase", EMAIL, "--workspace", world.team.workspace.slug, "--yes",
        stdout=out,
    )  # fmt: skip
    assert Erasure.objects.count() == 1
    with pytest.raises(CommandError, match="No participant"):
        call_command("participants", "erase", EMAIL, "--workspace", world.team.workspace.slug)


def test_nothing_of_them_is_left_in_the_object_store(
    object_store, team: Team, tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    """The same erasure with the recordings in an S3-compatible store (a real endpoint)."""
    world = build(team, tmp_path)
    theirs = f"team-a/recordings/{world.interview.pk}/"
    assert any(key.startswith(theirs) for key in keys(object_store))
    with django_capture_on_commit_callbacks(execute=True):
        erasure.erase(world.person, team.owner)
    assert not any(key.startswith(theirs) for key in keys(object_store))
    assert database_traces(needles()) == []


def test_a_transcription_still_running_is_stopped(world: World, team: Team) -> None:
    running = Transcript.objects.create(
        interview=world.interview,
        recording=world.recording,
        status=TranscriptStatus.RUNNING,
        run_token="worker-1",
    )
    assert erasure.preview(world.person).counts["transcriptions_stopped"] == 1
    erasure.erase(world.person, team.owner)
    running.refresh_from_db()
    assert (running.status, running.run_token) == (TranscriptStatus.CANCELLED, "")
    assert not running.segments.exists()


@pytest.mark.django_db(transaction=True)
def test_two_erasures_at_once_erase_once(team: Team, tmp_path: Path) -> None:
    """Two owners confirming at the same moment (two requests, two connections): one erases,
    the other is told it is done already; one record, nothing half-done."""
    world = build(team, tmp_path)
    start = threading.Barrier(2)

    def erase(_: int) -> str:
        try:
            start.wait()
            erasure.erase(Participant.objects.get(pk=world.person.pk), world.team.owner)
            return "erased"
        except erasure.ErasureRefused as refused:
            return str(refused)
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(erase, range(2)))

    assert outcomes == ["This participant was erased already.", "erased"]
    assert Erasure.objects.count() == 1
    assert database_traces(needles()) == []

"""Retention: a workspace's policy deletes recordings, transcripts or whole interviews once
past their periods (applied at a clock the tests choose), an owner's hold keeps one interview,
each interview page says what goes when, and shortening the policy says what it deletes at
once before it does."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from heard.interviews.models import Interview, InterviewStatus, Recording, Transcript
from heard.participants.models import Participant
from heard.privacy import retention, tasks
from heard.privacy.models import RetentionPolicy
from heard.synthesis.models import Finding, RemovedEvidence
from tests.support.personas import Team
from tests.support.privacy import World, build

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

NOW = timezone.make_aware(datetime.datetime(2027, 6, 30, 12, 0))


@pytest.fixture
def world(team: Team, tmp_path: Path) -> World:
    found = build(team, tmp_path)
    # Held 100 days before NOW.
    Interview.objects.filter(pk=found.interview.pk).update(
        ended_at=NOW - datetime.timedelta(days=100)
    )
    Interview.objects.filter(pk=found.other.pk).update(ended_at=NOW - datetime.timedelta(days=10))
    return found


def policy(world: World, **periods: int) -> RetentionPolicy:
    return RetentionPolicy.objects.create(workspace=world.team.workspace, **periods)


def test_recordings_go_after_their_days_and_transcripts_stay(
    world: World, django_capture_on_commit_callbacks
) -> None:
    stored = world.recording.original.name
    with django_capture_on_commit_callbacks(execute=True):
        counts = retention.apply(policy(world, recordings_days=90), NOW)
    assert counts["recordings"] == 1
    assert not Recording.objects.filter(pk=world.recording.pk).exists()
    assert not default_storage.exists(stored)
    assert Transcript.objects.filter(interview=world.interview).exists()
    # A day short of it, nothing goes.
    assert retention.apply(policy_of(world), NOW - datetime.timedelta(days=11))["recordings"] == 0


def policy_of(world: World) -> RetentionPolicy:
    return RetentionPolicy.objects.get(workspace=world.team.workspace)


def test_transcripts_go_after_theirs(world: World) -> None:
    retention.apply(policy(world, transcripts_days=30), NOW)
    assert not Transcript.objects.filter(interview=world.interview).exists()
    assert Transcript.objects.filter(interview=world.other).exists()


def test_whole_interviews_go_after_their_months_and_findings_say_so(world: World) -> None:
    pk = world.interview.pk
    assert retention.apply(policy(world, interviews_months=3), NOW)["interviews"] == 1
    assert not Interview.objects.filter(pk=pk).exists()
    assert Interview.objects.filter(pk=world.other.pk).exists()
    assert Participant.objects.filter(pk=world.person.pk).exists()
    lost = RemovedEvidence.objects.get(finding=world.finding)
    assert (lost.why, lost.words) == (retention.RETENTION_WHY, retention.RETENTION_WORDS)
    assert Finding.objects.get(pk=world.finding.pk).evidence.count() == 0


def test_an_owner_s_hold_keeps_an_interview_until_its_day(world: World) -> None:
    rule = policy(world, recordings_days=90)
    retention.hold(world.interview, world.team.owner, until=NOW.date(), reason="Legal review")
    assert retention.apply(rule, NOW)["recordings"] == 0
    assert retention.apply(rule, NOW + datetime.timedelta(days=1))["recordings"] == 1


def test_a_hold_with_a_day_puts_off_what_each_interview_says_goes_when(
    world: World, owner_client: Client
) -> None:
    rule = policy(world, recordings_days=90)  # due ten days before NOW
    due_by_policy = retention.deadlines(world.interview, rule)[0].when
    until = (NOW + datetime.timedelta(days=30)).date()
    hold = retention.hold(world.interview, world.team.owner, until=until, reason="Legal review")
    (deadline,) = retention.deadlines(world.interview, rule, hold)
    # The day after the hold's last, as applying the policy counts it.
    assert deadline.when == retention.released(hold) > due_by_policy
    page = owner_client.get(
        reverse(
            "interviews:detail", kwargs={"ws": world.team.workspace.slug, "pk": world.interview.pk}
        )
    ).content.decode()
    assert f"is deleted in {deadline.days_left} days ({deadline.when:%-d %b %Y})" in page
    assert rule_applied_on(rule, until)["recordings"] == 0
    assert rule_applied_on(rule, deadline.when.date())["recordings"] == 1


def rule_applied_on(rule: RetentionPolicy, day: datetime.date) -> dict[str, int]:
    noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    return retention.apply(rule, noon)


def test_only_held_interviews_count(world: World) -> None:
    Interview.objects.filter(pk=world.interview.pk).update(status=InterviewStatus.SCHEDULED)
    assert retention.apply(policy(world, recordings_days=1), NOW)["recordings"] == 0


def test_each_interview_says_what_goes_when(world: World, owner_client: Client) -> None:
    policy(world, recordings_days=400)
    page = owner_client.get(
        reverse(
            "interviews:detail", kwargs={"ws": world.team.workspace.slug, "pk": world.interview.pk}
        )
    ).content.decode()
    assert "The recording is deleted in" in page
    assert "Keep past the policy" in page


def test_shortening_the_policy_says_what_goes_at_once(
    world: World, owner_client: Client, teammate_client: Client
) -> None:
    url = reverse("privacy:retention", kwargs={"ws": world.team.workspace.slug})
    assert teammate_client.get(url).status_code == 403
    Interview.objects.filter(pk=world.interview.pk).update(
        ended_at=timezone.now() - datetime.timedelta(days=100)
    )
    asked = owner_client.post(url, {"recordings_days": "30"})
    assert asked.status_code == 200
    assert "This deletes at once" in asked.content.decode()
    assert Recording.objects.filter(pk=world.recording.pk).exists()
    assert not RetentionPolicy.objects.exists()
    seen = asked.context["seen"]
    # A change made on the confirming page shows its own counts first.
    assert owner_client.post(url, {"transcripts_days": "30", "seen": seen}).status_code == 200
    assert not RetentionPolicy.objects.exists()
    done = owner_client.post(url, {"recordings_days": "30", "seen": seen})
    assert done.status_code == 302
    assert not Recording.objects.filter(pk=world.recording.pk).exists()
    assert policy_of(world).recordings_days == 30
    bad = owner_client.post(url, {"recordings_days": "-3"})
    assert "greater than or equal to 1" in bad.content.decode()


def test_months_are_calendar_months() -> None:
    march = timezone.make_aware(datetime.datetime(2027, 3, 31, 9, 0))
    assert retention.months_before(march, 1).date() == datetime.date(2027, 2, 28)
    assert retention.months_before(march, 13).date() == datetime.date(2026, 2, 28)
    assert retention.months_after(march, 11).date() == datetime.date(2028, 2, 29)


def test_the_task_applies_every_policy(world: World) -> None:
    Interview.objects.filter(pk=world.interview.pk).update(
        ended_at=timezone.now() - datetime.timedelta(days=3)
    )
    policy(world, transcripts_days=1)
    assert tasks.apply_retention.enqueue().return_value["transcripts"] >= 1

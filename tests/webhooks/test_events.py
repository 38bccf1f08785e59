"""Each event comes from the real service call that causes it, once that change commits (a
change rolled back sends nothing), to the workspace's webhooks that chose it, with the data
`docs/webhooks.md` describes; and never names a participant but by id and pseudonym."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from heard.interviews import scheduling
from heard.interviews.live import milestones
from heard.interviews.models import Interview, Mode
from heard.interviews.transcripts import jobs
from heard.privacy import erasure
from heard.synthesis.models import Finding, Summary
from heard.synthesis.reviews import decisions
from heard.synthesis.reviews import services as review
from heard.synthesis.summaries import checks
from heard.synthesis.summaries import services as summaries
from heard.webhooks import services
from heard.webhooks.models import DeliveryStatus, Event, EventType, Webhook
from tests.interviews.test_transcription import speech_recording
from tests.support import factories
from tests.support.fixtures.speech import Clips
from tests.support.held import hold_call
from tests.support.personas import Team
from tests.support.transcripts import imported_transcript
from tests.support.webhooks import Received, Receiver

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("private_media")]

BASE = "https://heard.example.org"
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
NAME, EMAIL, PHONE = "Aiko Tanaka", "aiko@kumo.example", "+44 20 7946 0958"


@pytest.fixture
def hook(team: Team, receiver: Receiver) -> Webhook:
    """The team's webhook, hearing about everything."""
    return services.create(team.workspace, team.owner, url=receiver.url(), events=EventType.values)


def told(receiver: Receiver, *types: EventType) -> list[dict[str, Any]]:
    """The bodies received, checked against their headers, of exactly these types in order."""
    bodies = []
    for request in receiver.wait_for(len(types)):
        body = request.json()
        assert request.headers["heard-event"] == body["type"]
        assert ISO.match(body["created_at"])
        assert body["workspace"]["url"] == f"{BASE}/w/{body['workspace']['slug']}/"
        bodies.append(body)
    assert [body["type"] for body in bodies] == [t.value for t in types]
    return bodies


def assert_no_person_in(request: Received, *words: str) -> None:
    for word in words:
        assert word.lower() not in request.body.decode().lower(), word


def person(team: Team) -> Any:
    return factories.participant(
        team.workspace, name=NAME, email=EMAIL, company="Kumo KK", profile={"phone": PHONE}
    )


def test_interview_scheduled(team: Team, hook: Webhook, receiver: Receiver):
    study = factories.study(team.workspace, title="Reporting pains")
    guide = factories.guide(study, title="Discovery guide")
    customer = person(team)
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    interview = Interview(
        study=study,
        participant=customer,
        guide=guide,
        starts_at=starts,
        time_zone="Europe/Paris",
        length_minutes=45,
        mode=Mode.PHONE,
        location=PHONE,
    )
    scheduling.schedule_interview(interview, team.owner)
    [body] = told(receiver, EventType.INTERVIEW_SCHEDULED)
    data = body["data"]
    assert data["interview"] == {
        "id": interview.pk,
        "url": f"{BASE}/w/{team.workspace.slug}/interviews/{interview.pk}/",
        "status": "scheduled",
        "mode": "phone",
        "starts_at": starts.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "ends_at": (starts + datetime.timedelta(minutes=45))
        .astimezone(datetime.UTC)
        .strftime("%Y-%m-%dT%H:%M:%SZ"),
        "time_zone": "Europe/Paris",
        "length_minutes": 45,
        "started_at": None,
        "ended_at": None,
    }
    assert data["study"] == {
        "id": study.pk,
        "title": "Reporting pains",
        "url": f"{BASE}/w/{team.workspace.slug}/studies/{study.pk}/",
    }
    customer.refresh_from_db()
    assert data["participant"] == {"id": customer.pk, "pseudonym": f"P{customer.alias:02d}"}
    assert data["guide"]["title"] == "Discovery guide"
    assert data["scheduled_by"] == {"id": team.owner.pk, "name": "Olivia Owner"}
    assert_no_person_in(receiver.received[0], NAME, "Aiko", "Tanaka", EMAIL, "7946", "Kumo")


def test_interview_finished_once_however_often_it_ends(
    team: Team, hook: Webhook, receiver: Receiver
):
    interview = factories.interview(factories.study(team.workspace))
    milestones.start(interview, team.owner)
    assert receiver.received == []
    milestones.end(interview, team.owner, promised_follow_up=True)
    milestones.end(interview, team.owner, promised_follow_up=True)
    [body] = told(receiver, EventType.INTERVIEW_FINISHED)
    data = body["data"]
    interview.refresh_from_db()
    assert data["interview"]["status"] == "done"
    assert ISO.match(data["interview"]["started_at"])
    assert ISO.match(data["interview"]["ended_at"])
    assert data["promised_follow_up"] is True
    assert data["wrapup_url"].endswith(f"/interviews/{interview.pk}/wrap-up/")
    assert len(receiver.wait_for(2, seconds=0.3)) == 1


def test_transcript_ready_when_imported(team: Team, hook: Webhook, receiver: Receiver):
    interview = factories.interview(factories.study(team.workspace), person(team))
    transcript = imported_transcript(interview, team.owner)
    [body] = told(receiver, EventType.TRANSCRIPT_READY)
    assert body["data"]["transcript"] == {
        "id": transcript.pk,
        "url": f"{BASE}/w/{team.workspace.slug}/interviews/{interview.pk}/transcripts/"
        f"{transcript.pk}/",
        "source": "imported",
        "language": transcript.language,
        "lines": transcript.segments.count(),
        "duration_seconds": transcript.total_seconds,
    }
    assert body["data"]["interview"]["id"] == interview.pk
    words = transcript.segments.order_by("index").first().text
    assert words not in receiver.received[0].body.decode()


def test_transcript_ready_when_transcribed(
    team: Team, hook: Webhook, receiver: Receiver, clips: Clips
):
    interview = factories.interview(factories.study(team.workspace))
    interview.transcript_language = "en"
    recording = speech_recording(interview, team, clips.phrase)
    transcript = jobs.start(interview, recording, team.owner)  # the tests' tasks run at once
    [body] = told(receiver, EventType.TRANSCRIPT_READY)
    assert body["data"]["transcript"]["id"] == transcript.pk
    assert body["data"]["transcript"]["source"] == "transcribed"
    assert body["data"]["transcript"]["lines"] >= 1


def test_summary_finalised(team: Team, hook: Webhook, receiver: Receiver):
    held = hold_call(team)
    receiver.received.clear()  # the call's own events
    summary = Summary.objects.get(interview=held.interview)
    summary.interview = held.interview
    first, second = held.plan.points
    summaries.set_point_field(summary, first, team.owner, "stance", "supports")
    summaries.set_point_field(summary, second, team.owner, "stance", "mixed")
    seen = checks.fingerprint(checks.objectivity_checks(summaries.entries(summary)))
    summaries.finalise(summary, team.owner, seen=seen, acknowledged=True)
    [body] = told(receiver, EventType.SUMMARY_FINALISED)
    data = body["data"]["summary"]
    assert data["id"] == summary.pk
    assert data["url"].endswith(f"/interviews/{held.interview.pk}/summary/")
    assert data["finalised_by"] == {"id": team.owner.pk, "name": "Olivia Owner"}
    assert data["stances"] == [
        {"point": {"id": first.pk, "label": "VP1"}, "stance": "supports"},
        {"point": {"id": second.pk, "label": "VP2"}, "stance": "mixed"},
    ]
    assert "Mondays go to reports" not in receiver.received[0].body.decode()


def test_finding_aligned_and_disputed_as_the_review_moves(
    team: Team, hook: Webhook, receiver: Receiver
):
    study = factories.study(team.workspace, title="Reporting pains")
    finding = Finding.objects.create(study=study, statement="Reports take a day a week")
    meeting = review.start_review(study, team.owner)
    review.vote(meeting, finding, team.owner, "agree")  # one vote: still open
    review.vote(meeting, finding, team.teammate, "agree")  # aligned
    challenge = review.challenge(meeting, finding, team.observer, "Only one company said so")
    review.vote(meeting, finding, team.observer, "disagree")  # disputed already: nothing new
    review.resolve(challenge, team.teammate, "Two companies did")  # still disputed: a no
    review.vote(meeting, finding, team.observer, "agree")  # aligned again
    bodies = told(
        receiver,
        EventType.FINDING_ALIGNED,
        EventType.FINDING_DISPUTED,
        EventType.FINDING_ALIGNED,
    )
    aligned, disputed, again = (body["data"] for body in bodies)
    assert aligned["finding"] == {
        "id": finding.pk,
        "statement": "Reports take a day a week",
        "url": f"{BASE}/w/{team.workspace.slug}/studies/{study.pk}/findings/{finding.pk}/",
    }
    assert aligned["review"]["url"] == f"{BASE}/w/{team.workspace.slug}/reviews/{meeting.pk}/"
    assert (aligned["alignment"], aligned["votes"], aligned["open_challenges"]) == (
        "aligned",
        {"agree": 2, "disagree": 0, "unsure": 0},
        0,
    )
    assert (disputed["alignment"], disputed["open_challenges"]) == ("disputed", 1)
    assert again["votes"] == {"agree": 3, "disagree": 0, "unsure": 0}
    assert len(receiver.wait_for(4, seconds=0.3)) == 3


def test_decision_recorded(team: Team, hook: Webhook, receiver: Receiver):
    study = factories.study(team.workspace)
    finding = Finding.objects.create(study=study, statement="Reports take a day a week")
    meeting = review.start_review(study, team.owner)
    [warned] = decisions.needing_acknowledgement(study)
    decision = decisions.record_decision(
        meeting,
        team.owner,
        "Build the scheduled report first",
        [finding],
        [team.owner, team.teammate],
        [decisions.acknowledgement_key(finding, warned.warnings)],
    )
    [body] = told(receiver, EventType.DECISION_RECORDED)
    data = body["data"]
    assert data["decision"]["id"] == decision.pk
    assert data["decision"]["text"] == "Build the scheduled report first"
    assert data["decision"]["url"].endswith(f"/studies/{study.pk}/decisions/")
    assert data["decision"]["warnings_acknowledged"] == [
        {"finding": finding.pk, "warnings": ["no_evidence"]}
    ]
    assert [f["id"] for f in data["findings"]] == [finding.pk]
    assert data["agreed_by"] == [
        {"id": team.owner.pk, "name": "Olivia Owner"},
        {"id": team.teammate.pk, "name": "Tom Teammate"},
    ]
    assert data["review"]["id"] == meeting.pk


def test_participant_erased_says_only_who_by_pseudonym_and_earlier_bodies_are_scrubbed(
    team: Team, hook: Webhook, receiver: Receiver
):
    customer = person(team)
    study = factories.study(team.workspace)
    factories.interview(study, customer)  # held with them: the erasure reaches it
    meeting = review.start_review(study, team.owner)
    finding = Finding.objects.create(study=study, statement=f"{NAME} rebuilds reports by hand")
    review.vote(meeting, finding, team.owner, "disagree")
    [before] = told(receiver, EventType.FINDING_DISPUTED)
    assert NAME in before["data"]["finding"]["statement"]
    receiver.received.clear()

    erasure.erase(customer, team.owner)
    [body] = told(receiver, EventType.PARTICIPANT_ERASED)
    customer.refresh_from_db()
    assert body["data"] == {
        "participant": {"id": customer.pk, "pseudonym": f"P{customer.alias:02d}"},
        "erased_at": customer.erased_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    assert_no_person_in(receiver.received[0], NAME, "Aiko", "Tanaka", EMAIL, "7946", "Kumo")
    assert "interview" not in body["data"]
    # What was sent before keeps the name no more: the erasure scrubs the delivery log too.
    for event in Event.objects.all():
        assert NAME not in event.body
    assert (
        "[erased] rebuilds reports by hand"
        in Event.objects.get(type=EventType.FINDING_DISPUTED).body
    )


def test_a_change_rolled_back_sends_nothing(team: Team, hook: Webhook, receiver: Receiver):
    study = factories.study(team.workspace)
    interview = factories.interview(study)
    finding = Finding.objects.create(study=study, statement="Reports take a day a week")
    meeting = review.start_review(study, team.owner)

    def change_then_fail() -> None:
        with transaction.atomic():
            milestones.end(interview, team.owner, promised_follow_up=False)
            review.vote(meeting, finding, team.owner, "disagree")
            decisions.record_decision(meeting, team.owner, "No", [], [])
            raise RuntimeError("the request failed after the change")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert receiver.wait_for(1, seconds=0.3) == []
    assert not Event.objects.exists()
    # Committed, the same change is told.
    milestones.end(interview, team.owner, promised_follow_up=False)
    told(receiver, EventType.INTERVIEW_FINISHED)


def test_only_the_workspaces_webhooks_that_chose_the_event_hear_it(team: Team, receiver: Receiver):
    chose = services.create(
        team.workspace, team.owner, url=receiver.url("/chose"), events=["interview.finished"]
    )
    services.create(
        team.workspace, team.owner, url=receiver.url("/other"), events=["decision.recorded"]
    )
    services.create(
        team.other_workspace, team.outsider, url=receiver.url("/theirs"), events=EventType.values
    )
    interview = factories.interview(factories.study(team.workspace))
    milestones.end(interview, team.owner, promised_follow_up=False)
    [request] = receiver.wait_for(1)
    assert request.path == "/chose"
    assert len(receiver.wait_for(2, seconds=0.3)) == 1
    assert chose.deliveries.get().status == DeliveryStatus.DELIVERED


def test_a_workspace_without_webhooks_keeps_nothing(team: Team):
    interview = factories.interview(factories.study(team.workspace))
    milestones.end(interview, team.owner, promised_follow_up=False)
    assert not Event.objects.exists()

"""What each event says (`docs/webhooks.md` documents every field), and making an event's
deliveries.

Every body has one shape: `{"id": <the event's uuid>, "type": "interview.finished",
"created_at": <ISO 8601, UTC>, "workspace": {...}, "data": {...}}`. The data holds ids, titles
and absolute links (`HEARD_BASE_URL`), never a participant's name, email or phone, nor what
anyone said: a participant is their id and pseudonym (P07), and the pages behind the links
keep Heard's access checks. Identifiers of people stay in Heard, where an erasure reaches them.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from heard.accounts.models import User, Workspace
from heard.interviews.models import Interview, Transcript
from heard.participants import pseudonyms
from heard.participants.models import Participant
from heard.studies.models import Study
from heard.synthesis.models import (
    Challenge,
    Decision,
    Finding,
    Review,
    Summary,
    Vote,
    VoteChoice,
)
from heard.webhooks import sending
from heard.webhooks.models import Delivery, Event, EventType, Webhook


@dataclass(frozen=True)
class Occurrence:
    """An event about to be told: where, what, and its data."""

    workspace: Workspace
    type: EventType
    data: dict[str, Any]


# Pieces ----------------------------------------------------------------------------------------


def when(moment: datetime.datetime | None) -> str | None:
    """ISO 8601 in UTC, to the second: `2027-03-01T14:30:00Z`."""
    if moment is None:
        return None
    text = moment.astimezone(datetime.UTC).isoformat(timespec="seconds")
    return text.replace("+00:00", "Z")


def link(name: str, ws: Workspace, **kwargs: Any) -> str:
    return settings.HEARD_BASE_URL.rstrip("/") + reverse(name, kwargs={"ws": ws.slug, **kwargs})


def workspace_part(ws: Workspace) -> dict[str, Any]:
    return {"slug": ws.slug, "name": ws.name, "url": link("site:workspace", ws)}


def study_part(study: Study, ws: Workspace) -> dict[str, Any]:
    return {"id": study.pk, "title": study.title, "url": link("studies:detail", ws, pk=study.pk)}


def participant_part(person: Participant) -> dict[str, Any]:
    """A participant as webhooks name them: by id and pseudonym only."""
    number = person.alias
    if number is None:
        number = pseudonyms.numbers(person.workspace_id, only=[person.pk]).get(person.pk)
    return {"id": person.pk, "pseudonym": pseudonyms.label(number) if number else None}


def person_part(user: User | None) -> dict[str, Any] | None:
    """A member of the team: who scheduled, finalised or recorded."""
    return None if user is None else {"id": user.pk, "name": user.name}


def interview_part(interview: Interview, ws: Workspace) -> dict[str, Any]:
    return {
        "id": interview.pk,
        "url": link("interviews:detail", ws, pk=interview.pk),
        "status": interview.status,
        "mode": interview.mode,
        "starts_at": when(interview.starts_at),
        "ends_at": when(interview.ends_at),
        "time_zone": interview.time_zone,
        "length_minutes": interview.length_minutes,
        "started_at": when(interview.started_at),
        "ended_at": when(interview.ended_at),
    }


def _about_interview(interview: Interview) -> dict[str, Any]:
    ws = interview.study.workspace
    return {
        "interview": interview_part(interview, ws),
        "study": study_part(interview.study, ws),
        "participant": participant_part(interview.participant),
    }


def _interview(pk: int) -> Interview | None:
    return (
        Interview.objects.select_related("study__workspace", "participant", "guide", "created_by")
        .filter(pk=pk)
        .first()
    )


# The events ------------------------------------------------------------------------------------


def interview_scheduled(interview_id: int) -> Occurrence | None:
    interview = _interview(interview_id)
    if interview is None:
        return None
    data = _about_interview(interview)
    data["guide"] = (
        None
        if interview.guide is None
        else {
            "id": interview.guide.pk,
            "title": interview.guide.title,
            "url": link("guides:detail", interview.study.workspace, pk=interview.guide.pk),
        }
    )
    data["scheduled_by"] = person_part(interview.created_by)
    return Occurrence(interview.study.workspace, EventType.INTERVIEW_SCHEDULED, data)


def interview_finished(interview_id: int) -> Occurrence | None:
    interview = _interview(interview_id)
    if interview is None:
        return None
    data = _about_interview(interview)
    data["promised_follow_up"] = interview.promised_follow_up
    data["wrapup_url"] = link("interviews:wrapup", interview.study.workspace, pk=interview.pk)
    return Occurrence(interview.study.workspace, EventType.INTERVIEW_FINISHED, data)


def transcript_ready(transcript_id: int) -> Occurrence | None:
    transcript = (
        Transcript.objects.select_related("interview__study__workspace", "interview__participant")
        .filter(pk=transcript_id)
        .first()
    )
    if transcript is None:
        return None
    interview = transcript.interview
    ws = interview.study.workspace
    data = _about_interview(interview)
    data["transcript"] = {
        "id": transcript.pk,
        "url": link("transcripts:detail", ws, pk=interview.pk, transcript_pk=transcript.pk),
        "source": transcript.source,
        "language": transcript.language,
        "lines": transcript.segments.count(),
        "duration_seconds": transcript.total_seconds,
    }
    return Occurrence(ws, EventType.TRANSCRIPT_READY, data)


def summary_finalised(summary_id: int) -> Occurrence | None:
    summary = (
        Summary.objects.select_related(
            "interview__study__workspace", "interview__participant", "finalised_by"
        )
        .filter(pk=summary_id)
        .first()
    )
    if summary is None or not summary.is_final:
        return None
    interview = summary.interview
    ws = interview.study.workspace
    data = _about_interview(interview)
    data["summary"] = {
        "id": summary.pk,
        "url": link("summaries:detail", ws, pk=interview.pk),
        "finalised_at": when(summary.finalised_at),
        "finalised_by": person_part(summary.finalised_by),
        "stances": [
            {
                "point": {"id": cell.point_id, "label": cell.point.label},
                "stance": cell.stance,
            }
            for cell in summary.points.select_related("point")
        ],
    }
    return Occurrence(ws, EventType.SUMMARY_FINALISED, data)


def finding_part(finding: Finding, ws: Workspace) -> dict[str, Any]:
    return {
        "id": finding.pk,
        "statement": finding.statement,
        "url": link("findings:detail", ws, study_pk=finding.study_id, pk=finding.pk),
    }


def review_part(review: Review, ws: Workspace) -> dict[str, Any]:
    return {"id": review.pk, "title": review.title, "url": link("reviews:board", ws, pk=review.pk)}


ALIGNMENTS = {"aligned": EventType.FINDING_ALIGNED, "disputed": EventType.FINDING_DISPUTED}


def finding_alignment(review_id: int, finding_id: int, alignment: str) -> Occurrence | None:
    """A finding moved to aligned or disputed in a review (moving to open tells nobody)."""
    kind = ALIGNMENTS.get(alignment)
    review = Review.objects.select_related("study__workspace").filter(pk=review_id).first()
    finding = Finding.objects.filter(pk=finding_id, study__reviews=review_id).first()
    if kind is None or review is None or finding is None:
        return None
    ws = review.study.workspace
    choices = list(
        Vote.objects.filter(review=review, finding=finding).values_list("choice", flat=True)
    )
    open_challenges = Challenge.objects.filter(
        review=review, finding=finding, resolved_at__isnull=True
    ).count()
    data = {
        "finding": finding_part(finding, ws),
        "review": review_part(review, ws),
        "study": study_part(review.study, ws),
        "alignment": alignment,
        "votes": {choice: choices.count(choice) for choice in VoteChoice.values},
        "open_challenges": open_challenges,
    }
    return Occurrence(ws, kind, data)


def decision_recorded(decision_id: int) -> Occurrence | None:
    decision = (
        Decision.objects.select_related("study__workspace", "review", "recorded_by")
        .filter(pk=decision_id)
        .first()
    )
    if decision is None:
        return None
    ws = decision.study.workspace
    data = {
        "decision": {
            "id": decision.pk,
            "text": decision.text,
            "decided_at": when(decision.decided_at),
            "url": link("reviews:decisions", ws, study_pk=decision.study_id),
            "warnings_acknowledged": [
                {"finding": item.get("finding"), "warnings": item.get("warnings", [])}
                for item in decision.warnings_acknowledged
            ],
        },
        "findings": [finding_part(finding, ws) for finding in decision.findings.order_by("pk")],
        "agreed_by": [person_part(user) for user in decision.agreed_by.order_by("pk")],
        "recorded_by": person_part(decision.recorded_by),
        "review": None if decision.review is None else review_part(decision.review, ws),
        "study": study_part(decision.study, ws),
    }
    return Occurrence(ws, EventType.DECISION_RECORDED, data)


def participant_erased(
    workspace_id: int, participant_id: int | None, erased_at: datetime.datetime
) -> Occurrence | None:
    """Someone was erased: by their id and pseudonym, and when; nothing else about them."""
    ws = Workspace.objects.filter(pk=workspace_id).first()
    if ws is None:
        return None
    person = Participant.objects.filter(pk=participant_id).first() if participant_id else None
    data = {
        "participant": (
            {"id": participant_id, "pseudonym": None}
            if person is None
            else participant_part(person)
        ),
        "erased_at": when(erased_at),
    }
    return Occurrence(ws, EventType.PARTICIPANT_ERASED, data)


# Making the deliveries --------------------------------------------------------------------------


def body_of(event_id: uuid.UUID, occurrence: Occurrence, at: datetime.datetime) -> str:
    """The JSON every delivery of the event sends, written once. Not ASCII-escaped, so that
    an erasure's scrub finds a name written in it as it finds it anywhere else."""
    return json.dumps(
        {
            "id": str(event_id),
            "type": occurrence.type.value,
            "created_at": when(at),
            "workspace": workspace_part(occurrence.workspace),
            "data": occurrence.data,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def subscribed(workspace: Workspace, event_type: str) -> list[Webhook]:
    """The workspace's active webhooks that asked for `event_type` (a workspace has few)."""
    hooks = Webhook.objects.filter(workspace=workspace, active=True).order_by("pk")
    return [hook for hook in hooks if hook.wants(event_type)]


def emit(occurrence: Occurrence | None) -> list[Delivery]:
    """A delivery of the event to each of its workspace's webhooks that asked for it, each
    handed to the worker once committed. Nothing at all when none asked."""
    if occurrence is None:
        return []
    hooks = subscribed(occurrence.workspace, occurrence.type)
    if not hooks:
        return []
    now = timezone.now()
    event_id = uuid.uuid4()
    with transaction.atomic():
        event = Event.objects.create(
            uuid=event_id,
            workspace=occurrence.workspace,
            type=occurrence.type,
            body=body_of(event_id, occurrence, now),
            created_at=now,
        )
        deliveries = [
            Delivery.objects.create(webhook=hook, event=event, next_attempt_at=now)
            for hook in hooks
        ]
        ids = [delivery.pk for delivery in deliveries]
        transaction.on_commit(lambda: sending.enqueue_all(ids))
    return deliveries


def emitting(build: Callable[..., Occurrence | None]) -> Callable[..., None]:
    """A signal receiver that builds the event from the signal's values and emits it."""

    def receiver(sender: Any, **values: Any) -> None:
        values.pop("signal", None)
        emit(build(**values))

    receiver.__name__ = f"emit_{build.__name__}"
    return receiver

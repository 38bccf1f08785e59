"""The JSON shapes of the live screen: the snapshot it starts from, an interview, a note."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from heard.accounts.models import User
from heard.interviews.live import presence
from heard.interviews.live.budget import budget_for
from heard.interviews.live.events import iso
from heard.interviews.live.reads import latest_event_id, live_notes
from heard.interviews.models import Interview, Note, QueuedQuestion


def interview_json(interview: Interview) -> dict[str, Any]:
    budget = budget_for(interview)
    asker = interview.consent_asked_by
    return {
        "id": interview.pk,
        "status": interview.status,
        "started_at": iso(interview.started_at),
        "ended_at": iso(interview.ended_at),
        "now": timezone.now().isoformat(),
        "length_s": budget.length_s,
        "team_reserve_s": budget.team_reserve_s,
        "customer_reserve_s": budget.customer_reserve_s,
        "consent": interview.recording_consent,
        "consent_by": asker.name if asker else None,
        "consent_at": iso(interview.consent_at),
        "intros_started_at": iso(interview.intros_started_at),
        "promised_follow_up": interview.promised_follow_up,
    }


def person_json(user: User | None) -> dict[str, Any] | None:
    return {"id": user.pk, "name": user.name} if user else None


def note_json(note: Note) -> dict[str, Any]:
    return {
        "id": str(note.pk),
        "kind": note.kind,
        "kind_label": note.get_kind_display(),
        "text": note.text,
        "elapsed_seconds": note.elapsed_seconds,
        "question": note.question_id,
        "ladder_of": str(note.ladder_of_id) if note.ladder_of_id else None,
        "author": person_json(note.author),
        "deleted": note.deleted_at is not None,
        "created_at": iso(note.created_at),
        "updated_at": iso(note.updated_at),
    }


def queued_json(item: QueuedQuestion) -> dict[str, Any]:
    return {
        "id": item.pk,
        "text": item.text,
        "author": item.author.name if item.author else None,
        "asked": item.asked_at is not None,
    }


def snapshot(interview: Interview, user: User, *, can_edit: bool) -> dict[str, Any]:
    """Everything a screen needs to start following the call."""
    sections = []
    if interview.guide_id:
        guide_sections = interview.guide.sections.prefetch_related(  # type: ignore[union-attr]
            "questions__points"
        )
        for section in guide_sections:
            sections.append(
                {
                    "id": section.pk,
                    "title": section.title,
                    "questions": [
                        {
                            "id": q.pk,
                            "text": q.text,
                            "priority": q.priority,
                            "minutes": q.minutes,
                            "follow_ups": q.follow_up_list,
                            "points": [p.label for p in q.points.all()],
                        }
                        for q in section.questions.all()
                    ],
                }
            )
    states = {
        str(qid): status
        for qid, status in interview.question_states.values_list("question_id", "status")
    }
    return {
        "interview": interview_json(interview),
        "me": {"id": user.pk, "name": user.name, "can_edit": can_edit},
        "sections": sections,
        "question_states": states,
        "notes": [note_json(note) for note in live_notes(interview)],
        "queued": [
            queued_json(item) for item in interview.queued_questions.select_related("author")
        ],
        "presence": presence.present(interview.pk),
        "cursor": latest_event_id(interview.pk),
    }

"""The JSON shapes of the live screen: the snapshot it starts from, an interview, a note, and
what its code is told besides (the kinds of event, the enums it uses, the addresses of the live
API)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from heard.accounts.models import User
from heard.core.archiving import shown_at
from heard.guides.models import Question, QuestionPriority, Section
from heard.interviews.live import presence
from heard.interviews.live.budget import budget_for
from heard.interviews.live.events import EventKind, iso
from heard.interviews.live.reads import latest_event_id, live_notes
from heard.interviews.models import (
    Consent,
    Interview,
    InterviewStatus,
    Note,
    NoteKind,
    QuestionStatus,
    QueuedQuestion,
)


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
        # The guide as it stood when the call began: parts archived since are still there.
        when = interview.started_at
        guide_sections = Section.objects.filter(
            shown_at(when), guide=interview.guide_id
        ).prefetch_related(
            Prefetch("questions", queryset=Question.objects.filter(shown_at(when))),
            "questions__points",
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


# What the screen's code calls, by the name it uses: the route, and the route's argument that
# the code fills in ("{id}" in the address), if any.
API_ROUTES: dict[str, tuple[str, str | None]] = {
    "state": ("live_state", None),
    "stream": ("live_stream", None),
    "notes": ("live_note_save", None),
    "noteDelete": ("live_note_delete", "note_id"),
    "noteRestore": ("live_note_restore", "note_id"),
    "question": ("live_question", "question_id"),
    "start": ("live_start", None),
    "consent": ("live_consent", None),
    "intros": ("live_intros", None),
    "reserves": ("live_reserves", None),
    "queue": ("live_queue", None),
    "queueAsked": ("live_queue_asked", "item_id"),
    "end": ("live_end", None),
    "wrapup": ("wrapup", None),
}
ID = "{id}"
# Values the routes' converters take, reversed and then swapped for ID.
_STAND_INS: dict[str, object] = {
    "note_id": uuid.UUID(int=0),
    "question_id": 0,
    "item_id": 0,
}


def _address(name: str, kwargs: dict[str, object], argument: str | None) -> str:
    if argument is None:
        return reverse(f"interviews:{name}", kwargs=kwargs)
    stand_in = _STAND_INS[argument]
    url = reverse(f"interviews:{name}", kwargs={**kwargs, argument: stand_in})
    # The argument is a whole path segment after the workspace and the interview: the last one.
    head, found, tail = url.rpartition(f"/{stand_in}/")
    if not found:
        raise ImproperlyConfigured(f"{name}: no {argument} segment in {url}")
    return f"{head}/{ID}/{tail}"


# The enums whose values the screen's code compares and sends, each under its class name, and
# those of them whose labels it shows (the rest it never labels: the page's HTML does).
SCREEN_ENUMS: tuple[type[models.TextChoices], ...] = (
    NoteKind,
    InterviewStatus,
    Consent,
    QuestionPriority,
    QuestionStatus,
)
LABELLED_ENUMS: tuple[type[models.TextChoices], ...] = (
    NoteKind,
    InterviewStatus,
    QuestionPriority,
    QuestionStatus,
)


def screen_enums() -> dict[str, Any]:
    """Each enum of SCREEN_ENUMS as member name -> value ("enums"), and the labels of
    LABELLED_ENUMS as value -> label ("labels"), the way the code looks them up."""
    return {
        "enums": {enum.__name__: {kind.name: kind.value for kind in enum} for enum in SCREEN_ENUMS},
        "labels": {enum.__name__: dict(enum.choices) for enum in LABELLED_ENUMS},
    }


def screen_config(ws: str, interview_pk: int) -> dict[str, Any]:
    """What the screen's code needs besides the state, so that it spells out neither the kinds
    of event, nor any other enum's values, nor the API's addresses: each event kind by its name
    in EventKind, the enums of screen_enums(), and each address by the name the code uses
    ("{id}" stands for a note, question or queued item)."""
    kwargs: dict[str, object] = {"ws": ws, "pk": interview_pk}
    return {
        "event_kinds": {kind.name: kind.value for kind in EventKind},
        **screen_enums(),
        "urls": {
            key: _address(name, kwargs, argument) for key, (name, argument) in API_ROUTES.items()
        },
    }

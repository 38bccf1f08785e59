"""The live companion's page and its small JSON API (see docs/architecture.md, "Live call").

Writes and the event feed are async views: the database work runs in a thread pool, so a
save never waits behind another screen's long poll.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from asgiref.sync import sync_to_async
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from heard.accounts.access import Need, allows
from heard.interviews import live, services
from heard.interviews.access import get_interview_for
from heard.interviews.feed import feed
from heard.interviews.models import Interview
from heard.interviews.purpose import render_purpose

Action = Callable[[Interview, Any, dict[str, Any], dict[str, Any]], dict[str, Any]]


def in_thread[**P, R](function: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """Run database work in the thread pool, handing the connection back when done (each
    call runs in a copy of the request's context, where a kept connection would be lost)."""

    @functools.wraps(function)
    def run_and_release(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    return sync_to_async(run_and_release, thread_sensitive=False)


def _open(request: HttpRequest, ws: str, pk: int, need: Need) -> tuple[Interview, Any, bool]:
    interview = get_interview_for(request, ws, pk, need)
    membership = request.membership  # type: ignore[attr-defined]  # set by the access check
    return interview, membership.user, allows(membership.role_enum, Need.EDIT)


def _body(request: HttpRequest) -> dict[str, Any]:
    if not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise live.LiveError("The request is not valid JSON.") from None
    if not isinstance(data, dict):
        raise live.LiveError("The request must be a JSON object.")
    return data


def live_action(action: Action) -> Callable[..., Coroutine[Any, Any, HttpResponse]]:
    """A POST that changes the call: access first, then the change, then wake the screens."""

    @functools.wraps(action)
    async def view(request: HttpRequest, ws: str, pk: int, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            await in_thread(get_interview_for)(request, ws, pk)
            return HttpResponseNotAllowed(["POST"])
        try:
            interview_pk, newest, result = await in_thread(act)(request, ws, pk, kwargs)
        except live.LiveError as error:
            return JsonResponse({"error": str(error)}, status=error.status)
        feed().bump(interview_pk, newest)
        return JsonResponse(result)

    def act(
        request: HttpRequest, ws: str, pk: int, kwargs: dict[str, Any]
    ) -> tuple[int, int, dict[str, Any]]:
        """Access, the change and the newest event id, in one trip to the thread pool."""
        interview, user, _ = _open(request, ws, pk, Need.EDIT)
        result = action(interview, user, _body(request), kwargs)
        return interview.pk, live.latest_event_id(interview.pk), result

    return view


# The page --------------------------------------------------------------------------------------


def live_page(request: HttpRequest, ws: str, pk: int) -> HttpResponse:
    interview, user, can_edit = _open(request, ws, pk, Need.VIEW)
    participant = interview.participant
    profile_fields = []
    if interview.guide_id:
        for field in interview.guide.profile_fields.all():  # type: ignore[union-attr]
            profile_fields.append((field.label, participant.profile.get(field.key, "")))
    context = {
        "interview": interview,
        "can_edit": can_edit,
        "state": live.snapshot(interview, user, can_edit=can_edit),
        "purpose": render_purpose(interview),
        "team": services.intro_order(interview),
        "participant": participant,
        "research_notes": participant.notes.all(),
        "profile_fields": profile_fields,
    }
    return render(request, "interviews/live.html", context)


def live_state(request: HttpRequest, ws: str, pk: int) -> HttpResponse:
    interview, user, can_edit = _open(request, ws, pk, Need.VIEW)
    return JsonResponse(live.snapshot(interview, user, can_edit=can_edit))


def _events_answer(interview: Interview, user: Any, cursor: int) -> dict[str, Any]:
    live.touch_presence(interview, user)
    events = live.events_after(interview, cursor)
    return {
        "events": events,
        "cursor": events[-1]["id"] if events else cursor,
        "presence": live.present(interview),
        "now": live.interview_json(interview)["now"],
    }


async def live_events(request: HttpRequest, ws: str, pk: int) -> HttpResponse:
    """Events after the cursor; waits up to `wait` seconds for the first one (long poll)."""
    interview, user, _ = await in_thread(_open)(request, ws, pk, Need.VIEW)
    try:
        cursor = max(0, int(request.GET.get("after", "0")))
        wait = min(live.LONG_POLL_SECONDS, max(0.0, float(request.GET.get("wait", "0"))))
    except ValueError:
        return JsonResponse({"error": "after and wait are numbers."}, status=400)
    answer = await in_thread(_events_answer)(interview, user, cursor)
    if not answer["events"] and wait > 0:
        # Hand back this request's database connections while it waits, so that waiting
        # screens do not hold a connection each.
        await sync_to_async(connections.close_all)()
        await feed().wait_beyond(interview.pk, cursor, wait)
        answer = await in_thread(_events_answer)(interview, user, cursor)
    return JsonResponse(answer)


# Changes ---------------------------------------------------------------------------------------


@live_action
def note_save(
    interview: Interview, user: Any, data: dict[str, Any], _: dict[str, Any]
) -> dict[str, Any]:
    note, _changed = live.save_note(interview, user, data)
    return {"note": live.note_json(note)}


@live_action
def note_delete(
    interview: Interview, user: Any, data: dict[str, Any], kw: dict[str, Any]
) -> dict[str, Any]:
    note = live.set_note_deleted(interview, user, kw["note_id"], deleted=True)
    return {"note": live.note_json(note)}


@live_action
def note_restore(
    interview: Interview, user: Any, data: dict[str, Any], kw: dict[str, Any]
) -> dict[str, Any]:
    note = live.set_note_deleted(interview, user, kw["note_id"], deleted=False)
    return {"note": live.note_json(note)}


@live_action
def question_status(
    interview: Interview, user: Any, data: dict[str, Any], kw: dict[str, Any]
) -> dict[str, Any]:
    status = live.set_question_status(interview, user, kw["question_id"], data.get("status"))
    return {"question": kw["question_id"], "status": status}


@live_action
def start(
    interview: Interview, user: Any, data: dict[str, Any], _: dict[str, Any]
) -> dict[str, Any]:
    return {"interview": live.start(interview, user)}


@live_action
def consent(
    interview: Interview, user: Any, data: dict[str, Any], _: dict[str, Any]
) -> dict[str, Any]:
    return {"interview": live.record_consent(interview, user, str(data.get("answer", "")))}


@live_action
def intros(
    interview: Interview, user: Any, data: dict[str, Any], _: dict[str, Any]
) -> dict[str, Any]:
    return {"interview": live.start_intros(interview, user)}


@live_action
def reserves(
    interview: Interview, user: Any, data: dict[str, Any], _: dict[str, Any]
) -> dict[str, Any]:
    return {"interview": live.set_team_reserve(interview, user, data.get("team_reserve_minutes"))}


@live_action
def queue_add(
    interview: Interview, user: Any, data: dict[str, Any], _: dict[str, Any]
) -> dict[str, Any]:
    return {"queued": live.queued_json(live.queue_question(interview, user, data.get("text")))}


@live_action
def queue_asked(
    interview: Interview, user: Any, data: dict[str, Any], kw: dict[str, Any]
) -> dict[str, Any]:
    return {"queued": live.queued_json(live.mark_queued_asked(interview, user, kw["item_id"]))}


@live_action
def end(interview: Interview, user: Any, data: dict[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    payload = live.end(interview, user, promised_follow_up=bool(data.get("promised_follow_up")))
    ws = interview.study.workspace.slug
    return {
        "interview": payload,
        "wrapup_url": reverse("interviews:wrapup", args=[ws, interview.pk]),
    }


# Wrap-up ---------------------------------------------------------------------------------------


def wrapup(request: HttpRequest, ws: str, pk: int) -> HttpResponse:
    interview, _, can_edit = _open(request, ws, pk, Need.VIEW)
    context = {"interview": interview, "can_edit": can_edit, **live.wrapup_for(interview)}
    return render(request, "interviews/wrapup.html", context)

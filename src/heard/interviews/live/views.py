"""The live companion's page and its small JSON API (see docs/architecture.md, "Live call").

Writes and the event stream are async views: their database work runs in the thread pool,
one trip per request, and a screen following the call holds no thread while it waits.
"""

from __future__ import annotations

import asyncio
import functools
import json
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from heard.accounts import sessions
from heard.accounts.access import Need, allows, current_user, post_only
from heard.accounts.models import User
from heard.accounts.requests import WorkspaceRequest
from heard.core.asyncdb import in_thread
from heard.core.hot_path import hot_path
from heard.interviews import services
from heard.interviews.access import get_interview_for, open_for_session, open_interview
from heard.interviews.live import milestones, notes, presence, questions, reads, state
from heard.interviews.live.checks import LiveError
from heard.interviews.live.feed import encode, hub
from heard.interviews.models import ASKED, Consent, ConsentTopic, Interview, NoteKind
from heard.interviews.purpose import render_purpose_html
from heard.participants.profile import ProfileEntry, display_value, fold_role

Action = Callable[[Interview, Any, dict[str, Any], dict[str, Any]], dict[str, Any]]

# A stream ends after this long (the browser reconnects at once, and access is checked anew).
STREAM_SECONDS = 300.0
KEEPALIVE_SECONDS = 15.0
RECONNECT_MS = 1000


class SignedOut(LiveError):
    status = 401


def _page(request: WorkspaceRequest, ws: str, pk: int) -> tuple[Interview, Any, bool]:
    """For the pages: the interview, the user and whether they may write."""
    interview = get_interview_for(request, ws, pk)
    membership = request.membership
    return interview, membership.user, allows(membership.role_enum, Need.EDIT)


def _open(request: WorkspaceRequest, ws: str, pk: int, need: Need) -> tuple[Interview, Any, bool]:
    """For the API: the same, and 401 (not a redirect) without a session. A session this
    process has seen is read with its user, the interview and the role in one statement; any
    other goes Django's way (the session, then the user), and is remembered."""
    quick = open_for_session(request, ws, pk, need)
    if quick is not None:
        interview, user, role = quick
        request.user = user
        return interview, user, allows(role, Need.EDIT)
    user = request.user
    if not isinstance(user, User):
        raise SignedOut("Your session has ended: sign in again. Unsaved notes are kept here.")
    sessions.remember(request, user)
    interview, role = open_interview(user, ws, pk, need)
    return interview, user, allows(role, Need.EDIT)


def _body(request: HttpRequest) -> dict[str, Any]:
    if not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise LiveError("The request is not valid JSON.") from None
    if not isinstance(data, dict):
        raise LiveError("The request must be a JSON object.")
    if _holds_nul(data):
        # No text may hold one (PostgreSQL refuses it): refused here, for every change at once.
        raise LiveError("The text holds a NUL character (\\u0000), which Heard does not keep.")
    return data


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def live_api(
    view: Callable[..., Coroutine[Any, Any, HttpResponseBase]],
) -> Callable[..., Coroutine[Any, Any, HttpResponseBase]]:
    """An endpoint of the live screen's API: it checks the session itself (and answers 401 in
    JSON rather than sending the browser to the sign-in page), and refusals come as JSON."""

    @functools.wraps(view)
    async def api_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return await view(request, *args, **kwargs)
        except LiveError as error:
            return JsonResponse({"error": str(error)}, status=error.status)

    return login_not_required(api_view)


def live_action(
    action: Action, need: Need = Need.EDIT
) -> Callable[..., Coroutine[Any, Any, HttpResponseBase]]:
    """A POST that changes the call: access first, then the change, then wake the screens."""

    @live_api
    @functools.wraps(action)
    async def view(request: WorkspaceRequest, ws: str, pk: int, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            await in_thread(_open)(request, ws, pk, Need.VIEW)
            return HttpResponseNotAllowed(["POST"])
        result = await in_thread(act)(request, ws, pk, kwargs)
        hub().written()
        return JsonResponse(result)

    def act(request: WorkspaceRequest, ws: str, pk: int, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Access and the change, in one trip to the thread pool, on the hot path (what
        follows each write, such as search, is done after the commit, in batches)."""
        interview, user, _ = _open(request, ws, pk, need)
        with hot_path():
            return action(interview, user, _body(request), kwargs)

    view.http_methods = ("POST",)  # type: ignore[attr-defined]  # read by tests
    return view


# The page --------------------------------------------------------------------------------------


def live_page(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview, user, can_edit = _page(request, ws, pk)
    participant = interview.participant
    profile = participant.profile or {}
    fields = interview.guide.profile_fields.all() if interview.guide else ()
    role, profile_fields = fold_role(
        participant.role,
        [ProfileEntry(f.key, f.label, display_value(profile.get(f.key))) for f in fields],
    )
    context = {
        "interview": interview,
        "can_edit": can_edit,
        "state": state.snapshot(interview, user, can_edit=can_edit),
        "config": state.screen_config(ws, interview.pk),
        "purpose": render_purpose_html(interview),
        "team": services.intro_order(interview),
        "participant": participant,
        "role": role,
        "research_notes": participant.notes.all(),
        "profile_fields": profile_fields,
        "Consent": Consent,
        "consent_question": ASKED[ConsentTopic.RECORDING],
        "NoteKind": NoteKind,
    }
    return render(request, "interviews/live.html", context)


def live_state(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview, user, can_edit = _page(request, ws, pk)
    return JsonResponse(state.snapshot(interview, user, can_edit=can_edit))


def _answer(interview: Interview, cursor: int, events: list[dict[str, Any]]) -> dict[str, Any]:
    """Events after `cursor`, the cursor to go on from, who is there, the server's clock."""
    return {
        "events": events,
        "cursor": events[-1]["id"] if events else cursor,
        "presence": presence.present(interview.pk),
        "now": timezone.now().isoformat(),
    }


def _events_answer(interview: Interview, cursor: int) -> dict[str, Any]:
    return _answer(interview, cursor, reads.events_after(interview, cursor))


def _cursor(request: HttpRequest) -> int:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after") or "0"
    try:
        return max(0, int(raw))
    except ValueError:
        raise LiveError("The cursor (after) must be a whole number.") from None


@live_api
async def live_events(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """The events after the cursor, at once (a screen catching up, or a script)."""
    interview, _, _ = await in_thread(_open)(request, ws, pk, Need.VIEW)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return JsonResponse(await in_thread(_events_answer)(interview, _cursor(request)))


def _stream_start(interview: Interview, user_id: int, cursor: int) -> tuple[dict[str, Any], int]:
    """Mark the screen present; its first answer (the whole backlog after its cursor) and
    the newest event id, from which the hub follows."""
    presence.touch([(interview.pk, user_id)])
    newest = reads.latest_event_id(interview.pk)
    backlog: list[dict[str, Any]] = []
    read_to = cursor
    while read_to < newest:
        events = reads.events_after(interview, read_to)
        if not events:
            break
        backlog += events
        read_to = events[-1]["id"]
    return _answer(interview, cursor, backlog), newest


@live_api
async def live_stream(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponseBase:
    """The call as it happens: server-sent events after the cursor (or Last-Event-ID)."""
    interview, user, _ = await in_thread(_open)(request, ws, pk, Need.VIEW)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    cursor = _cursor(request)
    response = StreamingHttpResponse(
        _stream(interview, user.pk, cursor), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # proxies must pass each event on at once
    return response


async def _stream(interview: Interview, user_id: int, cursor: int) -> AsyncIterator[bytes]:
    screens = hub()
    subscription = screens.subscribe(interview.pk, user_id, cursor)
    try:
        hello, newest = await in_thread(_stream_start)(interview, user_id, cursor)
        screens.caught_up(subscription, newest)
        screens.joined()
        subscription.last_id, subscription.presence = hello["cursor"], hello["presence"]
        yield f"retry: {RECONNECT_MS}\n".encode() + encode(hello)
        loop = asyncio.get_running_loop()
        ends = loop.time() + STREAM_SECONDS
        while (left := ends - loop.time()) > 0:
            try:
                async with asyncio.timeout(min(KEEPALIVE_SECONDS, left)):
                    message = await subscription.queue.get()
            except TimeoutError:
                yield b": still here\n\n"
                continue
            if message is None:
                return
            data = subscription.bytes_for(message)
            if data:
                yield data
    finally:
        screens.unsubscribe(subscription)


# Changes ---------------------------------------------------------------------------------------


@live_action
def note_save(
    interview: Interview, user: Any, data: dict[str, Any], _: dict[str, Any]
) -> dict[str, Any]:
    note, _changed = notes.save_note(interview, user, data)
    return {"note": state.note_json(note)}


@live_action
def note_delete(
    interview: Interview, user: Any, data: dict[str, Any], kw: dict[str, Any]
) -> dict[str, Any]:
    note = notes.set_note_deleted(interview, user, kw["note_id"], deleted=True)
    return {"note": state.note_json(note)}


@live_action
def note_restore(
    interview: Interview, user: Any, data: dict[str, Any], kw: dict[str, Any]
) -> dict[str, Any]:
    note = notes.set_note_deleted(interview, user, kw["note_id"], deleted=False)
    return {"note": state.note_json(note)}


@live_action
def question_status(
    interview: Interview, user: Any, data: dict[str, Any], kw: dict[str, Any]
) -> dict[str, Any]:
    status = questions.set_question_status(interview, user, kw["question_id"], data.get("status"))
    return {"question": kw["question_id"], "status": status}


@live_action
def start(
    interview: Interview, user: Any, data: dict[str, Any], _: dict[str, Any]
) -> dict[str, Any]:
    return {"interview": milestones.start(interview, user)}


@live_action
def consent(
    interview: Interview, user: Any, data: dict[str, Any], _: dict[str, Any]
) -> dict[str, Any]:
    return {"interview": milestones.record_consent(interview, user, str(data.get("answer", "")))}


@live_action
def intros(
    interview: Interview, user: Any, data: dict[str, Any], _: dict[str, Any]
) -> dict[str, Any]:
    return {"interview": milestones.start_intros(interview, user)}


@live_action
def reserves(
    interview: Interview, user: Any, data: dict[str, Any], _: dict[str, Any]
) -> dict[str, Any]:
    return {
        "interview": milestones.set_team_reserve(interview, user, data.get("team_reserve_minutes"))
    }


def _queue_add(
    interview: Interview, user: Any, data: dict[str, Any], _: dict[str, Any]
) -> dict[str, Any]:
    return {
        "queued": state.queued_json(questions.queue_question(interview, user, data.get("text")))
    }


# An observer may do this one thing in a call (`Role.can_queue_questions` says why).
queue_add = live_action(_queue_add, need=Need.QUEUE_QUESTION)


@live_action
def queue_asked(
    interview: Interview, user: Any, data: dict[str, Any], kw: dict[str, Any]
) -> dict[str, Any]:
    return {
        "queued": state.queued_json(questions.mark_queued_asked(interview, user, kw["item_id"]))
    }


@live_action
def end(interview: Interview, user: Any, data: dict[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    payload = milestones.end(
        interview, user, promised_follow_up=bool(data.get("promised_follow_up"))
    )
    ws = interview.study.workspace.slug
    return {
        "interview": payload,
        "wrapup_url": reverse("interviews:wrapup", args=[ws, interview.pk]),
    }


# Wrap-up ---------------------------------------------------------------------------------------


def wrapup(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    interview, _, can_edit = _page(request, ws, pk)
    context = {"interview": interview, "can_edit": can_edit, **reads.wrapup_for(interview)}
    return render(request, "interviews/wrapup.html", context)


@post_only
def wrapup_note_question(
    request: WorkspaceRequest, ws: str, pk: int, note_id: uuid.UUID
) -> HttpResponse:
    """Tie a note to the question it answers, from the wrap-up (a plain form, no script)."""
    interview = get_interview_for(request, ws, pk, Need.EDIT)
    try:
        notes.set_note_question(
            interview, current_user(request), note_id, request.POST.get("question", "")
        )
    except LiveError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The note is tied to its new question.")
    return redirect(reverse("interviews:wrapup", args=[ws, interview.pk]) + f"#note-{note_id}")

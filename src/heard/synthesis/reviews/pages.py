"""How the meeting's two pages render: the board (every finding, each with its vote and
challenge forms) and presenter mode (one finding at a time), and how they stay fresh.

Colleagues in other browsers see each other's votes and challenges without reloading: the
part of the page others change (`live-inner`) polls its own address every few seconds, and
the server answers 204 (nothing to swap) while it reads the same as what the browser shows.
The board's forms sit inside that part, beside the finding they act on; the poll sends them
as empty placeholders that htmx fills with the forms already on the page (`hx-preserve`), so
a swap never takes away a half-typed challenge, and the fingerprint is taken of what the
poll sends. A screen that follows the presenter is sent to the presented finding by its poll.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from heard.accounts.access import current_user
from heard.accounts.requests import WorkspaceRequest
from heard.synthesis.findings import charts
from heard.synthesis.findings import services as findings
from heard.synthesis.models import Finding, Review, VoteChoice
from heard.synthesis.reviews import decisions, rounds
from heard.synthesis.reviews import services as review
from heard.synthesis.reviews.forms import ChallengeForm, DecisionForm

NAV = {"nav_section": "studies"}
POLL_SECONDS = 3
BOARD = "synthesis/review.html"
PRESENTER = "synthesis/review_present.html"


def present_url(
    current: Review, finding: Finding | int | None = None, *, follow: bool = False
) -> str:
    url = reverse("reviews:present", kwargs={"ws": current.study.workspace.slug, "pk": current.pk})
    if follow:
        return f"{url}?follow=1"
    return (
        f"{url}?finding={finding if isinstance(finding, int) else finding.pk}" if finding else url
    )


def board_url(current: Review, finding: Finding | None = None) -> str:
    url = reverse("reviews:board", kwargs={"ws": current.study.workspace.slug, "pk": current.pk})
    return f"{url}#board-{finding.pk}" if finding else url


def is_poll(request: WorkspaceRequest) -> bool:
    return bool(request.htmx) and request.GET.get("part") == "live"


def _presenting(current: Review, items: list[review.InReview]) -> dict[str, Any]:
    """Who presents which finding (its place in the list), for both pages."""
    number = next(
        (i.weighed.number for i in items if i.finding.pk == current.presented_finding_id), None
    )
    return {"presented_number": number, "follow_url": present_url(current, follow=True)}


# The board --------------------------------------------------------------------------------------


def board_context(
    request: WorkspaceRequest,
    current: Review,
    *,
    decision_form: DecisionForm | None = None,
    challenge_form: ChallengeForm | None = None,
    challenged: Finding | None = None,
    with_forms: bool = True,
) -> dict[str, Any]:
    """The board, and beside each finding its vote and challenge forms (a bound challenge
    form for `challenged`, to show its errors); without the challenge forms for an answer
    whose board part only replaces what the page shows around its forms."""
    items = review.board(current, current_user(request))
    warned = [item.weighed for item in items if item.weighed.warnings]
    context: dict[str, Any] = {
        **NAV,
        "review": current,
        "study": current.study,
        "items": items,
        "disputed": len(rounds.disputed(items)),
        "alignment_rule": review.ALIGNMENT_RULE,
        "decisions": decisions.decision_log(current.study, current),
        "decision_form": decision_form or DecisionForm(study=current.study, warned=warned),
        "votes": VoteChoice.choices,
        "poll_seconds": POLL_SECONDS,
        **_presenting(current, items),
    }
    if current.is_open and with_forms and not is_poll(request):
        quotes = findings.quotes_of(current.study)
        context["challenge_forms"] = {
            item.finding.pk: challenge_form
            if challenged is not None and item.finding.pk == challenged.pk
            else ChallengeForm(quotes=quotes, auto_id=f"id_challenge_{item.finding.pk}_%s")
            for item in items
        }
    return context


def board_page(request: WorkspaceRequest, current: Review, **forms: Any) -> HttpResponse:
    context = board_context(request, current, **forms)
    return live(request, BOARD, context)


def board_vote_answer(request: WorkspaceRequest, current: Review, finding: Finding) -> HttpResponse:
    """htmx's answer to a vote on the board: the finding's vote form, and the board's part
    that others change (out of band)."""
    context = board_context(request, current, with_forms=False)
    context["entry"] = next(item for item in context["items"] if item.finding.pk == finding.pk)
    render_live_part(request, BOARD, context)
    vote = render_to_string(f"{BOARD}#board-vote", context, request)
    part = render_to_string(f"{BOARD}#live", {**context, "oob": True}, request)
    return HttpResponse(vote + part)


# Presenter mode ---------------------------------------------------------------------------------


def presenter_context(
    request: WorkspaceRequest,
    current: Review,
    finding_pk: object,
    *,
    following: bool = False,
    challenge_form: ChallengeForm | None = None,
) -> dict[str, Any]:
    items = review.board(current, current_user(request))
    index = next((i for i, item in enumerate(items) if str(item.finding.pk) == finding_pk), 0)
    item = items[index] if items else None
    if item is not None:
        findings.mark_moments([item.weighed], current.study.workspace.slug)
    quotes = findings.quotes_of(current.study)
    context: dict[str, Any] = {
        **NAV,
        "review": current,
        "study": current.study,
        "items": items,
        "item": item,
        "previous": items[index - 1] if item and index > 0 else None,
        "next": items[index + 1] if item and index + 1 < len(items) else None,
        "charts": charts.charts_for(current.study, item.weighed.points) if item else [],
        "votes": VoteChoice.choices,
        "challenge_form": challenge_form or ChallengeForm(quotes=quotes),
        "alignment_rule": review.ALIGNMENT_RULE,
        "poll_seconds": POLL_SECONDS,
        "following": following,
        "leading": current.presenter_id is not None
        and current.presenter_id == current_user(request).pk,
        **_presenting(current, items),
    }
    return context


def presenter_page(
    request: WorkspaceRequest, current: Review, finding_pk: str | None, *, following: bool
) -> HttpResponse:
    """One finding at a time. A screen that follows the presenter shows the presented
    finding, and its poll sends it to the next one the presenter shows."""
    presented = current.presented_finding_id
    if following and presented is not None:
        if is_poll(request) and finding_pk != str(presented):
            return HttpResponse(headers={"HX-Redirect": present_url(current, follow=True)})
        finding_pk = str(presented)
    context = presenter_context(request, current, finding_pk, following=following)
    return live(request, PRESENTER, context)


def presenter_vote_answer(
    request: WorkspaceRequest, current: Review, finding: Finding
) -> HttpResponse:
    context = presenter_context(request, current, str(finding.pk))
    render_live_part(request, PRESENTER, context)
    vote = render_to_string(f"{PRESENTER}#vote", context, request)
    part = render_to_string(f"{PRESENTER}#live", {**context, "oob": True}, request)
    return HttpResponse(vote + part)


# The part others change -------------------------------------------------------------------------


def render_live_part(request: WorkspaceRequest, template: str, context: dict[str, Any]) -> None:
    """Render the part of the page that others change (`live-inner`) and its fingerprint,
    taken of the part as a poll sends it: forms as placeholders."""
    forms = context.pop("challenge_forms", None)
    inner = render_to_string(f"{template}#live-inner", context, request)
    context["stamp"] = hashlib.sha256(inner.encode()).hexdigest()[:16]
    if forms is not None:
        context["challenge_forms"] = forms
        inner = render_to_string(f"{template}#live-inner", context, request)
    context["live_html"] = mark_safe(inner)


def live(request: WorkspaceRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render the page, or answer its poll: the part others change, or 204 while the browser
    shows it as it is (the fingerprint of what it shows comes back as `seen`)."""
    render_live_part(request, template, context)
    if is_poll(request):
        if request.GET.get("seen") == context["stamp"]:
            return HttpResponse(status=204)
        return render(request, f"{template}#live", context)
    return render(request, template, context)

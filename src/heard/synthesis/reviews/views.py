"""The review meeting: the board, presenter mode, votes and challenges, decisions, the
follow-up round.

Colleagues in other browsers see each other's votes and challenges without reloading: the
part of the page others change polls its own address every few seconds, and the server
answers 204 (nothing to swap) while it reads the same as what the browser shows.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django_htmx.http import HttpResponseClientRefresh

from heard.accounts.access import Need, current_user, get_only, post_only
from heard.accounts.requests import WorkspaceRequest
from heard.studies.access import get_study_for
from heard.synthesis.access import (
    get_challenge_for,
    get_review_finding_for,
    get_review_for,
)
from heard.synthesis.findings import charts
from heard.synthesis.findings import services as findings
from heard.synthesis.models import Finding, Review, ReviewStatus, VoteChoice
from heard.synthesis.reviews import decisions, rounds
from heard.synthesis.reviews import services as review
from heard.synthesis.reviews.forms import (
    ChallengeForm,
    DecisionForm,
    ResolveForm,
    StartReviewForm,
    VoteForm,
)

NAV = {"nav_section": "studies"}
POLL_SECONDS = 3


@post_only
def review_start(request: WorkspaceRequest, ws: str, study_pk: int) -> HttpResponse:
    study = get_study_for(request, ws, study_pk, Need.EDIT)
    form = StartReviewForm(request.POST)
    title = form.cleaned_data["title"] if form.is_valid() else ""
    started = review.start_review(study, current_user(request), title)
    return redirect("reviews:board", ws=ws, pk=started.pk)


@get_only
def review_board(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    current = get_review_for(request, ws, pk)
    return _board(request, current)


def _board(
    request: WorkspaceRequest, current: Review, decision_form: DecisionForm | None = None
) -> HttpResponse:
    items = review.board(current, current_user(request))
    context: dict[str, Any] = {
        **NAV,
        "review": current,
        "study": current.study,
        "items": items,
        "disputed": len(rounds.disputed(items)),
        "alignment_rule": review.ALIGNMENT_RULE,
        "decisions": decisions.decision_log(current.study, current),
        "decision_form": decision_form or DecisionForm(study=current.study, warned=warned(items)),
        "poll_seconds": POLL_SECONDS,
    }
    return _live(request, "synthesis/review.html", context)


PRESENTER = "synthesis/review_present.html"


@get_only
def review_present(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """One finding at a time, with its evidence; the arrow keys or the links move on."""
    current = get_review_for(request, ws, pk)
    return _live(request, PRESENTER, _presenter(request, current, request.GET.get("finding")))


def _presenter(
    request: WorkspaceRequest,
    current: Review,
    finding_pk: object,
    challenge_form: ChallengeForm | None = None,
) -> dict[str, Any]:
    items = review.board(current, current_user(request))
    index = next((i for i, item in enumerate(items) if str(item.finding.pk) == finding_pk), 0)
    item = items[index] if items else None
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
    }
    return context


@post_only
def review_vote(request: WorkspaceRequest, ws: str, pk: int, finding_pk: int) -> HttpResponse:
    current = get_review_for(request, ws, pk, Need.TAKE_PART_IN_REVIEW)
    finding = get_review_finding_for(current, finding_pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _refused(request, ws, current, finding, "Vote agree, disagree or unsure.")
    try:
        review.vote(current, finding, current_user(request), form.cleaned_data["vote"])
    except review.ReviewError as error:
        return _refused(request, ws, current, finding, str(error))
    if not request.htmx:
        return redirect(_present_url(ws, current, finding) + "#vote")
    context = _presenter(request, current, str(finding.pk))
    _render_live_part(request, PRESENTER, context)
    vote = render_to_string(f"{PRESENTER}#vote", context, request)
    live = render_to_string(f"{PRESENTER}#live", {**context, "oob": True}, request)
    return HttpResponse(vote + live)


@post_only
def review_challenge(request: WorkspaceRequest, ws: str, pk: int, finding_pk: int) -> HttpResponse:
    current = get_review_for(request, ws, pk, Need.TAKE_PART_IN_REVIEW)
    finding = get_review_finding_for(current, finding_pk)
    form = ChallengeForm(request.POST, quotes=findings.quotes_of(current.study))
    if not form.is_valid():
        context = _presenter(request, current, str(finding.pk), challenge_form=form)
        return _live(request, PRESENTER, context)
    try:
        review.challenge(
            current, finding, current_user(request), form.cleaned_data["text"], form.counter_quote()
        )
    except review.ReviewError as error:
        return _refused(request, ws, current, finding, str(error))
    messages.success(request, "Challenge added: the finding stays disputed until it is resolved.")
    return redirect(_present_url(ws, current, finding) + "#challenges")


def challenge_resolve(
    request: WorkspaceRequest, ws: str, pk: int, challenge_pk: int
) -> HttpResponse:
    item = get_challenge_for(request, ws, pk, challenge_pk, Need.EDIT)
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review.resolve(
                item,
                current_user(request),
                form.cleaned_data["resolution"],
                add_counter_evidence=form.cleaned_data["add_counter_evidence"],
            )
        except review.ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Challenge resolved.")
        return redirect(_present_url(ws, item.review, item.finding) + "#challenges")
    context = {**NAV, "review": item.review, "study": item.review.study, "challenge": item}
    return render(request, "synthesis/review_resolve.html", {**context, "form": form})


@post_only
def review_status(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    current = get_review_for(request, ws, pk, Need.EDIT)
    status = request.POST.get("status", "")
    if status in ReviewStatus.values:
        try:
            review.set_status(current, status)
        except review.ReviewError as error:
            messages.error(request, str(error))
        else:
            closed = status == ReviewStatus.CLOSED
            messages.success(request, "Review closed." if closed else "Review reopened.")
    return redirect("reviews:board", ws=ws, pk=current.pk)


@post_only
def decision_add(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    current = get_review_for(request, ws, pk, Need.EDIT)
    warned = decisions.needing_acknowledgement(current.study)
    form = DecisionForm(request.POST, study=current.study, warned=warned)
    if not form.is_valid():
        return _board(request, current, decision_form=form)
    try:
        decisions.record_decision(
            current,
            current_user(request),
            form.cleaned_data["text"],
            list(form.cleaned_data["findings"]),
            list(form.cleaned_data["agreed_by"]),
            acknowledged=form.cleaned_data.get("acknowledge", ()),
        )
    except decisions.WarningsNotAcknowledged as error:
        form.note_unacknowledged(error)
        return _board(request, current, decision_form=form)
    except review.ReviewError as error:
        messages.error(request, str(error))
        return redirect("reviews:board", ws=ws, pk=current.pk)
    messages.success(request, "Decision recorded in the study's decision log.")
    return redirect(reverse("reviews:board", kwargs={"ws": ws, "pk": current.pk}) + "#decisions")


@get_only
def decision_log(request: WorkspaceRequest, ws: str, study_pk: int) -> HttpResponse:
    study = get_study_for(request, ws, study_pk)
    context = {**NAV, "study": study, "decisions": decisions.decision_log(study)}
    return render(request, "synthesis/decisions.html", context)


@get_only
def review_round(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    current = get_review_for(request, ws, pk)
    items = rounds.disputed(review.board(current))
    context = {
        **NAV,
        "review": current,
        "study": current.study,
        "items": items,
        "sections": rounds.drill_sections(items),
        "suggestions": rounds.suggestions(current, items),
    }
    return render(request, "synthesis/review_round.html", context)


@post_only
def review_round_draft(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    current = get_review_for(request, ws, pk, Need.EDIT)
    try:
        guide = rounds.draft_round(current, current_user(request))
    except review.ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Drafted “{guide.title}”: must-ask questions on each disputed point. Adapt it, "
            "then schedule the interviews below.",
        )
    return redirect("reviews:round", ws=ws, pk=current.pk)


# Helpers ---------------------------------------------------------------------------------------


def warned(items: list[review.InReview]) -> list[findings.Weighed]:
    """The findings of the board whose warnings a decision on them must acknowledge."""
    return [item.weighed for item in items if item.weighed.warnings]


def _render_live_part(request: WorkspaceRequest, template: str, context: dict[str, Any]) -> None:
    """Render the part of the page that others change (`live-inner`), and its fingerprint."""
    inner = render_to_string(f"{template}#live-inner", context, request)
    context["live_html"] = mark_safe(inner)
    context["stamp"] = hashlib.sha256(inner.encode()).hexdigest()[:16]


def _live(request: WorkspaceRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render the page, or answer its poll: the part others change, or 204 while the browser
    shows it as it is (the fingerprint of what it shows comes back as `seen`)."""
    _render_live_part(request, template, context)
    if request.htmx and request.GET.get("part") == "live":
        if request.GET.get("seen") == context["stamp"]:
            return HttpResponse(status=204)
        return render(request, f"{template}#live", context)
    return render(request, template, context)


def _refused(
    request: WorkspaceRequest, ws: str, current: Review, finding: Finding, error: str
) -> HttpResponse:
    messages.error(request, error)
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(_present_url(ws, current, finding))


def _present_url(ws: str, current: Review, finding: Finding) -> str:
    url = reverse("reviews:present", kwargs={"ws": ws, "pk": current.pk})
    return f"{url}?finding={finding.pk}"

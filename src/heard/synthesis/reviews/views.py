"""The review meeting: the board, presenter mode, votes and challenges, who presents,
decisions, the follow-up round. How the board and presenter mode render and stay fresh is in
`pages.py`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRefresh

from heard.accounts.access import Need, current_user, get_only, post_only
from heard.accounts.requests import WorkspaceRequest
from heard.studies.access import get_study_for
from heard.synthesis.access import (
    get_challenge_for,
    get_review_finding_for,
    get_review_for,
)
from heard.synthesis.findings import services as findings
from heard.synthesis.models import Finding, Review, ReviewStatus
from heard.synthesis.reviews import decisions, pages, rounds
from heard.synthesis.reviews import services as review
from heard.synthesis.reviews.forms import (
    ChallengeForm,
    DecisionForm,
    ResolveForm,
    StartReviewForm,
    VoteForm,
)
from heard.synthesis.reviews.pages import NAV

# A vote or challenge sent from the board (`on=board`) answers there; else in presenter mode.
ON_BOARD = "board"


@post_only
def review_start(request: WorkspaceRequest, ws: str, study_pk: int) -> HttpResponse:
    study = get_study_for(request, ws, study_pk, Need.EDIT)
    form = StartReviewForm(request.POST)
    title = form.cleaned_data["title"] if form.is_valid() else ""
    started = review.start_review(study, current_user(request), title)
    return redirect("reviews:board", ws=ws, pk=started.pk)


@get_only
def review_board(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """Every finding, with its alignment, and the forms to vote on it and challenge it."""
    current = get_review_for(request, ws, pk)
    return pages.board_page(request, current)


@get_only
def review_present(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """One finding at a time, with its evidence; the arrow keys or the links move on. With
    `follow=1`, the finding the presenter shows."""
    current = get_review_for(request, ws, pk)
    following = request.GET.get("follow") == "1"
    return pages.presenter_page(request, current, request.GET.get("finding"), following=following)


@post_only
def review_presenting(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """Present a finding to everyone who follows the presenter, or stop presenting."""
    current = get_review_for(request, ws, pk, Need.EDIT)
    if request.POST.get("stop"):
        review.stop_presenting(current)
        messages.success(request, "You stopped presenting. Screens that followed you stay put.")
        shown = request.POST.get("finding", "")
        return redirect(pages.present_url(current, int(shown) if shown.isdecimal() else None))
    finding = get_review_finding_for(current, _pk_of(request.POST.get("finding")))
    try:
        review.present(current, current_user(request), finding)
    except review.ReviewError as error:
        messages.error(request, str(error))
    return redirect(pages.present_url(current, finding))


@post_only
def review_vote(request: WorkspaceRequest, ws: str, pk: int, finding_pk: int) -> HttpResponse:
    current = get_review_for(request, ws, pk, Need.TAKE_PART_IN_REVIEW)
    finding = get_review_finding_for(current, finding_pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _refused(request, current, finding, "Vote agree, disagree or unsure.")
    try:
        review.vote(current, finding, current_user(request), form.cleaned_data["vote"])
    except review.ReviewError as error:
        return _refused(request, current, finding, str(error))
    on_board = request.POST.get("on") == ON_BOARD
    if not request.htmx:
        if on_board:
            return redirect(pages.board_url(current, finding))
        return redirect(pages.present_url(current, finding) + "#vote")
    if on_board:
        return pages.board_vote_answer(request, current, finding)
    return pages.presenter_vote_answer(request, current, finding)


@post_only
def review_challenge(request: WorkspaceRequest, ws: str, pk: int, finding_pk: int) -> HttpResponse:
    current = get_review_for(request, ws, pk, Need.TAKE_PART_IN_REVIEW)
    finding = get_review_finding_for(current, finding_pk)
    on_board = request.POST.get("on") == ON_BOARD
    quotes = findings.quotes_of(current.study)
    auto_id = f"id_challenge_{finding.pk}_%s" if on_board else "id_%s"
    form = ChallengeForm(request.POST, quotes=quotes, auto_id=auto_id)
    if not form.is_valid():
        if on_board:
            return pages.board_page(request, current, challenge_form=form, challenged=finding)
        context = pages.presenter_context(request, current, str(finding.pk), challenge_form=form)
        return pages.live(request, pages.PRESENTER, context)
    try:
        review.challenge(
            current, finding, current_user(request), form.cleaned_data["text"], form.counter_quote()
        )
    except review.ReviewError as error:
        return _refused(request, current, finding, str(error))
    messages.success(request, "Challenge added: the finding stays disputed until it is resolved.")
    if on_board:
        return redirect(pages.board_url(current, finding))
    return redirect(pages.present_url(current, finding) + "#challenges")


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
        return redirect(pages.present_url(item.review, item.finding) + "#challenges")
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
        return pages.board_page(request, current, decision_form=form)
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
        return pages.board_page(request, current, decision_form=form)
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


def _pk_of(value: str | None) -> int:
    if not value or not value.isdecimal() or len(value) > 12:
        raise Http404("No such finding.")
    return int(value)


def _refused(
    request: WorkspaceRequest, current: Review, finding: Finding, error: str
) -> HttpResponse:
    messages.error(request, error)
    if request.htmx:
        return HttpResponseClientRefresh()
    if request.POST.get("on") == ON_BOARD:
        return redirect(pages.board_url(current, finding))
    return redirect(pages.present_url(current, finding))

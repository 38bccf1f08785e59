"""The review meeting: colleagues walk the findings, challenge them, vote, and decide.

The method: "set up a proper meeting … invite your colleagues to participate and challenge
you … make sure that at the end of the meeting you are all aligned on the conclusions."
Each finding's alignment follows from the votes and the unresolved challenges of the review
(`alignment`); what the team decides goes to the study's decision log (`decisions.py`).

Taking part (voting, challenging) is open to every member of the workspace, observers
included: the stakeholders who only read elsewhere are the colleagues the meeting is for.
Everything else (starting, closing, resolving a challenge, recording a decision) is a
researcher's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from heard.accounts.models import User
from heard.interviews.signals import after_commit
from heard.studies.models import Study
from heard.synthesis import signals
from heard.synthesis.findings import services as findings
from heard.synthesis.models import (
    Challenge,
    EvidenceBearing,
    Finding,
    Quote,
    Review,
    ReviewStatus,
    Vote,
    VoteChoice,
)


class ReviewError(Exception):
    """A change the review refuses, with the reason to show."""


class ReviewIsClosed(ReviewError):
    def __init__(self) -> None:
        super().__init__("This review is closed. Reopen it to vote or challenge again.")


# Alignment --------------------------------------------------------------------------------------


class Alignment(StrEnum):
    ALIGNED = "aligned"
    DISPUTED = "disputed"
    OPEN = "open"

    @property
    def label(self) -> str:
        return self.value.capitalize()


MIN_AGREEING = 2
"""One person agreeing with themselves is not a team aligned."""

ALIGNMENT_RULE = (
    f"Aligned: at least {MIN_AGREEING} votes, all agree, and no open challenge. "
    "Disputed: anyone disagrees, or a challenge is still open. "
    "Open: anything else (too few votes yet, or someone unsure)."
)


def alignment(votes: Iterable[str], open_challenges: int) -> Alignment:
    """Where the team stands on a finding, from its votes and its unresolved challenges."""
    votes = list(votes)
    if open_challenges or VoteChoice.DISAGREE in votes:
        return Alignment.DISPUTED
    if len(votes) >= MIN_AGREEING and all(v == VoteChoice.AGREE for v in votes):
        return Alignment.ALIGNED
    return Alignment.OPEN


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def why(votes: Iterable[str], open_challenges: int) -> str:
    """Why a finding stands where `alignment` puts it, in a few words for the board."""
    votes = list(votes)
    agree, against, unsure = (votes.count(choice) for choice in VoteChoice.values)
    if against or open_challenges:
        parts = [f"{against} disagree"] if against else []
        if open_challenges:
            parts.append(_count(open_challenges, "open challenge"))
        return " · ".join(parts)
    if unsure:
        return f"{unsure} unsure, {agree} agree"
    if len(votes) < MIN_AGREEING:
        return "No vote yet" if not votes else f"{agree} agrees: {MIN_AGREEING} votes needed"
    return f"All {agree} agree, no open challenge"


# Reading ----------------------------------------------------------------------------------------


@dataclass
class InReview:
    """A finding as the review sees it: weighed, with its votes, challenges and alignment."""

    weighed: findings.Weighed
    votes: list[Vote]
    challenges: list[Challenge]
    my_vote: str = ""

    @property
    def finding(self) -> Finding:
        return self.weighed.finding

    @property
    def open_challenges(self) -> list[Challenge]:
        return [c for c in self.challenges if not c.is_resolved]

    @property
    def alignment(self) -> Alignment:
        return alignment((v.choice for v in self.votes), len(self.open_challenges))

    @property
    def why(self) -> str:
        return why((v.choice for v in self.votes), len(self.open_challenges))

    @property
    def tally(self) -> list[tuple[str, str, list[User]]]:
        """(choice, label, voters) for each choice, in the order of the buttons."""
        return [
            (choice, label, [v.voter for v in self.votes if v.choice == choice])
            for choice, label in VoteChoice.choices
        ]


def _challenges() -> QuerySet[Challenge]:
    return Challenge.objects.select_related(
        "author",
        "resolved_by",
        "counter_quote__note",
        "counter_quote__point_summary__point",
        "counter_quote__point_summary__summary__interview__participant",
    ).order_by("created_at", "id")


def board(review: Review, user: User | None = None) -> list[InReview]:
    """Every finding of the review's study, in order, with this review's votes and
    challenges: a fixed number of queries however many findings, votes and challenges."""
    rows = findings.with_evidence(review.study.findings.all()).prefetch_related(
        Prefetch(
            "votes",
            queryset=Vote.objects.filter(review=review).select_related("voter"),
            to_attr="review_votes",
        ),
        Prefetch(
            "challenges",
            queryset=_challenges().filter(review=review),
            to_attr="review_challenges",
        ),
    )
    found = []
    for number, finding in enumerate(rows, start=1):
        finding.study = review.study
        votes = finding.review_votes
        for item in finding.review_challenges:
            item.review = review
        mine = next((v.choice for v in votes if user and v.voter_id == user.pk), "")
        found.append(
            InReview(findings.weighed(finding, number), votes, finding.review_challenges, mine)
        )
    return found


def challenges_of(finding: Finding) -> list[Challenge]:
    """Every challenge of a finding, in every review of its study, oldest first."""
    return list(_challenges().filter(finding=finding).select_related("review"))


def open_review_of(study: Study) -> Review | None:
    return study.reviews.filter(status=ReviewStatus.OPEN).first()


def latest_review_of(study: Study) -> Review | None:
    return study.reviews.order_by("-started_at", "-id").first()


def alignments(review: Review | None) -> dict[int, Alignment]:
    """Each finding's alignment in `review` (for the findings page), in two queries."""
    if review is None:
        return {}
    votes: dict[int, list[str]] = {}
    for finding_id, choice in review.votes.values_list("finding_id", "choice"):
        votes.setdefault(finding_id, []).append(choice)
    challenged: dict[int, int] = {}
    for finding_id in review.challenges.filter(resolved_at__isnull=True).values_list(
        "finding_id", flat=True
    ):
        challenged[finding_id] = challenged.get(finding_id, 0) + 1
    ids = set(review.study.findings.values_list("pk", flat=True))
    return {pk: alignment(votes.get(pk, []), challenged.get(pk, 0)) for pk in ids}


# Writing ----------------------------------------------------------------------------------------


def _alignment_of(review: Review, finding: Finding) -> Alignment:
    votes = Vote.objects.filter(review=review, finding=finding).values_list("choice", flat=True)
    challenged = Challenge.objects.filter(review=review, finding=finding, resolved_at__isnull=True)
    return alignment(votes, challenged.count())


@contextmanager
def _telling_alignment(review: Review, finding: Finding) -> Iterator[None]:
    """Around a change of a finding's votes or challenges (under the review's row lock):
    later stages hear, once it commits, if the finding's alignment moved."""
    before = _alignment_of(review, finding)
    yield
    after = _alignment_of(review, finding)
    if after != before:
        after_commit(
            signals.alignment_changed,
            review_id=review.pk,
            finding_id=finding.pk,
            alignment=after.value,
        )


def default_title(study: Study) -> str:
    today = timezone.localdate()
    return f"Review of “{study.title[:120]}”, {today.day} {today:%B %Y}"


def start_review(study: Study, user: User, title: str = "") -> Review:
    """Open a review of the study, or return the one already open (two people at once)."""
    existing = open_review_of(study)
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Review.objects.create(
                study=study, title=title or default_title(study), started_by=user
            )
    except IntegrityError:  # someone opened one a moment ago
        return Review.objects.get(study=study, status=ReviewStatus.OPEN)


def _open(review: Review) -> Review:
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if not locked.is_open:
        raise ReviewIsClosed
    return locked


@transaction.atomic
def vote(review: Review, finding: Finding, user: User, choice: str) -> Vote:
    """One vote per person and finding in a review: voting again changes it."""
    _open(review)
    with _telling_alignment(review, finding):
        found, _ = Vote.objects.update_or_create(
            review=review, finding=finding, voter=user, defaults={"choice": VoteChoice(choice)}
        )
    return found


@transaction.atomic
def challenge(
    review: Review, finding: Finding, user: User, text: str, counter: Quote | None = None
) -> Challenge:
    _open(review)
    if counter is not None and counter.point_summary.summary.interview.study_id != review.study_id:
        raise ReviewError("Counter-evidence comes from this study's interviews.")
    with _telling_alignment(review, finding):
        return Challenge.objects.create(
            review=review, finding=finding, author=user, text=text, counter_quote=counter
        )


@transaction.atomic
def resolve(
    item: Challenge, user: User, resolution: str, *, add_counter_evidence: bool = False
) -> Challenge:
    """Close a challenge with a note saying how; its counter-evidence may join the finding
    as contradicting evidence (which flags any decision taken on the finding before)."""
    review = Review.objects.select_for_update().get(pk=item.review_id)
    locked = Challenge.objects.select_for_update().get(pk=item.pk)
    if locked.is_resolved:
        raise ReviewError("Someone resolved this challenge already.")
    locked.resolution, locked.resolved_by, locked.resolved_at = resolution, user, timezone.now()
    with _telling_alignment(review, item.finding):
        locked.save(update_fields=["resolution", "resolved_by", "resolved_at", "updated_at"])
    if add_counter_evidence and item.counter_quote is not None:
        findings.pick(item.finding, user, EvidenceBearing.CONTRADICTS, quote=item.counter_quote)
    return locked


@transaction.atomic
def set_status(review: Review, status: str) -> None:
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if status == ReviewStatus.OPEN and not locked.is_open and open_review_of(review.study):
        raise ReviewError("Another review of this study is open. Close it first.")
    locked.status = ReviewStatus(status)
    locked.closed_at = None if locked.is_open else timezone.now()
    if not locked.is_open:  # a closed meeting has nobody presenting
        locked.presenter = locked.presented_finding = None
    locked.save(update_fields=["status", "closed_at", "presenter", "presented_finding"])


@transaction.atomic
def present(review: Review, user: User, finding: Finding) -> None:
    """`user` shows `finding` to everyone: screens that follow the presenter move to it. One
    presenter at a time; whoever presents takes over from whoever did."""
    locked = _open(review)
    if finding.study_id != locked.study_id:
        raise ReviewError("A review presents findings of its own study.")
    locked.presenter, locked.presented_finding = user, finding
    locked.save(update_fields=["presenter", "presented_finding"])


@transaction.atomic
def stop_presenting(review: Review) -> None:
    locked = Review.objects.select_for_update().get(pk=review.pk)
    locked.presenter = locked.presented_finding = None
    locked.save(update_fields=["presenter", "presented_finding"])

"""Follow-up rounds: where the review could not agree, more interviews that drill into it.

The method: "If you can't reach an agreement - then set up additional interviews where you'll
need to drill down specifically on the points of disagreements." From the findings a review
left disputed, Heard drafts a guide with, for each validation point they speak to, a section
of must-ask questions about what actually happened (the last time, what they did, how they
measure it, what it cost them), between the usual opening and wrap-up; and it suggests whom
to ask: the people whose words are in the dispute, and people of the same segments not
interviewed yet, never anyone who asked not to be contacted again.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q

from heard.accounts.models import User
from heard.guides import services as guides
from heard.guides import template
from heard.guides.models import Guide, QuestionPriority
from heard.interviews.models import InterviewStatus
from heard.participants.models import Participant
from heard.participants.services import may_contact_again
from heard.studies.models import PointKind, ValidationPoint
from heard.synthesis.models import Evidence, Review, Voice
from heard.synthesis.reviews.services import Alignment, InReview, ReviewError, board

MUST = QuestionPriority.MUST
RESERVES = 15
"""The default reserves of a guide: 10 minutes for the team's questions, 5 for the customer's."""
MAX_SEGMENT_PEERS = 30


def disputed(items: Sequence[InReview]) -> list[InReview]:
    return [item for item in items if item.alignment == Alignment.DISPUTED]


# The guide --------------------------------------------------------------------------------------


def _excerpt(text: str, length: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def drill_down(point: ValidationPoint | None, about: Sequence[InReview]) -> template.StarterSection:
    """A section of must-ask questions on one disputed point (or on a disputed finding that
    names no point): behaviour in the past, not opinions about the future."""
    subject = point.statement if point else about[0].finding.statement
    statement = _excerpt(subject, 300).rstrip(".")
    if point is not None and point.kind == PointKind.QUESTION:
        opening = f"{statement} Think of the last time it came up: when was it? Walk me through it."
    else:
        opening = f"About “{statement}”: when did this last happen to you? Walk me through it."
    points = (point,) if point else ()
    disputes = "; ".join(f"“{_excerpt(item.finding.statement, 140)}”" for item in about)
    challenges = [c for item in about for c in item.open_challenges]
    lines = [f"Disputed in the review: {disputes}"]
    if challenges:
        lines.append("Challenged: " + "; ".join(f"“{_excerpt(c.text, 120)}”" for c in challenges))
    lines.append("Ask what happened, not what they think would happen.")
    purpose = "\n".join(lines)
    questions = (
        template.StarterQuestion(
            opening,
            MUST,
            4,
            ("Who was involved, and what did each of them do?", "What happened just before?"),
            points,
        ),
        template.StarterQuestion(
            "What did you do then? Why that, and not something else?",
            MUST,
            3,
            ("Why? (ask up to five times, down to the pain behind it)",),
            points,
        ),
        template.StarterQuestion(
            "How do you measure it today? What number would tell you it got better, or worse?",
            MUST,
            3,
            ("Who looks at that number, and how often?",),
            points,
        ),
        template.StarterQuestion(
            "What did it cost you: time, money, customers, morale?",
            MUST,
            2,
            ("How often does it happen in a month?",),
            points,
        ),
    )
    title = f"{point.label}: {statement}" if point else f"Finding: {statement}"
    return template.StarterSection(_excerpt(title, 200), purpose, questions)


def drill_sections(items: Sequence[InReview]) -> list[template.StarterSection]:
    """One drill-down section per validation point the disputed findings speak to, in the
    study's order, then one per disputed finding that names no point."""
    by_point: dict[int, tuple[ValidationPoint, list[InReview]]] = {}
    loose = []
    for item in items:
        points = item.weighed.points
        if not points:
            loose.append(item)
        for point in points:
            by_point.setdefault(point.pk, (point, []))[1].append(item)
    ordered = sorted(by_point.values(), key=lambda entry: (entry[0].position, entry[0].pk))
    sections = [drill_down(point, about) for point, about in ordered]
    return sections + [drill_down(None, [item]) for item in loose]


def round_sections(items: Sequence[InReview]) -> list[template.StarterSection]:
    """The whole guide: the method's opening, the drill-downs, the method's wrap-up."""
    return [template.SECTIONS[0], *drill_sections(items), template.SECTIONS[-1]]


def interview_minutes(sections: Sequence[template.StarterSection]) -> int:
    """Long enough for every question and both reserves, in quarter hours (at most 4 h)."""
    planned = sum(q.minutes for s in sections for q in s.questions)
    return min(240, max(30, math.ceil((planned + RESERVES) / 15) * 15))


def round_title(items: Sequence[InReview]) -> str:
    labels = sorted({(p.position, p.label) for item in items for p in item.weighed.points})
    about = ", ".join(label for _, label in labels) or "disputed findings"
    return _excerpt(f"Follow-up round: {about}", 200)


def draft_round(review: Review, user: User) -> Guide:
    """Draft the follow-up guide from what the review leaves disputed, and keep it on the
    review. Drafting again (after more votes) makes a new guide; the old one stays."""
    items = disputed(board(review))
    if not items:
        raise ReviewError("Nothing is disputed in this review: there is no round to draft.")
    sections = round_sections(items)
    guide = guides.create_drafted_guide(
        review.study,
        sections,
        title=round_title(items),
        interview_minutes=interview_minutes(sections),
    )
    Review.objects.filter(pk=review.pk).update(follow_up_guide=guide)
    review.follow_up_guide = guide
    return guide


# Whom to ask ------------------------------------------------------------------------------------


@dataclass
class Suggestion:
    participant: Participant
    reasons: list[str] = field(default_factory=list)
    conflicted: bool = True
    """Their own words are in the dispute; otherwise a peer of their segment."""


@dataclass
class Suggestions:
    people: list[Suggestion]
    left_out: list[Suggestion]
    """Who would have been suggested but declined, or asked us to wait (their answer given)."""
    segments: list[str]


def _whose(evidence: Evidence) -> str:
    """Their words only when the evidence is a quote of theirs (`Quote.voice`); a summary cell
    or a note the team wrote is the team's reading of what they said."""
    quote = evidence.quote
    return "Their words" if quote is not None and quote.voice != Voice.TEAM else "Our notes of them"


def _conflicted(items: Sequence[InReview]) -> dict[int, Suggestion]:
    """The people behind the evidence of disputed findings, and behind the counter-evidence
    of their open challenges: contradicting evidence first."""
    found: dict[int, Suggestion] = {}

    def add(person: Participant, reason: str) -> None:
        entry = found.setdefault(person.pk, Suggestion(person))
        if reason not in entry.reasons:
            entry.reasons.append(reason)

    for item in items:
        statement = _excerpt(item.finding.statement, 90).rstrip(".")
        for evidence in item.weighed.contradicting:
            add(evidence.interview.participant, f"{_whose(evidence)} contradict “{statement}”.")
        for item_challenge in item.open_challenges:
            quote = item_challenge.counter_quote
            if quote is not None:
                person = quote.point_summary.summary.interview.participant
                add(person, f"Quoted against “{statement}” in a challenge.")
    for item in items:
        statement = _excerpt(item.finding.statement, 90).rstrip(".")
        for evidence in item.weighed.supporting:
            add(
                evidence.interview.participant,
                f"{_whose(evidence)} back “{statement}”, now disputed.",
            )
    return found


def _segment(person: Participant) -> str:
    return " ".join(person.segment.split())


def suggestions(review: Review, items: Sequence[InReview]) -> Suggestions:
    conflicted = _conflicted(items)
    keys = {_segment(s.participant).casefold() for s in conflicted.values()} - {""}
    peers: list[Suggestion] = []
    if keys:
        same_segment = Q()
        for key in keys:
            same_segment |= Q(segment__iexact=key)
        seen = review.study.interviews.exclude(status=InterviewStatus.CANCELLED)
        people = (
            Participant.objects.filter(same_segment, workspace_id=review.study.workspace_id)
            .exclude(pk__in=seen.values("participant_id"))
            .order_by("segment", "name", "id")[:MAX_SEGMENT_PEERS]
        )
        reason = "Not interviewed in this study yet; segment “{}”."
        peers = [Suggestion(p, [reason.format(p.segment)], conflicted=False) for p in people]
    everyone = [*conflicted.values(), *peers]
    # A segment typed in several ways is named the way most of these people have it.
    spellings: dict[str, Counter[str]] = {}
    for entry in everyone:
        if segment := _segment(entry.participant):
            spellings.setdefault(segment.casefold(), Counter())[segment] += 1
    named = [typed.most_common(1)[0][0] for typed in spellings.values()]
    return Suggestions(
        people=[s for s in everyone if may_contact_again(s.participant)],
        left_out=[s for s in everyone if not may_contact_again(s.participant)],
        segments=sorted(named, key=str.casefold),
    )

"""What the demo workspace shows after its interviews: two summaries (the first a draft with
one stance left to set), findings weighed by their evidence (one well backed, one resting on a
single interview, one contested) and a review in progress, with votes, an open challenge and a
decision.

Each part adds only what is missing (a quote not yet picked, a stance not yet set), so that
the demo's other parts may grow without this one writing over them.
"""

from __future__ import annotations

from collections.abc import Sequence

from heard.accounts.models import User
from heard.interviews.models import Interview
from heard.studies.models import Study, ValidationPoint
from heard.synthesis.findings import services as findings
from heard.synthesis.models import Bearing, EvidenceBearing, Quote, Stance, Summary, VoteChoice
from heard.synthesis.reviews import decisions
from heard.synthesis.reviews import services as review
from heard.synthesis.summaries import services as summaries

SUPPORTS = EvidenceBearing.SUPPORTS
CONTRADICTS = EvidenceBearing.CONTRADICTS


def _quote(
    summary: Summary, point: ValidationPoint, author: User, text: str, bearing: str
) -> Quote:
    """The quote of the interview's note that starts with `text`, picked if it was not yet."""
    note = summary.interview.notes.get(text__startswith=text)
    existing = Quote.objects.filter(point_summary__summary=summary, note=note).first()
    if existing is not None:
        return existing
    quote = summaries.add_quote(summary, point, author, note)
    summaries.edit_quote(quote, bearing=bearing)
    return quote


def _stance(
    summary: Summary, point: ValidationPoint, author: User, stance: str, heard: str
) -> None:
    row = summary.points.filter(point=point).first()
    if row is not None and row.stance != Stance.UNSET:
        return
    summaries.set_point_field(summary, point, author, "stance", stance)
    summaries.set_point_field(summary, point, author, "what_we_heard", heard)


def first_summary(interview: Interview, author: User, points: list[ValidationPoint]) -> None:
    """A draft summary of Nickole's call: quotes picked under two points, one stance set, the
    rest left to the team, so that the objectivity checks have something to say."""
    summary = summaries.start_summary(interview, author)
    _quote(summary, points[0], author, "We have a very small team", Bearing.FOR)
    _quote(summary, points[0], author, "Monday mornings go to", Bearing.FOR)
    _quote(summary, points[2], author, "Measures efficiency", Bearing.FOR)
    _stance(
        summary,
        points[0],
        author,
        Stance.SUPPORTS,
        "A team of six rebuilds the same reports by hand every Monday morning, and becoming "
        "more efficient is their first goal for the year. Backs the hypothesis.",
    )
    summaries.set_point_field(
        summary,
        points[2],
        author,
        "what_we_heard",
        "Hours per campaign report, about three today. A number we could move.",
    )


def _second_summary(interview: Interview, author: User, points: list[ValidationPoint]) -> Summary:
    """Tomás's call, summarised: manual work but no small team, no trust in unreviewed
    reports, and a number he tracks."""
    summary = summaries.start_summary(interview, author)
    _quote(summary, points[0], author, "Exports time out", Bearing.FOR)
    _stance(
        summary,
        points[0],
        author,
        Stance.MIXED,
        "Hours of manual stitching in Excel, but his is a 25-person team, not a small one.",
    )
    _quote(summary, points[1], author, "I don't send anything to the board", Bearing.AGAINST)
    _stance(
        summary,
        points[1],
        author,
        Stance.CONTRADICTS,
        "Anything that reaches the board is read twice first: no unreviewed scheduled reports.",
    )
    _quote(summary, points[2], author, "Tracks time to close", Bearing.FOR)
    _stance(
        summary,
        points[2],
        author,
        Stance.SUPPORTS,
        "Four working days to close the monthly report: a number he watches.",
    )
    return summary


def build(study: Study, people: Sequence[User]) -> None:
    dana, sam, lena = people
    points = list(study.points.all())
    nickole = study.interviews.get(participant__name="Nickole Barros").summary
    tomas = _second_summary(study.interviews.get(participant__name="Tomás Ortega"), sam, points)

    def quote(summary: Summary, text: str) -> Quote:
        return Quote.objects.get(point_summary__summary=summary, note__text__startswith=text)

    written = []
    for author, statement, on, evidence in (
        (
            dana,
            "Customers already track the effort of reporting as a number we could move.",
            [2],
            [(SUPPORTS, nickole, "Measures efficiency"), (SUPPORTS, tomas, "Tracks time to")],
        ),
        (
            dana,
            "Small teams lose a morning a week rebuilding the same reports by hand.",
            [0],
            [(SUPPORTS, nickole, "Monday mornings"), (SUPPORTS, nickole, "We have a very")],
        ),
        (
            sam,
            "Scheduled reports would give teams their Monday mornings back.",
            [0, 1],
            [(SUPPORTS, nickole, "Monday mornings"), (CONTRADICTS, tomas, "I don't send")],
        ),
    ):
        finding = findings.create_finding(study, author, statement, [points[i] for i in on])
        for bearing, summary, words in evidence:
            findings.pick(finding, author, bearing, quote=quote(summary, words))
        written.append(finding)
    measured, mornings, scheduled = written

    meeting = review.start_review(study, dana, "First look at the findings")
    for person, finding, choice in (
        (dana, measured, VoteChoice.AGREE),
        (sam, measured, VoteChoice.AGREE),
        (lena, measured, VoteChoice.AGREE),
        (dana, mornings, VoteChoice.AGREE),
        (sam, mornings, VoteChoice.UNSURE),
        (sam, scheduled, VoteChoice.AGREE),
        (lena, scheduled, VoteChoice.DISAGREE),
    ):
        review.vote(meeting, finding, person, choice)
    review.challenge(
        meeting,
        scheduled,
        lena,
        "Tomás will not send anything unread to his board. Schedules may save the building, "
        "not the review: what do smaller teams do with the time?",
        quote(tomas, "I don't send anything"),
    )
    decisions.record_decision(
        meeting,
        dana,
        "Hours per report becomes the success measure of the reporting work this year.",
        [measured],
        [dana, sam, lena],
    )

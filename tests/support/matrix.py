"""Summaries written through the summary rules, and a small round of them, for the matrix and
export tests."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from heard.accounts.models import User
from heard.interviews.models import Interview, InterviewStatus, Note, NoteKind, TeamMember
from heard.participants.models import Participant
from heard.studies.models import Study, ValidationPoint
from heard.synthesis.models import Bearing, Stance, Summary
from heard.synthesis.summaries import services
from tests.support import factories
from tests.support.personas import Team

HOSTILE = '<script>alert("x")</script><b>bold</b>'
RTL = "אנחנו צוות קטן ולכן אנחנו חייבים להיות יעילים יותר"

# A quote: its words, the point it goes under (index), and whether it speaks for or against.
Said = tuple[str, int, str]


def held(
    study: Study,
    person: Participant,
    *,
    days_ago: int = 10,
    interviewer: User | None = None,
) -> Interview:
    """An interview of the study that took place `days_ago` days ago and is marked done."""
    start = timezone.now() - datetime.timedelta(days=days_ago)
    interview = factories.interview(
        study,
        person,
        starts_at=start,
        status=InterviewStatus.DONE,
        started_at=start,
        ended_at=start + datetime.timedelta(minutes=40),
    )
    if interviewer is not None:
        TeamMember.objects.create(interview=interview, user=interviewer, role="interviewer")
    return interview


def summarised(
    interview: Interview,
    author: User,
    points: Sequence[ValidationPoint],
    *,
    stances: Sequence[str] = (),
    heard: Sequence[str] = (),
    quotes: Sequence[Said] = (),
) -> Summary:
    """Its summary: a stance and a reading per point (in order), and quotes from its notes."""
    summary = services.start_summary(interview, author)
    for point, stance in zip(points, stances, strict=False):
        services.set_point_field(summary, point, author, "stance", stance)
    for point, text in zip(points, heard, strict=False):
        services.set_point_field(summary, point, author, "what_we_heard", text)
    for minute, (text, index, bearing) in enumerate(quotes, 3):
        note = Note.objects.create(
            id=uuid.uuid4(),
            interview=interview,
            author=author,
            kind=NoteKind.QUOTE,
            text=text,
            elapsed_seconds=minute * 60 + 5,
        )
        quote = services.add_quote(summary, points[index], author, note)
        if bearing and bearing != Bearing.UNMARKED:
            services.edit_quote(quote, bearing=bearing)
    return summary


@dataclass
class Round:
    study: Study
    points: list[ValidationPoint]
    nickole: Interview
    tomas: Interview
    aiko: Interview


def build_round(team: Team) -> Round:
    """Three points; Nickole (SMB) and Tomás (Mid-market) summarised, Aiko (SMB) done without
    a summary, one interview still to come and one cancelled."""
    ws = team.workspace
    study = factories.study(ws, title="Reporting pains")
    points = [
        factories.point(study, "Small teams rebuild reports by hand", 0),
        factories.point(study, "They would trust scheduled reports", 1),
        factories.point(study, "Exports feed other systems", 2),
    ]
    nickole = held(
        study,
        factories.participant(ws, name="Nickole Barros", company="Brightpath", segment="SMB"),
        days_ago=20,
        interviewer=team.owner,
    )
    summarised(
        nickole,
        team.owner,
        points,
        stances=(Stance.SUPPORTS, Stance.MIXED),
        heard=("A morning a week goes to reports.",),
        quotes=(
            ("We definitely need to become more efficient.", 0, Bearing.FOR),
            ("Monday mornings go to the same six reports.", 0, Bearing.FOR),
            ("I would schedule the weekly digest, not the board pack.", 1, Bearing.UNMARKED),
        ),
    )
    tomas = held(
        study,
        factories.participant(ws, name="Tomás Ortega", company="Northwind", segment="Mid-market"),
        days_ago=10,
        interviewer=team.teammate,
    )
    summarised(
        tomas,
        team.teammate,
        points,
        stances=(Stance.CONTRADICTS, Stance.CONTRADICTS, Stance.SILENT),
        quotes=(("I don't send anything I haven't looked at twice.", 1, Bearing.AGAINST),),
    )
    aiko = held(
        study,
        factories.participant(ws, name="Aiko Tanaka", company="", segment="SMB"),
        days_ago=5,
    )
    factories.interview(study, factories.participant(ws, name="Still To Come"))
    factories.interview(
        study, factories.participant(ws, name="Called Off"), status=InterviewStatus.CANCELLED
    )
    return Round(study, points, nickole, tomas, aiko)

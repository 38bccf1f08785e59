"""The demo's calls: two held last week and the week before, with their notes, and three to
come, booked and staffed through the interviews' services as the scheduling pages do it; and
the thank-you mail of the first call, written through the follow-ups' services."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Sequence

from django.utils import timezone

from heard.accounts.models import User
from heard.followups import services as followups
from heard.followups.models import FollowUp, MailStatus
from heard.guides.models import Guide, Question
from heard.interviews import scheduling
from heard.interviews import services as interviews
from heard.interviews.models import (
    Interview,
    InterviewStatus,
    Mode,
    Note,
    NoteKind,
    TeamMember,
    TeamRole,
)
from heard.participants import services as directory
from heard.participants.models import Participant, Recontact
from heard.studies.models import Study

DEMO_TIME_ZONE = "Europe/Berlin"

# A team: (user, role, seniority), the one who books the call first.
Team = Sequence[tuple[User, str, int]]

# Notes of the two finished interviews: (minute, kind, text, index of the question in the guide).
NOTES = (
    (
        (
            3,
            NoteKind.NOTE,
            "Team of six; the CEO reads the weekly marketing report every Monday.",
            2,
        ),
        (
            7,
            NoteKind.QUOTE,
            "We have a very small team and therefore we definitely need to become more efficient.",
            3,
        ),
        (9, NoteKind.SOLUTION_REQUEST, "Wants automatic scheduling of reports.", 3),
        (11, NoteKind.PAIN, "Monday mornings go to rebuilding the same six reports by hand.", 4),
        (14, NoteKind.KPI, "Measures efficiency as hours per campaign report; today about 3 h.", 5),
        (
            22,
            NoteKind.COMPETITION,
            "Tried Looker Studio; dropped it because sharing with clients was clumsy.",
            9,
        ),
        (38, NoteKind.FOLLOW_UP, "Send her the beta of scheduled reports when it exists.", 11),
    ),
    (
        (
            4,
            NoteKind.NOTE,
            "Runs operations reporting for 14 stores; 25 people read the reports.",
            2,
        ),
        (10, NoteKind.QUOTE, "I don't send anything to the board I haven't looked at twice.", 8),
        (
            12,
            NoteKind.PAIN,
            "Exports time out on year-long ranges, so he stitches months in Excel.",
            7,
        ),
        (18, NoteKind.KPI, "Tracks time to close the monthly report: 4 working days today.", 5),
        (
            31,
            NoteKind.FOLLOW_UP,
            "Check why exports over 12 months time out (support ticket #4411).",
            11,
        ),
    ),
)


def at(days: int, hour: int) -> datetime.datetime:
    """A business hour `days` from today, in the demo team's time zone."""
    zone = zoneinfo.ZoneInfo(DEMO_TIME_ZONE)
    day = timezone.localdate(timezone=zone) + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)


def _book(
    study: Study,
    guide: Guide,
    person: Participant,
    start: datetime.datetime,
    team: Team,
    mode: str,
    status: str = InterviewStatus.SCHEDULED,
) -> Interview:
    """Schedule a call (with its prep checklist) and add its team, most senior first."""
    interview = scheduling.schedule_interview(
        Interview(
            study=study,
            participant=person,
            guide=guide,
            starts_at=start,
            time_zone=DEMO_TIME_ZONE,
            length_minutes=45,
            mode=mode,
            status=status,
            location="https://meet.example.org/ledgerly-research"
            if mode == Mode.VIDEO
            else "Their office",
        ),
        team[0][0],
    )
    for user, role, seniority in team:
        interviews.add_team_member(interview, TeamMember(user=user, role=role, seniority=seniority))
    return interview


def held(
    study: Study, guide: Guide, participants: Sequence[Participant], team: Team
) -> list[Interview]:
    """Nickole's and Tomás's calls, done, their checklists ticked and their notes taken."""
    interviewer, notetaker = team[0][0], team[1][0]
    questions = list(
        Question.objects.filter(section__guide=guide).order_by("section__position", "position")
    )
    calls = []
    for days, person, notes in ((-9, participants[0], NOTES[0]), (-5, participants[1], NOTES[1])):
        # Booked as done: these calls took place before the demo existed.
        call = _book(study, guide, person, at(days, 10), team, Mode.VIDEO, InterviewStatus.DONE)
        # Ticked before a call in the past; set_done would stamp the present.
        call.checklist.update(
            done_at=call.starts_at - datetime.timedelta(minutes=15), done_by=interviewer
        )
        # Notes of a past call at chosen times; the live screen's save_note is for a call as it
        # runs (and feeds its event log), so these are written as they would have been kept.
        Note.objects.bulk_create(
            Note(
                interview=call,
                author=interviewer if i % 2 else notetaker,
                kind=kind,
                text=text,
                elapsed_seconds=minute * 60 + 12,
                question=questions[q],
            )
            for i, (minute, kind, text, q) in enumerate(notes)
        )
        calls.append(call)
    return calls


def to_come(
    study: Study, guide: Guide, participants: Sequence[Participant], team: Team, guest: User
) -> None:
    """Aiko's call tomorrow (half prepared, with a guest), Priya's and Marcus's later on."""
    interviewer = team[0][0]
    soon = _book(
        study, guide, participants[2], at(1, 14), [*team, (guest, TeamRole.GUEST, 1)], Mode.VIDEO
    )
    for item in soon.checklist.all()[:4]:
        interviews.set_done(item, interviewer, True)
    _book(study, guide, participants[3], at(3, 10), team, Mode.IN_PERSON)
    notetaker = team[1][0]
    _book(
        study, guide, participants[4], at(6, 16), [(notetaker, TeamRole.INTERVIEWER, 3)], Mode.PHONE
    )


def follow_up(interview: Interview, author: User) -> None:
    """The thank-you mail of the first call, kept as sent the next morning (nothing is sent),
    and the customer's yes to more questions."""
    [template] = followups.templates_for(interview.study.workspace)
    quote = followups.highlight_notes(interview)[0]
    values = followups.merge_values(interview, followups.highlight_text(quote), author)
    text = followups.draft_from(template, values)
    followup = followups.create_draft(
        interview,
        author,
        to_email=interview.participant.email,
        subject=text.subject,
        body=text.body,
        template=template,
    )
    sent_at = interview.starts_at + datetime.timedelta(days=1)
    # Sent by the mail server in the past: the services send only through a configured server,
    # now, and marking it sent by hand would say so on its page.
    FollowUp.objects.filter(pk=followup.pk).update(
        status=MailStatus.SENT, sent_at=sent_at, sent_by=author, attempts=1
    )
    person = interview.participant
    directory.record_recontact(person, Recontact.YES)
    # The yes came in reply to that mail; record_recontact stamps the present.
    Participant.objects.filter(pk=person.pk).update(
        recontact_at=sent_at + datetime.timedelta(hours=3)
    )

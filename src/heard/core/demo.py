"""The demo workspace: one study in the spirit of the method, with enough data for every screen.

A reporting product whose customers find report generation cumbersome: the story of the
article's interview with Nickole, told across a small round of interviews.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from heard.accounts.models import Membership, Role, User, Workspace
from heard.accounts.services import unique_workspace_slug
from heard.followups import services as followups
from heard.followups.models import FollowUp, MailStatus
from heard.guides.models import Guide, ProfileField, Question, Section
from heard.interviews.models import (
    Interview,
    InterviewStatus,
    Mode,
    Note,
    NoteKind,
    TeamMember,
    TeamRole,
)
from heard.interviews.services import apply_checklist
from heard.participants.models import Participant, Recontact, ResearchNote
from heard.studies.models import PointKind, Priority, Study, StudyStatus, ValidationPoint
from heard.synthesis import demo as synthesis_demo
from heard.synthesis.models import Bearing, Stance
from heard.synthesis.summaries import services as synthesis

DEMO_EMAIL = "dana@demo.heard.invalid"
WORKSPACE_NAME = "Ledgerly (demo)"
DEMO_TIME_ZONE = "Europe/Berlin"

TEAM = (
    ("Dana Lee", DEMO_EMAIL, Role.OWNER, "Head of Product"),
    ("Sam Carter", "sam@demo.heard.invalid", Role.RESEARCHER, "Product Designer"),
    ("Lena Fischer", "lena@demo.heard.invalid", Role.OBSERVER, "VP Product"),
)

POINTS = (
    (
        "Small teams spend more than two hours a week building recurring reports by hand.",
        PointKind.HYPOTHESIS,
        Priority.HIGH,
        "Most describe a weekly manual routine of two hours or more, or name it among their top "
        "three pains.",
        "Reports are ad hoc, or take them under 30 minutes a week.",
    ),
    (
        "Customers would trust reports that are generated and sent on a schedule, unreviewed.",
        PointKind.HYPOTHESIS,
        Priority.HIGH,
        "They already send recurring reports without a last check, or ask for scheduling.",
        "They insist on reviewing every report before it goes out.",
    ),
    (
        "How do customers measure the efficiency of their reporting work?",
        PointKind.QUESTION,
        Priority.MEDIUM,
        "A named KPI or number they track (hours, reports per analyst, time to insight).",
        "",
    ),
    (
        "Customers export to spreadsheets because our charts cannot be customised enough.",
        PointKind.HYPOTHESIS,
        Priority.LOW,
        "Exports are followed by re-charting; they name chart options they miss.",
        "Exports feed other systems, not presentation.",
    ),
)

PARTICIPANTS = (
    (
        "Nickole Barros",
        "nickole@brightpath.example",
        "Brightpath Analytics",
        "Head of Marketing",
        "SMB",
        {"team_size": "6", "reporting_tools": "Ledgerly, Google Sheets", "reports_per_week": "12"},
        (
            ("Usage data", "Generated 46 reports last month, 80% of them on Monday mornings.", 12),
            (
                "Company blog",
                "Announced a second product line for Q3; the marketing team stays at six.",
                30,
            ),
        ),
    ),
    (
        "Tomás Ortega",
        "tomas@northwind-retail.example",
        "Northwind Retail",
        "Operations Lead",
        "Mid-market",
        {
            "team_size": "25",
            "reporting_tools": "Ledgerly, Excel, Power BI",
            "reports_per_week": "30",
        },
        (
            (
                "Support tickets",
                "Three tickets in May about exports timing out on large date ranges.",
                20,
            ),
        ),
    ),
    (
        "Aiko Tanaka",
        "aiko@kumo-labs.example",
        "Kumo Labs",
        "Founder & CEO",
        "SMB",
        {"team_size": "4", "reporting_tools": "Ledgerly", "reports_per_week": "3"},
        (
            (
                "Earlier contact",
                "Met at SaaS Summit; asked whether reports can go to investors monthly.",
                45,
            ),
        ),
    ),
    (
        "Priya Nair",
        "priya@helix-health.example",
        "Helix Health",
        "Data Analyst",
        "Enterprise",
        {"team_size": "120", "reporting_tools": "Ledgerly, Tableau", "reports_per_week": "50"},
        (
            ("Usage data", "Heaviest exporter in the account: 300 CSV exports last month.", 8),
            ("News", "Helix Health is consolidating BI tools after an acquisition.", 60),
        ),
    ),
    (
        "Marcus Webb",
        "marcus@stackfold.example",
        "Stackfold",
        "Customer Success Manager",
        "Mid-market",
        {"team_size": "18", "reporting_tools": "Ledgerly, Google Slides", "reports_per_week": "8"},
        (
            (
                "Earlier contact",
                "Renewal call: praised the dashboards, disliked building QBR decks.",
                15,
            ),
        ),
    ),
    (
        "Sofia Lindqvist",
        "sofia@fjord-travel.example",
        "Fjord Travel",
        "Marketing Manager",
        "SMB",
        {"team_size": "5", "reporting_tools": "Ledgerly, Google Sheets"},
        (("Usage data", "Stopped logging in for three weeks in April, back since May.", 25),),
    ),
    (
        "Daniel Okafor",
        "daniel@greenline-logistics.example",
        "Greenline Logistics",
        "Finance Director",
        "Enterprise",
        {"team_size": "60", "reporting_tools": "Ledgerly, SAP, Excel", "reports_per_week": "15"},
        (
            (
                "Company website",
                "Publishes a monthly sustainability report built from Ledgerly data.",
                40,
            ),
        ),
    ),
    (
        "Chloé Martin",
        "chloe@atelier-mode.example",
        "Atelier Mode",
        "E-commerce Lead",
        "SMB",
        {"team_size": "9", "reporting_tools": "Ledgerly, Shopify reports", "reports_per_week": "5"},
        (("Support chat", "Asked whether a report can be emailed to the team every Friday.", 5),),
    ),
)

GUIDE = (
    (
        "Purpose and intros",
        "Permission to record, intros (most senior first, two minutes), why we are here.",
        (
            (
                "May we record this call? It helps us review it later and lets colleagues who could not join hear it.",
                "must",
                1,
                (),
                "",
            ),
            (
                "Thank you for taking the time. We are shaping the next stage of our roadmap and want to make sure we are heading in the right direction.",
                "must",
                1,
                (),
                "",
            ),
        ),
    ),
    (
        "Your context",
        "Who they are, their team, what the next twelve months hold.",
        (
            (
                "Tell us about your role and your team. Who reads the reports you produce?",
                "should",
                3,
                (),
                "Who decides what goes into a report?",
            ),
            (
                "Looking at the next twelve months, what are your main challenges?",
                "must",
                4,
                (0,),
                "Is it customer acquisition, revenue, efficiency, or something else?",
            ),
        ),
    ),
    (
        "Pains and how they measure them",
        "Dig for the pain, not the solution.",
        (
            (
                "Walk us through the last time you built a recurring report. What did you do, step by step?",
                "must",
                4,
                (0,),
                "How long did it take?\nWhat was the most annoying part?",
            ),
            (
                "You mentioned efficiency: how do you measure it? Which number would tell you it got better?",
                "must",
                4,
                (2,),
                "Who looks at that number?",
            ),
            ("What did the last late or wrong report cost you?", "should", 3, (0, 1), ""),
        ),
    ),
    (
        "Current workarounds",
        "What they do today instead.",
        (
            (
                "What do you do with the data after you export it?",
                "should",
                3,
                (3,),
                "Why?\nWhat would happen if you could not?",
            ),
            (
                "Which reports would you be comfortable sending without looking at them first?",
                "must",
                3,
                (1,),
                "Why those, and not the others?",
            ),
        ),
    ),
    (
        "Competition",
        "Alternatives they use or considered.",
        (
            (
                "What other tools have you tried for reporting, and why did you keep or drop them?",
                "nice",
                2,
                (3,),
                "",
            ),
        ),
    ),
    (
        "Wrap-up",
        "Leave the reserves: the team's questions, then the customer's.",
        (
            ("Our colleagues may have a few questions of their own.", "should", 1, (), ""),
            (
                "What would you like to ask us? Is it all right if we follow up with more questions?",
                "must",
                1,
                (),
                "",
            ),
        ),
    ),
)


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


@dataclass
class Demo:
    workspace: Workspace
    user: User


def _people() -> list[User]:
    people = []
    for name, email, _, _ in TEAM:
        user = User.objects.filter(email=email).first()
        people.append(user or User.objects.create_user(email=email, name=name))
    return people


def _study(workspace: Workspace, owner: User) -> tuple[Study, list[ValidationPoint]]:
    study = Study.objects.create(
        workspace=workspace,
        created_by=owner,
        title="Why report generation feels cumbersome",
        goal="Find out where generating reports costs our customers time, how they measure that "
        "cost, and whether scheduled, automatic reports would remove the pain — or only move it.",
        decision="Whether scheduled reports go on the Q3 roadmap, or we invest in a faster report "
        "builder first.",
        status=StudyStatus.INTERVIEWING,
    )
    points = [
        ValidationPoint.objects.create(
            study=study,
            statement=statement,
            kind=kind,
            priority=priority,
            confirm_if=confirm,
            refute_if=refute,
            position=position,
        )
        for position, (statement, kind, priority, confirm, refute) in enumerate(POINTS)
    ]
    return study, points


def _guide(study: Study, points: list[ValidationPoint]) -> Guide:
    guide = Guide.objects.create(study=study, title="Discovery interview — reporting")
    for position, (key, label) in enumerate(
        (
            ("team_size", "Team size"),
            ("reporting_tools", "Reporting tools used today"),
            ("reports_per_week", "Reports built per week"),
        )
    ):
        ProfileField.objects.create(guide=guide, key=key, label=label, position=position)
    for s_pos, (title, purpose, questions) in enumerate(GUIDE):
        section = Section.objects.create(guide=guide, title=title, purpose=purpose, position=s_pos)
        for q_pos, (text, priority, minutes, served, follow_ups) in enumerate(questions):
            question = Question.objects.create(
                section=section,
                text=text,
                priority=priority,
                minutes=minutes,
                follow_ups=follow_ups,
                position=q_pos,
            )
            question.points.set([points[i] for i in served])
    return guide


def _participants(workspace: Workspace, author: User) -> list[Participant]:
    today = timezone.localdate()
    people = []
    for name, email, company, role, segment, profile, notes in PARTICIPANTS:
        person = Participant.objects.create(
            workspace=workspace,
            name=name,
            email=email,
            company=company,
            role=role,
            segment=segment,
            profile=profile,
        )
        for source, body, days_ago in notes:
            ResearchNote.objects.create(
                participant=person,
                source=source,
                body=body,
                author=author,
                noted_on=today - datetime.timedelta(days=days_ago),
            )
        people.append(person)
    return people


def _interview(
    study: Study,
    guide: Guide,
    person: Participant,
    start: datetime.datetime,
    team: Sequence[tuple[User, str, int]],
    mode: str,
    status: str,
) -> Interview:
    interview = Interview.objects.create(
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
        created_by=team[0][0],
    )
    for user, role, seniority in team:
        TeamMember.objects.create(interview=interview, user=user, role=role, seniority=seniority)
    apply_checklist(interview)
    return interview


def _summary(interview: Interview, author: User, points: list[ValidationPoint]) -> None:
    """A draft summary of the first call: quotes picked under two points, one stance set, the
    rest left to the team, so that the objectivity checks have something to say."""
    summary = synthesis.start_summary(interview, author)
    notes = NOTES[0]
    picks = ((points[0], notes[1]), (points[0], notes[3]), (points[2], notes[4]))
    for point, (_, _, text, _) in picks:
        quote = synthesis.add_quote(summary, point, author, interview.notes.get(text=text))
        synthesis.edit_quote(quote, bearing=Bearing.FOR)
    synthesis.set_point_field(summary, points[0], author, "stance", Stance.SUPPORTS)
    synthesis.set_point_field(
        summary,
        points[0],
        author,
        "what_we_heard",
        "A team of six rebuilds the same reports by hand every Monday morning, and becoming "
        "more efficient is their first goal for the year. Backs the hypothesis.",
    )
    synthesis.set_point_field(
        summary,
        points[2],
        author,
        "what_we_heard",
        "Hours per campaign report, about three today. A number we could move.",
    )


def _follow_up(interview: Interview, author: User) -> None:
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
    FollowUp.objects.filter(pk=followup.pk).update(
        status=MailStatus.SENT, sent_at=sent_at, sent_by=author, attempts=1
    )
    Participant.objects.filter(pk=interview.participant_id).update(
        recontact=Recontact.YES, recontact_at=sent_at + datetime.timedelta(hours=3)
    )


def _at(days: int, hour: int) -> datetime.datetime:
    """A business hour `days` from today, in the demo team's time zone."""
    zone = zoneinfo.ZoneInfo(DEMO_TIME_ZONE)
    day = timezone.localdate(timezone=zone) + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)


def build_demo_workspace() -> Demo:
    """Create the demo workspace, or return the one made before."""
    existing = (
        Membership.objects.filter(user__email=DEMO_EMAIL, workspace__name=WORKSPACE_NAME)
        .select_related("workspace", "user")
        .first()
    )
    if existing:
        return Demo(existing.workspace, existing.user)
    with transaction.atomic():
        people = _people()
        dana, sam, lena = people
        workspace = Workspace.objects.create(
            name=WORKSPACE_NAME, slug=unique_workspace_slug(WORKSPACE_NAME)
        )
        for user, (_, _, role, _) in zip(people, TEAM, strict=True):
            Membership.objects.create(workspace=workspace, user=user, role=role)
        study, points = _study(workspace, dana)
        guide = _guide(study, points)
        participants = _participants(workspace, dana)
        core_team = [(dana, TeamRole.INTERVIEWER, 2), (sam, TeamRole.NOTETAKER, 3)]
        questions = list(
            Question.objects.filter(section__guide=guide).order_by("section__position", "position")
        )
        for days, person, notes in (
            (-9, participants[0], NOTES[0]),
            (-5, participants[1], NOTES[1]),
        ):
            done = _interview(
                study,
                guide,
                person,
                _at(days, 10),
                core_team,
                Mode.VIDEO,
                InterviewStatus.DONE,
            )
            done.checklist.update(
                done_at=done.starts_at - datetime.timedelta(minutes=15), done_by=dana
            )
            Note.objects.bulk_create(
                Note(
                    interview=done,
                    author=dana if i % 2 else sam,
                    kind=kind,
                    text=text,
                    elapsed_seconds=minute * 60 + 12,
                    question=questions[q],
                )
                for i, (minute, kind, text, q) in enumerate(notes)
            )
        _summary(study.interviews.get(participant=participants[0]), dana, points)
        _follow_up(study.interviews.get(participant=participants[0]), dana)
        synthesis_demo.build(study, people)
        soon = _interview(
            study,
            guide,
            participants[2],
            _at(1, 14),
            [*core_team, (lena, TeamRole.GUEST, 1)],
            Mode.VIDEO,
            InterviewStatus.SCHEDULED,
        )
        for item in soon.checklist.all()[:4]:
            item.done_at, item.done_by = timezone.now(), dana
            item.save(update_fields=["done_at", "done_by"])
        _interview(
            study,
            guide,
            participants[3],
            _at(3, 10),
            core_team,
            Mode.IN_PERSON,
            InterviewStatus.SCHEDULED,
        )
        _interview(
            study,
            guide,
            participants[4],
            _at(6, 16),
            [(sam, TeamRole.INTERVIEWER, 3)],
            Mode.PHONE,
            InterviewStatus.SCHEDULED,
        )
    return Demo(workspace, dana)

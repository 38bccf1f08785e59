"""The demo's plan: the study with its validation points, and the interview guide, made
through the plan stage's services as the study and guide pages make them."""

from __future__ import annotations

from heard.accounts.models import User, Workspace
from heard.guides import services as guides
from heard.guides.models import CallStep, Guide, ProfileField, Question, QuestionPriority, Section
from heard.studies import services as studies
from heard.studies.models import PointKind, Priority, Study, ValidationPoint

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

# The guide's profile fields: each one's key is made from its label, as the guide editor does.
PROFILE_FIELDS = ("Team size", "Reporting tools used today", "Reports built per week")

CONSENT = "May we record this call? It helps us review it later and lets colleagues who could not join hear it."

GUIDE = (
    (
        "Purpose and intros",
        "Permission to record, intros (most senior first, two minutes), why we are here.",
        (
            (
                CONSENT,
                QuestionPriority.MUST,
                1,
                (),
                "",
            ),
            (
                "Thank you for taking the time. We are shaping the next stage of our roadmap and want to make sure we are heading in the right direction.",
                QuestionPriority.MUST,
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
                QuestionPriority.SHOULD,
                3,
                (),
                "Who decides what goes into a report?",
            ),
            (
                "Looking at the next twelve months, what are your main challenges?",
                QuestionPriority.MUST,
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
                QuestionPriority.MUST,
                4,
                (0,),
                "How long did it take?\nWhat was the most annoying part?",
            ),
            (
                "You mentioned efficiency: how do you measure it? Which number would tell you it got better?",
                QuestionPriority.MUST,
                4,
                (2,),
                "Who looks at that number?",
            ),
            (
                "What did the last late or wrong report cost you?",
                QuestionPriority.SHOULD,
                3,
                (0, 1),
                "",
            ),
        ),
    ),
    (
        "Current workarounds",
        "What they do today instead.",
        (
            (
                "What do you do with the data after you export it?",
                QuestionPriority.SHOULD,
                3,
                (3,),
                "Why?\nWhat would happen if you could not?",
            ),
            (
                "Which reports would you be comfortable sending without looking at them first?",
                QuestionPriority.MUST,
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
                QuestionPriority.NICE,
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
            (
                "Our colleagues may have a few questions of their own.",
                QuestionPriority.SHOULD,
                1,
                (),
                "",
            ),
            (
                "What would you like to ask us? Is it all right if we follow up with more questions?",
                QuestionPriority.MUST,
                1,
                (),
                "",
            ),
        ),
    ),
)


def study(workspace: Workspace, owner: User) -> tuple[Study, list[ValidationPoint]]:
    """The study, still planning: booking its first interview moves it to interviewing."""
    study = studies.create_study(
        workspace,
        owner,
        title="Why report generation feels cumbersome",
        goal="Find out where generating reports costs our customers time, how they measure that "
        "cost, and whether scheduled, automatic reports would remove the pain — or only move it.",
        decision="Whether scheduled reports go on the Q3 roadmap, or we invest in a faster report "
        "builder first.",
    )
    points = [
        studies.add_point(
            study,
            ValidationPoint(
                statement=statement,
                kind=kind,
                priority=priority,
                confirm_if=confirm,
                refute_if=refute,
            ),
        )
        for statement, kind, priority, confirm, refute in POINTS
    ]
    return study, points


def guide(study: Study, points: list[ValidationPoint]) -> Guide:
    """The guide, started blank (the starter template's questions are not the demo's): its
    parts go to the end as they are added, and each question serves the points it names."""
    guide = guides.create_guide(
        study, guides.StartFrom.BLANK, title="Discovery interview — reporting"
    )
    for label in PROFILE_FIELDS:
        guides.add_profile_field(guide, ProfileField(label=label))
    for title, purpose, questions in GUIDE:
        section = guides.add_section(guide, Section(title=title, purpose=purpose))
        for text, priority, minutes, served, follow_ups in questions:
            question = guides.save_question(
                guide,
                Question(
                    section=section,
                    text=text,
                    priority=priority,
                    minutes=minutes,
                    follow_ups=follow_ups,
                    # The kickoff records the consent: the question counts as asked then.
                    answered_by=CallStep.CONSENT if text == CONSENT else CallStep.NONE,
                ),
            )
            question.points.set([points[i] for i in served])
    return guide

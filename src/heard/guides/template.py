"""The built-in starter guide: the method's interview, section by section, as plain data.

It follows "Interview like a pro": kick off with permission to record, short intros (most senior
first, at most 2 minutes) and why we are here; then the customer's context, their pains and how
they measure them, what they do today (digging for the pain behind a requested solution), the
competition; and a wrap-up that leaves room for the team's and the customer's questions.

With the default 45-minute interview and its reserves (10 + 5 minutes), the questions fill the
30 minutes of conversation exactly. Questions are not linked to validation points: those belong
to each study, and the researcher links them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from heard.guides.models import (
    CallStep,
    Guide,
    ProfileField,
    Question,
    QuestionPriority,
    Section,
)
from heard.studies.models import ValidationPoint

MUST = QuestionPriority.MUST
SHOULD = QuestionPriority.SHOULD
NICE = QuestionPriority.NICE


@dataclass(frozen=True)
class StarterField:
    label: str
    key: str
    help_text: str = ""


@dataclass(frozen=True)
class StarterQuestion:
    text: str
    priority: QuestionPriority
    minutes: int
    follow_ups: tuple[str, ...] = ()
    points: tuple[ValidationPoint, ...] = ()
    """The validation points it serves (none in the starter: points belong to a study)."""
    answered_by: CallStep = CallStep.NONE
    """The step of the call that answers it (the consent, the intros, the promise)."""


@dataclass(frozen=True)
class StarterSection:
    title: str
    purpose: str
    questions: tuple[StarterQuestion, ...]


PROFILE_FIELDS: tuple[StarterField, ...] = (
    StarterField(
        "Company size", "company_size", "Employees, or the size of the team that works with us."
    ),
    StarterField("Industry", "industry"),
    StarterField("Role", "role", "Their title and what they are responsible for."),
    StarterField("Tools used today", "tools_today", "For the job our product does, or could do."),
    StarterField(
        "Plan and usage", "plan_usage", "Their plan, seats, and how much they use the product."
    ),
)

SECTIONS: tuple[StarterSection, ...] = (
    StarterSection(
        "Purpose and intros",
        "Start smoothly: permission, short intros, and why we are all here.",
        (
            StarterQuestion(
                "May we record this call? Colleagues who could not join can watch it later, "
                "and it helps us review our own interviewing.",
                MUST,
                1,
                ("If they decline: no problem, the notetaker will write it down.",),
                answered_by=CallStep.CONSENT,
            ),
            StarterQuestion(
                "Short intros: our team first, most senior role first, then theirs. "
                "Two minutes at most.",
                MUST,
                2,
                answered_by=CallStep.INTROS,
            ),
            StarterQuestion(
                "Why we are here: “Thank you for taking the time to meet us. We are working on "
                "the next stage of our roadmap and, as you are one of the customers we value "
                "most, we would like to ask you some questions and make sure we are heading in "
                "the right direction.”",
                MUST,
                1,
            ),
        ),
    ),
    StarterSection(
        "The customer's context",
        "Their world before our product: role, team, and what the year ahead holds.",
        (
            StarterQuestion(
                "Tell us about your role and your team: what are you responsible for, "
                "and who do you work with?",
                SHOULD,
                3,
                ("How big is the team?", "Who else has a say in choosing tools like ours?"),
            ),
            StarterQuestion(
                "Looking ahead at the next 12 months, what are your main goals, and your main "
                "challenges? Customer acquisition, revenue, something else?",
                MUST,
                3,
                ("Which of these worries you most?", "What would success look like in a year?"),
            ),
        ),
    ),
    StarterSection(
        "Pains and how they measure them",
        "Uncovering pains is almost always the goal: follow them when the customer opens one.",
        (
            StarterQuestion(
                "What are the biggest pains in getting that done today?",
                MUST,
                4,
                ("Which one costs you the most?", "Who else feels it?"),
            ),
            StarterQuestion(
                "How do you measure it, for example efficiency? What is the KPI you look at?",
                MUST,
                3,
                ("What number would tell you it got better?", "Who reports on it, and how often?"),
            ),
            StarterQuestion(
                "Tell me about the last time it happened. What did it cost you?",
                SHOULD,
                3,
                ("Time, money, customers, morale?", "What did you do next?"),
            ),
        ),
    ),
    StarterSection(
        "Current workarounds",
        "What they do today. When they ask for a solution, dig for the pain behind it.",
        (
            StarterQuestion(
                "What do you do about it today? Which tools, spreadsheets or people are involved?",
                SHOULD,
                3,
                ("What works well in that? What is missing?",),
            ),
            StarterQuestion(
                "If we could build one thing for you, what would it be?",
                SHOULD,
                3,
                (
                    "Why is that important to you?",
                    "Why does that matter? (ask “why” up to five times)",
                    "What would it let you do that you cannot do today?",
                ),
            ),
        ),
    ),
    StarterSection(
        "Competition",
        "The alternatives they weigh us against, and why.",
        (
            StarterQuestion(
                "What other products or alternatives have you used or considered for this? "
                "Why did you choose them, or drop them?",
                SHOULD,
                2,
                ("What do they do better than us?",),
            ),
            StarterQuestion(
                "What would make you switch?",
                NICE,
                1,
            ),
        ),
    ),
    StarterSection(
        "Wrap-up",
        "Hand over to the team, then to the customer; both have time set aside.",
        (
            StarterQuestion(
                "Over to the team: notetaker and guests ask their own questions "
                "(the team's reserve).",
                MUST,
                0,
            ),
            StarterQuestion(
                "What questions do you have for us? (the customer's reserve)",
                MUST,
                0,
            ),
            StarterQuestion(
                "Thank them, promise to follow up, and ask: is it OK if we reach out again "
                "with a few more questions?",
                MUST,
                1,
                answered_by=CallStep.FOLLOW_UP,
            ),
        ),
    ),
)


def build_starter(guide: Guide) -> None:
    """Fill an empty guide with the starter's profile fields, sections and questions."""
    ProfileField.objects.bulk_create(
        ProfileField(guide=guide, label=f.label, key=f.key, help_text=f.help_text, position=i)
        for i, f in enumerate(PROFILE_FIELDS)
    )
    build_sections(guide, SECTIONS)


def build_sections(guide: Guide, starters: Sequence[StarterSection]) -> None:
    """Add `starters` to an empty guide: sections, questions and their validation points."""
    sections = Section.objects.bulk_create(
        Section(guide=guide, title=s.title, purpose=s.purpose, position=i)
        for i, s in enumerate(starters)
    )
    pairs = [
        (
            q,
            Question(
                section=section,
                text=q.text,
                priority=q.priority,
                minutes=q.minutes,
                follow_ups="\n".join(q.follow_ups),
                answered_by=q.answered_by,
                position=i,
            ),
        )
        for section, starter in zip(sections, starters, strict=True)
        for i, q in enumerate(starter.questions)
    ]
    Question.objects.bulk_create(question for _, question in pairs)
    Question.points.through.objects.bulk_create(
        Question.points.through(question=question, validationpoint=point)
        for starter, question in pairs
        for point in starter.points
    )

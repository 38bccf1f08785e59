"""A call held with a guide of two sections (questions ticked, notes tied to them, a summary
started), and everything such a held interview shows of its guide, to compare before and after
the plan changes: the wrap-up, the live screen after the call, the hard copy of the interview,
the summary's candidate quotes."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.test import Client

from heard.guides.models import Section
from heard.interviews.live import milestones, questions, reads, state
from heard.interviews.live.notes import save_note
from heard.interviews.models import Interview, Note, QuestionStatus
from heard.synthesis.summaries import services as summaries
from tests.support import factories
from tests.support.calls import Plan, planned_study
from tests.support.personas import Team
from tests.support.urls import url


@dataclass
class Held:
    plan: Plan
    second: Section
    """The guide's second section, "Wrapping up", which holds the plan's third question."""
    interview: Interview


def hold_call(team: Team) -> Held:
    """A call held with a guide of two sections: questions ticked, notes tied to them (the
    first question serves the first point), a summary started."""
    plan = planned_study(team.workspace, ("Reports take hours", "How do they measure it?"))
    second = Section.objects.create(guide=plan.guide, title="Wrapping up", position=5)
    q = plan.questions
    q[2].section = second
    q[2].save()
    interview = factories.interview(plan.study, guide=plan.guide)
    milestones.start(interview, team.owner)
    for question, status in ((q[0], QuestionStatus.ANSWERED), (q[2], QuestionStatus.SKIPPED)):
        questions.set_question_status(interview, team.owner, question.pk, status)
    for text, question in (("Mondays go to reports", q[0]), ("Ask Aiko next", q[2])):
        save_note(
            interview,
            team.owner,
            {"id": str(uuid.uuid4()), "kind": "note", "text": text, "question": question.pk},
        )
    milestones.end(interview, team.owner, promised_follow_up=False)
    interview.refresh_from_db()
    summaries.start_summary(interview, team.owner)
    return Held(plan, second, interview)


def read_back(interview: Interview) -> dict[str, Any]:
    """What a held interview shows of its guide: the wrap-up's coverage and sections (each
    question's words, priority, minutes and points), and the question (and its words) each
    note is tied to."""
    interview = Interview.objects.get(pk=interview.pk)
    wrapup = reads.wrapup_for(interview)
    coverage = {k: v for k, v in wrapup["coverage"].items() if k != "must_missed"}
    return {
        "coverage": coverage,
        "must_missed": [q.pk for q in wrapup["coverage"]["must_missed"]],
        "sections": [
            (
                title,
                [(q.pk, q.text, q.priority, q.minutes, [p.pk for p in q.points.all()]) for q in qs],
            )
            for title, qs in wrapup["sections"]
        ],
        "notes": sorted(
            (n.text, n.question_id, n.question.text if n.question else "")
            for n in Note.objects.filter(interview=interview).select_related("question")
        ),
        "states": dict(interview.question_states.values_list("question_id", "status")),
    }


def shown(interview: Interview, team: Team, client: Client) -> dict[str, Any]:
    """Everything the held interview shows of its guide: `read_back`, the live screen after the
    call, the hard copy of the interview (without the page's nonce), the summary's candidate
    quotes under each point."""
    interview = Interview.objects.get(pk=interview.pk)
    summary = summaries.summary_of(interview)
    assert summary is not None
    offered = summaries.offered(summary, summaries.notes_of(summary))
    sheet = url("guides:print", team, pk=interview.guide_id) + f"?interview={interview.pk}"
    page = client.get(sheet).content.decode()
    return {
        **read_back(interview),
        "screen": state.snapshot(interview, team.owner, can_edit=True)["sections"],
        "hard_copy": re.sub(r' nonce="[^"]*"', "", page),
        "candidates": {
            point: [note.pk for note in notes] for point, notes in offered.by_point.items()
        },
        "unlinked": [note.pk for note in offered.unlinked],
    }


def coming_guide(interview: Interview, team: Team) -> list[tuple[str, list[tuple[str, str]]]]:
    """What a call still to come with the same guide shows: each section's title, with its
    questions' words and priority."""
    coming = factories.interview(interview.study, guide=interview.guide)
    return [
        (s["title"], [(q["text"], q["priority"]) for q in s["questions"]])
        for s in state.snapshot(coming, team.owner, can_edit=True)["sections"]
    ]

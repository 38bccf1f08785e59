"""A report as its page shows it: each observation with the moment it links to (played where
the recording is, else the transcript's line or the note), the chart of the call's course,
and the questions listed at their times."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from heard.coach.charts import LineChart, line_chart
from heard.coach.models import CoachReport
from heard.coach.questions import LABELS, QuestionClass
from heard.interviews.models import Interview, minutes_label
from heard.interviews.recordings.moments import Moments

LEAD_MS = 2000  # an observation plays from a moment before it


class Links:
    """Where an observation's moment leads, for one interview's report."""

    def __init__(self, interview: Interview, report: CoachReport) -> None:
        ws = interview.study.workspace.slug
        self.interview_id = interview.pk
        transcript = report.transcript
        self.recording_id = transcript.recording_id if transcript is not None else None
        self.moments = Moments(ws, [interview.pk])
        self.transcript_url = (
            reverse(
                "transcripts:detail",
                kwargs={"ws": ws, "pk": interview.pk, "transcript_pk": transcript.pk},
            )
            if transcript is not None
            else ""
        )
        self.notes_url = reverse("interviews:wrapup", kwargs={"ws": ws, "pk": interview.pk})

    def of(self, moment: dict[str, Any] | None, about: str) -> dict[str, Any] | None:
        """The moment's links: `play` (a recording's Moment, or None), `href` (the line of
        the transcript or the note) and `label`."""
        if not moment:
            return None
        at_ms = moment.get("at_ms")
        play = None
        if at_ms is not None:
            play = self.moments.on_recording(
                self.recording_id, max(0, at_ms - LEAD_MS), None, about
            )
        if play is None and moment.get("note_id"):
            # A note's moment: the recording that covers its time, if one does.
            play = self.moments.on_call(self.interview_id, moment.get("call_s"))
        href = ""
        if moment.get("segment_id") and self.transcript_url:
            href = f"{self.transcript_url}#segment-{moment['segment_id']}"
        elif moment.get("note_id"):
            href = f"{self.notes_url}#note-{moment['note_id']}"
        label = moment.get("label") or (
            minutes_label(moment["call_s"]) if moment.get("call_s") is not None else ""
        )
        clock = (
            "Time on the recording"
            if at_ms is not None
            else "Minutes into the interview"
            if moment.get("call_s") is not None
            else ""
        )
        return {"play": play, "href": href, "label": label, "clock": clock}


def page_of(interview: Interview, report: CoachReport) -> dict[str, Any]:
    """What the report's page shows, from the stored report."""
    links = Links(interview, report)
    data = report.data
    parts = []
    for part in data.get("parts", []):
        observations = [
            {**item, "link": links.of(item.get("moment"), item["text"])}
            for item in part["observations"]
        ]
        parts.append({**part, "observations": observations})
    by_key = {part["key"]: part for part in parts}
    questions = by_key.get("questions", {}).get("figures", {})
    asked = [
        {
            **item,
            "label": LABELS[QuestionClass(item["class"])],
            "link": links.of(
                {
                    "at_ms": item["at_ms"],
                    "segment_id": item["segment_id"],
                    "label": minutes_label(item["at_ms"] / 1000),
                },
                item["text"],
            ),
        }
        for item in questions.get("asked", [])
    ]
    talk = by_key.get("talk", {}).get("figures", {})
    return {
        "parts": parts,
        "by_key": by_key,
        "advice": [
            {**item, "link": links.of(item["because"].get("moment"), item["because"]["text"])}
            for item in data.get("advice", [])
        ],
        "asked": asked,
        "class_counts": [
            (
                LABELS[klass],
                questions.get("by_class", {}).get(klass.value, 0),
                questions.get("per_hour", {}).get(klass.value),
            )
            for klass in QuestionClass
        ]
        if "by_class" in questions
        else [],
        "course": course_chart(talk) if talk.get("team_share_course") else None,
    }


def course_chart(talk: dict[str, Any]) -> LineChart:
    shares = talk["team_share_course"]
    start, end = talk.get("course_from_ms", 0), talk.get("course_to_ms", 0)
    step = (end - start) / max(1, len(shares))
    return line_chart(
        "coach-course",
        "The team's share of the speaking over the call",
        [(minutes_label((start + n * step) / 1000), share) for n, share in enumerate(shares)],
        percent=True,
        aim=(round(1 - talk["target_share"], 2), "the team's aim at most"),
        top=1.0,
    )

"""The coach's report of one interview: every measure's part, the three things to do
differently, and the few figures the trends compare across interviews."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from heard.coach.advice import Advice, advice_for
from heard.coach.call import Call
from heard.coach.measures import RATE_FROM_MINUTES, Observation, Part, Standards
from heard.coach.measures.asking import asking, recording_hours
from heard.coach.measures.digging import digging
from heard.coach.measures.kickoff import kickoff
from heard.coach.measures.plan import plan
from heard.coach.measures.talk import talk

# Bumped when a rule changes what a report says: reports of an older version are computed
# again when next read.
VERSION = 1


@dataclass(frozen=True)
class Trend:
    """The figures the trend charts read, one row per interview (None: not measured)."""

    minutes: float | None
    customer_share: float | None
    questions: int | None
    leading: int | None
    hypothetical: int | None
    pitching: int | None
    leading_per_hour: float | None
    hypothetical_per_hour: float | None
    why_depth: float | None
    must_missed: int | None


@dataclass(frozen=True)
class Report:
    parts: list[Part]
    advice: list[Advice]
    trend: Trend

    def to_json(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "parts": [_part_json(part) for part in self.parts],
            "advice": [
                {"text": item.text, "because": _observation_json(item.because)}
                for item in self.advice
            ],
            "trend": asdict(self.trend),
        }


def _observation_json(observation: Observation) -> dict[str, Any]:
    data = asdict(observation)
    if observation.moment is not None:
        data["moment"]["label"] = observation.moment.label
    return data


def _part_json(part: Part) -> dict[str, Any]:
    data = part.to_json()
    data["observations"] = [_observation_json(item) for item in part.observations]
    return data


def compute(call: Call, standards: Standards | None = None) -> Report:
    standards = standards or Standards()
    parts = [
        talk(call, standards),
        asking(call, standards),
        digging(call),
        plan(call, standards),
        kickoff(call),
    ]
    return Report(parts, advice_for(parts), _trend(call, parts))


def _trend(call: Call, parts: list[Part]) -> Trend:
    figures = {part.key: part.figures for part in parts}
    by_class = figures["questions"].get("by_class")
    hours = recording_hours(call) if call.lines else None
    if hours is None and call.duration_s:
        hours = call.duration_s / 3600

    def per_hour(klass: str) -> float | None:
        if by_class is None or not hours or hours * 60 < RATE_FROM_MINUTES:
            return None
        return round(by_class[klass] / hours, 2)

    return Trend(
        minutes=round(hours * 60, 1) if hours else None,
        customer_share=figures["talk"].get("customer_share"),
        questions=figures["questions"].get("questions"),
        leading=by_class["leading"] if by_class else None,
        hypothetical=by_class["hypothetical"] if by_class else None,
        pitching=by_class["pitching"] if by_class else None,
        leading_per_hour=per_hour("leading"),
        hypothetical_per_hour=per_hour("hypothetical"),
        why_depth=figures["digging"].get("why_depth"),
        must_missed=figures["plan"].get("must_missed"),
    )

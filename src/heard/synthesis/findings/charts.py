"""Small charts drawn on the server as inline SVG: no script, no inline style (the CSP).

One chart per validation point: a stacked bar of where the study's interviews left it
(supports, mixed, contradicts, silent, not set). Each part of the bar carries its count as
text and a pattern as well as a colour, so that it reads without colour; the bar has a title
and a description for screen readers, and a legend in words goes with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Q

from heard.interviews.models import InterviewStatus
from heard.studies.models import Study, ValidationPoint
from heard.synthesis.models import PointSummary, Stance

# Left to right: the for side, the middle, the against side, then what says nothing.
ORDER = (Stance.SUPPORTS, Stance.MIXED, Stance.CONTRADICTS, Stance.SILENT, Stance.UNSET)

WIDTH = 600
"""The bar's width in viewBox units; the `*_percent` properties place the same parts in an
SVG without a viewBox, which stretches to its box without stretching its text."""
MIN_LABELLED = 30
"""A part narrower than this carries no count inside: the legend has it."""


@dataclass(frozen=True)
class Part:
    stance: Stance
    label: str
    count: int
    x: float
    width: float

    @property
    def text_x(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def x_percent(self) -> float:
        return round(100 * self.x / WIDTH, 2)

    @property
    def width_percent(self) -> float:
        return round(100 * self.width / WIDTH, 2)

    @property
    def text_percent(self) -> float:
        return round(100 * self.text_x / WIDTH, 2)

    @property
    def labelled(self) -> bool:
        return self.width >= MIN_LABELLED


@dataclass(frozen=True)
class StanceChart:
    point: ValidationPoint
    total: int
    parts: list[Part]
    """Only the stances some interview holds, in ORDER."""
    legend: list[tuple[str, str, int]]
    """Every stance with its count, zeros included: (stance, label, count)."""

    @property
    def description(self) -> str:
        if not self.total:
            return f"{self.point.label}: no interview finished yet."
        counts = ", ".join(f"{label.lower()} {count}" for _, label, count in self.legend if count)
        noun = "interview" if self.total == 1 else "interviews"
        return f"{self.point.label}, {self.total} {noun}: {counts}."


def stance_chart(point: ValidationPoint, counts: Mapping[str, int]) -> StanceChart:
    """Lay out the bar for `counts` (stance → interviews): parts side by side, widths in
    proportion, rounded so that they always fill the bar exactly."""
    total = sum(counts.get(stance, 0) for stance in ORDER)
    parts, x, running = [], 0.0, 0
    for stance in ORDER:
        count = counts.get(stance, 0)
        if not count:
            continue
        running += count
        end = round(WIDTH * running / total, 1)
        parts.append(Part(stance, Stance(stance).label, count, x, round(end - x, 1)))
        x = end
    legend = [(str(stance), Stance(stance).label, counts.get(stance, 0)) for stance in ORDER]
    return StanceChart(point, total, parts, legend)


def stance_counts(study: Study) -> tuple[dict[int, Counter[str]], int]:
    """For each validation point, how many of the study's finished interviews left it at each
    stance, and how many interviews are finished. A finished interview with no summary yet,
    or no word on the point, is "not set". Two queries, whatever the size of the study."""
    finished = set(
        study.interviews.filter(
            Q(status=InterviewStatus.DONE) | Q(summary__isnull=False)
        ).values_list("pk", flat=True)
    )
    cells = PointSummary.objects.filter(summary__interview__study=study).values_list(
        "point_id", "summary__interview_id", "stance"
    )
    counts: dict[int, Counter[str]] = {}
    for point_id, interview_id, stance in cells:
        if interview_id in finished:
            counts.setdefault(point_id, Counter())[stance] += 1
    for stances in counts.values():
        stances[Stance.UNSET] += len(finished) - sum(stances.values())
    return counts, len(finished)


def charts_for(study: Study, points: Sequence[ValidationPoint]) -> list[StanceChart]:
    counts, finished = stance_counts(study)
    unset = Counter({str(Stance.UNSET): finished})
    return [stance_chart(point, counts.get(point.pk, unset)) for point in points]

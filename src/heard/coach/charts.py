"""The coach's small charts, laid out here and drawn as inline SVG by
`coach/_line_chart.html`: no script, no inline style (the CSP). Each chart has a title and a
description in words for screen readers, each point its value as a title, and a table of the
same figures goes with it on the page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH = 420
HEIGHT = 160
LEFT = 48  # room for the axis' figures
RIGHT = 12
TOP = 14
BOTTOM = 26


@dataclass(frozen=True)
class Dot:
    """A point, its place written out (a float in a template goes through number
    formatting, which a chart of hundreds of points feels)."""

    x: str
    y: str
    title: str


@dataclass(frozen=True)
class Rule:
    """A level across the chart: the method's aim, or the workspace's median."""

    y: float
    label: str
    kind: str  # "aim" or "median"


@dataclass
class LineChart:
    id: str
    title: str
    description: str
    dots: list[Dot] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # polyline points, one per unbroken run
    rules: list[Rule] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (y, label) of the axis
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def left(self) -> int:
        return LEFT

    @property
    def right(self) -> int:
        return self.width - RIGHT

    @property
    def bottom(self) -> int:
        return self.height - BOTTOM

    @property
    def empty(self) -> bool:
        return not self.dots


def _fmt(value: float, percent: bool) -> str:
    if percent:
        return f"{round(value * 100)} %"
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"


def line_chart(
    id: str,
    title: str,
    values: Sequence[tuple[str, float | None]],
    *,
    percent: bool = False,
    aim: tuple[float, str] | None = None,
    median: float | None = None,
    top: float | None = None,
) -> LineChart:
    """A line through `values` ((label, value or None: not measured) in order), with the
    method's `aim` and the workspace's `median` as levels across it."""
    measured = [value for _label, value in values if value is not None]
    levels = [*measured, *([aim[0]] if aim else []), *([median] if median is not None else [])]
    ceiling = top if top is not None else max([*levels, 1.0])
    if not percent and top is None:
        ceiling = _nice(ceiling)
    chart = LineChart(id=id, title=title, description="")
    span_x = chart.right - chart.left
    span_y = chart.bottom - TOP

    def y_of(value: float) -> float:
        return round(chart.bottom - span_y * min(value, ceiling) / ceiling, 1)

    count = len(values)
    run: list[str] = []
    for n, (label, value) in enumerate(values):
        x = round(chart.left + (span_x * (n + 0.5) / count if count else 0), 1)
        if value is None:
            if len(run) > 1:
                chart.lines.append(" ".join(run))
            run = []
            continue
        y = y_of(value)
        chart.dots.append(Dot(f"{x:.1f}", f"{y:.1f}", f"{label}: {_fmt(value, percent)}"))
        run.append(f"{x},{y}")
    if len(run) > 1:
        chart.lines.append(" ".join(run))
    step = max(1, count // 6)
    chart.x_labels = [
        (round(chart.left + span_x * (n + 0.5) / count, 1), label)
        for n, (label, _value) in enumerate(values)
        if n % step == 0
    ]
    chart.ticks = [(y_of(ceiling * share), _fmt(ceiling * share, percent)) for share in (0, 0.5, 1)]
    if aim is not None:
        chart.rules.append(Rule(y_of(aim[0]), f"{aim[1]} {_fmt(aim[0], percent)}", "aim"))
    if median is not None:
        chart.rules.append(
            Rule(y_of(median), f"workspace median {_fmt(median, percent)}", "median")
        )
    said = ", ".join(dot.title for dot in chart.dots[:40])
    more = f" and {len(chart.dots) - 40} more" if len(chart.dots) > 40 else ""
    extra = "".join(f"; {rule.label}" for rule in chart.rules)
    chart.description = (
        f"{title}: {said}{more}{extra}." if chart.dots else f"{title}: nothing measured yet."
    )
    return chart


def _nice(value: float) -> float:
    """A round ceiling at or above `value`: 1, 2, 5, 10, 20, 50…"""
    if value <= 0:
        return 1.0
    scale = 1.0
    while scale * 10 < value:
        scale *= 10
    for step in (1, 2, 5, 10):
        if step * scale >= value:
            return step * scale
    return 10 * scale

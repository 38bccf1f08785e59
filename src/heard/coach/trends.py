"""The coach's figures across interviews: an interviewer's trend and a study's round, each
beside the workspace's median; and the same figures as JSON and as rows of a sheet."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from heard.accounts.models import Membership
from heard.coach.access import sees_all, visible_reports
from heard.coach.charts import LineChart, line_chart
from heard.coach.models import CoachReport
from heard.coach.services import policy_of
from heard.interviews.models import Interview
from heard.studies.models import Study
from heard.synthesis.matrix.sheets import Column, Look
from heard.synthesis.matrix.spreadsheet import ExtraSheet


@dataclass(frozen=True)
class Figure:
    field: str
    title: str
    percent: bool = False
    better: str = "lower"  # "higher" or "lower": which way the method wants it to go


FIGURES = (
    Figure("customer_share", "The customer's share of talk time", percent=True, better="higher"),
    Figure("leading_per_hour", "Leading questions an hour"),
    Figure("hypothetical_per_hour", "Hypothetical questions an hour"),
    Figure("why_depth", "Whys asked per solution request", better="higher"),
    Figure("must_missed", "Must-ask questions missed"),
)
FIELDS = tuple(figure.field for figure in FIGURES)


def _rows(reports: QuerySet[CoachReport]) -> list[dict[str, Any]]:
    rows = list(
        reports.filter(computed_at__isnull=False)
        .exclude(data={})
        .order_by("interview__starts_at", "interview_id")
        .values(
            "interview_id",
            "interview__starts_at",
            "interview__time_zone",
            "interview__participant__name",
            "interview__study__title",
            "interview__study_id",
            "minutes",
            "questions",
            *FIELDS,
        )
    )
    for row in rows:
        row["cells"] = cells(row)
    return rows


def shown(value: float | None, figure: Figure | None = None) -> str:
    """A figure as the table shows it, written here: a template's number formatting of
    every cell of a long table costs more than the rest of the page."""
    if value is None:
        return "\u2013"
    if figure is None:
        return f"{value:.0f}"
    if figure.percent:
        return f"{round(value * 100)} %"
    return f"{value:.0f}" if figure.field == "must_missed" else f"{value:.1f}"


def cells(row: dict[str, Any]) -> list[str]:
    """The table's cells of a row: its minutes, then each figure."""
    return [shown(row.get("minutes")), *(shown(row.get(f.field), f) for f in FIGURES)]


# A reader who may not see every report sees the workspace's median only when it stands for
# this many reports by this many interviewers: a median of two reports is their mean, and
# would give away a colleague's figure.
MEDIAN_REPORTS = 5
MEDIAN_INTERVIEWERS = 3


def medians(membership: Membership) -> dict[str, float | None]:
    """The workspace's median of each figure, over every report it holds (None for each,
    for a reader who may not see every report, while too few stand behind it)."""
    columns: dict[str, list[float]] = {name: [] for name in FIELDS}
    rows = list(
        CoachReport.objects.filter(
            interview__study__workspace=membership.workspace, computed_at__isnull=False
        ).values_list("interviewer_id", *FIELDS)
    )
    interviewers = {row[0] for row in rows if row[0] is not None}
    if not sees_all(membership) and (
        len(rows) < MEDIAN_REPORTS or len(interviewers) < MEDIAN_INTERVIEWERS
    ):
        return dict.fromkeys(FIELDS)
    for _interviewer, *row in rows:
        for name, value in zip(FIELDS, row, strict=True):
            if value is not None:
                columns[name].append(value)
    return {name: (median(values) if values else None) for name, values in columns.items()}


def _local_day(row: dict[str, Any]) -> date:
    """The day the interview was held, on its own clock."""
    return row["interview__starts_at"].astimezone(ZoneInfo(row["interview__time_zone"])).date()


def _day(row: dict[str, Any]) -> str:
    when = _local_day(row)
    return f"{when.day} {when:%b}"


def _charts(
    rows: Sequence[dict[str, Any]], middle: dict[str, float | None], target: float, prefix: str
) -> list[LineChart]:
    charts = []
    for figure in FIGURES:
        values = [(_day(row), row[figure.field]) for row in rows]
        aim = (target, "the method's aim") if figure.field == "customer_share" else None
        charts.append(
            line_chart(
                f"{prefix}-{figure.field}",
                figure.title,
                values,
                percent=figure.percent,
                aim=aim,
                median=middle[figure.field],
                top=1.0 if figure.percent else None,
            )
        )
    return charts


def _halves(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each figure's median over the first half of the interviews and over the second: did
    the round get better?"""
    out: list[dict[str, Any]] = []
    half = len(rows) // 2
    if half < 2:
        return out
    for figure in FIGURES:
        first = [row[figure.field] for row in rows[:half] if row[figure.field] is not None]
        second = [row[figure.field] for row in rows[half:] if row[figure.field] is not None]
        if not first or not second:
            continue
        before, after = median(first), median(second)
        went = "higher" if after > before else "lower" if after < before else "the same"
        out.append(
            {
                "figure": figure,
                "before": before,
                "after": after,
                "better": went == figure.better,
                "same": went == "the same",
            }
        )
    return out


def _trend_page(rows: list[dict[str, Any]], viewer: Membership, prefix: str) -> dict[str, Any]:
    """What a trend page shows of `rows`: the charts beside the workspace's median, the
    halves of the round, the table's cells."""
    middle = medians(viewer)
    target = policy_of(viewer.workspace).customer_share_target / 100
    return {
        "rows": rows,
        "figures": FIGURES,
        "charts": _charts(rows, middle, target, prefix),
        "medians": middle,
        "median_cells": cells(middle)[1:],
        "medians_hidden": all(value is None for value in middle.values()),
        "halves": _halves(rows),
    }


def person_page(member: Membership, viewer: Membership) -> dict[str, Any]:
    reports = CoachReport.objects.filter(
        interviewer=member.user, interview__study__workspace=member.workspace
    )
    return {
        **_trend_page(_rows(reports & visible_reports(viewer)), viewer, "person"),
        "is_self": member.user_id == viewer.user_id,
    }


def study_page(study: Study, viewer: Membership) -> dict[str, Any]:
    rows = _rows(visible_reports(viewer).filter(interview__study=study))
    held = Interview.objects.filter(study=study, started_at__isnull=False).count()
    return {**_trend_page(rows, viewer, "study"), "held": held}


def row_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "interview": row["interview_id"],
        "starts_at": row["interview__starts_at"].isoformat(),
        "participant": row["interview__participant__name"],
        "study": row["interview__study__title"],
        "minutes": row["minutes"],
        "questions": row["questions"],
        **{name: row[name] for name in FIELDS},
    }


def study_json(study: Study, viewer: Membership) -> dict[str, Any]:
    rows = _rows(visible_reports(viewer).filter(interview__study=study))
    return {
        "study": {"id": study.pk, "title": study.title},
        "figures": {figure.field: figure.title for figure in FIGURES},
        "workspace_medians": medians(viewer),
        "interviews": [row_json(row) for row in rows],
    }


def report_json(interview: Interview, report: CoachReport) -> dict[str, Any]:
    return {
        "interview": {
            "id": interview.pk,
            "participant": interview.participant.name,
            "study": interview.study.title,
            "starts_at": interview.starts_at.isoformat(),
        },
        "computed_at": report.computed_at.isoformat() if report.computed_at else None,
        "transcript": report.transcript_id,
        "report": report.data,
    }


def coach_sheet(study: Study, membership: Membership) -> ExtraSheet | None:
    """The coach's figures as a sheet of the study's workbook: the interviews whose reports
    the downloader may see (none for observers: no sheet)."""
    rows = _rows(visible_reports(membership).filter(interview__study=study))
    if not rows:
        return None
    columns: tuple[Column, ...] = (
        ("Interview", 28, Look.TEXT),
        ("Date", 12, Look.DATE),
        ("Minutes", 9, Look.PLAIN),
        ("Questions", 10, Look.PLAIN),
        *(
            (f"{figure.title}{' (%)' if figure.percent else ''}", 16, Look.PLAIN)
            for figure in FIGURES
        ),
    )
    lines = [
        [
            row["interview__participant__name"],
            _local_day(row),
            row["minutes"],
            row["questions"],
            *(_cell(row[figure.field], figure) for figure in FIGURES),
        ]
        for row in rows
    ]
    return ExtraSheet("Coach", columns, lines)


def _cell(value: float | None, figure: Figure) -> float | None:
    if value is None:
        return None
    return round(value * 100, 1) if figure.percent else value

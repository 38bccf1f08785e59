"""What the check page shows: the highlights an import would make, per interview and one by
one, and what it skips and why; once imported, what it made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.defaultfilters import pluralize

from heard.exchange.models import ProjectImport
from heard.interviews.models import Interview, NoteKind
from heard.studies.models import ValidationPoint

# The most highlights and skipped selections the page lists one by one.
LISTED = 200


@dataclass(frozen=True)
class InterviewCount:
    interview: Interview
    count: int


@dataclass(frozen=True)
class Row:
    """A highlight to make, as the page shows it."""

    interview: Interview | None
    words: str
    kind: str
    points: list[ValidationPoint]
    codes: list[str]


def _count(number: int, what: str) -> str:
    return f"{number:,} {what}{pluralize(number)}"


def skipped_count(checked: ProjectImport) -> int:
    return sum(int(item.get("count", 1)) for item in checked.skipped)


def summary(checked: ProjectImport) -> str:
    """ "Imported 12 highlights on 3 interviews; 4 selections skipped (listed below)." """
    made = checked.made_count
    interviews = len(checked.interviews)
    said = f"Imported {_count(made, 'highlight')}"
    if made:
        said += f" on {_count(interviews, 'interview')}"
    skipped = skipped_count(checked)
    if skipped:
        said += f"; {_count(skipped, 'selection')} skipped (listed below)"
    return said + "."


def context(checked: ProjectImport) -> dict[str, Any]:
    study = checked.study
    pks = {int(item["interview"]) for item in checked.interviews} | {
        int(item["interview"]) for item in checked.plan
    }
    interviews = {
        interview.pk: interview
        for interview in Interview.objects.filter(study=study, pk__in=pks).select_related(
            "participant"
        )
    }
    points = {point.pk: point for point in ValidationPoint.objects.filter(study=study)}
    kinds = dict(NoteKind.choices)
    counts = [
        InterviewCount(interviews[int(item["interview"])], int(item["count"]))
        for item in checked.interviews
        if int(item["interview"]) in interviews
    ]
    counts.sort(key=lambda found: (found.interview.starts_at, found.interview.pk))
    rows = [
        Row(
            interviews.get(int(item["interview"])),
            item["words"],
            str(kinds.get(item["kind"], item["kind"])),
            [points[pk] for pk in item["points"] if pk in points],
            [str(code.get("name", "")) for code in item["codes"]],
        )
        for item in checked.plan[:LISTED]
    ]
    return {
        "checked": checked,
        "study": study,
        "counts": counts,
        "rows": rows,
        "planned": len(checked.plan),
        "skipped": checked.skipped[:LISTED],
        "skipped_cut": len(checked.skipped) > LISTED,
        "skipped_total": skipped_count(checked),
        "listed": LISTED,
        "summary": summary(checked) if checked.is_done else "",
        "nav_section": "studies",
    }

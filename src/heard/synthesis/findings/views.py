"""Findings of a study: the list with weights, warnings and charts; writing one; its evidence.

The evidence picker's buttons post without JavaScript; with htmx each answers with the
interview's cell it changed and, out of band, the finding's weight.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from heard.accounts.access import Need, current_user, post_only
from heard.accounts.requests import WorkspaceRequest
from heard.studies.access import get_study_for
from heard.synthesis.access import get_finding_for
from heard.synthesis.findings import charts
from heard.synthesis.findings import services as findings
from heard.synthesis.findings.forms import FindingForm, PickForm
from heard.synthesis.findings.services import SourceKind
from heard.synthesis.models import Finding
from heard.synthesis.reviews import decisions
from heard.synthesis.reviews import services as review
from heard.synthesis.reviews.forms import StartReviewForm

NAV = {"nav_section": "studies"}


def findings_page(request: WorkspaceRequest, ws: str, study_pk: int) -> HttpResponse:
    study = get_study_for(request, ws, study_pk)
    latest = review.latest_review_of(study)
    aligned = review.alignments(latest)
    items = findings.findings_of(study)
    context = {
        **NAV,
        "study": study,
        "items": [(item, aligned.get(item.finding.pk)) for item in items],
        "charts": charts.charts_for(study, list(study.points.current())),
        "review": latest,
        "start_form": StartReviewForm(),
        "alignment_rule": review.ALIGNMENT_RULE,
        "flagged": decisions.flagged_count(study),
    }
    return render(request, "synthesis/findings.html", context)


def finding_create(request: WorkspaceRequest, ws: str, study_pk: int) -> HttpResponse:
    study = get_study_for(request, ws, study_pk, Need.EDIT)
    form = FindingForm(request.POST or None, study=study)
    if request.method == "POST" and form.is_valid():
        finding = findings.create_finding(
            study,
            current_user(request),
            form.cleaned_data["statement"],
            form.cleaned_data["points"],
        )
        messages.success(request, "Finding saved. Now pick the evidence it rests on.")
        return redirect(_url("evidence", ws, finding))
    return render(request, "synthesis/finding_form.html", {**NAV, "form": form, "study": study})


def finding_detail(request: WorkspaceRequest, ws: str, study_pk: int, pk: int) -> HttpResponse:
    finding = get_finding_for(request, ws, study_pk, pk)
    study = finding.study
    item = findings.one_finding(study, finding)
    findings.mark_moments([item], ws)
    latest = review.latest_review_of(study)
    context = {
        **NAV,
        "study": study,
        "item": item,
        "charts": charts.charts_for(study, item.points),
        "review": latest,
        "alignment": review.alignments(latest).get(finding.pk),
        "challenges": review.challenges_of(finding),
        "decisions": [d for d in decisions.decision_log(study) if finding in d.findings],
        "removed": finding.removed_evidence.select_related("removed_by", "interview__participant"),
    }
    return render(request, "synthesis/finding_detail.html", context)


def finding_edit(request: WorkspaceRequest, ws: str, study_pk: int, pk: int) -> HttpResponse:
    finding = get_finding_for(request, ws, study_pk, pk, Need.EDIT)
    initial = {"statement": finding.statement, "points": finding.points.all()}
    form = FindingForm(request.POST or None, study=finding.study, initial=initial)
    if request.method == "POST" and form.is_valid():
        findings.edit_finding(finding, form.cleaned_data["statement"], form.cleaned_data["points"])
        messages.success(request, "Finding saved.")
        return redirect(_url("detail", ws, finding))
    context = {**NAV, "form": form, "study": finding.study, "finding": finding}
    return render(request, "synthesis/finding_form.html", context)


def finding_delete(request: WorkspaceRequest, ws: str, study_pk: int, pk: int) -> HttpResponse:
    finding = get_finding_for(request, ws, study_pk, pk, Need.EDIT)
    if request.method == "POST":
        try:
            findings.delete_finding(finding)
        except findings.FindingError as error:
            messages.error(request, str(error))
            return redirect(_url("detail", ws, finding))
        messages.success(request, "Finding deleted, with its evidence links, votes and challenges.")
        return redirect("findings:list", ws=ws, study_pk=study_pk)
    context = {
        **NAV,
        "study": finding.study,
        "finding": finding,
        "decisions": findings.decisions_on(finding),
        "evidence": finding.evidence.count(),
        "votes": finding.votes.count(),
        "challenges": finding.challenges.count(),
    }
    return render(request, "synthesis/finding_delete.html", context)


def finding_evidence(request: WorkspaceRequest, ws: str, study_pk: int, pk: int) -> HttpResponse:
    finding = get_finding_for(request, ws, study_pk, pk, Need.EDIT)
    return render(request, "synthesis/finding_evidence.html", _picker(finding))


@post_only
def evidence_pick(request: WorkspaceRequest, ws: str, study_pk: int, pk: int) -> HttpResponse:
    finding = get_finding_for(request, ws, study_pk, pk, Need.EDIT)
    form = PickForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick a quote or a summary, and whether it supports the finding.")
        return redirect(_url("evidence", ws, finding))
    kind, source_pk = form.kind_and_pk()
    quote = findings.quote_of_study(finding.study, source_pk) if kind == SourceKind.QUOTE else None
    cell = findings.cell_of_study(finding.study, source_pk) if kind == SourceKind.CELL else None
    if quote is None and cell is None:
        messages.error(request, "That quote or summary is no longer in this study.")
        return redirect(_url("evidence", ws, finding))
    findings.pick(finding, current_user(request), form.cleaned_bearing(), quote=quote, cell=cell)
    row_pk = quote.point_summary_id if quote else cell.pk  # type: ignore[union-attr]
    context = _picker(finding)
    context["cell"] = next(
        (c for entry in context["points"] for c in entry.cells if c.row.pk == row_pk), None
    )
    if not request.htmx or context["cell"] is None:
        # Without htmx, or for a cell the picker does not show: the whole page.
        return redirect(_url("evidence", ws, finding) + f"#cell-{row_pk}")
    html = render_to_string("synthesis/finding_evidence.html#cell", context, request)
    weight = render_to_string(
        "synthesis/finding_evidence.html#weight", {**context, "oob": True}, request
    )
    return HttpResponse(html + weight)


def _picker(finding: Finding) -> dict[str, Any]:
    item = findings.one_finding(finding.study, finding)
    points = findings.picker(item.finding)
    findings.mark_picker_moments(points, finding.study.workspace.slug)
    return {
        **NAV,
        "study": finding.study,
        "finding": item.finding,
        "item": item,
        "points": points,
    }


def _url(name: str, ws: str, finding: Finding) -> str:
    kwargs = {"ws": ws, "study_pk": finding.study_id, "pk": finding.pk}
    return reverse(f"findings:{name}", kwargs=kwargs)

"""Removing a quote from a summary: a quote that is findings' evidence asks first, and what it
took away stays on record for those findings (and flags the decisions taken on them)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from heard.accounts.access import Need, allow_methods, current_user
from heard.accounts.requests import WorkspaceRequest
from heard.synthesis.access import get_quote_for
from heard.synthesis.findings import services as findings
from heard.synthesis.reviews import decisions
from heard.synthesis.summaries import services
from heard.synthesis.summaries.answers import anchor, answer, refused, summary_url


@allow_methods("GET", "HEAD", "POST")
def quote_remove(request: WorkspaceRequest, ws: str, pk: int, quote_pk: int) -> HttpResponse:
    """Remove a quote. One that is findings' evidence asks first (GET: the findings it backs,
    and what removing it does to them and to the decisions on them)."""
    quote = get_quote_for(request, ws, pk, quote_pk, Need.EDIT)
    summary = quote.point_summary.summary
    point_pk = quote.point_summary.point_id
    if request.method == "POST":
        seen = request.POST.get("seen", "")
        try:
            services.remove_quote(
                quote, current_user(request), seen=int(seen) if seen.isdigit() else None
            )
        except services.EvidenceNotConfirmed:
            confirm = reverse(
                "summaries:quote_remove", kwargs={"ws": ws, "pk": pk, "quote_pk": quote.pk}
            )
            if request.htmx:
                return HttpResponseClientRedirect(confirm)
            return redirect(confirm)
        except services.SummaryError as error:
            return refused(request, summary, str(error), point_pk, "quotes")
        if seen.isdigit() and int(seen):
            messages.success(
                request,
                "Quote removed. The findings it backed say so, and decisions taken on them are "
                "flagged.",
            )
            return redirect(summary_url(summary) + anchor(point_pk, ""))
        return answer(request, summary, "quotes", point_pk, "")
    evidence = findings.resting_on(quote)
    if not evidence:
        return redirect(summary_url(summary) + anchor(point_pk, ""))
    context = {
        "interview": summary.interview,
        "summary": summary,
        "quote": quote,
        "evidence": evidence,
        "decisions": decisions.resting_on([e.finding for e in evidence]),
    }
    return render(request, "synthesis/quote_remove.html", context)

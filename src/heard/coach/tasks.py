"""Background work of the coach: computing an interview's report."""

from __future__ import annotations

from django.tasks import task

from heard.coach import services


@task
def compute_report(interview_id: int) -> str:
    return services.recompute(interview_id)

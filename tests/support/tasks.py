"""A task for the worker tests: it leaves a trace the test can look for."""

from __future__ import annotations

from django.tasks import task

from heard.studies.models import Study


@task
def rename_study(pk: int, title: str) -> str:
    Study.objects.filter(pk=pk).update(title=title)
    return title

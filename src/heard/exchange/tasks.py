"""Background work of the exchange: importing a checked project's highlights."""

from __future__ import annotations

from django.tasks import task

from heard.exchange import services


@task
def import_project(import_id: int) -> str:
    return services.run(import_id)

from __future__ import annotations

from django.urls import reverse

from tests.conftest import Team


def url(name: str, team: Team, **kwargs: object) -> str:
    return reverse(f"guides:{name}", kwargs={"ws": team.workspace.slug, **kwargs})

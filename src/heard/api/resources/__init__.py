"""The API's resources, one router per stage of the method."""

from __future__ import annotations

from ninja import NinjaAPI


def register(api: NinjaAPI) -> None:
    from heard.api.resources import calls, participants, plan, synthesis

    api.add_router("", plan.router)
    api.add_router("", participants.router)
    api.add_router("", calls.router)
    api.add_router("", synthesis.router)

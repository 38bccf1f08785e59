"""The participants' import run from a test, and a profile field a guide asks for."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from heard.accounts.models import Workspace
from heard.guides.models import ProfileField
from heard.participants.models import ParticipantImport
from tests.support import factories
from tests.support.personas import Team
from tests.support.urls import url


def upload(client: Client, team: Team, file: SimpleUploadedFile):  # type: ignore[no-untyped-def]
    """Upload `file` to the team's import page; the response."""
    return client.post(url("participants:import", team), {"file": file})


def latest_import(team: Team) -> ParticipantImport:
    return ParticipantImport.objects.filter(workspace=team.workspace).latest("id")


def profile_field(ws: Workspace, key: str, label: str, help_text: str = "") -> ProfileField:
    """A guide in a study of `ws` that asks for one profile field."""
    study = factories.study(ws, title=f"Study for {key}")
    guide = factories.guide(study, title=f"Guide for {key}", questions=0)
    return ProfileField.objects.create(guide=guide, key=key, label=label, help_text=help_text)

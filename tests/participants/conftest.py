"""Helpers for the participants tests: URLs, CSV files built in the test, an import run."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from heard.accounts.models import Workspace
from heard.guides.models import ProfileField
from heard.participants.models import ParticipantImport
from tests import factories
from tests.conftest import Team


def url(name: str, team: Team, **kwargs: object) -> str:
    return reverse(f"participants:{name}", kwargs={"ws": team.workspace.slug, **kwargs})


def csv_text(rows: Sequence[Sequence[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def csv_file(
    rows: Sequence[Sequence[str]], name: str = "people.csv", encoding: str = "utf-8"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_text(rows).encode(encoding), content_type="text/csv")


def raw_file(data: bytes, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def upload(client: Client, team: Team, file: SimpleUploadedFile):  # type: ignore[no-untyped-def]
    return client.post(url("import", team), {"file": file})


def latest_import(team: Team) -> ParticipantImport:
    return ParticipantImport.objects.filter(workspace=team.workspace).latest("id")


def profile_field(ws: Workspace, key: str, label: str, help_text: str = "") -> ProfileField:
    """A guide in a study of `ws` that asks for one profile field."""
    study = factories.study(ws, title=f"Study for {key}")
    guide = factories.guide(study, title=f"Guide for {key}", questions=0)
    return ProfileField.objects.create(guide=guide, key=key, label=label, help_text=help_text)


@pytest.fixture
def sample_rows() -> list[list[str]]:
    return [
        ["Full name", "E-mail", "Organisation", "Job title", "Segment", "Team size", "Notes"],
        ["Ada Lovelace", "ada@analytical.example", "Analytical Engines", "CTO", "Enterprise", "40", "met at conf"],
        ["Grace Hopper", "grace@navy.example", "US Navy", "Rear Admiral", "Public sector", "", ""],
        ["Zoë Ångström", "zoe@fika.example", "Fika AB", "Head of Ops", "Mid-market", "12", ""],
    ]  # fmt: skip

"""Every download names its file by what it holds, letters of any script kept: the header
carries the name as RFC 6266 says (`filename*=UTF-8''…`), with an ASCII name beside it."""

from __future__ import annotations

import datetime
from urllib.parse import unquote

import pytest
from django.test import Client
from django.utils import timezone

from heard.core.downloads import ascii_name, attachment, name_part
from heard.interviews.models import InterviewStatus
from heard.synthesis.summaries.services import start_summary
from tests.support import factories
from tests.support.followups import draft
from tests.support.personas import Team
from tests.support.urls import mail_url, matrix_url, summary_url, url

NAME = "Zoë Łukasiewicz"


def test_an_ascii_name_goes_as_it_is():
    assert attachment("heard-matrix-pricing-2027-01-15.csv") == (
        'attachment; filename="heard-matrix-pricing-2027-01-15.csv"'
    )


def test_other_letters_go_percent_encoded_with_an_ascii_name_beside_them():
    assert attachment("summary-zoë-łukasiewicz.md") == (
        'attachment; filename="summary-zoe-lukasiewicz.md"; '
        "filename*=UTF-8''summary-zo%C3%AB-%C5%82ukasiewicz.md"
    )
    assert ascii_name("heard-matrix-日本語-2027-01-15.csv") == "heard-matrix-2027-01-15.csv"
    assert ascii_name("Ærøskøbing straße.xlsx") == "AEroskobing-strasse.xlsx"
    assert ascii_name("日本語") == "download"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (NAME, "zoë-łukasiewicz"),
        ("../../etc/passwd", "etcpasswd"),
        ('Zoë "x"; rm -rf /\r\nBcc: eve', "zoë-x-rm-rf-bcc-eve"),
        ("Ana\u202egpj.exe", "anagpjexe"),  # a right-to-left override cannot fake an extension
        ("😀 😀", ""),
        ("x" * 60, "x" * 40),
    ],
)
def test_a_name_part_holds_nothing_that_points_elsewhere(text: str, expected: str):
    assert name_part(text) == expected


def filename_of(disposition: str) -> str:
    """The name a browser saves the file under: `filename*` when there is one."""
    assert disposition.startswith("attachment; ")
    assert disposition.isascii()
    if "filename*=UTF-8''" in disposition:
        return unquote(disposition.split("filename*=UTF-8''", 1)[1])
    return disposition.split('filename="', 1)[1].rstrip('"')


@pytest.mark.django_db
def test_every_download_keeps_the_letters_of_names(team: Team, owner_client: Client):
    study = factories.study(team.workspace, title="Łódź pricing")
    person = factories.participant(team.workspace, name=NAME, email="zoe@example.org")
    interview = factories.interview(
        study,
        person,
        starts_at=datetime.datetime(2027, 1, 15, 9, tzinfo=datetime.UTC),
        status=InterviewStatus.DONE,
    )
    start_summary(interview, team.owner)
    followup = draft(interview)
    today = timezone.localdate().isoformat()
    expected = {
        url("interviews:ics", team, pk=interview.pk): "interview-2027-01-15-zoë-łukasiewicz.ics",
        url(
            "interviews:customer_ics", team, pk=interview.pk
        ): "invitation-2027-01-15-zoë-łukasiewicz.ics",
        mail_url("eml", team, followup): f"follow-up-2027-01-15-zoë-łukasiewicz-{followup.pk}.eml",
        summary_url("markdown", interview): "summary-2027-01-15-zoë-łukasiewicz.md",
        matrix_url(study, "xlsx"): f"heard-matrix-łódź-pricing-{today}.xlsx",
        matrix_url(study, "csv"): f"heard-matrix-łódź-pricing-{today}.csv",
        url("participants:export", team): f"heard-participants-{team.workspace.slug}-{today}.csv",
    }
    for address, name in expected.items():
        response = owner_client.get(address)
        assert response.status_code == 200, address
        assert filename_of(response["Content-Disposition"]) == name

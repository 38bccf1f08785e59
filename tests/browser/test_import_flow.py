"""Importing a recruiting tool's participant list in a real Chromium: the name in two columns."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.participants.models import Participant
from tests.support.browser import screenshot, sign_in
from tests.support.personas import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Shaped like a recruiting tool's export: first and last name apart, a phone, screener answers.
RECRUITED = (
    ("First Name", "Last Name", "Email", "Phone Number", "Job Title", "Company",
     "Screener: How many reports do you build a week?", "Status"),
    ("Zoë", "Ångström-Nuñez", "zoe@fjord.example", "+47 22 00 00 00", "CFO",
     "Fjordkraft Økonomi AS", "12", "Qualified"),
    ("Nickole", "Smith", "nickole@client.example", "", "Controller", "Client Co", "8", "Qualified"),
    ("Priya", "Raman", "", "", "Founder", "Raman Consulting", "1", "Invited"),
)  # fmt: skip


def write_csv(path: Path, rows: tuple[tuple[str, ...], ...]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def upload(page: Page, base: str, path: Path) -> None:
    page.goto(f"{base}/participants/import/")
    page.get_by_label("CSV file").set_input_files(path)
    page.get_by_role("button", name="Upload and choose columns").click()
    expect(page.get_by_role("heading", name="Choose what each column holds")).to_be_visible()


def test_first_and_last_name_make_the_name(
    person: Page, live_server: LiveServer, team: Team, tmp_path: Path
) -> None:
    page = person
    sign_in(page.context, live_server.url, team.owner)
    base = f"{live_server.url}/w/{team.workspace.slug}"
    upload(page, base, write_csv(tmp_path / "respondents.csv", RECRUITED))

    mapping = page.locator("#mapping-form")
    expect(mapping.get_by_label("First Name", exact=True)).to_have_value("first_name")
    expect(mapping.get_by_label("Last Name", exact=True)).to_have_value("last_name")
    expect(mapping.get_by_label("Job Title", exact=True)).to_have_value("role")
    expect(page.get_by_text("None of the columns looks like a name")).to_have_count(0)
    expect(page.locator(".import-name-parts")).to_have_text(
        "“First Name” + “Last Name” make each participant\u2019s name, for example "
        "“Zoë Ångström-Nuñez” and “Nickole Smith”."
    )
    screenshot(page, "import-01-name-in-two-columns")
    page.get_by_role("button", name="Preview the import").click()

    expect(page.get_by_role("heading", name="Check, then import")).to_be_visible()
    preview = page.locator("table.import-preview")
    name = preview.get_by_role("columnheader", name="Name")
    expect(name).to_contain_text("from “First Name” + “Last Name”")
    expect(preview.locator("tbody tr").first).to_contain_text("Zoë Ångström-Nuñez")
    # One column for the name, none for its parts: Row, Outcome, Name, Email, Role, Company.
    expect(preview.locator("thead th")).to_have_count(6)
    screenshot(page, "import-02-preview-joined-names")
    page.get_by_role("button", name="Import 3 new participants").click()

    expect(page.get_by_role("status")).to_contain_text("Imported 3 new participants.")
    table = page.locator("table.participants-table")
    for full_name in ("Zoë Ångström-Nuñez", "Nickole Smith", "Priya Raman"):
        expect(table.get_by_role("link", name=full_name, exact=True)).to_be_visible()
    assert sorted(Participant.objects.values_list("name", flat=True)) == [
        "Nickole Smith",
        "Priya Raman",
        "Zoë Ångström-Nuñez",
    ]

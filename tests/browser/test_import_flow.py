"""Importing a recruiting tool's participant list in a real Chromium: the name in two columns,
people who signed up twice, and a preview that shows every column."""

from __future__ import annotations

import csv
import re
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


# A wider export, with two people signed up twice (once with another case in the address).
SIGNED_UP_TWICE = (
    ("First Name", "Last Name", "Email", "Phone Number", "Job Title", "Company", "Segment",
     "Team size", "Tools used today"),
    ("Marit", "Fjeldstad-Johannessen", "marit@fjordkraft-okonomi.example", "+47 22 00 00 01",
     "Head of Financial Planning and Analysis", "Fjordkraft Økonomi Aktieselskap",
     "Mid-market finance", "12", "Excel, Power BI, SAP, Tableau, Google Sheets"),
    ("Nickole", "Smith", "nickole@client.example", "", "Controller", "Client Co", "", "8", ""),
    ("Marit", "Fjeldstad", "MARIT@fjordkraft-okonomi.example", "+47 22 00 00 02", "", "",
     "", "", "Excel"),
    ("Priya", "Raman", "priya@raman.example", "", "Founder", "Raman Consulting",
     "Small business", "1", "Google Sheets"),
    ("Nicky", "Smith", "nickole@client.example", "", "", "Client Co", "Enterprise", "", ""),
)  # fmt: skip


def last_column_is_in_view(page: Page) -> bool:
    """Whether the preview's last column shows whole inside its card, without scrolling."""
    return bool(
        page.evaluate(
            """() => {
              const wrap = document.querySelector(".import-preview-wrap");
              const last = wrap.querySelector("thead th:last-child").getBoundingClientRect();
              return last.right <= wrap.getBoundingClientRect().right + 0.5
                && wrap.scrollWidth <= wrap.clientWidth;
            }"""
        )
    )


def test_rows_repeating_an_email_are_merged_or_skipped(
    person: Page, live_server: LiveServer, team: Team, tmp_path: Path
) -> None:
    page = person
    sign_in(page.context, live_server.url, team.owner)
    base = f"{live_server.url}/w/{team.workspace.slug}"
    upload(page, base, write_csv(tmp_path / "sign-ups.csv", SIGNED_UP_TWICE))
    mapping = page.locator("#mapping-form")
    for header in ("Phone Number", "Team size", "Tools used today"):
        mapping.get_by_label(header, exact=True).select_option("new")
    page.get_by_role("button", name="Preview the import").click()

    duplicates = page.get_by_role("region", name="2 rows repeat the email of an earlier row")
    expect(duplicates).to_contain_text("Row 2: Marit Fjeldstad-Johannessen")
    expect(duplicates).to_contain_text("adds Segment; keeps row 3\u2019s Name")
    expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    expect(page.locator(".import-actions")).to_contain_text("Choose whether to merge or skip")
    rows = page.locator("table.import-preview tbody tr")
    expect(rows.nth(2).get_by_role("link", name="Repeats row 2")).to_be_visible()
    screenshot(page, "import-03-repeated-emails")

    # Row 4 merged from the keyboard, row 6 skipped with the mouse.
    merge = duplicates.get_by_role("group", name="Row 4").get_by_label("Merge")
    merge.focus()
    page.keyboard.press("Space")
    expect(merge).to_be_checked()
    duplicates.get_by_role("group", name="Row 6").get_by_label("Skip").check()
    duplicates.get_by_role("button", name="Save these choices").click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    expect(rows.nth(2)).to_contain_text("Merged into row 2")
    expect(rows.nth(4)).to_contain_text("Skipped repeats row 3")

    # The preview fits its card at 1280 and at 1024 pixels: no column is cut off.
    assert last_column_is_in_view(page)
    screenshot(page, "import-04-preview-1280")
    page.set_viewport_size({"width": 1024, "height": 900})
    assert last_column_is_in_view(page)
    screenshot(page, "import-05-preview-1024")

    page.get_by_role("button", name="Import 3 new participants").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Imported 3 new participants, merged 1 row that repeated an email, "
        "skipped 1 row that repeated an email."
    )
    marit = Participant.objects.get(email="marit@fjordkraft-okonomi.example")
    assert marit.name == "Marit Fjeldstad-Johannessen"
    assert marit.profile["phone_number"] == "+47 22 00 00 01"  # the first row's, not overwritten
    assert Participant.objects.get(email="nickole@client.example").segment == ""

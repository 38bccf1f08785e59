"""CSV import: upload, choose columns, preview, then every row or none."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from heard.participants import imports
from heard.participants.models import ImportStatus, Participant, ParticipantImport
from tests.support import factories
from tests.support.participants import latest_import, profile_field, upload
from tests.support.spreadsheets import csv_file, csv_text, raw_file
from tests.support.text import read
from tests.support.urls import url

pytestmark = pytest.mark.django_db


def mapping_data(mapping: list[str]) -> dict[str, str]:
    return {f"col_{i}": target for i, target in enumerate(mapping)}


def run_import(client, team, rows, mapping=None):  # type: ignore[no-untyped-def]
    """Upload `rows`, keep the guessed columns (or set `mapping`), and return the preview."""
    response = upload(client, team, csv_file(rows))
    assert response.status_code == 302, response.context["form"].errors
    item = latest_import(team)
    choice = mapping if mapping is not None else item.mapping
    response = client.post(url("participants:import_map", team, pk=item.pk), mapping_data(choice))
    assert response.status_code == 302, response.context["form"].errors
    return item, client.get(url("participants:import_preview", team, pk=item.pk))


def test_a_good_file_goes_through_columns_preview_and_import(team, owner_client, sample_rows):
    profile_field(team.workspace, "team_size", "Team size")
    response = upload(owner_client, team, csv_file(sample_rows, name="crm export.csv"))
    item = latest_import(team)
    assert response.url == url("participants:import_map", team, pk=item.pk)
    assert item.filename == "crm export.csv"
    assert item.mapping == [
        "name",
        "email",
        "company",
        "role",
        "segment",
        "profile:team_size",
        "ignore",
    ]

    page = owner_client.get(url("participants:import_map", team, pk=item.pk))
    assert b"Choose what each column holds" in page.content
    assert "“met at conf”" in read(page.content)  # sample values help to choose

    mapping = [*item.mapping[:-1], "new"]  # keep the notes as a new profile field
    owner_client.post(url("participants:import_map", team, pk=item.pk), mapping_data(mapping))
    preview = owner_client.get(url("participants:import_preview", team, pk=item.pk))
    plan = preview.context["plan"]
    assert (plan.new_count, plan.update_count, plan.skip_count, plan.problems) == (3, 0, 0, [])
    assert b"Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m" in preview.content
    assert b"New profile field" in preview.content
    assert not Participant.objects.exists()  # nothing saved before the confirmation

    done = owner_client.post(url("participants:import_preview", team, pk=item.pk), follow=True)
    assert b"Imported 3 new participants" in done.content
    ada = Participant.objects.get(email="ada@analytical.example")
    assert (ada.name, ada.company, ada.role, ada.segment) == (
        "Ada Lovelace", "Analytical Engines", "CTO", "Enterprise",
    )  # fmt: skip
    assert ada.profile == {"team_size": "40", "notes": "met at conf"}
    assert Participant.objects.get(email="grace@navy.example").profile == {}
    item.refresh_from_db()
    assert item.status == ImportStatus.DONE
    assert item.text == ""  # the file's personal data is not kept twice
    assert (item.created_count, item.updated_count) == (3, 0)
    # Each took the workspace's next pseudonym number, as one added by hand does.
    assert sorted(Participant.objects.values_list("alias", flat=True)) == [1, 2, 3]


# A participant list as recruiting tools export it: the name in two columns, a phone number,
# screener answers and the tool's own status.
RECRUITING_EXPORT = [
    ["First Name", "Last Name", "Email", "Phone Number", "Job Title", "Company",
     "Screener: How many reports do you build a week?", "Status"],
    ["Ada", "Lovelace", "ada@analytical.example", "+44 20 7946 0001", "CTO", "Analytical Engines",
     "12", "Qualified"],
    ["Grace", "Hopper", "grace@navy.example", "", "Rear Admiral", "US Navy", "3", "Qualified"],
    ["Zoë", "", "zoe@fika.example", "", "Head of Ops", "Fika AB", "", "Invited"],
]  # fmt: skip


def test_first_and_last_name_columns_make_the_name(team, owner_client):
    upload(owner_client, team, csv_file(RECRUITING_EXPORT, name="respondents.csv"))
    item = latest_import(team)
    assert item.mapping == [
        "first_name", "last_name", "email", "ignore", "role", "company", "ignore", "ignore",
    ]  # fmt: skip
    page = owner_client.get(url("participants:import_map", team, pk=item.pk)).content.decode()
    assert "None of the columns looks like a name" not in page
    assert (
        '“<span dir="auto">First Name</span>” + “<span dir="auto">Last Name</span>” make each participant\u2019s name'
        in page
    )
    assert '“<span dir="auto">Ada Lovelace</span>”' in page

    item, preview = run_import(owner_client, team, RECRUITING_EXPORT)
    content = preview.content.decode()
    assert (
        'from “<span dir="auto">First Name</span>” + “<span dir="auto">Last Name</span>”' in content
    )
    assert '<td class="prewrap" dir="auto">Ada Lovelace</td>' in content
    assert preview.context["plan"].new_count == 3
    owner_client.post(url("participants:import_preview", team, pk=item.pk))
    assert sorted(Participant.objects.values_list("name", "role")) == [
        ("Ada Lovelace", "CTO"), ("Grace Hopper", "Rear Admiral"), ("Zoë", "Head of Ops"),
    ]  # fmt: skip


def test_a_whole_name_and_its_parts_together_are_refused(team, owner_client):
    rows = [["Name", "First name", "Last name"], ["Ada Lovelace", "Ada", "Lovelace"]]
    upload(owner_client, team, csv_file(rows))
    item = latest_import(team)
    assert item.mapping == ["name", "ignore", "ignore"]
    response = owner_client.post(
        url("participants:import_map", team, pk=item.pk),
        mapping_data(["name", "first_name", "last_name"]),
    )
    assert response.status_code == 200
    assert "“Name” holds the whole name" in response.content.decode()


def test_a_matching_email_fills_empty_fields_and_never_overwrites(team, owner_client, sample_rows):
    profile_field(team.workspace, "team_size", "Team size")
    ada = factories.participant(
        team.workspace, name="Ada L.", email="ADA@analytical.example", company="",
        role="Countess", segment="", profile={"team_size": "", "other": "x"},
    )  # fmt: skip
    factories.participant(
        team.workspace, name="Grace", email="grace@navy.example", company="Navy",
        role="Admiral", segment="Gov",
    )  # fmt: skip
    item, preview = run_import(owner_client, team, sample_rows)
    plan = preview.context["plan"]
    assert (plan.new_count, plan.update_count, plan.skip_count) == (1, 1, 1)
    assert "already in the directory as Grace" in read(preview.content)
    owner_client.post(url("participants:import_preview", team, pk=item.pk))
    ada.refresh_from_db()
    assert ada.name == "Ada L."  # not overwritten
    assert ada.role == "Countess"  # not overwritten
    assert (ada.company, ada.segment) == ("Analytical Engines", "Enterprise")  # filled in
    assert ada.profile == {"team_size": "40", "other": "x"}
    assert Participant.objects.filter(workspace=team.workspace).count() == 3
    item.refresh_from_db()
    assert (item.created_count, item.updated_count, item.skipped_count) == (1, 1, 1)


def test_one_bad_row_means_nothing_is_imported(team, owner_client, sample_rows):
    rows = [*sample_rows, ["", "nameless@x.example", "", "", "", "", ""]]
    item, preview = run_import(owner_client, team, rows)
    assert b"1 problem to fix before anything can be imported" in preview.content
    assert b"The name is empty." in preview.content
    assert b"Import 3" not in preview.content
    response = owner_client.post(url("participants:import_preview", team, pk=item.pk))
    assert response.status_code == 200
    assert b"Nothing was imported" in response.content
    assert not Participant.objects.exists()
    item.refresh_from_db()
    assert item.status == ImportStatus.MAPPED


def test_every_problem_is_listed_with_row_and_column(team, owner_client):
    rows = [
        ["Name", "Email", "Company"],
        ["Ada", "ada@x.example", "X"],
        ["", "b@x.example", ""],
        ["Cy", "not an email", ""],
        ["Dee", "ADA@X.EXAMPLE", ""],
        ["Eve", "", "C" * 201],
    ]
    _, preview = run_import(owner_client, team, rows)
    problems = [(p.row, p.column) for p in preview.context["plan"].problems]
    assert problems == [(3, "Name"), (4, "Email"), (6, "Company")]
    content = preview.content.decode()
    assert "3 problems to fix" in content
    assert "201 characters long; the most this field takes is 200" in content


def test_html_and_formulas_are_stored_as_given_and_shown_escaped(team, owner_client):
    rows = [
        ["Name", "Company", "Role"],
        ["<script>alert('x')</script>", '=HYPERLINK("http://evil.example","click")', "@SUM(A1)"],
    ]
    item, preview = run_import(owner_client, team, rows)
    assert b"<script>alert" not in preview.content
    assert b"&lt;script&gt;" in preview.content
    owner_client.post(url("participants:import_preview", team, pk=item.pk))
    person = Participant.objects.get()
    assert person.name == "<script>alert('x')</script>"
    assert person.company == '=HYPERLINK("http://evil.example","click")'
    assert person.role == "@SUM(A1)"
    listing = owner_client.get(url("participants:list", team)).content
    assert b"<script>alert" not in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Name,Email\nZoë Müller,zoe@x.example\n".encode("cp1252"),
         "This file is not UTF-8 text; save it as CSV UTF-8 and upload again."),
        ("Name,Email\nAda,a@x.example\n".encode("utf-16"), "It looks like UTF-16"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", "This file is a PNG image"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml", "Excel workbook"),
        (b"Name,Email\n\x00\x00\x01\x02binary", "binary file"),
        (b"", "The submitted file is empty."),
        (b"\r\n\r\n", "This file is empty."),
        (b"Ada Lovelace,ada@x.example\nGrace,grace@x.example\n", "not the names of the columns"),
        (b"Name,Email\n", "no participants in it"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_with_a_clear_message(team, owner_client, data, message):
    response = upload(owner_client, team, raw_file(data))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ParticipantImport.objects.exists()
    assert not Participant.objects.exists()


def test_a_file_over_the_row_limit_says_the_limit(team, owner_client):
    data = "Name,Email\n" + "".join(f"Person {i},p{i}@x.example\n" for i in range(100_000))
    response = upload(owner_client, team, raw_file(data.encode()))
    assert response.status_code == 200
    assert "more than 10,000 rows" in response.content.decode()
    assert "at most 10,000" in response.content.decode()
    assert not ParticipantImport.objects.exists()


def test_a_file_over_the_size_limit_says_the_limit(team, owner_client, settings):
    settings.HEARD_IMPORT_MAX_BYTES = 1024 * 1024
    data = b"Name\n" + b"A" * (1024 * 1024) + b"\n"
    response = upload(owner_client, team, raw_file(data))
    assert b"This file is 1.0 MB; the most an import takes is 1.0 MB" in response.content
    assert not ParticipantImport.objects.exists()


def test_no_column_looking_like_a_name_asks_for_one(team, owner_client):
    upload(owner_client, team, csv_file([["Email", "Company"], ["a@x.example", "X"]]))
    item = latest_import(team)
    page = owner_client.get(url("participants:import_map", team, pk=item.pk))
    assert b"None of the columns looks like a name" in page.content
    response = owner_client.post(
        url("participants:import_map", team, pk=item.pk), mapping_data(["email", "company"])
    )
    assert response.status_code == 200
    assert b"Choose the column that holds each participant" in response.content
    preview = owner_client.get(url("participants:import_preview", team, pk=item.pk), follow=True)
    assert preview.redirect_chain[-1][0] == url("participants:import_map", team, pk=item.pk)
    assert not Participant.objects.exists()


def test_two_columns_for_one_field_are_refused(team, owner_client):
    upload(
        owner_client,
        team,
        csv_file([["Name", "Email", "Email 2"], ["A", "a@x.example", "b@x.example"]]),
    )
    item = latest_import(team)
    response = owner_client.post(
        url("participants:import_map", team, pk=item.pk), mapping_data(["name", "email", "email"])
    )
    assert "Both “Email” and “Email 2” go to Email".encode() in response.content


def test_a_file_name_is_kept_without_its_path(team, owner_client):
    upload(owner_client, team, csv_file([["Name"], ["Ada"]], name="../../etc/<img src=x>.csv"))
    item = latest_import(team)
    assert item.filename == "<img src=x>.csv"
    page = owner_client.get(url("participants:import_map", team, pk=item.pk))
    assert b"<img src=x>" not in page.content
    assert b"&lt;img src=x&gt;.csv" in page.content


def test_cancel_throws_the_file_away(team, owner_client):
    upload(owner_client, team, csv_file([["Name"], ["Ada"]]))
    item = latest_import(team)
    response = owner_client.post(url("participants:import_cancel", team, pk=item.pk))
    assert response.url == url("participants:list", team)
    assert not ParticipantImport.objects.exists()


def test_a_finished_import_cannot_run_twice(team, owner_client):
    item, _ = run_import(owner_client, team, [["Name"], ["Ada"]])
    owner_client.post(url("participants:import_preview", team, pk=item.pk))
    again = owner_client.post(url("participants:import_preview", team, pk=item.pk))
    assert again.url == url("participants:list", team)
    assert Participant.objects.count() == 1
    assert owner_client.get(url("participants:import_map", team, pk=item.pk)).url == url(
        "participants:list", team
    )


def test_abandoned_imports_of_every_workspace_go_after_a_day_on_the_next_upload(team, owner_client):
    def started(ws, hours_ago, status=ImportStatus.MAPPED):  # type: ignore[no-untyped-def]
        item = ParticipantImport.objects.create(
            workspace=ws, filename="f.csv", text="Name\nAda\n", status=status
        )
        ParticipantImport.objects.filter(pk=item.pk).update(
            created_at=timezone.now() - datetime.timedelta(hours=hours_ago)
        )
        return item.pk

    stale_here = started(team.workspace, 25)
    stale_elsewhere = started(team.other_workspace, 25)  # a workspace that never imports again
    recent = started(team.other_workspace, 23)
    finished = started(team.workspace, 24 * 30, ImportStatus.DONE)
    upload(owner_client, team, csv_file([["Name"], ["Bob"]]))
    kept = set(ParticipantImport.objects.values_list("pk", flat=True))
    assert kept == {recent, finished, latest_import(team).pk}
    assert not kept & {stale_here, stale_elsewhere}


def test_a_repeated_email_asks_to_merge_or_skip_that_row(team, owner_client):
    rows = [
        ["Name", "Email", "Company", "Role"],
        ["Ada", "ada@x.example", "X", ""],
        ["Bob", "bob@x.example", "", ""],
        ["Ada L.", "ADA@x.example", "Y", "CTO"],  # repeats row 2
        ["Bobby", "bob@x.example", "B Corp", ""],  # repeats row 3
        ["Cy", "cy@x.example", "", ""],
    ]
    item, preview = run_import(owner_client, team, rows)
    plan = preview.context["plan"]
    assert plan.problems == []
    assert (plan.new_count, plan.undecided_count) == (3, 2)
    content = preview.content.decode()
    assert "2 rows repeat the email of an earlier row" in content
    assert 'Row 2: <span dir="auto">Ada</span>' in content
    assert "adds Role or title; keeps row 2\u2019s Name, Company" in content
    assert 'name="row_4" value="merge"' in content
    assert "Import 3" not in content
    blocked = owner_client.post(url("participants:import_preview", team, pk=item.pk))
    assert "choose whether to merge or skip" in blocked.content.decode()
    assert not Participant.objects.exists()

    choose = url("participants:import_duplicates", team, pk=item.pk)
    response = owner_client.post(choose, {"row_4": "merge", "row_5": "skip"})
    assert response.url == url("participants:import_preview", team, pk=item.pk) + "#duplicates-h"
    preview = owner_client.get(url("participants:import_preview", team, pk=item.pk))
    plan = preview.context["plan"]
    assert (plan.new_count, plan.merge_count, plan.skip_duplicate_count) == (3, 1, 1)
    assert plan.can_import
    assert b"Import 3 new participants" in preview.content
    done = owner_client.post(url("participants:import_preview", team, pk=item.pk), follow=True)
    assert (
        b"Imported 3 new participants, merged 1 row that repeated an email, skipped 1 row that "
        b"repeated an email." in done.content
    )
    people = {p.email: (p.name, p.company, p.role) for p in Participant.objects.all()}
    assert people == {
        "ada@x.example": ("Ada", "X", "CTO"),  # merged: the role added, nothing overwritten
        "bob@x.example": ("Bob", "", ""),  # row 5 skipped
        "cy@x.example": ("Cy", "", ""),
    }


@pytest.mark.parametrize(("every", "bob_company"), [("merge", "B Corp"), ("skip", "")])
def test_merge_all_or_skip_all_repeated_emails(team, owner_client, every, bob_company):
    rows = [
        ["Name", "Email", "Company"],
        ["Bob", "bob@x.example", ""],
        *([f"Bob {i}", "bob@x.example", "B Corp"] for i in range(150)),
    ]
    item, preview = run_import(owner_client, team, rows)
    assert preview.context["plan"].undecided_count == 150
    assert len(preview.context["duplicates"]) == 100  # listed one by one; the buttons reach all
    assert b"Merge all 150" in preview.content
    owner_client.post(url("participants:import_duplicates", team, pk=item.pk), {"every": every})
    owner_client.post(url("participants:import_preview", team, pk=item.pk))
    assert list(Participant.objects.values_list("name", "company")) == [("Bob", bob_company)]


def test_choices_on_repeated_emails_go_when_the_columns_change(team, owner_client):
    rows = [["Name", "Email"], ["Ada", "ada@x.example"], ["Ada", "ada@x.example"]]
    item, _ = run_import(owner_client, team, rows)
    owner_client.post(url("participants:import_duplicates", team, pk=item.pk), {"every": "skip"})
    item.refresh_from_db()
    assert item.duplicates == {"3": "skip"}
    owner_client.post(url("participants:import_map", team, pk=item.pk), mapping_data(item.mapping))
    item.refresh_from_db()
    assert item.duplicates == {"3": "skip"}  # the same columns keep them
    owner_client.post(
        url("participants:import_map", team, pk=item.pk), mapping_data(["name", "ignore"])
    )
    item.refresh_from_db()
    assert item.duplicates == {}


def test_rows_without_email_are_always_new(team, owner_client):
    factories.participant(team.workspace, name="Ada", email="")
    _item, preview = run_import(owner_client, team, [["Name"], ["Ada"], ["Ada"]])
    assert preview.context["plan"].new_count == 2
    assert b"No column holds emails" in preview.content


def test_apply_import_is_all_or_nothing_when_the_directory_changed(team, monkeypatch):
    """A participant added with the same email between the preview and the import (another
    process, the unique index) stops the whole import, not just that row."""
    text = csv_text([["Name", "Email"], ["Ada", "ada@x.example"], ["Bob", "bob@x.example"]])
    item = imports.start_import(team.workspace, team.owner, "f.csv", text)
    imports.save_mapping(item, ["name", "email"])
    original = imports._existing_by_email

    def lookup_then_race(*args, **kwargs):  # type: ignore[no-untyped-def]
        found = original(*args, **kwargs)
        factories.participant(team.workspace, name="Racer", email="BOB@x.example")
        return found

    monkeypatch.setattr(imports, "_existing_by_email", lookup_then_race)
    with pytest.raises(imports.ImportBlocked, match="meanwhile"):
        imports.apply_import(item)
    assert not Participant.objects.exists()  # not even Ada, nor the racer (same transaction)
    item.refresh_from_db()
    assert item.status == ImportStatus.MAPPED


def test_import_views_use_few_queries(team, owner_client, django_assert_max_num_queries):
    rows = [["Name", "Email"], *([f"P{i}", f"p{i}@x.example"] for i in range(1200))]
    for i in range(0, 1200, 2):
        factories.participant(team.workspace, name=f"P{i}", email=f"p{i}@x.example")
    item, _ = run_import(owner_client, team, rows)
    with django_assert_max_num_queries(15):
        preview = owner_client.get(url("participants:import_preview", team, pk=item.pk))
    assert preview.status_code == 200
    assert preview.context["plan"].new_count == 600
    with django_assert_max_num_queries(40):
        done = owner_client.post(url("participants:import_preview", team, pk=item.pk))
    assert done.status_code == 302
    assert done.url == url("participants:list", team)
    assert Participant.objects.count() == 1200

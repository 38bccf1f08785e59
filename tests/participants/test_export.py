"""CSV export: every field and profile key, UTF-8 with BOM, formulas neutralised, streamed."""

from __future__ import annotations

import csv
import re

import pytest
from django.utils import timezone

from heard.accounts.models import Role
from heard.core.spreadsheets import neutralise
from heard.participants import imports
from heard.participants.models import Participant
from tests.support import factories
from tests.support.participants import profile_field
from tests.support.spreadsheets import csv_download as exported
from tests.support.spreadsheets import csv_text, formulas_in
from tests.support.urls import url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+49 30 1234", "'+49 30 1234"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t'=1"),
        ("\r=1", "'\r'=1"),
        ("ACME;=1+1", "ACME;'=1+1"),
        ("Acme, -2+3", "Acme, '-2+3"),
        ("one\n@SUM(A1)", "one\n'@SUM(A1)"),
        ("Plain text", "Plain text"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_export_has_every_field_and_profile_key(team, teammate_client):
    profile_field(team.workspace, "team_size", "Team size")
    profile_field(team.workspace, "tools", "Tools used today")
    factories.participant(
        team.workspace, name="Ada", email="ada@x.example", company="Analytical", role="CTO",
        segment="Enterprise", profile={"team_size": "40", "legacy": "old value"},
    )  # fmt: skip
    factories.participant(team.workspace, name="Bob", email="", company="", profile={})
    factories.participant(team.other_workspace, name="Not ours")
    response = teammate_client.get(url("participants:export", team))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="heard-participants-{team.workspace.slug}-{today}.csv"'
    )
    data, rows = exported(response)
    assert data.startswith(b"\xef\xbb\xbf")
    assert rows[0] == [
        "Name", "Email", "Company", "Role or title", "Segment",
        "Team size", "Tools used today", "Legacy", "Added on",
    ]  # fmt: skip
    assert rows[1][:8] == [
        "Ada",
        "ada@x.example",
        "Analytical",
        "CTO",
        "Enterprise",
        "40",
        "",
        "old value",
    ]
    assert rows[2][:2] == ["Bob", ""]
    assert len(rows) == 3


def test_formulas_are_neutralised_on_export(team, owner_client):
    factories.participant(
        team.workspace, name="=HYPERLINK(\"http://evil.example\",\"x\")", company="+1 555",
        role="-cmd", segment="@SUM(A1)", profile={"k": "\t=1", "j": "\r=2"},
    )  # fmt: skip
    _, rows = exported(owner_client.get(url("participants:export", team)))
    header, row = rows
    values = dict(zip(header, row, strict=True))
    assert values["Name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert values["Company"] == "'+1 555"
    assert values["Role or title"] == "'-cmd"
    assert values["Segment"] == "'@SUM(A1)"
    assert values["K"] == "'\t'=1"
    assert values["J"] == "'\r'=2"


HOSTILE = [
    "ACME;=1+1",
    'Acme,=HYPERLINK("http://evil.example")',
    "Acme\t+1+1",
    "first line\n=1+1",
    "first line\r\n-2+3",
    "a; @SUM(A1)",
    '"=1+1"',
]


def test_no_cell_is_a_formula_in_any_locale(team, owner_client):
    """Every field is quoted, and a formula start after a separator or a line break is
    neutralised too: split on `;`, a tab or `,`, quotes respected or not, no cell is a formula."""
    for index, value in enumerate(HOSTILE):
        factories.participant(
            team.workspace, name=value, company=value, email=f"p{index}@x.example",
            profile={"notes": value},
        )  # fmt: skip
    data, rows = exported(owner_client.get(url("participants:export", team)))
    assert formulas_in(data) == {",": [], ";": [], "\t": []}
    assert data.decode("utf-8-sig") == csv_text(rows, quoting=csv.QUOTE_ALL)  # every field quoted
    # Read as Heard wrote it, each value is whole, with its quotes where a formula would start.
    assert sorted(row[2] for row in rows[1:]) == sorted(
        ["ACME;'=1+1", "Acme,'=HYPERLINK(\"http://evil.example\")", "Acme\t'+1+1",
         "first line\n'=1+1", "first line\r\n'-2+3", "a; '@SUM(A1)", '"=1+1"']
    )  # fmt: skip


def test_unicode_survives_an_export_and_an_import(team, owner_client):
    people = [
        ("Zoë Ångström", "zoe@fika.example", "Fika AB", "Operations — Nordics", {"team_size": "12"}),
        ("李小龙", "li@example.cn", "北京公司", "产品经理", {"team_size": "八"}),
        ("سارة", "sara@example.ae", "شركة", "مديرة", {}),
        ("Emoji 🎉 Person", "emoji@example.org", "Party 🥳 Ltd", "Chief 👩‍💻", {"note": "line one\nline \"two\""}),
    ]  # fmt: skip
    for name, email, company, role, profile in people:
        factories.participant(
            team.workspace, name=name, email=email, company=company, role=role, profile=profile
        )
    data, _ = exported(owner_client.get(url("participants:export", team)))

    item = imports.start_import(
        team.other_workspace, team.outsider, "back.csv", data.decode("utf-8-sig")
    )
    assert item.mapping[:5] == ["name", "email", "company", "role", "segment"]
    assert item.mapping[5:] == ["new", "new", "ignore"]  # unknown profile keys, then "Added on"
    imports.save_mapping(item, item.mapping)
    plan = imports.apply_import(item)
    assert plan.new_count == 4
    for name, email, company, role, profile in people:
        person = Participant.objects.get(workspace=team.other_workspace, email=email)
        assert (person.name, person.company, person.role, person.profile) == (
            name,
            company,
            role,
            profile,
        )


def test_export_headers_are_words_the_import_reads_back(team, owner_client):
    profile_field(team.workspace, "last_name", "Last name")
    profile_field(team.workspace, "role", "Role")
    profile_field(team.workspace, "tools", "Tools used today")
    profile_field(team.workspace, "company_hq", "Company")  # the label of a standard column
    profile_field(team.workspace, "tools_2", "Tools used today")  # another field's label
    profile_field(team.workspace, "size_he", "גודל הצוות")
    values = {"last_name": "Ångström", "role": "Owns reporting", "tools": "Sheets",
              "company_hq": "Oslo", "tools_2": "Looker", "size_he": "שישה", "old_key": "kept"}  # fmt: skip
    factories.participant(team.workspace, name="Zoë", email="zoe@fika.example", profile=values)
    data, rows = exported(owner_client.get(url("participants:export", team)))
    assert rows[0] == [
        "Name", "Email", "Company", "Role or title", "Segment",
        "Last name", "Role", "Tools used today", "Company hq", "Tools 2", "גודל הצוות", "Old key",
        "Added on",
    ]  # fmt: skip

    again = imports.start_import(team.workspace, team.owner, "back.csv", data.decode("utf-8-sig"))
    assert again.mapping[5:] == [
        "profile:last_name", "profile:role", "profile:tools", "profile:company_hq",
        "profile:tools_2", "profile:size_he", "new", "ignore",
    ]  # fmt: skip
    elsewhere = imports.start_import(
        team.other_workspace, team.outsider, "back.csv", data.decode("utf-8-sig")
    )
    imports.save_mapping(elsewhere, elsewhere.mapping)
    imports.apply_import(elsewhere)
    person = Participant.objects.get(workspace=team.other_workspace)
    assert person.profile == {
        "last_name": "Ångström", "role": "Owns reporting", "tools_used_today": "Sheets",
        "company_hq": "Oslo", "tools_2": "Looker", "column_11": "שישה", "old_key": "kept",
    }  # fmt: skip


def test_export_follows_the_search(team, owner_client):
    factories.participant(team.workspace, name="Ada", segment="Enterprise")
    factories.participant(team.workspace, name="Bob", segment="SMB")
    _, rows = exported(owner_client.get(url("participants:export", team), {"segment": "SMB"}))
    assert [row[0] for row in rows[1:]] == ["Bob"]


def test_export_streams_a_big_directory_in_few_queries(
    team, owner_client, django_assert_max_num_queries
):
    Participant.objects.bulk_create(
        Participant(workspace=team.workspace, name=f"P{i:05}", email=f"p{i}@x.example", profile={"k": str(i)})
        for i in range(5000)
    )  # fmt: skip
    response = owner_client.get(url("participants:export", team))
    assert response.status_code == 200
    with django_assert_max_num_queries(20):
        _, rows = exported(response)
    assert len(rows) == 5001
    assert rows[1][0] == "P00000"


def test_observers_may_not_download_the_list_unless_the_workspace_allows_it(
    team, owner_client, observer_client
):
    factories.participant(team.workspace, name="Ada", email="ada@x.example")
    listing = observer_client.get(url("participants:list", team)).content.decode()
    assert "Ada" in listing  # they read the directory …
    assert url("participants:export", team) not in listing  # … but are offered no download
    refused = observer_client.get(url("participants:export", team))
    assert refused.status_code == 403
    assert b"ada@x.example" not in refused.content
    owner_listing = owner_client.get(url("participants:list", team)).content.decode()
    assert url("participants:export", team) in owner_listing

    settings_page = url("accounts:workspace_settings", team)
    form = owner_client.get(settings_page).content.decode()
    assert "Observers may download the participant list" in form
    checkbox = re.search(
        r'<input type="checkbox" name="observers_may_export_participants"[^>]*>', form
    )
    assert checkbox
    assert "checked" not in checkbox.group(0)  # off by default
    owner_client.post(
        settings_page,
        {
            "name": team.workspace.name,
            "purpose_template": team.workspace.purpose_template,
            "observers_may_export_participants": "on",
        },
    )
    team.workspace.refresh_from_db()
    assert team.workspace.observers_may_export_participants
    listing = observer_client.get(url("participants:list", team)).content.decode()
    assert url("participants:export", team) in listing
    _, rows = exported(observer_client.get(url("participants:export", team)))
    assert rows[1][:2] == ["Ada", "ada@x.example"]


def test_the_rule_is_the_roles():
    assert Role.OWNER.can_export_participants(observers_allowed=False)
    assert Role.RESEARCHER.can_export_participants(observers_allowed=False)
    assert not Role.OBSERVER.can_export_participants(observers_allowed=False)
    assert Role.OBSERVER.can_export_participants(observers_allowed=True)

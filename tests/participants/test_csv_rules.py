"""The rules that read and check a participant CSV, called directly (no database)."""

from __future__ import annotations

import re
import time
import tracemalloc

import pytest

from heard.participants.csv_file import NOT_UTF8, ImportFileError, decode_upload, read_table
from heard.participants.csv_headers import (
    FIRST_NAME,
    IGNORE,
    LAST_NAME,
    NEW_PROFILE_FIELD,
    guess_mapping,
)
from heard.participants.csv_import import (
    MappingError,
    Merge,
    check_rows,
    merge_duplicates,
    resolve_mapping,
)
from heard.participants.profile import (
    ProfileEntry,
    ProfileKey,
    asks_for_role,
    fold_role,
    key_from_header,
    merge_profile,
    role_once,
    split_profile,
)
from tests.support.spreadsheets import csv_text


def test_it_reads_utf8_with_and_without_bom():
    text = "Name,Email\nZoë,zoe@example.org\n"
    assert decode_upload(text.encode()) == text
    assert decode_upload(b"\xef\xbb\xbf" + text.encode()) == text


def test_windows_1252_is_refused_and_named():
    with pytest.raises(ImportFileError) as error:
        decode_upload("Name\nZoë Müller\n".encode("cp1252"))
    message = str(error.value)
    assert message.startswith(NOT_UTF8)
    assert "Windows-1252" in message
    assert "line 2" in message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_is_refused_as_not_utf8(encoding):
    with pytest.raises(ImportFileError) as error:
        decode_upload("Name,Email\nAda,ada@example.org\n".encode(encoding))
    assert str(error.value).startswith(NOT_UTF8)
    assert "UTF-16" in str(error.value)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "Excel workbook (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "old Excel workbook"),
        (b"%PDF-1.7\n", "PDF document"),
    ],
)
def test_renamed_binary_files_are_named(data, kind):
    with pytest.raises(ImportFileError, match=re.escape(kind)):
        decode_upload(data)


def test_nul_bytes_mean_a_binary_file():
    with pytest.raises(ImportFileError, match="binary file"):
        decode_upload(b"Name,Email\nAda\x00\x01\x02,ada@example.org\n\xff\x00")


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(data):
    with pytest.raises(ImportFileError, match="empty"):
        decode_upload(data)


def test_a_file_with_only_a_header_is_refused():
    with pytest.raises(ImportFileError, match="no participants"):
        read_table("Name,Email\n", max_rows=10)


def test_a_file_without_a_header_row_is_refused():
    with pytest.raises(ImportFileError, match="not the names of the columns"):
        read_table("Ada Lovelace,ada@example.org\nGrace,grace@example.org\n", max_rows=10)
    with pytest.raises(ImportFileError, match="first row is empty"):
        read_table(",,\nAda,ada@example.org,\n", max_rows=10)


def test_too_many_rows_names_the_limit():
    text = "Name\n" + "".join(f"Person {i}\n" for i in range(100_000))
    with pytest.raises(ImportFileError) as error:
        read_table(text, max_rows=10_000)
    assert "more than 10,000 rows" in str(error.value)
    assert "at most 10,000" in str(error.value)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x\n", "more than 10,000 rows of participants"),
        (",\n", "more than 10,000 empty rows"),
        ("\n", "more than 10,000 empty rows"),
    ],
)
def test_millions_of_tiny_rows_stop_at_the_limit(row, message):
    """A file under the 10 MB cap with millions of rows is refused at its first row past the
    limit, in memory and time that do not grow with the file (it took 1.2 GB and 18 s)."""
    text = "Name\n" + row * (9_900_000 // len(row))
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportFileError, match=message):
            read_table(text, max_rows=10_000)
        took = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
    assert took < 2


def test_a_row_of_too_many_cells_is_refused():
    text = "Name,Email\nAda,ada@x.example\n" + "x," * 5000 + "\n"
    with pytest.raises(ImportFileError, match="Row 3 has 5001 cells; an import reads at most 100"):
        read_table(text, max_rows=10)


def test_a_cell_or_row_too_long_is_refused():
    long_cell = "Name,Notes\nAda," + "x" * 10_001 + "\n"
    with pytest.raises(ImportFileError, match="Row 2 has a cell of more than 10,000 characters"):
        read_table(long_cell, max_rows=10)
    huge_cell = 'Name,Notes\nAda,"' + "x" * 200_000 + '"\n'  # past csv's own field limit
    with pytest.raises(ImportFileError, match="Row 2 has a cell of more than 10,000 characters"):
        read_table(huge_cell, max_rows=10)
    long_row = "Name\n" + ",".join(["y" * 9_000] * 20) + "\n"
    with pytest.raises(ImportFileError, match="Row 2 holds more than 100,000 characters"):
        read_table(long_row, max_rows=10)


def test_blank_rows_are_left_out_and_numbers_match_the_spreadsheet():
    table = read_table("Name\nAda\n\n,\nGrace\n", max_rows=10)
    assert [(row.number, row.cells[0]) for row in table.rows] == [(2, "Ada"), (5, "Grace")]
    assert table.blank_rows == 2


def test_quoted_newlines_stay_in_one_row():
    table = read_table('Name,Notes\n"Ada","two\nlines"\nGrace,x\n', max_rows=10)
    assert [row.number for row in table.rows] == [2, 3]
    assert table.rows[0].cells[1] == "two\nlines"


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_files(delimiter):
    table = read_table(csv_text([["Name", "Email"], ["Ada", "a@x.example"]], delimiter), 10)
    assert table.headers == ["Name", "Email"]
    assert table.rows[0].cells == ["Ada", "a@x.example"]


def test_excel_sep_line_names_the_delimiter():
    table = read_table("sep=;\nName;Company, Inc\nAda;Acme, Inc\n", max_rows=10)
    assert table.headers == ["Name", "Company, Inc"]
    assert table.rows[0].number == 3


def test_guesses_from_header_names():
    keys = [ProfileKey("team_size", "Team size"), ProfileKey("tools", "Tools used today")]
    headers = ["Full name", "E-mail", "Organisation", "Job title", "Persona", "Team size",
               "Tools used today", "profile:tools", "Favourite colour"]  # fmt: skip
    assert guess_mapping(headers, keys) == [
        "name", "email", "company", "role", "segment", "profile:team_size", "profile:tools",
        IGNORE,  # the same target twice: the second is left out
        IGNORE,
    ]  # fmt: skip


def test_a_column_of_a_heard_export_with_an_unknown_key_becomes_a_new_field():
    assert guess_mapping(["Name", "profile:old_key"], []) == ["name", NEW_PROFILE_FIELD]


EXPORTED = ["Name", "Email", "Company", "Role or title", "Segment"]


def test_the_columns_of_a_heard_export_are_read_by_label_or_by_key():
    keys = [
        ProfileKey("last_name", "Last name"),
        ProfileKey("role", "Role"),
        ProfileKey("tools", "Tools used today"),
        ProfileKey("size_he", "גודל הצוות"),
    ]
    headers = [*EXPORTED, "Last name", "Role", "Tools used today", "גודל הצוות", "Legacy key",
               "profile:tools_old", "Added on"]  # fmt: skip
    assert guess_mapping(headers, keys) == [
        "name", "email", "company", "role", "segment",
        "profile:last_name",
        "profile:role",  # a profile field, though "Role" alone would name the standard field
        "profile:tools", "profile:size_he",
        NEW_PROFILE_FIELD, NEW_PROFILE_FIELD,  # no guide defines them here: new fields
        IGNORE,
    ]  # fmt: skip


def test_older_exports_and_other_files_are_read_as_before():
    keys = [ProfileKey("last_name", "Last name")]
    older = [*EXPORTED, "profile:last_name", "profile:gone", "Added on"]
    assert guess_mapping(older, keys)[5:] == ["profile:last_name", NEW_PROFILE_FIELD, IGNORE]
    other = ["Full name", "Last name", "Role", "Favourite colour"]
    assert guess_mapping(other, keys) == ["name", "profile:last_name", "role", IGNORE]


def test_key_from_header():
    assert key_from_header("Company size (FTE)", 0) == "company_size_fte"
    assert key_from_header("   ", 4) == "column_5"
    assert key_from_header("Größe", 0) == "grosse"
    assert key_from_header("会社", 2) == "column_3"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["First Name", "Last Name", "Email"], [FIRST_NAME, LAST_NAME, "email"]),
        (["first_name", "surname", "email_address"], [FIRST_NAME, LAST_NAME, "email"]),
        (["Given name", "Family name"], [FIRST_NAME, LAST_NAME]),
        (["Forename", "Surname"], [FIRST_NAME, LAST_NAME]),
        (["Contact First Name", "Contact Last Name"], [FIRST_NAME, LAST_NAME]),
        (["Vorname", "Nachname", "E-Mail"], [FIRST_NAME, LAST_NAME, "email"]),
        (["Vorname", "Name", "Firma"], [FIRST_NAME, LAST_NAME, "company"]),
        (["Prénom", "Nom", "Courriel", "Société"], [FIRST_NAME, LAST_NAME, "email", "company"]),
        (["Nombre", "Apellido", "Correo electrónico"], [FIRST_NAME, LAST_NAME, "email"]),
        (["Nombre", "Apellidos", "Empresa"], [FIRST_NAME, LAST_NAME, "company"]),
        (["Nome", "Cognome"], [FIRST_NAME, LAST_NAME]),
        (["Voornaam", "Achternaam"], [FIRST_NAME, LAST_NAME]),
        # Alone, the words that also name a part hold the whole name.
        (["Nombre", "Email"], ["name", "email"]),
        (["Nom", "Email"], ["name", "email"]),
        (["Full name", "Email"], ["name", "email"]),
        (["Vollständiger Name", "E-Mail"], ["name", "email"]),
        # A column with the whole name wins over its parts.
        (["Name", "First name", "Last name"], ["name", IGNORE, IGNORE]),
        (["First name", "Full name", "Surname"], [IGNORE, "name", IGNORE]),
    ],
)
def test_guesses_names_in_parts_and_in_other_languages(headers, expected):
    assert guess_mapping(headers, []) == expected


def _table(*rows: list[str]):  # type: ignore[no-untyped-def]
    return read_table(csv_text(rows), max_rows=100)


def test_a_mapping_needs_a_name_column():
    table = _table(["Email", "Company"], ["a@x.example", "X"])
    with pytest.raises(MappingError, match="name"):
        resolve_mapping(table, ["email", "company"], [])


def test_a_mapping_refuses_two_columns_for_one_field():
    table = _table(["Name", "Work email", "Home email"], ["Ada", "a@x.example", "b@y.example"])
    with pytest.raises(MappingError, match="Both “Work email” and “Home email”"):
        resolve_mapping(table, ["name", "email", "email"], [])


def test_first_and_last_name_columns_make_the_name():
    table = _table(
        ["Email", "Last Name", "First Name"],
        ["ada@x.example", "Lovelace", " Ada "],
        ["grace@x.example", "", "Grace"],
        ["cher@x.example", "Cher", ""],
        ["nobody@x.example", "", ""],
        ["long@x.example", "L" * 150, "F" * 50],
    )
    mapping = resolve_mapping(table, ["email", LAST_NAME, FIRST_NAME], [])
    [name] = [target for target in mapping.targets if target.field == "name"]
    assert name.header == "First Name + Last Name"
    assert name.sources == ("First Name", "Last Name")
    rows, problems = check_rows(table, mapping)
    assert [row.values["name"] for row in rows] == [
        "Ada Lovelace", "Grace", "Cher", "", "F" * 50 + " " + "L" * 150,
    ]  # fmt: skip
    assert [(p.row, p.column, p.message) for p in problems] == [
        (5, "First Name + Last Name", "The name is empty."),
        (6, "First Name + Last Name", "201 characters long; the most this field takes is 200."),
    ]


def test_one_name_part_alone_is_a_name():
    table = _table(["Given name", "Email"], ["Ada", "ada@x.example"])
    rows, problems = check_rows(table, resolve_mapping(table, [FIRST_NAME, "email"], []))
    assert (rows[0].values["name"], problems) == ("Ada", [])


def test_a_mapping_refuses_a_whole_name_and_its_parts():
    table = _table(["Name", "First name", "Last name"], ["Ada Lovelace", "Ada", "Lovelace"])
    with pytest.raises(MappingError, match="“Name” holds the whole name"):
        resolve_mapping(table, ["name", FIRST_NAME, LAST_NAME], [])
    with pytest.raises(MappingError, match="Both “First name” and “Last name” go to First name"):
        resolve_mapping(table, [IGNORE, FIRST_NAME, FIRST_NAME], [])


def test_a_mapping_refuses_an_unknown_profile_key():
    table = _table(["Name", "Size"], ["Ada", "3"])
    with pytest.raises(MappingError):
        resolve_mapping(table, ["name", "profile:not_defined"], ["team_size"])


def test_every_problem_is_listed_by_row_and_column():
    table = _table(
        ["Name", "Email", "Segment", "Size"],
        ["Ada", "ada@x.example", "A", "1"],
        ["", "nobody@x.example", "", ""],
        ["Bob", "not-an-email", "", ""],
        ["Cy", "ADA@x.example", "", ""],
        ["D" * 201, "", "S" * 101, "z" * 501],
        ["Eve", "", "", "", "extra"],
    )
    mapping = resolve_mapping(table, ["name", "email", "segment", "new"], [])
    rows, problems = check_rows(table, mapping)
    found = {(p.row, p.column) for p in problems}
    assert found == {
        (3, "Name"),  # missing name
        (4, "Email"),  # invalid email
        (6, "Name"),  # too long
        (6, "Segment"),
        (6, "Size"),
        (7, "Column 5 onwards"),  # more cells than columns
    }
    messages = {(p.row, p.column): p.message for p in problems}
    assert "201 characters" in messages[(6, "Name")]
    assert [row.ok for row in rows] == [True, False, False, True, False, False]
    # The same email as row 2, in another case: no problem, a row to merge or skip.
    assert [row.duplicate_of for row in rows] == [None, None, None, 2, None, None]
    assert rows[0].profile == {"size": "1"}


def test_merging_a_repeated_email_fills_only_what_the_earlier_row_left_empty():
    table = _table(
        ["Name", "Email", "Company", "Role", "Size"],
        ["Ada", "ada@x.example", "X", "", ""],
        ["Ada L.", "ADA@x.example", "Y", "CTO", "4"],
        ["Ada", "ada@x.example", "", "", "5"],
        ["Bob", "bob@x.example", "", "", ""],
        ["Bobby", "bob@x.example", "B Corp", "", ""],
    )
    mapping = resolve_mapping(table, ["name", "email", "company", "role", "new"], [])
    rows, problems = check_rows(table, mapping)
    assert problems == []
    merges = merge_duplicates(rows, {"3": "merge", "4": "merge", "6": "skip"}, {"size": "Size"})
    assert merges[3] == Merge(adds=["Role or title", "Size"], differs=["Name", "Company"])
    assert merges[4] == Merge(adds=[], differs=["Size"])  # row 3 filled it in first
    assert merges[6] == Merge(adds=["Company"], differs=["Name"])  # said, not done: skipped
    ada, bob = rows[0], rows[3]
    assert ada.values == {"name": "Ada", "email": "ada@x.example", "company": "X", "role": "CTO"}
    assert ada.profile == {"size": "4"}
    assert bob.values["company"] == ""  # row 6 is skipped


def test_values_are_kept_as_given_html_and_formulas_included():
    table = _table(["Name", "Company"], ["<script>alert(1)</script>", '=HYPERLINK("x")'])
    rows, problems = check_rows(table, resolve_mapping(table, ["name", "company"], []))
    assert not problems
    assert rows[0].values == {"name": "<script>alert(1)</script>", "company": '=HYPERLINK("x")'}


def test_merge_profile_keeps_keys_no_guide_defines():
    merged = merge_profile(
        {"team_size": "4", "legacy": "kept"},
        ["team_size", "tools"],
        {"team_size": "", "tools": "Excel"},
    )
    assert merged == {"legacy": "kept", "tools": "Excel"}


def test_split_profile_separates_asked_and_kept_fields():
    asked, kept = split_profile(
        {"team_size": "4", "legacy_key": "x", "empty": ""}, [ProfileKey("team_size", "Team size")]
    )
    assert [(e.label, e.value) for e in asked] == [("Team size", "4")]
    assert [(e.key, e.label, e.value) for e in kept] == [("legacy_key", "Legacy key", "x")]


@pytest.mark.parametrize(
    ("role", "value", "said"),
    [
        ("CTO", "", "CTO"),
        ("CTO", " cto ", "CTO"),
        ("CTO", "CTO, runs the data team", "CTO, runs the data team"),
        ("Head of Marketing, EMEA", "Head of Marketing", "Head of Marketing, EMEA"),
        ("", "Head of Marketing", "Head of Marketing"),
        ("CFO", "Owns the board pack", "CFO — Owns the board pack"),
        ("", "", ""),
    ],
)
def test_the_role_is_said_once(role, value, said):
    assert role_once(role, value) == said


def test_a_field_that_asks_for_the_role_folds_into_it():
    role = ProfileEntry("role", "Role", "")
    size = ProfileEntry("team_size", "Team size", "6")
    title = ProfileEntry("title_he", "Job-Title", "Head of Data")
    assert fold_role("CTO", [role, size, title]) == ("CTO — Head of Data", [size])
    assert fold_role("", [role, size]) == ("", [role, size])  # unknown: still to be asked
    assert asks_for_role("title", "Title")
    assert not asks_for_role("roles_on_team", "Roles on the team")

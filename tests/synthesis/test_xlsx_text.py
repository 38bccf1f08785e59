"""Text in the matrix's XLSX is the text as typed: string cells, never formulas, and no
apostrophe in front of a phone number or a quote that starts with a minus. (The CSV, whose
cells have no type, keeps its apostrophe: see test_spreadsheet.)

The file is read back with openpyxl, in its XML, and, where LibreOffice is installed, by
LibreOffice itself, converted to CSV the way a person would open it."""

from __future__ import annotations

import csv
import datetime
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.http import FileResponse
from openpyxl import load_workbook

from heard.core.spreadsheets import CELL_MAX, xlsx_text, xlsx_values
from heard.synthesis.matrix.sheets import Book, Look
from heard.synthesis.models import Bearing, Stance
from tests.support import factories
from tests.support.matrix import held, summarised
from tests.support.spreadsheets import xlsx_value
from tests.support.urls import matrix_url

pytestmark = pytest.mark.django_db

PHONE = "+49 30 1234 5678"
HOURS = "-2 hours a week since we automated the digest"
MENTION = "@channel said the board pack is late again"
EQUALS = "=SUM(A1:A3) is how she adds up her hours"
SAID = (PHONE, HOURS, MENTION, EQUALS, "#N/A")
CONTROLS = "".join(chr(code) for code in range(0x20))
LONG = "".join(chr(ord("a") + n % 26) for n in range(40_000))
# What a spreadsheet would run, and markup XlsxWriter would copy into the file as it is if
# it were written as a plain string: each comes back exactly as typed, in a string cell
# (control characters XLSX cannot hold dropped, text cut to what a cell holds).
HOSTILE_VALUES = {
    '=HYPERLINK("http://evil.example","click")': '=HYPERLINK("http://evil.example","click")',
    "@SUM(1)": "@SUM(1)",
    "+1": "+1",
    "-1": "-1",
    "#N/A": "#N/A",
    f"a{CONTROLS}b": "a\t\n\rb",
    LONG: LONG[:CELL_MAX],
    "<r><t>rich</t></r>": "<r><t>rich</t></r>",
    '<r><t>a</t></r></is></c><c r="Z9"><f>1+1</f></c><c><is><r><t>b</t></r>': (
        '<r><t>a</t></r></is></c><c r="Z9"><f>1+1</f></c><c><is><r><t>b</t></r>'
    ),
    "_x0041_ and _x000D_ as typed": "_x0041_ and _x000D_ as typed",
}


def xlsx_bytes(response) -> bytes:  # type: ignore[no-untyped-def]
    assert isinstance(response, FileResponse)
    return b"".join(response.streaming_content)


@pytest.fixture
def spoken(round_, team):  # type: ignore[no-untyped-def]
    """An interview whose participant, company, segment, reading and quotes all start with
    what a spreadsheet would otherwise run as a formula."""
    person = factories.participant(
        team.workspace, name=PHONE, company=MENTION, segment="-SMB", role="=CTO"
    )
    summarised(
        held(round_.study, person, days_ago=1),
        team.owner,
        round_.points,
        stances=(Stance.SUPPORTS,),
        heard=(HOURS,),
        quotes=tuple((text, 0, Bearing.FOR) for text in SAID),
    )
    return round_


def test_xlsx_text_cells_are_the_text_as_typed(spoken, owner_client):
    data = xlsx_bytes(owner_client.get(matrix_url(spoken.study, "xlsx")))
    book = load_workbook(io.BytesIO(data))
    row = book["Matrix"][6]
    assert [row[1].value, row[2].value, row[3].value, row[9].value] == [
        PHONE,
        MENTION,
        "-SMB",
        HOURS,
    ]
    quotes = book["Quotes"]
    lines = [[cell for cell in line] for line in quotes.iter_rows(min_row=quotes.max_row - 4)]
    assert [line[7].value for line in lines] == list(SAID)
    assert [line[1].value for line in lines] == [PHONE] * 5
    assert [line[2].value for line in lines] == [MENTION] * 5
    assert [line[3].value for line in lines] == ["-SMB"] * 5
    for line in (row, *lines):
        for cell in line:
            if isinstance(cell.value, str):
                assert cell.data_type == "s", (cell.coordinate, cell.value)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_the_text_without_an_apostrophe(spoken, owner_client, tmp_path):
    source = tmp_path / "matrix.xlsx"
    source.write_bytes(xlsx_bytes(owner_client.get(matrix_url(spoken.study, "xlsx"))))
    sheets = libreoffice_csv(source, tmp_path)
    matrix = sheets["Matrix"][5]
    assert matrix[1:4] == [PHONE, MENTION, "-SMB"]
    assert matrix[9] == HOURS
    quoted = [line[7] for line in sheets["Quotes"][-5:]]
    assert quoted == list(SAID)
    for rows in sheets.values():
        for line in rows:
            for value in line:
                assert not value.startswith("'"), value


def libreoffice_csv(source: Path, folder: Path) -> dict[str, list[list[str]]]:
    """Every sheet of `source` as LibreOffice reads it, saved as UTF-8 CSV, by sheet name."""
    out = folder / "csv"
    # Separator, quote, UTF-8, first line, no column types, language, quote all text, detect
    # special numbers, save as shown, formulas, keep spaces, every sheet in its own file.
    options = "44,34,76,1,,0,false,true,true,false,false,-1"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            f"csv:Text - txt - csv (StarCalc):{options}",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sheets = {}
    for path in out.glob("matrix-*.csv"):
        with path.open(encoding="utf-8", newline="") as file:
            sheets[path.stem.removeprefix("matrix-")] = list(csv.reader(file))
    assert {"Matrix", "Quotes"} <= set(sheets), sorted(sheets)
    return sheets


def test_hostile_values_come_back_as_exact_string_cells(tmp_path):
    path = tmp_path / "hostile.xlsx"
    values = list(HOSTILE_VALUES)
    looks = (Look.TEXT, Look.PLAIN, Look.DATE)
    with path.open("wb") as handle, Book(handle) as book:
        for top in (True, False):
            sheet = book.sheet(f"top {top}", [("", 20, look) for look in looks], top=top)
            sheet.head(values[:3])
            for value in values:
                sheet.append([value] * len(looks))
                sheet.head([value] * len(looks))
    workbook = load_workbook(path)
    for sheet in workbook:
        rows = list(sheet.iter_rows())
        assert [xlsx_value(cell.value) for cell in rows[0]] == list(HOSTILE_VALUES.values())[:3]
        for row, expected in zip(rows[1::2], HOSTILE_VALUES.values(), strict=True):
            assert [xlsx_value(cell.value) for cell in row] == [expected] * len(looks)
        for row, expected in zip(rows[2::2], HOSTILE_VALUES.values(), strict=True):
            assert [xlsx_value(cell.value) for cell in row] == [expected] * len(looks)
        for row in rows:
            for cell in row:
                assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
    assert_no_formulas(path.read_bytes())


def test_hostile_values_survive_the_export(round_, team, owner_client):
    # PostgreSQL's text holds every control character but NUL.
    stored = {typed.replace("\x00", ""): expected for typed, expected in HOSTILE_VALUES.items()}
    person = factories.participant(team.workspace, name="#N/A", company="@SUM(1)", segment="-1")
    summarised(
        held(round_.study, person, days_ago=1),
        team.owner,
        round_.points,
        stances=(Stance.SUPPORTS,),
        heard=(f"a{CONTROLS[1:]}b",),
        quotes=tuple((text, 0, Bearing.FOR) for text in stored),
    )
    data = xlsx_bytes(owner_client.get(matrix_url(round_.study, "xlsx")))
    book = load_workbook(io.BytesIO(data))
    row = book["Matrix"][6]
    assert [xlsx_value(row[n].value) for n in (1, 2, 3, 9)] == ["#N/A", "@SUM(1)", "-1", "a\t\n\rb"]
    quotes = book["Quotes"]
    said = [line[7] for line in quotes.iter_rows(min_row=quotes.max_row - len(stored) + 1)]
    assert [xlsx_value(cell.value) for cell in said] == list(stored.values())
    for line in (row, said):
        for cell in line:
            if isinstance(cell.value, str):
                assert cell.data_type == "s", (cell.coordinate, cell.value)
    assert_no_formulas(data)


def test_text_is_cut_to_what_excel_counts_in_a_cell():
    assert xlsx_text("x" * 40_000) == "x" * CELL_MAX
    # An emoji is two of Excel's characters: the cut never splits one.
    assert xlsx_text("😀" * 20_000) == "😀" * (CELL_MAX // 2)
    assert xlsx_text("a" + "😀" * 20_000) == "a" + "😀" * (CELL_MAX // 2)
    assert xlsx_text("😀" * (CELL_MAX // 2) + "a") == "😀" * (CELL_MAX // 2) + "a"


def test_a_row_is_made_safe_as_each_of_its_cells_would_be():
    day = datetime.date(2026, 12, 5)
    clean = ["plain words", 3, day, None, "x" * 5_000]
    # A row with nothing to drop or cut is handed back as it is.
    assert xlsx_values(clean) is clean
    # Otherwise each text is what `xlsx_text` makes of it, wherever the control character or
    # the long text sits among the row's other values, and nothing else changes.
    for row in (
        ["plain words", f"a{CONTROLS}b", day, 7, None],
        [f"a{CONTROLS}b", "plain words"],
        ["x" * 10_000, "y" * 10_000],
        ["short", LONG, 2.5],
        ["😀" * 20_000],
    ):
        made = xlsx_values(row)
        assert made == [xlsx_text(value) if isinstance(value, str) else value for value in row]


def assert_no_formulas(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name

"""Text in the matrix's XLSX is the text as typed: string cells, never formulas, and no
apostrophe in front of a phone number or a quote that starts with a minus. (The CSV, whose
cells have no type, keeps its apostrophe: see test_spreadsheet.)

The file is read back with openpyxl, in its XML, and, where LibreOffice is installed, by
LibreOffice itself, converted to CSV the way a person would open it."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.http import FileResponse
from openpyxl import load_workbook

from heard.synthesis.models import Bearing, Stance
from tests.support import factories
from tests.support.matrix import held, summarised
from tests.support.urls import matrix_url

pytestmark = pytest.mark.django_db

PHONE = "+49 30 1234 5678"
HOURS = "-2 hours a week since we automated the digest"
MENTION = "@channel said the board pack is late again"
EQUALS = "=SUM(A1:A3) is how she adds up her hours"
SAID = (PHONE, HOURS, MENTION, EQUALS, "#N/A")


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

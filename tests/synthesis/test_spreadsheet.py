"""The matrix as XLSX and CSV: read back with openpyxl and csv, text kept as text (as typed in
string cells of the XLSX, neutralised in the CSV), Unicode kept, characters XLSX cannot hold
dropped, the filters applied, big and empty studies."""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.exceptions import IllegalCharacterError

from heard.core.spreadsheets import CELL_MAX, neutralise, xlsx_text
from heard.interviews.models import Note, NoteKind, SpeakerRole, TranscriptSpeaker
from heard.synthesis.matrix import spreadsheet
from heard.synthesis.models import Bearing, PointSummary, Quote, Stance
from tests.support import factories
from tests.support.matrix import (
    HOSTILE,
    RTL,
    held,
    summarised,
)
from tests.support.spreadsheets import csv_download, formulas_in, xlsx_value
from tests.support.urls import matrix_url

pytestmark = pytest.mark.django_db

FORMULAS = ('=HYPERLINK("http://evil.example","click")', "+1+1", "-2", "@SUM(A1)", "\t=1", "\r=1")


def workbook(response):  # type: ignore[no-untyped-def]
    assert isinstance(response, FileResponse)
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "=1+1"),
        ("a\x00b\x08c\x0bd\x0ce\x1ff", "abcdef"),
        ("\x01=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"),
        ("tab\there\nnew line\r\nkept", "tab\there\nnew line\r\nkept"),
        ("\t=1", "\t=1"),
        (RTL, RTL),
        ("Zoë 😀 日本語", "Zoë 😀 日本語"),
    ],
)
def test_xlsx_text_is_what_a_cell_can_hold(value, expected):
    assert xlsx_text(value) == expected
    WriteOnlyCell(Workbook(write_only=True).create_sheet(), xlsx_text(value))


def test_openpyxl_refuses_what_xlsx_text_drops():
    with pytest.raises(IllegalCharacterError):
        WriteOnlyCell(Workbook(write_only=True).create_sheet(), "a\x00b")


def names_people(team) -> None:
    """The workspace lets observers' downloads name participants (by default they show
    pseudonyms: tests/privacy/test_pseudonyms.py)."""
    team.workspace.observers_export_pseudonyms = False
    team.workspace.save()


def test_the_xlsx_has_the_matrix_the_counts_and_every_quote(round_, team, observer_client):
    names_people(team)
    response = observer_client.get(matrix_url(round_.study, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == spreadsheet.XLSX_TYPE
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="heard-matrix-reporting-pains-{today}.xlsx"'
    )
    book = workbook(response)
    assert book.sheetnames == ["Matrix", "Stance counts", "Quotes", "About"]

    grid = book["Matrix"]
    assert grid.freeze_panes == "C3"
    over, names = ([cell.value for cell in row] for row in grid.iter_rows(max_row=2))
    assert over[7:11] == ["VP1", "Small teams rebuild reports by hand", None, "VP2"]
    assert names[:7] == [
        "Date",
        "Participant",
        "Company",
        "Segment",
        "Interviewers",
        "Summary",
        "Link",
    ]
    assert names[7:10] == ["Stance", "What they said", "What we heard"]
    assert len(names) == 7 + 3 * 3
    assert grid["A2"].font.bold
    assert grid.column_dimensions["I"].width == 60
    nickole = [cell.value for cell in grid[3]]
    assert nickole[0] == round_.nickole.local_start.replace(
        tzinfo=None, hour=0, minute=0, second=0, microsecond=0
    )
    assert nickole[1:7] == [
        "Nickole Barros",
        "Brightpath",
        "SMB",
        "Olivia Owner",
        "Draft",
        f"http://testserver/w/{round_.study.workspace.slug}/interviews/{round_.nickole.pk}/summary/",
    ]
    assert nickole[7] == "Supports"
    assert nickole[8] == (
        "“We definitely need to become more efficient.” (03:05, for)\n\n"
        "“Monday mornings go to the same six reports.” (04:05, for)"
    )
    assert nickole[9] == "A morning a week goes to reports."
    assert nickole[10:12] == [
        "Mixed",
        "“I would schedule the weekly digest, not the board pack.” (05:05)",
    ]
    assert grid["I3"].alignment.wrap_text
    # Rows are as tall as their wrapped text (spreadsheets do not fit rows of files they
    # did not write): Nickole's two quotes (the first on two lines) and a blank line between.
    assert grid.row_dimensions[3].height == 15 * 4 + 3
    assert grid.row_dimensions[5].height is None
    assert grid["G3"].hyperlink.target == nickole[6]
    aiko = [cell.value for cell in grid[5]]
    assert aiko[1] == "Aiko Tanaka"
    assert aiko[5] == "No summary yet"
    assert aiko[6].endswith(f"/interviews/{round_.aiko.pk}/")
    assert grid.max_row == 5

    counts = book["Stance counts"]
    assert [cell.value for cell in counts[1]] == [
        "Validation point", "Statement", "Kind", "Supports", "Mixed", "Contradicts", "Silent",
        "Not set yet", "Interviews quoted", "Quotes",
    ]  # fmt: skip
    assert [cell.value for cell in counts[2]][3:] == [1, 0, 1, 0, 0, 1, 2]
    assert [cell.value for cell in counts[3]][3:] == [0, 1, 1, 0, 0, 2, 2]
    assert [cell.value for cell in counts[4]][3:] == [0, 0, 0, 1, 1, 0, 0]

    quotes = book["Quotes"]
    assert quotes.freeze_panes == "C2"
    assert quotes.max_row == 1 + 4
    first = [cell.value for cell in quotes[2]]
    assert first[:-1] == [
        round_.nickole.local_start.date().isoformat(), "Nickole Barros", "Brightpath", "SMB",
        "VP1", "Supports", "For", "We definitely need to become more efficient.", "Their words",
        None, "03:05", "Nickole Barros",
    ]  # fmt: skip
    note = Quote.objects.get(text__startswith="We definitely").note
    assert first[-1] == (
        f"http://testserver/w/{round_.study.workspace.slug}/interviews/{round_.nickole.pk}"
        f"/wrap-up/#note-{note.pk}"
    )
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert about["Study"] == "Reporting pains"
    assert about["Interviews"] == "3, 2 of them with a summary"
    assert about["Filters"] == "none: every interview"


def test_hostile_text_survives_as_text_in_the_xlsx(round_, team, owner_client):
    person = factories.participant(
        team.workspace, name=RTL, company=FORMULAS[0], segment="@risk", role="#N/A"
    )
    interview = held(round_.study, person, days_ago=1)
    summarised(
        interview,
        team.owner,
        round_.points,
        stances=(Stance.SUPPORTS,),
        heard=("=1+1",),
        quotes=tuple(
            (text, 0, Bearing.FOR) for text in (*FORMULAS, HOSTILE, "a\x01b\x1fc", "#N/A")
        ),
    )
    book = workbook(owner_client.get(matrix_url(round_.study, "xlsx")))
    row = [cell for cell in book["Matrix"][6]]
    assert row[1].value == RTL
    assert row[2].value == FORMULAS[0]
    assert row[3].value == "@risk"
    assert row[9].value == "=1+1"
    for sheet in book:
        for line in sheet.iter_rows():
            for cell in line:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert cell.data_type != "e", (sheet.title, cell.coordinate, cell.value)
    said = [
        xlsx_value(row[0].value)
        for row in book["Quotes"].iter_rows(min_row=2, min_col=8, max_col=8)
    ]
    assert said[-9:] == [
        *FORMULAS, HOSTILE, "abc", "#N/A",
    ]  # fmt: skip
    assert book["Quotes"].cell(row=len(said) + 1, column=8).data_type == "s"


def test_a_cell_with_thousands_of_quotes_fits_excel(
    round_, team, owner_client, django_assert_max_num_queries
):
    cell = PointSummary.objects.get(summary__interview=round_.tomas, point=round_.points[1])
    words = "Reports eat my Monday mornings, every single week, without fail. " * 3
    notes = Note.objects.bulk_create(
        Note(id=uuid.uuid4(), interview=round_.tomas, kind=NoteKind.QUOTE, text=words)
        for _ in range(2500)
    )
    Quote.objects.bulk_create(
        Quote(point_summary=cell, note=note, text=note.text, source_text=note.text, position=n + 1)
        for n, note in enumerate(notes)
    )
    # And some from the recording, said by a speaker the team mapped to one of its own.
    speaker = TranscriptSpeaker.objects.create(
        interview=round_.tomas, label="SPEAKER_01", role=SpeakerRole.TEAM, user=team.teammate
    )
    Quote.objects.bulk_create(
        Quote(
            point_summary=cell,
            text="We will get back to you",
            source_text="We will get back to you",
            from_transcript=True,
            start_ms=61_000 + n,
            speaker=speaker,
            position=3000 + n,
        )
        for n in range(50)
    )
    # Every quote is read as rows in a few queries, however many there are.
    with django_assert_max_num_queries(40):
        book = workbook(owner_client.get(matrix_url(round_.study, "xlsx")))
    said = book["Matrix"]["L4"].value
    assert len(said) <= CELL_MAX
    assert said.startswith("“I don't send anything I haven't looked at twice.” (03:05, against)")
    assert said.endswith("more quotes: see “Quotes”.")
    assert book["Quotes"].max_row == 1 + 4 + 2500 + 50
    last = [c.value for c in book["Quotes"][book["Quotes"].max_row]]
    assert "[The team's words" not in last[7]  # the Quote column holds the words alone
    assert last[8] == "The team's note"
    assert last[11] == f"{team.teammate.name} (from the recording)"


def test_the_exports_keep_the_filters_and_the_order(round_, owner_client):
    url = matrix_url(round_.study, "xlsx")
    book = workbook(owner_client.get(url, {"segment": "SMB", "sort": "-date"}))
    names = [row[1].value for row in book["Matrix"].iter_rows(min_row=3)]
    assert names == ["Aiko Tanaka", "Nickole Barros"]
    assert [row[0].value for row in book["Stance counts"].iter_rows(min_row=2)] == [
        "VP1", "VP2", "VP3",
    ]  # fmt: skip
    assert book["Stance counts"]["F2"].value == 0  # Tomás contradicts VP1, but he is Mid-market
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert about["Interviews"] == "2, 1 of them with a summary"
    assert about["Filters"] == "segment SMB"
    _, rows = csv_download(owner_client.get(matrix_url(round_.study, "csv"), {"segment": "SMB"}))
    assert [row[1] for row in rows[1:]] == ["Nickole Barros", "Aiko Tanaka"]


def test_the_csv_is_the_matrix_sheet(round_, team, observer_client):
    person = factories.participant(team.workspace, name="=cmd|' /C calc'!A0", company=RTL)
    summarised(
        held(round_.study, person, days_ago=1),
        team.owner,
        round_.points,
        quotes=(("-minus first", 0, Bearing.UNMARKED),),
        heard=("+plus",),
    )
    names_people(team)
    response = observer_client.get(matrix_url(round_.study, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="heard-matrix-reporting-pains-{today}.csv"'
    )
    data, rows = csv_download(response)
    assert data.startswith(b"\xef\xbb\xbf")
    assert rows[0][7:10] == ["VP1 stance", "VP1 what they said", "VP1 what we heard"]
    assert len(rows) == 1 + 4
    nickole = rows[1]
    assert nickole[0] == round_.nickole.local_start.date().isoformat()
    assert nickole[7:10] == [
        "Supports",
        "“We definitely need to become more efficient.” (03:05, for)\n\n"
        "“Monday mornings go to the same six reports.” (04:05, for)",
        "A morning a week goes to reports.",
    ]
    hostile = rows[4]
    assert hostile[1] == "'=cmd|' /C calc'!A0"
    assert hostile[2] == RTL
    assert hostile[8] == "“-minus first” (03:05)"
    assert hostile[9] == "'+plus"


def test_no_matrix_cell_is_a_formula_in_any_locale(round_, team, owner_client):
    person = factories.participant(team.workspace, name="ACME;=1+1", company="Acme\t+1")
    summarised(
        held(round_.study, person, days_ago=1),
        team.owner,
        round_.points,
        quotes=(("fine, =1+1", 0, Bearing.UNMARKED),),
        heard=("first line\n@SUM(A1)",),
    )
    data, rows = csv_download(owner_client.get(matrix_url(round_.study, "csv")))
    assert formulas_in(data) == {",": [], ";": [], "\t": []}
    hostile = rows[4]
    assert hostile[1:3] == ["ACME;'=1+1", "Acme\t'+1"]
    assert hostile[9] == "first line\n'@SUM(A1)"


def test_an_empty_study_exports_files_that_open(team, owner_client):
    study = factories.study(team.workspace, title="Ωμέγα / ../../etc")
    response = owner_client.get(matrix_url(study, "xlsx"))
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="heard-matrix-etc-{today}.xlsx"; '
        f"filename*=UTF-8''heard-matrix-%CF%89%CE%BC%CE%AD%CE%B3%CE%B1-etc-{today}.xlsx"
    )
    book = workbook(response)
    assert [cell.value for cell in book["Matrix"][2]][:2] == ["Date", "Participant"]
    assert book["Quotes"].max_row == 1
    _, rows = csv_download(owner_client.get(matrix_url(study, "csv")))
    assert rows == [[title for title, _, _ in spreadsheet.ROW_COLUMNS]]
    japanese = factories.study(team.workspace, title="日本語")
    assert spreadsheet.file_name(japanese, "csv", datetime.date(2027, 1, 15)) == (
        "heard-matrix-日本語-2027-01-15.csv"
    )
    untitled = factories.study(team.workspace, title="😀 / ..")
    assert spreadsheet.file_name(untitled, "csv", datetime.date(2027, 1, 15)) == (
        f"heard-matrix-study-{untitled.pk}-2027-01-15.csv"
    )


def test_a_deleted_note_links_to_the_quote_in_the_summary(round_, owner_client):
    quote = Quote.objects.get(text__startswith="I don't send")
    Note.objects.filter(pk=quote.note_id).update(deleted_at=timezone.now())
    book = workbook(owner_client.get(matrix_url(round_.study, "xlsx")))
    line = [cell.value for cell in book["Quotes"][5]]
    assert line[7] == "I don't send anything I haven't looked at twice."
    assert line[11:] == [
        "Unknown: the note was deleted from the call",
        f"http://testserver/w/{round_.study.workspace.slug}/interviews/{round_.tomas.pk}"
        f"/summary/#quote-{quote.pk}",
    ]


def test_the_speaker_of_a_note_that_is_no_quote_is_who_noted_it(round_, owner_client):
    Note.objects.filter(quotes__text__startswith="I don't send").update(kind=NoteKind.PAIN)
    Note.objects.filter(quotes__text__startswith="Monday").update(kind=NoteKind.KPI)
    book = workbook(owner_client.get(matrix_url(round_.study, "xlsx")))
    speakers = [row[0].value for row in book["Quotes"].iter_rows(min_row=2, min_col=12)]
    assert speakers == [
        "Nickole Barros",
        "Noted by Olivia Owner (KPI)",
        "Nickole Barros",
        "Noted by Tom Teammate (pain)",
    ]


def test_neutralise_is_shared_with_the_participant_export():
    from heard.participants import export

    assert "neutralise" not in vars(export)
    assert neutralise("@x") == "'@x"

"""Whose words a quote shows, wherever it is shown or exported: the customer's own words in
quotation marks; words the team edited marked so, with the note's words beside them; a note
the team wrote in its own words (a plain note, a pain…) never in quotation marks."""

from __future__ import annotations

import io
from html import unescape

import pytest
from django.test import Client
from openpyxl import load_workbook

from heard.synthesis.models import Quote, Voice
from heard.synthesis.reviews import services as review
from tests.support.findings import BOARD, EFFICIENT, PARAPHRASE, REWORDED, Study3, edit_words
from tests.support.personas import Team
from tests.support.spreadsheets import csv_download
from tests.support.urls import matrix_url, review_url, study_url, summary_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def marked(study3: Study3, team: Team) -> Study3:
    edit_words(study3, team.owner)
    return study3


def page(client: Client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, address
    return response.content.decode()


def assert_marked(html: str, where: str) -> None:
    """Her words in quotation marks; the edit marked, with her words a click away; the
    team's note with no quotation marks, and said to be the team's."""
    assert f"“{BOARD}”" in html, where
    assert f"“{REWORDED}”" in html, where
    assert "badge--edited" in html, where
    assert f'The note says: <span class="prewrap" dir="auto">“{EFFICIENT}”' in html, where
    assert PARAPHRASE in html, where
    assert f"“{PARAPHRASE}" not in html, where
    assert "Team's note (note)" in html, where


def test_a_quote_says_whose_words_it_shows(marked: Study3):
    assert marked.quote(BOARD).voice == Voice.THEIRS
    edited = Quote.objects.get(text=REWORDED)
    assert edited.voice == Voice.EDITED
    assert edited.source_words == EFFICIENT
    assert edited.marked() == f"“{REWORDED}” [Edited by the team. The note says: {EFFICIENT}]"
    team_note = marked.quote(PARAPHRASE)
    assert team_note.voice == Voice.TEAM
    assert team_note.marked() == f"[The team's note, note, not their words] {PARAPHRASE}"


def test_the_summary_and_its_printable_page_mark_them(marked: Study3, owner_client):
    for name in ("detail", "print"):
        assert_marked(page(owner_client, summary_url(name, marked.nickole)), name)
    # On paper the note's words cannot be a click away: they are shown.
    assert '<details class="quote-source small" open>' in page(
        owner_client, summary_url("print", marked.nickole)
    )


def test_the_matrix_marks_them(marked: Study3, observer_client):
    assert_marked(page(observer_client, matrix_url(marked.study)), "matrix")


def test_the_spreadsheets_mark_them(marked: Study3, owner_client):
    response = owner_client.get(matrix_url(marked.study, "xlsx"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    said = book["Matrix"]["I3"].value
    assert f"“{REWORDED}” [Edited by the team. The note says: {EFFICIENT}]" in said
    assert f"[The team's note, note, not their words] {PARAPHRASE}" in said
    assert f"“{PARAPHRASE}" not in said
    lines = {row[7]: row[8:10] for row in book["Quotes"].iter_rows(min_row=2, values_only=True)}
    assert lines[BOARD] == ("Their words", None)
    assert lines[REWORDED] == ("Edited by the team", EFFICIENT)
    assert lines[PARAPHRASE] == ("The team's note", None)
    _, rows = csv_download(owner_client.get(matrix_url(marked.study, "csv")))
    assert f"“{REWORDED}” [Edited by the team" in rows[1][8]
    assert f"“{PARAPHRASE}" not in rows[1][8]


def test_the_markdown_marks_them(marked: Study3, owner_client):
    text = page(owner_client, summary_url("markdown", marked.nickole))
    assert f"> {BOARD}\n" in text
    assert f"> {REWORDED}\n" in text
    assert f"_Edited by the team. The note says:_ {EFFICIENT}" in text
    assert f"_The team's note (note), not their words:_ {PARAPHRASE}\n— at " in text
    assert f"> {PARAPHRASE}" not in text


def test_findings_and_the_review_mark_them(marked: Study3, team: Team, owner_client):
    finding = marked.finding(
        team.owner, "Small teams lose a morning a week", supports=[BOARD, REWORDED, PARAPHRASE]
    )
    for name in ("findings:detail", "findings:evidence"):
        assert_marked(page(owner_client, study_url(name, marked.study, pk=finding.pk)), name)
    meeting = review.start_review(marked.study, team.owner, "Monday review")
    presenter = page(owner_client, review_url("present", meeting))
    assert_marked(presenter, "presenter")
    # The challenge form's choice of counter-evidence, and a challenge that uses one.
    options = unescape(presenter)
    assert f"“\u2068{REWORDED}\u2069” [Edited by the team. The note says: {EFFICIENT}]" in options
    assert f"[The team's note, note, not their words] \u2068{PARAPHRASE}\u2069" in options
    assert f"“{PARAPHRASE}" not in options
    review.challenge(meeting, finding, team.teammate, "Is that hers?", marked.quote(PARAPHRASE))
    detail = page(owner_client, study_url("findings:detail", marked.study, pk=finding.pk))
    assert detail.count("Team's note (note)") == 2
    assert f"“{PARAPHRASE}" not in detail

"""The synthesis matrix: rows, cells, totals, filters and sorting, its queries, hostile input."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone
from lxml import html

from heard.demo.builder import build_demo_workspace
from heard.interviews.models import InterviewStatus, Note, NoteKind
from heard.synthesis.findings import charts
from heard.synthesis.matrix import queries as matrix
from heard.synthesis.models import Bearing, PointSummary, Quote, Stance, SummaryStatus
from tests.support import factories
from tests.support.matrix import (
    HOSTILE,
    RTL,
    held,
    summarised,
)
from tests.support.urls import matrix_url

pytestmark = pytest.mark.django_db

NONE = dict.fromkeys(Stance.values, 0)


def test_rows_are_the_held_interviews_and_cells_the_points(round_, observer_client):
    page = observer_client.get(matrix_url(round_.study))
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("Nickole Barros", "Tomás Ortega", "Aiko Tanaka"):
        assert name in html
    assert "Still To Come" not in html
    assert "Called Off" not in html
    assert "1 interview not done yet (scheduled or in progress) is not shown" in html
    assert "We definitely need to become more efficient." in html
    assert "A morning a week goes to reports." in html
    assert "No summary yet." in html
    assert "Write it" not in html  # observers read; they do not write summaries
    rows = page.context["rows"]
    assert [row.interview for row in rows] == [round_.nickole, round_.tomas, round_.aiko]
    nickole = rows[0]
    assert [cell.stance for cell in nickole.cells] == [Stance.SUPPORTS, Stance.MIXED, Stance.UNSET]
    assert [len(cell.quotes) for cell in nickole.cells] == [2, 1, 0]
    assert rows[2].cells == []


def test_cells_link_to_the_summary_and_each_quote_to_its_note(round_, owner_client):
    html = owner_client.get(matrix_url(round_.study)).content.decode()
    ws = round_.study.workspace.slug
    point = round_.points[0]
    summary = f"/w/{ws}/interviews/{round_.nickole.pk}/summary/"
    assert f'href="{summary}#point-{point.pk}"' in html
    note = Quote.objects.filter(point_summary__summary__interview=round_.nickole).first().note
    assert f'href="/w/{ws}/interviews/{round_.nickole.pk}/wrap-up/#note-{note.pk}"' in html
    assert f'href="/w/{ws}/interviews/{round_.aiko.pk}/summary/">Write it</a>' in html


def test_totals_count_every_kept_summary_per_point(round_):
    rows = matrix.rows_of(round_.study, matrix.Filters())
    first, second, third = matrix.totals(rows, round_.points)
    assert first.stances == NONE | {Stance.SUPPORTS: 1, Stance.CONTRADICTS: 1}
    assert (first.quotes, first.interviews_quoted) == (2, 1)
    assert second.stances == NONE | {Stance.MIXED: 1, Stance.CONTRADICTS: 1}
    assert (second.quotes, second.interviews_quoted) == (2, 2)
    # Nickole's summary never wrote on the third point: it reads as not set.
    assert third.stances == NONE | {Stance.SILENT: 1, Stance.UNSET: 1}
    assert [(part.stance, part.x, part.width) for part in third.chart.parts] == [
        (Stance.SILENT, 0, 300),
        (Stance.UNSET, 300, 300),
    ]


def test_a_quote_added_between_the_count_and_the_read_still_shows(round_, monkeypatch):
    # The cells' counts and their first quotes are two statements: a quote that lands in an
    # empty cell in between is read but not counted. The page shows it, with no "more".
    read = matrix._quote
    monkeypatch.setattr(matrix, "_quote", lambda row, in_cell: read(row, {}))
    rows = matrix.with_cells([round_.nickole], round_.points)
    first = rows[0].cells[0]
    assert len(first.quotes) == 2
    assert (first.quote_count, first.more_quotes) == (2, 0)


def test_the_totals_row_draws_each_points_bar_and_legend(round_, owner_client):
    page = owner_client.get(matrix_url(round_.study))
    cells = html.fromstring(page.content).xpath("//tfoot//td[@class='matrix-total']")
    assert len(cells) == len(round_.points)
    first, _, third = cells
    assert " ".join(first.xpath(".//span[@class='matrix-meta']")[0].text_content().split()) == (
        "2 quotes from 1 interview"
    )
    # A part per stance held, filled with that point's own pattern; not set is outlined.
    point = round_.points[2].pk
    assert [
        pattern.get("id") for pattern in third.xpath(".//svg[@class='matrix-bar']//pattern")
    ] == [f"stance-{point}-{stance}" for stance in charts.ORDER]
    bars = [
        (rect.get("fill"), rect.get("x"), rect.get("width"), rect.get("stroke-dasharray"))
        for rect in third.xpath(".//svg[@class='matrix-bar']/rect")
    ]
    assert bars == [
        (f"url(#stance-{point}-silent)", "0.0", "300.0", None),
        (f"url(#stance-{point}-unset)", "300.0", "300.0", "4 3"),
    ]
    legend = [
        (item.get("class"), " ".join(item.text_content().split()))
        for item in third.xpath(".//ul[@class='matrix-legend']/li")
    ]
    assert legend == [
        ("is-zero", "Supports 0"),
        ("is-zero", "Mixed 0"),
        ("is-zero", "Contradicts 0"),
        (None, "Silent 1"),
        (None, "Not set yet 1"),
    ]
    assert [
        rect.get("fill") for rect in third.xpath(".//ul[@class='matrix-legend']//svg/rect")
    ] == [f"url(#stance-{point}-{stance})" for stance in charts.ORDER]


def test_a_total_without_a_summary_has_a_legend_and_no_bar(team, owner_client):
    study = factories.study(team.workspace, title="Nothing summarised yet")
    factories.point(study, "Reports take a morning", 0)
    held(study, factories.participant(team.workspace, name="Ana Lima"))
    page = owner_client.get(matrix_url(study))
    (cell,) = html.fromstring(page.content).xpath("//tfoot//td[@class='matrix-total']")
    assert cell.xpath(".//svg") == []
    assert [" ".join(item.text_content().split()) for item in cell.xpath(".//li")] == [
        "Supports 0",
        "Mixed 0",
        "Contradicts 0",
        "Silent 0",
        "Not set yet 0",
    ]


def test_totals_are_those_of_every_page_not_the_page_shown(round_, owner_client, monkeypatch):
    monkeypatch.setattr("heard.synthesis.matrix.views.PAGE_SIZE", 1)
    page = owner_client.get(matrix_url(round_.study) + "?page=3")
    assert [row.interview for row in page.context["rows"]] == [round_.aiko]
    assert page.context["totals"][0].stances[Stance.SUPPORTS] == 1
    assert b"Page 3 of 3" in page.content
    assert b"every page" in page.content


def test_filters_narrow_the_rows_and_their_totals(round_, team, owner_client):
    url = matrix_url(round_.study)
    page = owner_client.get(url, {"segment": "SMB"})
    assert [row.interview for row in page.context["rows"]] == [round_.nickole, round_.aiko]
    assert page.context["totals"][0].stances[Stance.CONTRADICTS] == 0
    assert b"with segment SMB" in page.content
    page = owner_client.get(url, {"interviewer": team.teammate.pk})
    assert [row.interview for row in page.context["rows"]] == [round_.tomas]
    since = (timezone.localdate() - datetime.timedelta(days=12)).isoformat()
    page = owner_client.get(url, {"since": since})
    assert [row.interview for row in page.context["rows"]] == [round_.tomas, round_.aiko]
    until = (timezone.localdate() - datetime.timedelta(days=12)).isoformat()
    page = owner_client.get(url, {"until": until})
    assert [row.interview for row in page.context["rows"]] == [round_.nickole]
    round_.tomas.summary.status = SummaryStatus.FINAL
    round_.tomas.summary.save()
    page = owner_client.get(url, {"final": "on"})
    assert [row.interview for row in page.context["rows"]] == [round_.tomas]


def test_nothing_matching_says_so(round_, owner_client):
    page = owner_client.get(matrix_url(round_.study), {"since": "2999-01-01"})
    assert b"No interview matches" in page.content
    assert b"Show every interview" in page.content


@pytest.mark.parametrize(
    ("sort", "names"),
    [
        ("date", ["Nickole Barros", "Tomás Ortega", "Aiko Tanaka"]),
        ("-date", ["Aiko Tanaka", "Tomás Ortega", "Nickole Barros"]),
        ("participant", ["Aiko Tanaka", "Nickole Barros", "Tomás Ortega"]),
        # Aiko has no company: blanks go last.
        ("company", ["Nickole Barros", "Tomás Ortega", "Aiko Tanaka"]),
        ("segment", ["Tomás Ortega", "Nickole Barros", "Aiko Tanaka"]),
    ],
)
def test_rows_sort(round_, owner_client, sort, names):
    page = owner_client.get(matrix_url(round_.study), {"sort": sort})
    assert [row.interview.participant.name for row in page.context["rows"]] == names


def test_bad_filter_values_are_left_out_with_a_reason(round_, owner_client):
    page = owner_client.get(
        matrix_url(round_.study),
        {"since": "2027-02-30", "segment": "Nope", "interviewer": "x", "sort": "drop table"},
    )
    assert page.status_code == 200
    assert len(page.context["rows"]) == 3
    assert b"Enter a valid date" in page.content
    assert b"Select a valid choice" in page.content


def test_the_number_of_queries_does_not_grow_with_rows(
    round_, team, owner_client, django_assert_max_num_queries
):
    url = matrix_url(round_.study)
    with django_assert_max_num_queries(20) as few:
        page = owner_client.get(url)
    assert page.status_code == 200
    assert len(page.context["rows"]) == 3
    for n in range(6):
        interview = held(
            round_.study,
            factories.participant(team.workspace, segment=f"S{n}"),
            interviewer=team.owner,
        )
        summarised(
            interview,
            team.owner,
            round_.points,
            stances=(Stance.SUPPORTS,) * 3,
            quotes=(("One", 0, Bearing.FOR), ("Two", 1, Bearing.FOR), ("Three", 2, "")),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = owner_client.get(url)
    assert page.status_code == 200
    assert len(page.context["rows"]) == 9


def test_a_study_without_points_or_interviews_renders(team, owner_client):
    study = factories.study(team.workspace, title="Empty")
    page = owner_client.get(matrix_url(study))
    assert page.status_code == 200
    assert b"No validation point yet" in page.content
    assert b"Download XLSX" not in page.content
    factories.point(study)
    page = owner_client.get(matrix_url(study))
    assert b"No interview to show yet" in page.content


def test_a_point_nobody_spoke_to_has_empty_cells_and_zero_totals(round_, owner_client):
    silent = factories.point(round_.study, "Nobody talks about this", 3)
    page = owner_client.get(matrix_url(round_.study))
    assert page.status_code == 200
    total = page.context["totals"][3]
    assert total.point == silent
    assert (total.quotes, total.interviews_quoted) == (0, 0)
    assert total.stances == NONE | {Stance.UNSET: 2}
    assert b"0 quotes from 0 interviews" in page.content


def test_a_cell_with_thousands_of_quotes_shows_a_few(round_, owner_client):
    cell = PointSummary.objects.get(summary__interview=round_.tomas, point=round_.points[1])
    notes = Note.objects.bulk_create(
        Note(id=uuid.uuid4(), interview=round_.tomas, kind=NoteKind.QUOTE, text=f"Said {n}")
        for n in range(3000)
    )
    Quote.objects.bulk_create(
        Quote(point_summary=cell, note=note, text=note.text, source_text=note.text, position=n + 1)
        for n, note in enumerate(notes)
    )
    page = owner_client.get(matrix_url(round_.study))
    assert page.status_code == 200
    tomas = page.context["rows"][1]
    assert len(tomas.cells[1].quotes) == matrix.QUOTES_SHOWN
    assert tomas.cells[1].more_quotes == 3001 - matrix.QUOTES_SHOWN
    assert b"2998 more quotes in the summary" in page.content
    assert page.context["totals"][1].quotes == 3002


def test_hostile_text_is_shown_as_text(round_, team, owner_client):
    person = factories.participant(
        team.workspace, name=HOSTILE, company='=HYPERLINK("http://x")', segment=HOSTILE
    )
    interview = held(round_.study, person)
    summarised(
        interview,
        team.owner,
        round_.points,
        stances=(Stance.SUPPORTS,),
        heard=(HOSTILE,),
        quotes=((HOSTILE, 0, Bearing.FOR), (RTL, 0, Bearing.FOR), ("a\x01b\x1fc", 1, "")),
    )
    page = owner_client.get(matrix_url(round_.study))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html
    assert RTL in html
    page = owner_client.get(matrix_url(round_.study), {"segment": HOSTILE})
    assert [row.interview for row in page.context["rows"]] == [interview]


def test_the_demo_study_has_a_matrix_to_read(client):
    demo = build_demo_workspace()
    client.force_login(demo.user)
    study = demo.workspace.studies.get()
    page = client.get(matrix_url(study))
    assert page.status_code == 200
    summarised = [row for row in page.context["rows"] if row.summary is not None]
    assert [row.interview.participant.name for row in summarised] == [
        "Nickole Barros",
        "Tomás Ortega",
    ]
    first = page.context["totals"][0]
    assert first.summaries == 2
    assert first.quotes >= 3
    for name in ("xlsx", "csv"):
        assert client.get(matrix_url(study, name)).status_code == 200


def test_the_date_filter_uses_each_interviews_own_day(team):
    """A row shows the day on the interview's clock; the filter keeps the same day."""
    study = factories.study(team.workspace)
    tokyo = factories.interview(
        study,
        factories.participant(team.workspace, name="Early in Tokyo"),
        starts_at=datetime.datetime(2026, 3, 12, 23, 30, tzinfo=datetime.UTC),
        time_zone="Asia/Tokyo",  # 13 March, 08:30 there
        status=InterviewStatus.DONE,
    )
    filters = matrix.Filters(since=datetime.date(2026, 3, 13), until=datetime.date(2026, 3, 13))
    assert list(matrix.rows_of(study, filters)) == [tokyo]
    day_before = matrix.Filters(until=datetime.date(2026, 3, 12))
    assert list(matrix.rows_of(study, day_before)) == []

"""The search page, adding results to the synthesis, and saved searches."""

from __future__ import annotations

import pytest
from django.utils import timezone

from heard.interviews.models import Note, NoteSource
from heard.search.models import Entry, SavedSearch, SearchLook
from heard.synthesis.models import Evidence, Quote
from tests.search.conftest import Corpus
from tests.support.urls import url

pytestmark = pytest.mark.django_db


def page(client, corpus: Corpus, **params) -> str:
    response = client.get(url("search:page", corpus.team.workspace), params)
    assert response.status_code == 200
    return response.content.decode()


def test_every_workspace_page_has_the_search_box(corpus: Corpus) -> None:
    client = corpus.team.client_for(corpus.team.observer)
    html = client.get(url("studies:list", corpus.team.workspace)).content.decode()
    assert 'id="site-search"' in html
    assert 'aria-keyshortcuts="/"' in html


def test_results_are_grouped_with_marked_snippets_and_links(corpus: Corpus) -> None:
    html = page(corpus.team.client_for(corpus.team.teammate), corpus, q="invoices")
    assert 'Transcript lines <span class="count muted">2</span>' in html
    assert "<mark>invoices</mark>" in html
    line = corpus.line("export invoices")
    assert f'transcripts/{corpus.transcript.pk}/#segment-{line.pk}"' in html
    assert 'name="hit"' in html  # researchers tick results to add them


def test_observers_read_results_but_add_nothing(corpus: Corpus) -> None:
    client = corpus.team.client_for(corpus.team.observer)
    html = page(client, corpus, q="invoices")
    assert "<mark>invoices</mark>" in html
    assert 'name="hit"' not in html
    response = client.post(
        url("search:add", corpus.team.workspace), {"hit": ["note:x"], "point": 1}
    )
    assert response.status_code == 403


def test_hostile_and_odd_queries_get_a_page_not_an_error(corpus: Corpus) -> None:
    client = corpus.team.client_for(corpus.team.teammate)
    for q in [
        '"',
        "-",
        "OR",
        "*",
        "NEAR(a b)",
        "^x",
        'a:"',
        "<script>alert(1)</script>",
        "x" * 3000,
        "\x07\x1b[0m",
        "after:yesterday",
    ]:
        html = page(client, corpus, q=q)
        assert "<script>alert" not in html
    # A NUL is refused before any view, as for every address (`core.bodylimit`).
    assert client.get(url("search:page", corpus.team.workspace), {"q": "a\x00"}).status_code == 400
    assert "takes a date" in page(client, corpus, q="invoices after:yesterday")
    assert "cannot only leave things out" in page(client, corpus, q="-invoices")
    assert "Nothing found" in page(client, corpus, q="zebra")


def test_the_filter_form_adds_chips_to_the_query(corpus: Corpus) -> None:
    client = corpus.team.client_for(corpus.team.teammate)
    response = client.get(
        url("search:page", corpus.team.workspace),
        {"q": "invoices", "f_kind": "pain", "f_segment": "SMB", "f_after": "2026-01-01"},
    )
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "kind:pain" in html
    assert "segment:SMB" in html
    assert "Remove the filter kind:pain" in html


def test_add_a_line_and_a_note_as_quotes(corpus: Corpus) -> None:
    client = corpus.team.client_for(corpus.team.teammate)
    line = corpus.line("export invoices")
    note = Note.objects.get(text="Three days late closing the books")
    point = corpus.plan.points[0]
    response = client.post(
        url("search:add", corpus.team.workspace),
        {
            "hit": [f"segment:{line.pk}", f"note:{note.pk}", "finding:999999"],
            "point": point.pk,
            "action": "quote",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("is a quote for VP1") == 2
    quotes = Quote.objects.filter(point_summary__point=point)
    assert set(quotes.values_list("text", flat=True)) >= {line.text, note.text}
    highlight = Note.objects.get(source=NoteSource.RECORDING, text=line.text)
    assert quotes.get(text=line.text).from_transcript
    assert highlight.kind == "quote"  # the participant's words
    assert Entry.objects.filter(kind="quote", text=line.text).exists()


def test_a_point_of_another_study_refuses_with_the_reason(corpus: Corpus) -> None:
    client = corpus.team.client_for(corpus.team.teammate)
    other_point = corpus.dana.study.points.first()
    note = Note.objects.get(text="Three days late closing the books")
    response = client.post(
        url("search:add", corpus.team.workspace),
        {"hit": [f"note:{note.pk}"], "point": other_point.pk, "action": "quote"},
    )
    assert response.status_code == 302
    assert not Quote.objects.filter(text=note.text).exists()


def test_add_quotes_as_evidence(corpus: Corpus) -> None:
    client = corpus.team.client_for(corpus.team.teammate)
    quote = Quote.objects.get()
    cell_entry = Entry.objects.get(kind="summary", part__startswith="point")
    Evidence.objects.all().delete()
    response = client.post(
        url("search:add", corpus.team.workspace),
        {
            "hit": [
                f"quote:{quote.pk}",
                f"summary:{cell_entry.object_id}:{cell_entry.part}",
                f"segment:{corpus.line('bank feed').pk}",
            ],
            "finding": corpus.finding.pk,
            "bearing": "contradicts",
            "action": "evidence",
        },
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.count("contradicts the finding") == 2
    assert "add it to a summary as a quote first" in html
    assert Evidence.objects.filter(finding=corpus.finding, bearing="contradicts").count() == 2


def test_a_saved_search_counts_what_is_new_since_each_look(corpus: Corpus) -> None:
    client = corpus.team.client_for(corpus.team.teammate)
    response = client.post(
        url("search:save", corpus.team.workspace),
        {"name": "Invoices", "q": "invoices", "study": corpus.plan.study.pk},
    )
    assert response.status_code == 302
    saved = SavedSearch.objects.get()
    study_page = url("studies:detail", corpus.team.workspace, pk=corpus.plan.study.pk)
    html = client.get(study_page).content.decode()
    assert "Invoices" in html
    assert "5 matches" in html
    assert " new</span>" not in html  # the one who saved it has seen them
    # Someone else has never looked: all of them are new to them.
    other = corpus.team.client_for(corpus.team.owner).get(study_page).content.decode()
    assert "5 new" in other
    # A new note about invoices arrives: new to the teammate too.
    Note.objects.create(
        interview=corpus.bo, kind="pain", text="Invoices get lost in email", elapsed_seconds=60
    )
    assert "1 new" in client.get(study_page).content.decode()
    opened = page(client, corpus, q=saved.query, saved=saved.pk, order="newest")
    assert "badge--new" in opened
    assert (
        SearchLook.objects.get(saved=saved, user=corpus.team.teammate).looked_at <= timezone.now()
    )
    assert " new</span>" not in client.get(study_page).content.decode()


def test_nothing_of_another_workspace_is_reached_by_its_ids(corpus: Corpus) -> None:
    client = corpus.team.client_for(corpus.team.teammate)
    theirs = SavedSearch.objects.create(
        study=corpus.team.other_workspace.studies.get(), name="Theirs", query="invoices"
    )
    html = page(client, corpus, q="invoices", saved=theirs.pk)
    assert "Theirs" not in html
    assert not SearchLook.objects.filter(saved=theirs).exists()
    their_note = Note.objects.get(interview__study__workspace=corpus.team.other_workspace)
    response = client.post(
        url("search:add", corpus.team.workspace),
        {"hit": [f"note:{their_note.pk}"], "point": corpus.plan.points[0].pk, "action": "quote"},
        headers={"HX-Request": "true"},
    )
    assert "not there any more" in response.content.decode()
    assert not Quote.objects.filter(text=their_note.text).exists()
    response = client.post(url("search:delete_saved", corpus.team.workspace, pk=theirs.pk))
    assert response.status_code == 404
    assert SavedSearch.objects.filter(pk=theirs.pk).exists()


def test_odd_numbers_and_far_dates_get_a_page(corpus: Corpus) -> None:
    client = corpus.team.client_for(corpus.team.teammate)
    for q in [
        "study:²",
        "study:99999999999999999999999",
        "invoices after:0001-01-01",
        "before:9999-12-31 x",
    ]:
        page(client, corpus, q=q)
    page(client, corpus, q="invoices", saved="²")
    SavedSearch.objects.create(study=corpus.plan.study, name="Odd", query="study:²")
    study_page = url("studies:detail", corpus.team.workspace, pk=corpus.plan.study.pk)
    assert client.get(study_page).status_code == 200


def test_a_kind_with_nothing_found_keeps_the_other_tabs(corpus: Corpus) -> None:
    html = page(corpus.team.client_for(corpus.team.teammate), corpus, q="invoices", kind="decision")
    assert "No decisions found" in html
    assert 'Transcript lines <span class="count">2</span>' in html

"""Known answers, on whichever database the suite runs on (it runs on both): each query finds
exactly the texts listed, of the first workspace only."""

from __future__ import annotations

import pytest
from django.db import connection

from heard.search import query, results
from heard.search.models import Entry, Kind
from tests.search.conftest import Corpus

pytestmark = pytest.mark.django_db


def found(corpus: Corpus, text: str) -> set[str]:
    """What the search finds: each entry's kind and words (a summary's part, by its name)."""
    search, _ = results.matching(corpus.team.workspace, query.read(text))
    entries = search.found()
    return {
        f"{entry.kind}: {f'[{entry.part}]' if entry.kind == Kind.SUMMARY else entry.text}"
        for entry in entries
    }


def texts(corpus: Corpus, text: str) -> set[str]:
    return {item.split(": ", 1)[1] for item in found(corpus, text)}


BOOKS_LINE = "Tell me about the last time you closed the books."
EXPORT_LINE = "Every month we export invoices to Excel and reconcile them by hand."
SEAT_LINE = "Per seat pricing hurts us as we grow; we pay for people who never log in."
WEEKLY_LINE = "Invoices are exported weekly by our accountant."
PAIN_NOTE = "Reconciling invoices takes two days every month"


def test_a_word_finds_its_other_forms_in_every_kind(corpus: Corpus) -> None:
    assert found(corpus, "invoice") == {
        f"segment: {EXPORT_LINE}",
        f"segment: {WEEKLY_LINE}",
        f"note: {PAIN_NOTE}",
        "summary: [main_pains]",
        "participant: CRM: Churn risk flagged after an invoice dispute.",
    }


def test_a_phrase_finds_the_words_in_order_only(corpus: Corpus) -> None:
    assert texts(corpus, '"per seat pricing"') == {
        SEAT_LINE,
        "Per seat pricing hurts us as we grow",  # the highlight
        "[main_pains]",  # which the summary's pains begin with
        "Per-seat pricing pushes small teams away",  # a hyphen is a space
    }
    assert texts(corpus, '"pricing seat"') == set()
    # Stop words are words: a phrase of them is found.
    assert texts(corpus, '"how do you pay"') == {"How do you pay for your current tool?"}


def test_a_phrase_with_a_common_word_finds_the_words_side_by_side_only(corpus: Corpus) -> None:
    # "the" is in most entries: PostgreSQL finds such a phrase through its pair of words.
    assert found(corpus, '"the books"') == {
        f"segment: {BOOKS_LINE}",
        "note: Three days late closing the books",
        "summary: [main_pains]",
    }
    assert found(corpus, '"books the"') == set()
    assert found(corpus, '"you closed the"') == {f"segment: {BOOKS_LINE}"}
    assert found(corpus, '"closed the books" -"the last"') == {
        "note: Three days late closing the books",
        "summary: [main_pains]",
    }
    if connection.vendor == "postgresql":
        entry = Entry.objects.get(text=BOOKS_LINE)
        with connection.cursor() as cursor:
            cursor.execute("SELECT document::text FROM search_entry WHERE id = %s", [entry.pk])
            document = cursor.fetchone()[0]
        assert "'~the~book'" in document
        assert "'~last~time'" not in document  # neither word is common


def test_excluded_words_leave_out_what_has_them(corpus: Corpus) -> None:
    assert texts(corpus, "invoices -excel") == texts(corpus, "invoices") - {EXPORT_LINE}
    assert texts(corpus, 'invoices -"by our accountant"') == texts(corpus, "invoices") - {
        WEEKLY_LINE
    }


def test_or_and_prefixes(corpus: Corpus) -> None:
    assert texts(corpus, "slack OR reconcile") == {
        "An integration with Slack would be nice, or with Teams.",
        EXPORT_LINE,
        PAIN_NOTE,
        "[main_pains]",
    }
    assert texts(corpus, "integr*") == {"An integration with Slack would be nice, or with Teams."}
    assert texts(corpus, "reconcil* excel") == {EXPORT_LINE}


def test_accents_and_case_do_not_matter(corpus: Corpus) -> None:
    cafe = {"Our café in München orders supplies weekly.", "[surprises]"}
    assert texts(corpus, "cafe") == cafe
    assert texts(corpus, "CAFÉ") == cafe
    assert texts(corpus, "munchen") == {"Our café in München orders supplies weekly."}


def test_hebrew_is_found_word_for_word(corpus: Corpus) -> None:
    assert texts(corpus, "שבוע") == {"אנחנו שולחים את הדוח כל שבוע"}
    assert texts(corpus, '"כל שבוע"') == {"אנחנו שולחים את הדוח כל שבוע"}
    assert texts(corpus, '"שבוע כל"') == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("invoices kind:segment", {EXPORT_LINE, WEEKLY_LINE}),
        ("invoices kind:pain", {PAIN_NOTE, "[main_pains]"}),
        ("invoices -kind:segment -kind:participant", {PAIN_NOTE, "[main_pains]"}),
        ("invoices study:onboarding", {WEEKLY_LINE}),
        ('invoices study:"q3 pricing"', {EXPORT_LINE, PAIN_NOTE, "[main_pains]"}),
        ("invoices segment:enterprise", {WEEKLY_LINE}),
        (
            "invoices participant:bo",
            {
                EXPORT_LINE,
                PAIN_NOTE,
                "[main_pains]",
                "CRM: Churn risk flagged after an invoice dispute.",
            },
        ),
        ("invoices interviewer:olivia", {WEEKLY_LINE}),
        # A research note's time is when it was written: today.
        (
            "invoices after:2026-04-01",
            {WEEKLY_LINE, "CRM: Churn risk flagged after an invoice dispute."},
        ),
        ("invoices before:2026-04-01 kind:segment", {EXPORT_LINE}),
        ("pricing speaker:customer", {SEAT_LINE, "Per seat pricing hurts us as we grow"}),
        ("books speaker:team", {BOOKS_LINE}),
        ("books speaker:tom", {BOOKS_LINE}),
        (
            "pricing point:vp2",
            {"Per seat pricing hurts us as we grow", "Per-seat pricing pushes small teams away"},
        ),
        ("kind:decision", {"Test usage-based pricing with five SMB customers"}),
        ("kind:quote", {"We pay for people who never log in"}),
    ],
)
def test_filters(corpus: Corpus, text: str, expected: set[str]) -> None:
    assert texts(corpus, text) == expected


@pytest.mark.parametrize(
    "left_out",
    ["participant:bo", "segment:enterprise", "speaker:customer", "speaker:tom", "study:onboarding"],
)
def test_a_filter_negated_keeps_what_it_does_not_name(corpus: Corpus, left_out: str) -> None:
    """What has no participant, speaker or study (a finding, a decision, a note) is not named
    by such a filter, so leaving the filter's out keeps it."""
    every = texts(corpus, "pricing OR invoices OR books")
    named = texts(corpus, f"pricing OR invoices OR books {left_out}")
    assert texts(corpus, f"pricing OR invoices OR books -{left_out}") == every - named
    assert named
    assert every - named


def test_filters_alone_list_everything_they_keep(corpus: Corpus) -> None:
    assert texts(corpus, "kind:kpi") == {"Three days late closing the books"}
    assert texts(corpus, "kind:request") == {"Wants automatic approvals", "[solution_requests]"}


def test_deleted_notes_and_other_workspaces_are_never_found(corpus: Corpus) -> None:
    assert texts(corpus, "thought") == set()
    everything = Entry.objects.filter(workspace=corpus.team.other_workspace)
    assert everything.exists()
    other_ids = set(everything.values_list("pk", flat=True))
    search, _ = results.matching(corpus.team.workspace, query.read("invoices OR pricing OR bo"))
    entries = search.found()
    assert not other_ids & set(entries.values_list("pk", flat=True))


def test_results_come_grouped_by_kind_with_snippets_and_moments(corpus: Corpus) -> None:
    found = results.run(corpus.team.workspace, query.read("invoices"))
    kinds = [group.kind for group in found.groups]
    assert kinds == [Kind.SEGMENT, Kind.NOTE, Kind.SUMMARY, Kind.PARTICIPANT]
    assert found.total == 5
    line = found.groups[0].hits[0]
    assert "<mark>invoices</mark>" in line.snippet or "<mark>Invoices</mark>" in line.snippet
    assert line.url.endswith(f"#segment-{corpus.line(line.entry.text[:20]).pk}")
    assert line.title in ("Bo Chen (Northwind)", "Dana Levi (Contoso)")
    assert line.when in ("10 Mar 2026", "2 May 2026")
    # The corpus's transcripts came without a recording: their times are the call's.
    assert any(detail.endswith("into the call") for detail in line.details)
    assert not any("recording" in detail for detail in line.details)


def test_newest_first(corpus: Corpus) -> None:
    newest = results.run(corpus.team.workspace, query.read("invoices kind:segment"), results.NEWEST)
    assert [hit.entry.text for hit in newest.groups[0].hits] == [WEEKLY_LINE, EXPORT_LINE]


def test_one_kind_comes_a_page_at_a_time(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results, "PAGE_SIZE", 1)
    first = results.run(corpus.team.workspace, query.read("invoices"), kind=Kind.SEGMENT)
    second = results.run(corpus.team.workspace, query.read("invoices"), kind=Kind.SEGMENT, page=2)
    assert first.pages == 2
    assert len(first.groups[0].hits) == 1
    assert {first.groups[0].hits[0].entry.text, second.groups[0].hits[0].entry.text} == {
        EXPORT_LINE,
        WEEKLY_LINE,
    }
    assert first.counts[Kind.NOTE] == 1  # the other kinds are still counted, for the tabs


def test_past_the_sample_each_kind_is_counted_and_past_the_cap_ranked_among_some(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    complete = results.run(corpus.team.workspace, query.read("invoices"))
    monkeypatch.setattr(results, "SAMPLE", 1)
    monkeypatch.setattr(results, "COUNT_CAP", 1)
    found = results.run(corpus.team.workspace, query.read("invoices"))
    lines = found.groups[0]
    assert lines.kind == Kind.SEGMENT
    assert lines.count_label == "more than 1"
    # Ranked among one more than the cap of their own: here both lines, as in full.
    assert [hit.entry.pk for hit in lines.hits] == [hit.entry.pk for hit in complete.groups[0].hits]
    assert found.total_label == "4+"


@pytest.mark.parametrize("text", ["invoices OR pricing", "speaker:customer", "-kind:segment"])
@pytest.mark.parametrize("cap", [1000, 1])
def test_a_sample_short_of_all_counts_each_kind_on_its_own(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch, text: str, cap: int
) -> None:
    monkeypatch.setattr(results, "COUNT_CAP", cap)
    complete = results.run(corpus.team.workspace, query.read(text))
    monkeypatch.setattr(results, "SAMPLE", 2)
    sampled = results.run(corpus.team.workspace, query.read(text))
    assert sampled.counts == {kind: min(n, cap + 1) for kind, n in complete.counts.items()}
    if cap == 1000:  # all counted and ranked: the same results
        assert [[h.entry.pk for h in g.hits] for g in sampled.groups] == [
            [h.entry.pk for h in g.hits] for g in complete.groups
        ]


@pytest.mark.parametrize(
    "text", ['foo.ba* "a b" -c OR d kind:pain study:"Q3 pricing"', "integr*", "a-b-c*", '"x y*"']
)
def test_a_query_written_back_reads_the_same(text: str) -> None:
    once = query.read(text)
    again = query.read(str(once))
    assert (again.groups, again.excluded, again.filters) == (
        once.groups,
        once.excluded,
        once.filters,
    )


def _plans_of_searches(run: object) -> list[str]:
    """The plans of the full-text statements `run()` makes, with every other index of the
    table gone (the test's transaction brings them back) and no other way to read it: each
    plan then reads the index of the entries besides lines, or shows that it cannot."""
    statements: list[tuple[str, object]] = []

    def catch(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if "@@" in sql:
            statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(catch):
        run()  # type: ignore[operator]
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no check left pending on the table
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'search_entry'::regclass "
            "AND contype = 'u'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'ALTER TABLE search_entry DROP CONSTRAINT "{name}"')
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'search_entry' "
            "AND indexname NOT IN ('search_entry_pkey', 'search_entry_said_idx')"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql, params in statements:
            cursor.execute(f"EXPLAIN {sql}", params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def test_a_search_of_a_kind_besides_lines_reads_their_own_index(corpus: Corpus) -> None:
    """PostgreSQL keeps a second index of every entry but the lines (nineteen in twenty of a
    big workspace's): a search kept to another kind, by a branch of its own or by a note's
    kind, must say so in a way the planner can prove, or it reads every line's list of the
    word (bench/search.py: `seat*` read 65,000 entries' ids for each kind)."""
    from heard.search.engines import engine

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's index narrows to a kind by its scope word alone")
    workspace = corpus.team.workspace
    search, _ = results.matching(workspace, query.read("invo* kind:pain"))
    plans = _plans_of_searches(lambda: results.run(workspace, search.query))
    search, _ = results.matching(workspace, query.read("invoices"))
    kinds = [(Kind.NOTE.value, "knote"), (Kind.PARTICIPANT.value, "")]
    plans += _plans_of_searches(
        lambda: engine().some_of_each(
            search.entries, kinds, search.query, search.languages, 10, newest=False
        )
    )
    assert plans
    for plan in plans:
        assert "search_entry_said_idx" in plan, plan

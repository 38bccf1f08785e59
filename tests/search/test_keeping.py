"""The index stays right through every kind of change: after each, it holds exactly what a
rebuild would make (`keeping.differences` is 0), and the search finds the change."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from heard.guides import services as guides
from heard.interviews.live import milestones
from heard.interviews.live.notes import save_note, set_note_deleted
from heard.interviews.models import Interview, Note, NoteKind
from heard.interviews.transcripts import editing, speakers
from heard.participants import services as participants
from heard.participants.models import Participant, ResearchNote
from heard.search import keeping, query, results
from heard.search.models import Entry
from heard.synthesis.findings import services as findings
from heard.synthesis.models import Quote
from heard.synthesis.summaries import services as summaries
from tests.search.conftest import Corpus
from tests.support import factories

pytestmark = pytest.mark.django_db


def texts(corpus: Corpus, text: str) -> set[str]:
    search, _ = results.matching(corpus.team.workspace, query.read(text))
    entries = search.found()
    return set(entries.values_list("text", flat=True))


def in_step(corpus: Corpus) -> None:
    assert keeping.differences(corpus.team.workspace) == 0
    assert keeping.differences(corpus.team.other_workspace) == 0


def test_the_corpus_is_in_step_as_built(corpus: Corpus) -> None:
    in_step(corpus)


def test_notes_added_edited_and_deleted_in_a_call(corpus: Corpus) -> None:
    call = factories.interview(corpus.plan.study, guide=corpus.plan.guide)
    milestones.start(call, corpus.team.teammate)
    note_id = str(uuid.uuid4())
    save_note(
        call,
        corpus.team.teammate,
        {"id": note_id, "kind": "pain", "text": "Quarterly audits are painful"},
    )
    assert texts(corpus, "audits") == {"Quarterly audits are painful"}
    save_note(
        call,
        corpus.team.teammate,
        {"id": note_id, "kind": "pain", "text": "Yearly audits are painful"},
    )
    assert texts(corpus, "quarterly") == set()
    assert texts(corpus, "yearly") == {"Yearly audits are painful"}
    in_step(corpus)
    set_note_deleted(call, corpus.team.teammate, note_id, deleted=True)
    assert texts(corpus, "audits") == set()
    in_step(corpus)


def test_a_line_edited_is_found_by_its_new_words(corpus: Corpus) -> None:
    line = corpus.line("bank feed")
    editing.edit_segment(
        line, "The ledger sync broke again.", line.speaker, line.version, corpus.team.teammate
    )
    assert texts(corpus, "ledger") == {"The ledger sync broke again."}
    assert texts(corpus, '"bank feed" kind:segment') == set()
    in_step(corpus)


def test_a_deleted_transcript_takes_its_lines_and_highlights(corpus: Corpus) -> None:
    pk = corpus.transcript.pk
    corpus.transcript.delete()
    assert texts(corpus, "kind:segment München") == set()
    assert not Entry.objects.filter(transcript_id=pk).exists()
    assert texts(corpus, "kind:highlight") == set()
    in_step(corpus)


def test_quotes_summaries_findings_and_decisions(corpus: Corpus) -> None:
    summary = summaries.summary_of(corpus.bo)
    summaries.set_text(summary, "surprises", "They keep a paper ledger too.")
    assert "They keep a paper ledger too." in texts(corpus, "paper")
    quote = Quote.objects.get(point_summary__summary=summary)
    summaries.edit_quote(quote, text="We pay for people")
    assert "We pay for people" in texts(corpus, "kind:quote")
    summaries.remove_quote(quote, corpus.team.owner, seen=1)
    assert "We pay for people" not in texts(corpus, "kind:quote")
    findings.edit_finding(corpus.finding, "Seat pricing scares small teams", [])
    assert texts(corpus, "scares") == {"Seat pricing scares small teams"}
    in_step(corpus)


def test_participants_and_research_notes(corpus: Corpus) -> None:
    person = Participant.objects.get(workspace=corpus.team.workspace, name="Bo Chen")
    person.company = "Fabrikam"
    person.save()
    assert texts(corpus, "fabrikam") == {"Bo Chen · Fabrikam · SMB · " + person.email}
    note = participants.notes_of(person).get()
    note.delete()
    assert texts(corpus, "churn") == set()
    in_step(corpus)


def test_guides_copied_in_bulk_are_found_once_committed(
    corpus: Corpus, django_capture_on_commit_callbacks
) -> None:
    before = Entry.objects.filter(kind="question").count()
    with django_capture_on_commit_callbacks(execute=True):
        guides.copy_guide(corpus.plan.guide, corpus.plan.study)
    assert Entry.objects.filter(kind="question").count() == before + 4
    in_step(corpus)


def test_an_interview_moved_to_another_study_takes_its_entries(corpus: Corpus) -> None:
    Interview.objects.filter(pk=corpus.dana.pk).update(study=corpus.plan.study)  # behind its back
    assert keeping.differences(corpus.team.workspace) > 0
    interview = Interview.objects.get(pk=corpus.dana.pk)
    interview.save()
    in_step(corpus)
    assert texts(corpus, 'exported study:"q3 pricing" kind:segment') == {
        "Every month we export invoices to Excel and reconcile them by hand.",
        "Invoices are exported weekly by our accountant.",
    }


def test_a_rescheduled_interview_moves_its_entries(corpus: Corpus) -> None:
    interview = Interview.objects.get(pk=corpus.dana.pk)
    interview.starts_at = interview.starts_at.replace(year=2025)
    interview.save()
    assert texts(corpus, "invoices before:2026-01-01") == {
        "Invoices are exported weekly by our accountant."
    }


def test_the_command_rebuilds_and_checks(
    corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    Entry.objects.filter(kind="segment").delete()
    with pytest.raises(CommandError, match="out of step"):
        call_command("search_index", "--check")
    call_command("search_index", "--workspace", corpus.team.workspace.slug)
    assert "Indexed" in capsys.readouterr().out
    call_command("search_index")
    call_command("search_index", "--check")
    assert "in step" in capsys.readouterr().out
    assert texts(corpus, "München") == {"Our café in München orders supplies weekly."}
    with pytest.raises(CommandError, match="No workspace"):
        call_command("search_index", "--workspace", "nowhere")


def test_deleting_a_participant_an_interview_or_a_workspace_takes_their_entries(
    corpus: Corpus,
) -> None:
    person = factories.participant(corpus.team.workspace, name="Zed Quist")
    participants.add_note(person, ResearchNote(source="CRM", body="Zed notes"), corpus.team.owner)
    assert texts(corpus, "zed") == {"Zed Quist · Client Co · " + person.email, "CRM: Zed notes"}
    participants.delete_participant(person)
    assert texts(corpus, "zed") == set()
    in_step(corpus)
    other = corpus.team.other_workspace
    assert Entry.objects.filter(workspace=other).exists()
    Interview.objects.filter(study__workspace=other).delete()  # what protects its people
    pk = other.pk
    other.delete()
    assert not Entry.objects.filter(workspace_id=pk).exists()
    assert keeping.differences(corpus.team.workspace) == 0


def test_a_workspace_with_no_index_yet_is_indexed_by_the_worker(corpus: Corpus) -> None:
    from heard.core.worker import Worker, worker_starting

    Entry.objects.all().delete()  # as after an upgrade from a Heard without search
    assert {ws.pk for ws in keeping.unindexed()} == {
        corpus.team.workspace.pk,
        corpus.team.other_workspace.pk,
    }
    worker_starting.send(sender=Worker)  # tests run tasks at once
    assert keeping.unindexed() == []
    in_step(corpus)
    assert keeping.fill_missing() == 0


def test_a_transcript_indexed_puts_the_index_in_order_afterwards(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:
    from heard.search.engines import engine

    monkeypatch.setattr(keeping, "TIDY_AFTER", 1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        keeping.interviews([corpus.bo.pk])
    assert callbacks  # the tidying task, queued and run (tests run tasks at once)
    engine().tidy(whole=True)
    assert texts(corpus, "München") == {"Our café in München orders supplies weekly."}
    in_step(corpus)


def test_a_note_s_kind_and_a_question_s_points_reach_what_rests_on_them(corpus: Corpus) -> None:
    said = Note.objects.get(text="We pay for people who never log in")
    said.kind = NoteKind.PAIN
    said.save()
    assert "We pay for people who never log in" in texts(corpus, "kind:pain kind:quote")
    question = corpus.plan.questions[0]
    question.points.set([corpus.plan.points[2]])
    in_step(corpus)
    assert "Reconciling invoices takes two days every month" in texts(corpus, "invoices point:vp3")


def test_a_speaker_said_to_be_the_customer_is_found_as_the_customer(corpus: Corpus) -> None:
    """The speaker's role is a word of each of their entries' scope: saying who a speaker is
    makes their lines found by `speaker:customer` and no longer by `speaker:team`."""
    line = corpus.line("closed the books")
    tom = line.speaker
    assert texts(corpus, "books speaker:team") == {line.text}
    speakers.save_mapping(
        line.transcript.interview,
        {tom.pk: ("participant", "")},
        speakers.team_of(line.transcript.interview),
        corpus.team.owner,
    )
    assert texts(corpus, "books speaker:customer") == {line.text}
    assert texts(corpus, "books speaker:team") == set()
    in_step(corpus)

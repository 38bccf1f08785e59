"""A note saved on the live call's API reaches the index just after its save, in batches,
rather than inside the save's transaction (`search.backlog`)."""

from __future__ import annotations

import time

import pytest
from django.db import transaction

from heard.interviews.live import milestones
from heard.interviews.models import Interview, Note
from heard.search import backlog as backlog_module
from heard.search import keeping, receivers
from heard.search.backlog import Backlog, backlog
from heard.search.models import Entry, Kind
from tests.support import factories
from tests.support.live import note_data, post_json
from tests.support.personas import Team
from tests.support.urls import live_url

# The API runs database work in a thread pool: the data must be committed to be seen there.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def call(team: Team) -> Interview:
    study = factories.study(team.workspace)
    interview = factories.interview(study, guide=factories.guide(study))
    milestones.start(interview, team.teammate)
    return interview


def entry_texts(call: Interview) -> set[str]:
    notes = Entry.objects.filter(interview=call, kind=Kind.NOTE)
    return set(notes.values_list("text", flat=True))


def test_live_saves_are_indexed_after_the_save_in_one_batch(
    teammate_client, call, team, monkeypatch
):
    slow = Backlog()  # its thread gathers for longer than the test takes
    monkeypatch.setattr(receivers, "backlog", slow)
    monkeypatch.setattr(backlog_module, "GATHER_SECONDS", 30)
    url = live_url("live_note_save", call)
    first, second = note_data(text="Audits take a week"), note_data(text="Exports break")
    assert post_json(teammate_client, url, first).status_code == 200
    assert post_json(teammate_client, url, second).status_code == 200
    second["text"] = "Exports break every quarter"  # edited before the batch ran
    assert post_json(teammate_client, url, second).status_code == 200
    assert entry_texts(call) == set()  # not in the saves' transactions
    assert slow.pending == 2
    assert slow.flush() == 2
    assert entry_texts(call) == {"Audits take a week", "Exports break every quarter"}
    assert keeping.differences(team.workspace) == 0


def test_the_backlog_indexes_on_its_own_within_a_second(teammate_client, call):
    url = live_url("live_note_save", call)
    assert post_json(teammate_client, url, note_data(text="Reports are late")).status_code == 200
    deadline = time.monotonic() + 5
    while not entry_texts(call) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert entry_texts(call) == {"Reports are late"}
    assert backlog.pending == 0


def test_a_deleted_note_leaves_the_index_and_a_save_rolled_back_never_enters(teammate_client, call):
    data = note_data(text="Onboarding is slow")
    post_json(teammate_client, live_url("live_note_save", call), data)
    backlog.flush()
    assert entry_texts(call) == {"Onboarding is slow"}
    response = post_json(teammate_client, live_url("live_note_delete", call, note_id=data["id"]))
    assert response.status_code == 200
    backlog.flush()
    assert entry_texts(call) == set()

    with transaction.atomic():
        note = Note.objects.get(pk=data["id"])
        backlog.add_after_commit(note.pk, call.pk)
        transaction.set_rollback(True)
    assert backlog.pending == 0


def test_the_end_of_the_call_indexes_what_a_stopped_process_held(teammate_client, call, team):
    """A backlog lost with its process (a crash between save and batch): the end of the call
    makes every entry of the interview again."""
    post_json(teammate_client, live_url("live_note_save", call), note_data(text="Lost words"))
    backlog.flush()
    Entry.objects.filter(interview=call).delete()  # as if the batch never ran
    milestones.end(call, team.teammate, promised_follow_up=False)
    assert entry_texts(call) == {"Lost words"}


def test_discarding_waits_for_the_notes_being_indexed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test's end discards the backlog and then empties its database: a flush still
    writing the index would deadlock with the emptying (seen once on PostgreSQL), so
    `discard` returns only once the flush in progress is done."""
    import threading

    started, release = threading.Event(), threading.Event()

    def slow_notes(items):  # type: ignore[no-untyped-def]
        started.set()
        release.wait(5)

    monkeypatch.setattr(keeping, "notes", slow_notes)
    own = Backlog()
    own._pending["a"] = 1
    flushing = threading.Thread(target=own.flush)
    flushing.start()
    assert started.wait(5)
    discarded = threading.Event()
    waiting = threading.Thread(target=lambda: (own.discard(), discarded.set()))
    waiting.start()
    time.sleep(0.2)
    assert not discarded.is_set()  # still indexing
    release.set()
    waiting.join(5)
    flushing.join(5)
    assert discarded.is_set()

"""Notes are upserted by their browser-made id: never lost, never doubled, never hijacked."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heard.core.hot_path import hot_path
from heard.interviews.live import milestones, notes, questions, reads, state
from heard.interviews.live.checks import Conflict, LiveError
from heard.interviews.models import LiveEvent, Note, NoteKind
from tests.support import factories
from tests.support.live import note_data
from tests.support.urls import live_url

pytestmark = pytest.mark.django_db


def test_saving_the_same_note_twice_stores_it_once(team, interview):
    data = note_data()
    first, changed = notes.save_note(interview, team.owner, data)
    again, changed_again = notes.save_note(interview, team.owner, data)
    assert (changed, changed_again) == (True, False)
    assert first.pk == again.pk
    assert Note.objects.count() == 1
    assert LiveEvent.objects.filter(kind="note").count() == 1


def test_a_new_note_is_one_statement_on_postgresql_and_three_on_sqlite(team, interview):
    """Lock the interview, insert the note unless its id exists, append its event: nothing
    else waits under the interview's lock (search comes after the commit, `search.backlog`;
    a new note has no earlier events whose words to forget). On PostgreSQL, one statement."""
    milestones.start(interview, team.owner)
    data = note_data()
    with hot_path(), CaptureQueriesContext(connection) as captured:
        note, changed = notes.save_note(interview, team.owner, data)
    statements = [q["sql"].split()[0] for q in captured.captured_queries]
    expected = ["WITH"] if connection.vendor == "postgresql" else ["SELECT", "INSERT", "INSERT"]
    assert [s for s in statements if s not in ("SAVEPOINT", "RELEASE")] == expected
    assert changed
    stored = Note.objects.get()
    assert (stored.pk, stored.text, stored.author, stored.interview) == (
        note.pk,
        data["text"],
        team.owner,
        interview,
    )
    assert (stored.created_at, stored.updated_at) == (note.created_at, note.updated_at)
    event = LiveEvent.objects.get(kind="note")
    assert event.payload == state.note_json(stored)
    assert (event.actor, event.interview) == (team.owner, interview)


def test_a_new_note_sends_post_save_as_create_does(team, interview):
    from django.db.models.signals import post_save

    seen = []

    def receiver(sender, instance, created, **kwargs):
        seen.append((instance.pk, created, instance._state.adding))

    post_save.connect(receiver, sender=Note)
    try:
        note, _ = notes.save_note(interview, team.owner, note_data())
    finally:
        post_save.disconnect(receiver, sender=Note)
    assert seen == [(note.pk, True, False)]


def test_a_new_note_on_a_cancelled_call_writes_nothing(team, interview):
    from heard.interviews.models import InterviewStatus

    interview.status = InterviewStatus.CANCELLED
    interview.save(update_fields=["status"])
    with pytest.raises(LiveError):
        notes.save_note(interview, team.owner, note_data())
    assert not Note.objects.exists()
    assert not LiveEvent.objects.filter(kind="note").exists()


def test_an_edit_by_the_author_updates_and_is_logged(team, interview):
    data = note_data()
    notes.save_note(interview, team.owner, data)
    notes.save_note(interview, team.owner, data | {"text": "They export every Friday."})
    assert Note.objects.get().text == "They export every Friday."
    assert LiveEvent.objects.filter(kind="note").count() == 2


def test_someone_elses_note_id_is_refused(team, interview):
    data = note_data()
    notes.save_note(interview, team.owner, data)
    with pytest.raises(Conflict):
        notes.save_note(interview, team.teammate, data | {"text": "Hijacked"})
    assert Note.objects.get().text == data["text"]


def test_a_note_id_of_another_interview_is_refused(team, interview):
    other = factories.interview(interview.study)
    data = note_data()
    notes.save_note(other, team.owner, data)
    with pytest.raises(Conflict):
        notes.save_note(interview, team.owner, data)
    assert Note.objects.get().interview == other


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "needs some text"),
        ({"text": "x" * 10_001}, "at most 10,000 characters"),
        ({"kind": "gossip"}, "Unknown kind"),
        ({"id": "not-a-uuid"}, "not a valid id"),
        ({"elapsed_seconds": -3}, "outside the interview"),
        ({"question": 999999}, "not in this interview's guide"),
    ],
)
def test_bad_notes_are_refused_with_a_reason(team, interview, fields, message):
    with pytest.raises(LiveError, match=message):
        notes.save_note(interview, team.owner, note_data(**fields))
    assert not Note.objects.exists()


def test_a_note_of_exactly_the_limit_is_kept(team, interview):
    note, _ = notes.save_note(interview, team.owner, note_data(text="y" * 10_000))
    assert len(note.text) == 10_000


def test_a_question_of_another_guide_is_refused(team, interview):
    other_guide = factories.guide(interview.study, title="Other")
    foreign = other_guide.sections.get().questions.first()
    with pytest.raises(LiveError):
        notes.save_note(interview, team.owner, note_data(question=foreign.pk))


def test_why_ladder_hangs_from_a_solution_request_and_stops_at_five(team, interview):
    request, _ = notes.save_note(
        interview, team.owner, note_data(kind=NoteKind.SOLUTION_REQUEST, text="Wants an RSS export")
    )
    for n in range(5):
        notes.save_note(
            interview,
            team.owner,
            note_data(kind=NoteKind.WHY, text=f"Why {n}", ladder_of=str(request.pk)),
        )
    with pytest.raises(LiveError, match="at most 5 whys"):
        notes.save_note(
            interview,
            team.owner,
            note_data(kind=NoteKind.WHY, text="Why 6", ladder_of=str(request.pk)),
        )
    pain, _ = notes.save_note(
        interview,
        team.owner,
        note_data(kind=NoteKind.PAIN, text="Followers miss updates", ladder_of=str(request.pk)),
    )
    assert pain.ladder_of == request
    assert request.ladder.count() == 6


def test_a_ladder_must_hang_from_a_solution_request(team, interview):
    plain, _ = notes.save_note(interview, team.owner, note_data())
    with pytest.raises(LiveError, match="solution request"):
        notes.save_note(
            interview, team.owner, note_data(kind=NoteKind.WHY, ladder_of=str(plain.pk))
        )


def test_delete_and_undo(team, interview):
    note, _ = notes.save_note(interview, team.owner, note_data())
    notes.set_note_deleted(interview, team.owner, note.pk, deleted=True)
    note.refresh_from_db()
    assert note.deleted_at is not None
    notes.set_note_deleted(interview, team.owner, note.pk, deleted=False)
    note.refresh_from_db()
    assert note.deleted_at is None
    with pytest.raises(Conflict):
        notes.set_note_deleted(interview, team.teammate, note.pk, deleted=True)


def test_notes_still_in_an_outbox_are_taken_after_the_end(team, interview):
    milestones.end(interview, team.owner, promised_follow_up=True)
    note, _ = notes.save_note(interview, team.teammate, note_data(text="Typed before the end"))
    assert note.text == "Typed before the end"
    with pytest.raises(LiveError, match="done"):
        questions.set_question_status(
            interview, team.owner, interview.guide.sections.get().questions.first().pk, "asked"
        )


def test_a_cancelled_interview_takes_no_notes(team, interview):
    interview.status = "cancelled"
    interview.save()
    with pytest.raises(LiveError, match="cancelled"):
        notes.save_note(interview, team.owner, note_data())


def test_events_follow_a_cursor(team, interview):
    cursor = reads.latest_event_id(interview.pk)
    milestones.start(interview, team.owner)
    notes.save_note(interview, team.owner, note_data(id=str(uuid.uuid4())))
    events = reads.events_after(interview, cursor)
    assert [event["kind"] for event in events] == ["interview", "note"]
    assert reads.events_after(interview, events[-1]["id"]) == []


def test_question_states_last_write_wins(team, interview):
    question = interview.guide.sections.get().questions.first()
    questions.set_question_status(interview, team.owner, question.pk, "asked")
    questions.set_question_status(interview, team.teammate, question.pk, "covered")
    snapshot = state.snapshot(interview, team.owner, can_edit=True)
    assert snapshot["question_states"] == {str(question.pk): "covered"}


def test_starting_twice_keeps_the_first_stamp(team, interview):
    first = milestones.start(interview, team.owner)["started_at"]
    assert milestones.start(interview, team.teammate)["started_at"] == first


def test_the_wrap_up_links_each_request_to_the_root_pain_its_ladder_reached(
    team, interview, owner_client
):
    request = note_data(kind="solution_request", text="A button to export to <b>Excel</b>")
    notes.save_note(interview, team.owner, request)
    for n, text in enumerate(["They paste figures by hand", "The board wants them Monday"]):
        notes.save_note(
            interview,
            team.owner,
            note_data(kind="why", text=text, ladder_of=request["id"], elapsed_seconds=70 + n),
        )
    pain = note_data(kind="pain", text="Two hours every week", ladder_of=request["id"])
    notes.save_note(interview, team.owner, pain)
    lonely = note_data(kind="solution_request", text="Dark mode")
    notes.save_note(interview, team.owner, lonely)

    first, second = reads.wrapup_for(interview)["requests"]
    assert str(first.note.pk) == request["id"]
    assert [why.text for why in first.whys] == [
        "They paste figures by hand",
        "The board wants them Monday",
    ]
    assert first.root_pain is not None
    assert str(first.root_pain.pk) == pain["id"]
    assert second.root_pain is None

    ws = interview.study.workspace.slug
    page = owner_client.get(f"/w/{ws}/interviews/{interview.pk}/wrap-up/").content.decode()
    assert "Solution requests and the pain behind them" in page
    assert "A button to export to &lt;b&gt;Excel&lt;/b&gt;" in page
    assert f'href="#note-{pain["id"]}"' in page
    assert "No root pain reached" in page


def test_after_the_call_a_researcher_ties_a_note_to_another_question(
    team, interview, teammate_client, observer_client
):
    first, _, third = interview.guide.sections.get().questions.all()
    data = note_data(kind="kpi", text="Three hours per report", question=first.pk)
    note, _ = notes.save_note(interview, team.owner, data)
    milestones.end(interview, team.owner, promised_follow_up=False)
    address = live_url("wrapup_note_question", interview, note_id=note.pk)
    events = LiveEvent.objects.filter(kind="note")

    assert observer_client.post(address, {"question": third.pk}).status_code == 403
    assert Note.objects.get().question == first

    # Not only its author: the team sorts its notes together once the call is over.
    moved = teammate_client.post(address, {"question": third.pk})
    assert moved.url == live_url("wrapup", interview) + f"#note-{note.pk}"
    note.refresh_from_db()
    assert (note.question, note.text, note.kind) == (third, "Three hours per report", "kpi")
    event = events.latest("id")
    assert (event.actor, event.payload["question"], event.payload["text"]) == (
        team.teammate,
        third.pk,
        "Three hours per report",
    )
    count = events.count()
    teammate_client.post(address, {"question": third.pk})  # the same again changes nothing
    assert events.count() == count

    teammate_client.post(address, {"question": ""})
    assert Note.objects.get().question is None
    foreign = factories.guide(interview.study).sections.get().questions.first()
    refused = teammate_client.post(address, {"question": foreign.pk}, follow=True)
    assert b"That question is not in this interview&#x27;s guide." in refused.content
    assert Note.objects.get().question is None


def test_the_wrapup_offers_each_note_the_questions_of_the_guide(team, interview, owner_client):
    first = interview.guide.sections.get().questions.first()
    notes.save_note(interview, team.owner, note_data(question=first.pk))
    page = owner_client.get(live_url("wrapup", interview)).content.decode()
    assert "Tie it to another question" in page
    assert f'<option value="{first.pk}" selected dir="auto">' in page
    assert '<option value="">No question</option>' in page


def test_the_log_keeps_no_copy_of_words_a_note_no_longer_has(team, interview):
    data = note_data()
    notes.save_note(interview, team.owner, data | {"text": "They call it the Monday mess."})
    notes.save_note(interview, team.owner, data | {"text": "Reports take Monday morning."})
    logged = [e.payload["text"] for e in LiveEvent.objects.filter(kind="note").order_by("id")]
    assert logged == ["", "Reports take Monday morning."]
    notes.set_note_deleted(interview, team.owner, data["id"], deleted=True)
    logged = [e.payload["text"] for e in LiveEvent.objects.filter(kind="note").order_by("id")]
    assert logged == ["", "", ""]
    assert "Monday" not in str(list(LiveEvent.objects.values_list("payload", flat=True)))
    notes.set_note_deleted(interview, team.owner, data["id"], deleted=False)
    last = LiveEvent.objects.filter(kind="note").latest("id")
    assert last.payload["text"] == "Reports take Monday morning."

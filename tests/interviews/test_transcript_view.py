"""The transcript's page as a view: beside the recording's player, lines edited with their
history (a stale edit refused, keeping the typed text; observers refused), the call's notes
at their time on the recording and the offset set by hand, in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heard.interviews.models import (
    Interview,
    Note,
    NoteKind,
    Recording,
    Segment,
    SegmentEdit,
    Transcript,
    TranscriptSpeaker,
    TranscriptStatus,
)
from tests.support.personas import Team

pytestmark = pytest.mark.usefixtures("private_media")


def lines(transcript: Transcript, speaker: TranscriptSpeaker, count: int, first: int = 0):
    """`count` lines of 4 seconds each, the first at `first` seconds."""
    Segment.objects.bulk_create(
        Segment(
            transcript=transcript,
            index=i,
            start_ms=(first + 4 * i) * 1000,
            end_ms=(first + 4 * i + 3) * 1000,
            speaker=speaker,
            text=f"Line {i}",
            original_text=f"Line {i}",
        )
        for i in range(count)
    )


@pytest.fixture
def transcript(interview: Interview, recording: Recording, team: Team) -> Transcript:
    made = Transcript.objects.create(
        interview=interview,
        recording=recording,
        source="transcribed",
        status=TranscriptStatus.READY,
        created_by=team.owner,
    )
    lines(made, TranscriptSpeaker.objects.create(interview=interview, label="Speaker 1"), 5)
    return made


def page_url(transcript: Transcript) -> str:
    interview = transcript.interview
    return reverse(
        "transcripts:detail",
        kwargs={
            "ws": interview.study.workspace.slug,
            "pk": interview.pk,
            "transcript_pk": transcript.pk,
        },
    )


def segment_url(segment: Segment) -> str:
    return page_url(segment.transcript) + f"segments/{segment.pk}/"


def test_the_page_has_the_player_and_each_line_its_time(
    owner_client: Client, transcript: Transcript, recording: Recording
):
    html = owner_client.get(page_url(transcript)).content.decode()
    play = reverse(
        "recordings:play",
        kwargs={
            "ws": transcript.interview.study.workspace.slug,
            "pk": transcript.interview.pk,
            "recording_pk": recording.pk,
        },
    )
    assert f'<audio id="transcript-audio" controls preload="metadata" src="{play}"' in html
    assert "heard/js/transcript.js" in html
    line = Segment.objects.get(transcript=transcript, index=2)
    assert f'id="segment-{line.pk}" data-start="8000"' in html
    assert "<time>0:08</time>" in html
    # Editors get the edit link, an address of its own as every link of Heard's.
    assert f'href="{page_url(transcript)}segments/{line.pk}/"' in html


def test_an_edit_is_saved_with_its_history(
    owner_client: Client, transcript: Transcript, team: Team
):
    segment = Segment.objects.get(transcript=transcript, index=1)
    other = TranscriptSpeaker.objects.create(interview=transcript.interview, label="Speaker 2")
    response = owner_client.post(
        segment_url(segment), {"text": "Line one, heard right", "speaker": other.pk, "version": 0}
    )
    assert response.status_code == 302
    assert response["Location"] == page_url(transcript) + f"#segment-{segment.pk}"
    segment.refresh_from_db()
    assert (segment.text, segment.speaker_id, segment.version) == (
        "Line one, heard right",
        other.pk,
        1,
    )
    assert segment.original_text == "Line 1"
    edit = SegmentEdit.objects.get(segment=segment)
    assert (edit.old_text, edit.new_text, edit.edited_by) == (
        "Line 1",
        "Line one, heard right",
        team.owner,
    )
    assert edit.new_speaker == other
    assert edit.old_speaker.label == "Speaker 1"
    # The history, on demand: the line's form lists it.
    form = owner_client.get(segment_url(segment), headers={"HX-Request": "true"})
    html = form.content.decode()
    assert "History: 1 edit" in html
    assert '<del dir="auto">Line 1</del>' in html
    # In place with htmx: the answer is the line alone.
    swapped = owner_client.post(
        segment_url(segment),
        {"text": "Line one", "speaker": other.pk, "version": 1},
        headers={"HX-Request": "true"},
    )
    assert swapped.status_code == 200
    assert swapped.content.decode().startswith(
        f'<li class="transcript-line" id="segment-{segment.pk}"'
    )
    assert SegmentEdit.objects.filter(segment=segment).count() == 2


def test_an_edit_made_on_a_stale_version_is_refused_and_keeps_the_typed_text(
    owner_client: Client, teammate_client: Client, transcript: Transcript
):
    segment = Segment.objects.get(transcript=transcript, index=0)
    assert (
        owner_client.post(segment_url(segment), {"text": "First", "version": 0}).status_code == 302
    )
    refused = teammate_client.post(
        segment_url(segment), {"text": "Mine, typed with care", "version": 0}
    )
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Someone changed this line while you were editing it" in html
    assert "Mine, typed with care</textarea>" in html
    assert 'name="version" value="1"' in html  # saving again is on the version now stored
    segment.refresh_from_db()
    assert segment.text == "First"
    assert SegmentEdit.objects.filter(segment=segment).count() == 1
    # Last write wins once it has seen the other's.
    assert (
        teammate_client.post(
            segment_url(segment), {"text": "Mine, typed with care", "version": 1}
        ).status_code
        == 302
    )
    segment.refresh_from_db()
    assert segment.text == "Mine, typed with care"


def test_observers_read_but_do_not_edit(observer_client: Client, transcript: Transcript):
    segment = Segment.objects.get(transcript=transcript, index=0)
    html = observer_client.get(page_url(transcript)).content.decode()
    assert "segments/" not in html
    assert "Move the notes" not in html
    assert observer_client.get(segment_url(segment)).status_code == 403
    response = observer_client.post(segment_url(segment), {"text": "Nope", "version": 0})
    assert response.status_code == 403
    segment.refresh_from_db()
    assert segment.text == "Line 0"
    assert not SegmentEdit.objects.exists()


def test_without_javascript_a_line_is_edited_on_a_page_of_its_own(
    owner_client: Client, transcript: Transcript
):
    segment = Segment.objects.get(transcript=transcript, index=2)
    html = owner_client.get(segment_url(segment)).content.decode()
    assert "<h1>Edit a line of the transcript</h1>" in html
    assert f'action="{segment_url(segment)}"' in html
    assert "Line 2</textarea>" in html
    assert f'href="{page_url(transcript)}#segment-{segment.pk}"' in html  # Cancel goes back


def test_an_empty_text_is_refused_with_a_message(owner_client: Client, transcript: Transcript):
    segment = Segment.objects.get(transcript=transcript, index=0)
    response = owner_client.post(segment_url(segment), {"text": "  ", "version": 0})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    segment.refresh_from_db()
    assert segment.text == "Line 0"


def note(interview: Interview, team: Team, seconds: int, text: str, kind=NoteKind.PAIN) -> Note:
    return Note.objects.create(
        interview=interview, author=team.owner, kind=kind, text=text, elapsed_seconds=seconds
    )


def order_of(html: str, *texts: str) -> list[int]:
    return [html.index(text) for text in texts]


def test_notes_sit_among_the_lines_at_their_time_and_move_with_the_offset(
    owner_client: Client, transcript: Transcript, team: Team, recording: Recording
):
    interview = transcript.interview
    # Lines at 0, 4, 8, 12, 16 s; notes 9 s and 30 s into the call.
    pain = note(interview, team, 9, "Closing the month takes four days")
    note(interview, team, 30, "Wants a weekly digest", NoteKind.SOLUTION_REQUEST)
    html = owner_client.get(page_url(transcript)).content.decode()
    first, pain_at, third, last = order_of(
        html,
        ">Line 2</p>",
        "Closing the month takes four days",
        ">Line 3</p>",
        "Wants a weekly digest",
    )
    assert first < pain_at < third < last
    assert "badge--note-pain" in html
    assert "<time>0:09</time>" in html
    wrapup = reverse("interviews:wrapup", kwargs={"ws": team.workspace.slug, "pk": interview.pk})
    assert f'href="{wrapup}#note-{pain.pk}"' in html
    # The recording began 6 seconds into the call: the pain is 3 s into the recording.
    moved = owner_client.post(page_url(transcript) + "offset/", {"seconds": "6"})
    assert moved.status_code == 302
    recording.refresh_from_db()
    assert recording.call_offset_seconds == 6
    html = owner_client.get(page_url(transcript)).content.decode()
    assert order_of(html, ">Line 0</p>", "Closing the month", ">Line 1</p>") == sorted(
        order_of(html, ">Line 0</p>", "Closing the month", ">Line 1</p>")
    )
    assert "<time>0:03</time>" in html
    # Bad input: a message, nothing changed.
    refused = owner_client.post(page_url(transcript) + "offset/", {"seconds": "soon"}, follow=True)
    assert "The notes were not moved" in refused.content.decode()
    recording.refresh_from_db()
    assert recording.call_offset_seconds == 6


def test_the_page_of_a_long_transcript_takes_a_fixed_number_of_queries(
    owner_client: Client, transcript: Transcript, team: Team
):
    url = page_url(transcript)
    note(transcript.interview, team, 5, "An early note")
    owner_client.get(url)  # the session, warmed
    with CaptureQueriesContext(connection) as few:
        assert owner_client.get(url).status_code == 200
    speaker = TranscriptSpeaker.objects.create(interview=transcript.interview, label="Speaker 2")
    Segment.objects.filter(transcript=transcript).delete()
    lines(transcript, speaker, 2500)
    for minute in range(1, 60):
        note(transcript.interview, team, minute * 60, f"Note {minute}")
    with CaptureQueriesContext(connection) as many:
        page = owner_client.get(url)
    assert len(many) == len(few)
    html = page.content.decode()
    assert html.count('class="transcript-line"') == 2500
    assert html.count('class="transcript-note"') == 60

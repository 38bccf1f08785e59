"""Highlights of a transcript, from the words selected to the quote that plays its moment:
the words found again in their lines with their own times, one speaker at a time; offered to
the summary under their points, marked as from the recording; quoted with the speaker and
the time on the recording; checked like a note's quote; named in the exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from heard.interviews.live import notes as live_notes
from heard.interviews.live import reads as live_reads
from heard.interviews.live.checks import Conflict, LiveError
from heard.interviews.models import (
    Consent,
    Note,
    NoteKind,
    NoteSource,
    Segment,
    SpeakerRole,
    Transcript,
    TranscriptSpeaker,
    TranscriptStatus,
)
from heard.interviews.recordings.moments import LEAD_SECONDS, Moments
from heard.interviews.recordings.services import delete_recording
from heard.interviews.transcripts import highlights
from heard.synthesis.findings import services as findings
from heard.synthesis.matrix import spreadsheet
from heard.synthesis.models import EvidenceBearing, Voice
from heard.synthesis.reviews import services as review
from heard.synthesis.summaries import checks, export, services
from tests.support.calls import Call
from tests.support.media import stored_recording
from tests.support.personas import Team

pytestmark = pytest.mark.django_db

# (speaker, start ms, end ms, words)
SAID = (
    ("interviewer", 0, 4000, "How do you build the weekly report?"),
    ("customer", 4500, 9300, "I copy numbers from five tools by hand."),
    ("customer", 9500, 12500, "It eats my whole Monday."),
    ("interviewer", 13000, 15000, "Why is that painful?"),
)
OFFSET = 30  # the recording starts 30 seconds into the call


def timed(start: int, end: int, text: str) -> list[list[object]]:
    """The words of a line, each with an even share of its time, as the model gives them."""
    words = text.split()
    step = (end - start) // len(words)
    return [[start + i * step, start + (i + 1) * step, f" {w}", 0.9] for i, w in enumerate(words)]


@pytest.fixture
def transcript(call: Call, team: Team, tmp_path: Path, settings) -> Transcript:
    settings.MEDIA_ROOT = tmp_path / "media"
    interview = call.interview
    interview.recording_consent = Consent.YES
    interview.save()
    recording = stored_recording(interview, team.owner, tmp_path)
    recording.duration, recording.call_offset_seconds = 120.0, OFFSET
    recording.save()
    found = Transcript.objects.create(
        interview=interview,
        recording=recording,
        source="transcribed",
        status=TranscriptStatus.READY,
        created_by=team.owner,
    )
    voices = {
        "interviewer": TranscriptSpeaker.objects.create(
            interview=interview, label="Channel 1", role=SpeakerRole.TEAM, user=team.owner
        ),
        "customer": TranscriptSpeaker.objects.create(
            interview=interview, label="Channel 2", role=SpeakerRole.PARTICIPANT
        ),
    }
    for index, (who, start, end, text) in enumerate(SAID):
        Segment.objects.create(
            transcript=found,
            index=index,
            start_ms=start,
            end_ms=end,
            speaker=voices[who],
            text=text,
            original_text=text,
            words=timed(start, end, text),
        )
    return found


def line(transcript: Transcript, index: int) -> Segment:
    return transcript.segments.get(index=index)


def word_time(index: int, word: str, *, end: bool = False) -> int:
    _, start, stop, text = SAID[index]
    found = next(w for w in timed(start, stop, text) if w[2] == f" {word}")
    return int(found[1 if end else 0])  # type: ignore[call-overload]


def test_words_are_found_in_their_line_with_their_own_times(transcript: Transcript) -> None:
    span = highlights.locate(transcript, line(transcript, 1).pk, None, "numbers  from\nfive tools")
    assert span.text == "numbers from five tools"
    assert span.start_ms == word_time(1, "numbers")
    assert span.end_ms == word_time(1, "tools", end=True)
    assert span.speaker is not None
    assert span.speaker.label == "Channel 2"


def test_words_may_run_over_lines_of_one_speaker(transcript: Transcript) -> None:
    first, last = line(transcript, 1), line(transcript, 2)
    span = highlights.locate(transcript, first.pk, last.pk, "by hand. It eats my")
    assert (span.first, span.last) == (first, last)
    assert span.start_ms == word_time(1, "by")
    assert span.end_ms == word_time(2, "my", end=True)
    # Selected from the bottom up, the same.
    assert highlights.locate(transcript, last.pk, first.pk, "by hand. It eats my") == span


@pytest.mark.parametrize(
    ("lines", "words", "reason"),
    [
        ((0, 1), "report? I copy", "one speaker"),
        ((1, None), "numbers from five apps", "not in the lines"),
        ((1, None), "   ", "Select the words"),
    ],
)
def test_words_that_cannot_be_highlighted_are_refused(
    transcript: Transcript, lines: tuple[int, int | None], words: str, reason: str
) -> None:
    first = line(transcript, lines[0]).pk
    last = line(transcript, lines[1]).pk if lines[1] is not None else None
    with pytest.raises(highlights.HighlightError, match=reason):
        highlights.locate(transcript, first, last, words)


def test_an_edited_line_gives_its_own_times(transcript: Transcript) -> None:
    edited = line(transcript, 1)
    edited.text = "I copy the numbers from five tools by hand."
    edited.save()
    span = highlights.locate(transcript, edited.pk, None, "the numbers")
    assert (span.start_ms, span.end_ms) == (4500, 9300)


def highlight(transcript: Transcript, team: Team, call: Call, words: str, index: int) -> Note:
    span = highlights.locate(transcript, line(transcript, index).pk, None, words)
    return highlights.add(transcript, span, NoteKind.PAIN, [call.points[1]], team.owner)


def test_a_highlight_is_offered_quoted_and_plays_its_moment(
    transcript: Transcript, team: Team, call: Call
) -> None:
    note = highlight(transcript, team, call, "copy numbers from five tools", 1)
    assert note.source == NoteSource.RECORDING
    assert note.is_highlight
    # On the call's clock: its start on the recording, plus where the recording starts.
    assert note.elapsed_seconds == word_time(1, "copy") // 1000 + OFFSET

    summary = services.start_summary(call.interview, team.owner)
    offered = services.offered(summary, services.notes_of(summary))
    # Offered under the point it was marked with, though it was on no guide question.
    assert note in offered.by_point[call.points[1].pk]
    assert note not in offered.unlinked

    quote = services.add_quote(summary, call.points[1], team.owner, note)
    assert quote.from_transcript
    assert (quote.start_ms, quote.end_ms) == (note.start_ms, note.end_ms)
    assert quote.recording_id == transcript.recording_id
    assert quote.voice == Voice.THEIRS  # a pain, yet word for word what they said
    assert quote.when == "00:05 in the recording"  # "copy", a second into the line

    moments = Moments(team.workspace.slug, [call.interview.pk])
    moments.mark_quotes([quote], call.interview)
    assert quote.said_by == "Nickole Barros"  # the speaker mapped to the participant
    moment = quote.moment
    assert moment is not None
    assert (moment.start, moment.end) == (note.start_ms / 1000, note.end_ms / 1000)
    assert moment.url.endswith(f"/recordings/{transcript.recording_id}/play/")
    assert moment.href == f"{moment.url}#t={moment.start:.1f},{moment.end:.1f}"


def test_a_note_of_the_call_plays_from_the_recording_that_covers_it(
    transcript: Transcript, team: Team, call: Call
) -> None:
    moments = Moments(team.workspace.slug, [call.interview.pk])
    moment = moments.on_call(call.interview.pk, 50)
    assert moment is not None
    assert (moment.start, moment.end) == (50 - OFFSET - LEAD_SECONDS, None)
    assert moments.on_call(call.interview.pk, 10) is None  # before the recording began
    assert moments.on_call(call.interview.pk, OFFSET + 121) is None  # after it ended


def test_the_checks_treat_a_highlight_quote_like_a_note_quote(
    transcript: Transcript, team: Team, call: Call
) -> None:
    note = highlight(transcript, team, call, "copy numbers from five tools", 1)
    summary = services.start_summary(call.interview, team.owner)
    quote = services.add_quote(summary, call.points[1], team.owner, note)
    services.edit_quote(quote, text="copy numbers from many tools")

    def fired() -> dict[str, str]:
        found = checks.objectivity_checks(services.entries(summary))
        return {str(r.check): r.message for r in found if r.quote is not None}

    assert "not the highlight's words any more" in fired()[checks.Check.EDITED]
    highlights.remove(note)
    assert "highlight was removed from the transcript" in fired()[checks.Check.SOURCE_GONE]


def test_deleting_the_transcript_removes_its_highlights_and_keeps_the_quotes_moment(
    transcript: Transcript, team: Team, call: Call, client: Client
) -> None:
    note = highlight(transcript, team, call, "It eats my whole Monday.", 2)
    summary = services.start_summary(call.interview, team.owner)
    quote = services.add_quote(summary, call.points[1], team.owner, note)
    client.force_login(team.owner)
    base = f"/w/{team.workspace.slug}/interviews/{call.interview.pk}/transcripts/"
    page = client.get(f"{base}{transcript.pk}/delete/")
    assert "1 of them is quoted in the summary" in page.content.decode()
    client.post(f"{base}{transcript.pk}/delete/")
    note.refresh_from_db()
    assert note.deleted_at is not None
    quote.refresh_from_db()
    assert quote.source_is_gone
    moments = Moments(team.workspace.slug, [call.interview.pk])
    assert moments.of_quote(quote, call.interview.pk) is not None  # the recording stays


def test_the_exports_name_the_speaker_and_the_time_on_the_recording(
    transcript: Transcript, team: Team, call: Call
) -> None:
    note = highlight(transcript, team, call, "It eats my whole Monday.", 2)
    summary = services.start_summary(call.interview, team.owner)
    quote = services.add_quote(summary, call.points[1], team.owner, note)
    markdown = export.summary_markdown(summary, services.entries(summary), [], "/wrap-up")
    assert "> “It eats my whole Monday.”" in markdown or "It eats my whole Monday." in markdown
    assert "> — Nickole Barros, 00:09 in the recording" in markdown
    quote = type(quote).objects.select_related("note", "speaker").get(pk=quote.pk)
    cell = spreadsheet.said([quote], call.interview)
    assert cell == "“It eats my whole Monday.” (Nickole Barros, 00:09 in the recording)"
    assert spreadsheet.speaker(quote, call.interview, {}) == "Nickole Barros (from the recording)"


def test_researchers_highlight_observers_read(
    transcript: Transcript, team: Team, call: Call, client: Client
) -> None:
    base = f"/w/{team.workspace.slug}/interviews/{call.interview.pk}/transcripts/{transcript.pk}/"
    first = line(transcript, 1)
    form = {"first": first.pk, "words": "five tools by hand", "kind": "pain"}
    form["points"] = str(call.points[0].pk)
    client.force_login(team.observer)
    assert client.post(f"{base}highlight/", form).status_code == 403
    page = client.get(base).content.decode()
    assert "Highlight</a>" not in page
    client.force_login(team.owner)
    # Words that the line does not hold are refused: nothing typed passes for what was said.
    forged = client.post(f"{base}highlight/", {**form, "words": "five tools, easily"})
    assert forged.status_code == 400
    assert "not in the lines selected" in forged.content.decode()
    assert not Note.objects.filter(source=NoteSource.RECORDING).exists()
    # The line's own "Highlight" opens the form with its words.
    opened = client.get(f"{base}highlight/?first={first.pk}").content.decode()
    assert "I copy numbers from five tools by hand." in opened
    answer = client.post(f"{base}highlight/", form)
    assert answer.status_code == 302
    assert answer["Location"].endswith(f"#segment-{first.pk}")
    note = Note.objects.get(source=NoteSource.RECORDING)
    assert list(note.points.all()) == [call.points[0]]
    page = client.get(base).content.decode()
    assert f'id="highlight-{note.pk}"' in page
    assert "five tools by hand" in page
    # Changing its kind and points keeps its words.
    client.post(f"{base}highlights/{note.pk}/", {"kind": "quote", "points": []})
    note.refresh_from_db()
    assert (note.kind, note.text, list(note.points.all())) == ("quote", "five tools by hand", [])
    client.post(f"{base}highlights/{note.pk}/delete/")
    note.refresh_from_db()
    assert note.deleted_at is not None
    assert f'id="highlight-{note.pk}"' not in client.get(base).content.decode()


def test_the_summary_and_the_matrix_play_a_quote_from_the_recording(
    transcript: Transcript, team: Team, call: Call, client: Client
) -> None:
    note = highlight(transcript, team, call, "It eats my whole Monday.", 2)
    summary = services.start_summary(call.interview, team.owner)
    ws, interview = team.workspace.slug, call.interview
    play = f"/w/{ws}/interviews/{interview.pk}/recordings/{transcript.recording_id}/play/"
    client.force_login(team.observer)
    page = client.get(f"/w/{ws}/interviews/{interview.pk}/summary/").content.decode()
    assert "From the recording" not in page  # observers see no candidates
    client.force_login(team.owner)
    page = client.get(f"/w/{ws}/interviews/{interview.pk}/summary/").content.decode()
    assert "From the recording" in page
    assert f'href="{play}#t=9.5,12.5"' in page  # the candidate plays its moment
    services.add_quote(summary, call.points[1], team.owner, note)
    matrix = client.get(f"/w/{ws}/studies/{interview.study.pk}/matrix/").content.decode()
    assert f'data-moment-src="{play}"' in matrix
    assert 'data-moment-start="9.500"' in matrix
    assert "Nickole Barros</span>, from the recording" in matrix


def test_a_point_a_highlight_bears_on_is_archived_not_deleted(
    transcript: Transcript, team: Team, call: Call, client: Client
) -> None:
    note = highlight(transcript, team, call, "It eats my whole Monday.", 2)
    point = call.points[1]
    address = (
        f"/w/{team.workspace.slug}/studies/{call.interview.study.pk}/points/{point.pk}/delete/"
    )
    client.force_login(team.owner)
    assert "1 highlight of a transcript" in client.get(address).content.decode()
    client.post(address)
    point.refresh_from_db()
    assert point.is_archived
    assert list(note.points.all()) == [point]


def test_the_finding_page_and_presenter_mode_play_a_quote_from_the_recording(
    transcript: Transcript, team: Team, call: Call, client: Client
) -> None:
    note = highlight(transcript, team, call, "It eats my whole Monday.", 2)
    summary = services.start_summary(call.interview, team.owner)
    quote = services.add_quote(summary, call.points[1], team.owner, note)
    study = call.interview.study
    finding = findings.create_finding(study, team.owner, "Mondays go to reports", [call.points[1]])
    findings.pick(finding, team.owner, EvidenceBearing.SUPPORTS, quote=quote)
    meeting = review.start_review(study, team.owner)
    ws = team.workspace.slug
    play = f'data-moment-src="/w/{ws}/interviews/{call.interview.pk}/recordings/'
    client.force_login(team.observer)
    page = client.get(f"/w/{ws}/studies/{study.pk}/findings/{finding.pk}/").content.decode()
    assert play in page
    assert "Nickole Barros</span>, from the recording" in page
    presenter = client.get(f"/w/{ws}/reviews/{meeting.pk}/present/").content.decode()
    assert play in presenter
    assert 'data-moment-start="9.500"' in presenter
    client.force_login(team.owner)  # the evidence picker, for researchers
    picker = client.get(f"/w/{ws}/studies/{study.pk}/findings/{finding.pk}/evidence/")
    assert play in picker.content.decode()  # the quote it offers plays its moment


def test_the_live_call_cannot_change_or_delete_a_highlight(
    transcript: Transcript, team: Team, call: Call
) -> None:
    note = highlight(transcript, team, call, "It eats my whole Monday.", 2)
    forged = {"id": str(note.pk), "kind": "pain", "text": "Mondays are fine", "elapsed_seconds": 5}
    with pytest.raises(Conflict):
        live_notes.save_note(call.interview, team.owner, forged)
    with pytest.raises(LiveError):
        live_notes.set_note_deleted(call.interview, team.owner, str(note.pk), deleted=True)
    with pytest.raises(LiveError):
        live_notes.set_note_question(call.interview, team.owner, str(note.pk), None)
    note.refresh_from_db()
    assert (note.text, note.deleted_at) == ("It eats my whole Monday.", None)
    # Nor does the live screen show it among the call's notes.
    assert note not in list(live_reads.live_notes(call.interview))


def test_words_said_twice_are_placed_where_they_were_selected(transcript: Transcript) -> None:
    twice = line(transcript, 1)
    twice.text = twice.original_text = "by hand, all by hand"
    twice.words = timed(4500, 9300, twice.text)
    twice.save()
    first = highlights.locate(transcript, twice.pk, None, "by hand")
    second = highlights.locate(transcript, twice.pk, None, "by hand", at=13)
    assert first.start_ms == twice.words[0][0]
    assert second.start_ms == twice.words[3][0]  # "by", the second time
    assert second.end_ms == twice.words[4][1]


def test_a_transcript_still_running_is_not_highlighted(transcript: Transcript) -> None:
    transcript.status = TranscriptStatus.RUNNING
    transcript.save()
    with pytest.raises(highlights.HighlightError, match="once it is ready"):
        highlights.locate(transcript, line(transcript, 1).pk, None, "five tools")


def test_deleting_the_recording_with_its_transcripts_flags_the_quotes(
    transcript: Transcript, team: Team, call: Call
) -> None:
    note = highlight(transcript, team, call, "It eats my whole Monday.", 2)
    summary = services.start_summary(call.interview, team.owner)
    quote = services.add_quote(summary, call.points[1], team.owner, note)
    assert transcript.recording is not None
    delete_recording(transcript.recording, with_transcripts=True)
    note.refresh_from_db()
    assert note.deleted_at is not None
    quote.refresh_from_db()
    assert quote.source_is_gone
    assert quote.when == "00:09 in the recording"  # its time stays, no longer playable
    assert Moments(team.workspace.slug, [call.interview.pk]).of_quote(quote, 0) is None


def test_moving_the_recording_moves_its_highlights_on_the_calls_clock(
    transcript: Transcript, team: Team, call: Call
) -> None:
    note = highlight(transcript, team, call, "It eats my whole Monday.", 2)
    assert note.elapsed_seconds == 9 + OFFSET
    recording = transcript.recording
    assert recording is not None
    recording.call_offset_seconds = 100
    recording.save()
    assert highlights.follow_offset(recording) == 1
    note.refresh_from_db()
    assert note.elapsed_seconds == 109


def test_the_interviewers_own_words_are_the_teams_not_the_customers(
    transcript: Transcript, team: Team, call: Call
) -> None:
    span = highlights.locate(transcript, line(transcript, 3).pk, None, "Why is that painful?")
    note = highlights.add(transcript, span, NoteKind.QUOTE, [call.points[1]], team.owner)
    summary = services.start_summary(call.interview, team.owner)
    quote = services.add_quote(summary, call.points[1], team.owner, note)
    assert quote.voice == Voice.TEAM
    assert quote.marked().startswith("[The team's words, from the recording, not theirs]")

"""Redaction: words of a transcript or a note taken out for good, everywhere the interview
keeps them (the line, its history and timed words, highlights, quotes, the live log, the
search, every download), the recording's playback copy silent where they were said, a later
transcript of the recording redacted at the same times; suggestions of addresses, numbers
and known names; researchers only."""

from __future__ import annotations

import datetime
from pathlib import Path

import av
import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from heard.accounts.audit import lines
from heard.accounts.models import AuditAction, AuditEntry
from heard.interviews.models import (
    REDACTED,
    LiveEvent,
    Note,
    NoteKind,
    Recording,
    Redaction,
    RedactionReason,
    Segment,
    SegmentEdit,
)
from heard.interviews.recordings import services as recordings
from heard.interviews.transcripts import editing
from heard.interviews.transcripts.imports import import_transcript
from heard.privacy import redaction, suggestions
from heard.privacy.cuts import Cut, RedactionError, cuts_of_selection
from heard.search import query, results
from heard.search.models import Entry
from heard.synthesis.models import Quote
from tests.support import factories
from tests.support.calls import held_with_transcript, planned_study
from tests.support.media import stored_recording
from tests.support.personas import Team
from tests.support.privacy import NAME, PHONE, PHRASE, World, build

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


@pytest.fixture
def world(team: Team, tmp_path: Path) -> World:
    return build(team, tmp_path)


def _line(world: World, starts: str) -> Segment:
    return Segment.objects.get(transcript=world.transcript, text__startswith=starts)


def _page_url(world: World, **query: str) -> str:
    url = reverse(
        "privacy:redact", kwargs={"ws": world.team.workspace.slug, "pk": world.interview.pk}
    )
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _texts_of_interview(world: World) -> str:
    """Everything the interview's pages and downloads show, joined."""
    ws, pk, tpk = world.team.workspace.slug, world.interview.pk, world.transcript.pk
    client = world.team.client_for(world.team.owner)
    pages = [
        reverse("transcripts:detail", kwargs={"ws": ws, "pk": pk, "transcript_pk": tpk}),
        reverse("interviews:wrapup", kwargs={"ws": ws, "pk": pk}),
        reverse("summaries:detail", kwargs={"ws": ws, "pk": pk}),
        reverse("summaries:markdown", kwargs={"ws": ws, "pk": pk}),
        *(
            reverse(
                "transcripts:download",
                kwargs={"ws": ws, "pk": pk, "transcript_pk": tpk, "fmt": fmt},
            )
            for fmt in ("vtt", "srt", "txt", "json")
        ),
    ]
    return "\n".join(client.get(url).content.decode() for url in pages)


def test_words_selected_across_lines_go_everywhere(world: World) -> None:
    second, third = _line(world, "Monday"), _line(world, "Call me")
    words = f"every single week. Call me on {PHONE}"
    edited = third.text.replace(" if ", " when ")
    editing.edit_segment(third, edited, third.speaker, third.version, world.team.owner)
    assert SegmentEdit.objects.filter(segment=third).exists()
    at = second.text.index("every")
    assert PHONE in _texts_of_interview(world)

    response = world.team.client_for(world.team.owner).post(
        _page_url(world),
        {"mode": "selection", "transcript": world.transcript.pk, "first": second.pk,
         "last": third.pk, "words": words, "at": at},
    )  # fmt: skip

    assert response.status_code == 302
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.text == f"Monday mornings go to {PHRASE}, {REDACTED}"
    assert third.text == f"{REDACTED} when the beta is ready."
    assert third.original_text == f"{REDACTED} if the beta is ready."
    shown = _texts_of_interview(world)
    assert PHONE not in shown
    assert "single week" not in shown
    assert "1234 5678" not in str(list(SegmentEdit.objects.values_list("old_text", "new_text")))
    assert not Entry.objects.filter(interview=world.interview, text__contains="5678").exists()
    search, _ = results.matching(world.team.workspace, query.read('"beta is ready"'))
    assert [REDACTED in text for text in search.found().values_list("text", flat=True)] == [True]
    assert Redaction.objects.filter(interview=world.interview).count() == 2
    assert not Redaction.objects.filter(characters=0).exists()
    entry = AuditEntry.objects.get(action=AuditAction.REDACTED)
    assert entry.details["lines"] == 2
    assert entry.actor == world.team.owner
    assert PHONE not in str(entry.__dict__)
    log = world.team.client_for(world.team.owner).get(
        reverse("audit:log", kwargs={"ws": world.team.workspace.slug})
    )
    assert "redacted words of" in log.content.decode()
    assert "(2 spans in 2 lines: chosen words; the sound silenced)" in log.content.decode()


def test_copies_of_the_words_lose_them_but_other_words_stay(world: World) -> None:
    line = _line(world, "Monday")
    cuts = cuts_of_selection(world.transcript, line.pk, None, PHRASE, None)
    done = redaction.redact(world.interview, cuts, world.team.owner)

    assert done.copies >= 3  # the highlight, the quote note, the summary's quote
    copies = Note.objects.filter(interview=world.interview).exclude(
        kind=NoteKind.PAIN, source="call"
    )
    assert set(copies.values_list("text", flat=True)) == {REDACTED}
    assert copies.filter(source="recording").exists()
    assert Quote.objects.get(point_summary__summary__interview=world.interview).text == REDACTED
    assert PHRASE not in str(list(LiveEvent.objects.values_list("payload", flat=True)))
    # The pain note names the participant, which nobody asked to redact: it stays.
    assert Note.objects.get(
        interview=world.interview, kind=NoteKind.PAIN, source="call"
    ).text.startswith(NAME)
    assert PHRASE not in _texts_of_interview(world)
    matrix = world.team.client_for(world.team.owner).get(
        reverse("matrix:csv", kwargs={"ws": world.team.workspace.slug, "pk": world.plan.study.pk})
    )
    exported = b"".join(matrix.streaming_content).decode("utf-8-sig")
    assert REDACTED in exported
    assert PHRASE not in exported


def test_a_line_changed_since_the_words_were_chosen_refuses_the_whole_redaction(
    world: World,
) -> None:
    line = _line(world, "Monday")
    cuts = cuts_of_selection(world.transcript, line.pk, None, PHRASE, None)
    editing.edit_segment(
        line, "Mondays are fine now.", line.speaker, line.version, world.team.owner
    )
    with pytest.raises(RedactionError, match="changed since"):
        redaction.redact(world.interview, cuts, world.team.owner)
    assert not Redaction.objects.exists()
    assert Note.objects.get(interview=world.interview, kind=NoteKind.QUOTE).text == PHRASE


def test_a_note_is_redacted_and_the_live_log_keeps_no_old_words(world: World) -> None:
    pain = Note.objects.get(interview=world.interview, kind=NoteKind.PAIN, source="call")
    client = world.team.client_for(world.team.teammate)
    page = client.get(_page_url(world, note=str(pain.pk)))
    assert page.status_code == 200
    assert "Words to redact" in page.content.decode()

    response = client.post(_page_url(world), {"mode": "typed", "note": pain.pk, "words": NAME})

    assert response.status_code == 302
    pain.refresh_from_db()
    assert pain.text == f"{REDACTED} loses Mondays to reports"
    payloads = str(
        list(LiveEvent.objects.filter(interview=world.interview).values_list("payload", flat=True))
    )
    assert NAME not in payloads
    assert f"{REDACTED} loses Mondays" in payloads


def test_suggestions_find_addresses_numbers_and_known_names(world: World) -> None:
    finders = suggestions.finders_for(world.interview)
    text = (
        "Write to nickole@brightpath.example or call +1 (415) 555-0199; card 4111 1111 1111 1111, "
        "order 1234 5678 9012 3456. Bo Chen at Brightpath Analytics said Nickole will go."
    )
    found = {text[a:b]: reason for a, b, reason in suggestions.found_in(text, finders)}
    assert found == {
        "nickole@brightpath.example": "email",
        "+1 (415) 555-0199": "phone",
        "4111 1111 1111 1111": "card",
        "1234 5678 9012 3456": "phone",  # not a card number's checksum
        "Bo Chen": "name",
        "Brightpath Analytics": "company",
        "Nickole": "name",
    }
    assert "will" not in found  # a name of one word is matched as written


def test_ticked_suggestions_are_redacted_and_the_rest_stay(world: World) -> None:
    client = world.team.client_for(world.team.owner)
    page = client.get(_page_url(world)).content.decode()
    assert "Phone number" in page
    assert "Name" in page
    listed, _ = suggestions.suggest(world.interview)
    phone = next(s for s in listed if s.cut.reason == "phone" and s.cut.kind == "segment")
    key = phone.cut.key

    response = client.post(
        _page_url(world),
        {
            "mode": "suggested",
            "cut": [key],
            f"words:{key}": phone.cut.words,
            f"reason:{key}": "phone",
        },
    )

    assert response.status_code == 302
    assert _line(world, "Call me").text == f"Call me on {REDACTED} if the beta is ready."
    assert Redaction.objects.get().reason == "phone"
    assert any(s.cut.reason == "name" for s in suggestions.suggest(world.interview)[0])
    # A forged suggestion is refused.
    forged = client.post(_page_url(world), {"mode": "suggested", "cut": ["segment:1:0:5"]})
    assert forged.status_code == 400


def test_observers_may_not_redact(world: World) -> None:
    client = world.team.client_for(world.team.observer)
    assert client.get(_page_url(world)).status_code == 403
    line = _line(world, "Monday")
    response = client.post(
        _page_url(world),
        {"mode": "typed", "transcript": world.transcript.pk, "first": line.pk, "words": "Monday"},
    )
    assert response.status_code == 403
    assert not Redaction.objects.exists()


# The sound -----------------------------------------------------------------------------------

TIMED = (
    (0, 3, "Tom", "Hello there, thanks for joining."),
    (4, 8, "Ana", "Call me on 555 0199 any day."),
    (9, 12, "Tom", "Thanks, that is all."),
)


def _loudness(path: Path, start: float, end: float) -> float:
    """The loudest sample of `path` between `start` and `end` seconds."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        chunks = []
        for frame in container.decode(stream):
            at = float(frame.pts * frame.time_base) if frame.pts is not None else 0.0
            if at + frame.samples / frame.sample_rate < start or at > end:
                continue
            samples = frame.to_ndarray()
            first = max(0, round((start - at) * frame.sample_rate))
            last = min(frame.samples, round((end - at) * frame.sample_rate))
            if last > first:
                chunks.append(np.abs(samples[:, first:last]).max())
    return float(max(chunks)) if chunks else 0.0


def test_the_playback_copy_is_silent_where_words_were_redacted_and_stays_so(
    team: Team, tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    plan = planned_study(team.workspace, ("Calls",))
    ana = factories.participant(team.workspace, name="Ana Silva", email="ana@example.com")
    when = timezone.now() - datetime.timedelta(days=1)
    interview, transcript = held_with_transcript(
        plan, ana, team.owner, when, TIMED, {"Tom": team.owner}
    )
    recording = stored_recording(interview, team.owner, tmp_path, seconds=12)
    recordings.make_playback_again(recording)  # a real copy of the tone, to compare with
    recording.refresh_from_db()
    transcript.recording = recording
    transcript.save()
    line = Segment.objects.get(transcript=transcript, index=1)
    line.words = [
        [4000, 4400, " Call", 0.9], [4400, 4700, " me", 0.9], [4700, 5000, " on", 0.9],
        [5000, 5600, " 555", 0.9], [5600, 6200, " 0199", 0.9], [6200, 6800, " any", 0.9],
        [6800, 7200, " day.", 0.9],
    ]  # fmt: skip
    line.save()
    before = Path(tmp_path / "before.m4a")
    before.write_bytes(recording.playback.read())
    recording.playback.close()
    assert _loudness(before, 5.1, 6.1) > 0.1

    with django_capture_on_commit_callbacks(execute=True):
        cuts = cuts_of_selection(transcript, line.pk, None, "555 0199", None)
        done = redaction.redact(interview, cuts, team.owner)

    assert done.recordings == 1
    line.refresh_from_db()
    assert line.text == f"Call me on {REDACTED} any day."
    assert [w[2] for w in line.words] == [" Call", " me", " on", REDACTED, " any", " day."]
    assert Redaction.objects.get().start_ms == 5000
    assert Redaction.objects.get().end_ms == 6200
    recording.refresh_from_db()
    assert recording.is_ready
    assert recording.playback.name
    after = Path(tmp_path / "after.m4a")
    after.write_bytes(recording.playback.read())
    recording.playback.close()
    assert _loudness(after, 5.0, 6.2) < 0.01
    assert _loudness(after, 1.0, 4.5) > 0.1
    assert _loudness(after, 6.6, 11.0) > 0.1

    # A researcher downloads the redacted copy; an owner the original.
    url = reverse(
        "recordings:original",
        kwargs={"ws": team.workspace.slug, "pk": interview.pk, "recording_pk": recording.pk},
    )
    researcher = team.client_for(team.teammate).get(url)
    assert researcher.status_code == 200
    assert "-redacted.m4a" in researcher["Content-Disposition"]
    owner = team.client_for(team.owner).get(url)
    assert owner["Content-Disposition"].endswith('.mp3"')

    # A transcript of the recording read again is redacted at the same time.
    vtt = (
        "WEBVTT\n\n00:00:04.000 --> 00:00:08.000\nAna: Call me on 555 0199 any day.\n\n"
        "00:00:09.000 --> 00:00:12.000\nTom: Thanks, that is all.\n"
    )
    again = import_transcript(
        interview, team.owner, SimpleUploadedFile("again.vtt", vtt.encode()), recording
    )
    texts = list(
        Segment.objects.filter(transcript=again).order_by("index").values_list("text", flat=True)
    )
    assert texts == [REDACTED, "Thanks, that is all."]
    assert Recording.objects.get().redactions.count() == 1


def test_the_audit_log_words_every_reason() -> None:
    assert set(lines.REASONS) == set(RedactionReason.values)


def test_a_forged_note_id_is_refused_with_a_message(world: World) -> None:
    client = world.team.client_for(world.team.owner)
    key = "note:not-a-uuid:0:5"
    response = client.post(
        _page_url(world),
        {"mode": "suggested", "cut": [key], f"words:{key}": "Hello", f"reason:{key}": "name"},
    )
    assert response.status_code == 400
    assert "not in this interview" in response.content.decode()


def test_words_a_line_does_not_hold_are_refused_and_the_form_stays(world: World) -> None:
    line = _line(world, "Monday")
    response = world.team.client_for(world.team.owner).post(
        _page_url(world),
        {"mode": "typed", "transcript": world.transcript.pk, "first": line.pk, "words": "Tuesday"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "not in the lines selected" in page
    assert "Words to redact" in page
    assert not Redaction.objects.exists()


def test_ids_written_otherwise_are_the_same_rows(world: World) -> None:
    line = _line(world, "Call me")
    start = line.text.index(PHONE)
    key = f"segment:00{line.pk}:{start}:{start + len(PHONE)}"
    cut = Cut.parse(key, PHONE, "phone")
    redaction.redact(world.interview, [cut], world.team.owner)
    assert PHONE not in _line(world, "Call me").text

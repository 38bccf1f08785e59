"""Transcripts of an interview: imported from other tools' files with or without a recording,
kept whole or not at all, read on their page in a fixed number of queries, downloaded with the
speakers' mapped names; who each speaker is, suggested and saved; deleting a recording."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heard.interviews.models import (
    Interview,
    Recording,
    Segment,
    SpeakerRole,
    TeamMember,
    TeamRole,
    Transcript,
    TranscriptSource,
    TranscriptSpeaker,
    TranscriptStatus,
)
from heard.interviews.transcripts import formats, speakers, store
from heard.interviews.transcripts.imports import import_transcript
from tests.support.personas import Team
from tests.support.transcripts import imported_transcript, upload_of

pytestmark = pytest.mark.usefixtures("private_media")


def kwargs(interview: Interview, team: Team, **more: object) -> dict[str, object]:
    return {"ws": team.workspace.slug, "pk": interview.pk, **more}


def post_import(client: Client, interview: Interview, team: Team, name: str, **data: object):
    return client.post(
        reverse("transcripts:import", kwargs=kwargs(interview, team)),
        {"file": upload_of(name), **data},
    )


@pytest.mark.parametrize(
    ("name", "fmt", "first", "speaker"),
    [
        ("zoom.vtt", "vtt", "Thanks for making the time today.", "Ana Ruiz"),
        ("interview.srt", "srt", "How do you track spend?", "Ana Ruiz"),
        ("otter.txt", "otter-txt", "Thanks for joining. Tell me about the last close.", "Ana Ruiz"),
        ("heard.json", "json", "How often?", "Ana Ruiz"),
        ("meet.md", "txt", None, None),
    ],
)
def test_a_file_of_each_format_imports_with_its_speakers(
    owner_client: Client, interview: Interview, team: Team, name, fmt, first, speaker
):
    response = post_import(owner_client, interview, team, name)
    transcript = Transcript.objects.get(interview=interview)
    assert response.status_code == 302
    assert response.url == reverse(
        "transcripts:detail", kwargs=kwargs(interview, team, transcript_pk=transcript.pk)
    )
    assert transcript.source == TranscriptSource.IMPORTED
    assert transcript.source_format == fmt
    assert transcript.status == TranscriptStatus.READY
    assert transcript.recording is None
    assert transcript.original_name == name
    document = formats.read(
        (Path(__file__).parent.parent / "transcripts/fixtures" / name).read_bytes(), name
    )
    rows = list(store.segments_of(transcript))
    assert [row.text for row in rows] == [s.text.strip() for s in document.segments]
    assert [row.index for row in rows] == list(range(len(rows)))
    if first:
        assert rows[0].text == first
        assert rows[0].speaker is not None
        assert rows[0].speaker.label == speaker
    labels = set(
        TranscriptSpeaker.objects.filter(interview=interview).values_list("label", flat=True)
    )
    assert labels == set(document.speakers)


def test_times_are_whole_milliseconds_and_words_are_kept(owner_client, interview, team):
    post_import(owner_client, interview, team, "heard.json")
    first = Segment.objects.get(transcript__interview=interview, index=0)
    assert (first.start_ms, first.end_ms) == (500, 2250)
    assert first.words == [[500, 900, "How", 0.98], [900, 2250, "often?", None]]
    assert first.original_text == first.text
    assert not first.edited


def test_an_import_belongs_to_the_recording_chosen_and_warns_when_it_runs_longer(
    owner_client: Client, interview: Interview, team: Team, recording: Recording
):
    # The recording lasts 2 s; the Zoom transcript runs to about a minute: told, still kept.
    response = post_import(owner_client, interview, team, "zoom.vtt", recording=recording.pk)
    transcript = Transcript.objects.get(interview=interview)
    assert transcript.recording == recording
    assert any("but the recording lasts 0:02" in w for w in transcript.warnings)
    page = owner_client.get(response.url)
    assert "but the recording lasts 0:02" in page.content.decode()


def test_a_recording_of_another_interview_is_refused(
    owner_client: Client, interview: Interview, team: Team, recording: Recording, study, participant
):
    from tests.support import factories

    other = factories.interview(study, participant)
    response = post_import(owner_client, other, team, "zoom.vtt", recording=recording.pk)
    assert response.status_code == 302
    assert not Transcript.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.vtt", b"", "empty"),
        ("notes.pdf", b"%PDF-1.4\x00\x01\x02binary", "Heard cannot tell what this file is"),
        ("broken.docx", b"PK\x03\x04 not really a zip", ""),
    ],
)
def test_a_broken_file_imports_nothing_and_says_why(
    owner_client: Client, interview: Interview, team: Team, name, data, reason
):
    response = owner_client.post(
        reverse("transcripts:import", kwargs=kwargs(interview, team)),
        {"file": upload_of(name, data)},
        follow=True,
    )
    page = response.content.decode()
    assert "Nothing was imported." in page
    assert reason in page
    assert not Transcript.objects.exists()
    assert not Segment.objects.exists()
    assert not TranscriptSpeaker.objects.exists()


def test_an_import_that_fails_midway_leaves_nothing(
    interview: Interview, team: Team, monkeypatch: pytest.MonkeyPatch
):
    """The transcript, its speakers and segments are one transaction."""

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Segment.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        import_transcript(interview, team.owner, upload_of("zoom.vtt"), None)
    assert not Transcript.objects.exists()
    assert not TranscriptSpeaker.objects.exists()


def test_the_import_route_takes_a_whole_transcript_file():
    assert settings.HEARD_TRANSCRIPT_IMPORT_MAX_BYTES == formats.MAX_BYTES
    assert settings.HEARD_BODY_LIMITS["transcripts:import"] > formats.MAX_BYTES


def test_a_second_import_for_the_same_recording_supersedes_the_first(
    interview: Interview, team: Team, recording: Recording
):
    first = imported_transcript(interview, team.owner, recording)
    unrelated = imported_transcript(interview, team.owner, None, "heard.json")
    second = imported_transcript(interview, team.owner, recording, "interview.srt")
    first.refresh_from_db()
    unrelated.refresh_from_db()
    second.refresh_from_db()
    assert not first.is_current
    assert second.is_current
    assert unrelated.is_current


def test_the_page_lists_every_line_in_a_fixed_number_of_queries(
    owner_client: Client, interview: Interview, team: Team
):
    transcript = imported_transcript(interview, team.owner)
    url = reverse("transcripts:detail", kwargs=kwargs(interview, team, transcript_pk=transcript.pk))
    owner_client.get(url)  # the session, warmed
    with CaptureQueriesContext(connection) as few:
        assert owner_client.get(url).status_code == 200
    speaker = TranscriptSpeaker.objects.create(interview=interview, label="Speaker 9")
    Segment.objects.bulk_create(
        Segment(
            transcript=transcript,
            index=100 + i,
            start_ms=60_000 + i * 1000,
            end_ms=60_500 + i * 1000,
            speaker=speaker,
            text=f"Line {i}",
            original_text=f"Line {i}",
        )
        for i in range(2500)
    )
    with CaptureQueriesContext(connection) as many:
        page = owner_client.get(url)
    assert len(many) == len(few)
    html = page.content.decode()
    assert html.count('class="transcript-line"') == 2500 + 4
    assert 'dir="auto">Line 2499</p>' in html


def test_mapped_names_show_on_the_page_and_in_every_download(
    owner_client: Client, interview: Interview, team: Team
):
    transcript = imported_transcript(interview, team.owner)
    ana = TranscriptSpeaker.objects.get(interview=interview, label="Ana Ruiz")
    bo = TranscriptSpeaker.objects.get(interview=interview, label="Bo Chen")
    response = owner_client.post(
        reverse("transcripts:speakers", kwargs=kwargs(interview, team)),
        {
            f"speaker-{ana.pk}": f"user:{team.owner.pk}",
            f"speaker-{bo.pk}": "participant",
        },
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.role == SpeakerRole.UNKNOWN
    # The owner is not on the interview's team: not a choice, so not saved. Put them on it.
    TeamMember.objects.create(interview=interview, user=team.owner, role=TeamRole.INTERVIEWER)
    owner_client.post(
        reverse("transcripts:speakers", kwargs=kwargs(interview, team)),
        {
            f"speaker-{ana.pk}": f"user:{team.owner.pk}",
            f"speaker-{bo.pk}": "participant",
        },
    )
    ana.refresh_from_db()
    bo.refresh_from_db()
    assert (ana.role, ana.user) == (SpeakerRole.TEAM, team.owner)
    assert bo.role == SpeakerRole.PARTICIPANT
    page = owner_client.get(
        reverse("transcripts:detail", kwargs=kwargs(interview, team, transcript_pk=transcript.pk))
    ).content.decode()
    assert '<span class="transcript-speaker" dir="auto">Olivia Owner</span>' in page
    assert '<span class="transcript-speaker" dir="auto">Nickole Smith</span>' in page
    assert "Ana Ruiz" not in page.split('id="transcript-body"')[1]
    for fmt in formats.WRITERS:
        response = owner_client.get(
            reverse(
                "transcripts:download",
                kwargs=kwargs(interview, team, transcript_pk=transcript.pk, fmt=fmt),
            )
        )
        assert response.status_code == 200, fmt
        disposition = response["Content-Disposition"]
        assert "transcript-" in disposition
        assert f".{fmt}" in disposition
        document = formats.read(response.content, f"x.{fmt}")
        assert "Olivia Owner" in document.speakers, fmt
        assert "Nickole Smith" in document.speakers, fmt
        assert "Ana Ruiz" not in document.speakers, fmt
    exported = json.loads(
        owner_client.get(
            reverse(
                "transcripts:download",
                kwargs=kwargs(interview, team, transcript_pk=transcript.pk, fmt="json"),
            )
        ).content
    )
    assert exported["segments"][0]["start"] == 1.2


def test_an_unknown_download_format_is_404(owner_client, interview, team):
    transcript = imported_transcript(interview, team.owner)
    url = reverse(
        "transcripts:download",
        kwargs=kwargs(interview, team, transcript_pk=transcript.pk, fmt="exe"),
    )
    assert owner_client.get(url).status_code == 404


def test_suggestions_from_names_first_names_and_who_speaks_first(interview: Interview, team: Team):
    team_rows = [
        TeamMember.objects.create(
            interview=interview, user=team.teammate, role=TeamRole.INTERVIEWER
        ),
        TeamMember.objects.create(interview=interview, user=team.owner, role=TeamRole.NOTETAKER),
    ]
    members = speakers.team_of(interview)
    assert len(members) == len(team_rows)
    tom, olivia = f"user:{team.teammate.pk}", f"user:{team.owner.pk}"
    # Full names and first names, whatever the case and spacing.
    assert speakers.suggest(interview, ["olivia   OWNER", "Nickole", "Speaker 3"], members) == {
        "olivia   OWNER": olivia,
        "Nickole": "participant",
    }
    # Nothing matches: whoever speaks first is the lead interviewer, the rest unsaid.
    assert speakers.suggest(interview, ["Speaker 0", "Speaker 1"], members) == {"Speaker 0": tom}
    # A two-track call: channel 1 the lead interviewer, channel 2 the participant.
    assert speakers.suggest(interview, ["Channel 2", "Channel 1"], members) == {
        "Channel 1": tom,
        "Channel 2": "participant",
    }
    # The lead already named elsewhere is not suggested twice.
    assert speakers.suggest(interview, ["Speaker 0", "Tom"], members) == {"Tom": tom}


def test_the_card_suggests_and_saving_keeps_the_answer_for_every_transcript(
    owner_client: Client, interview: Interview, team: Team
):
    TeamMember.objects.create(interview=interview, user=team.teammate, role=TeamRole.INTERVIEWER)
    imported_transcript(interview, team.owner)  # Ana Ruiz speaks first
    page = owner_client.get(reverse("interviews:detail", kwargs=kwargs(interview, team)))
    html = page.content.decode()
    assert "Who is speaking" in html
    assert "suggested" in html
    ana = TranscriptSpeaker.objects.get(interview=interview, label="Ana Ruiz")
    assert (
        f'<option value="user:{team.teammate.pk}" selected'
        in html.split(f'name="speaker-{ana.pk}"')[1]
    )
    assert ana.role == SpeakerRole.UNKNOWN  # a suggestion is not saved
    owner_client.post(
        reverse("transcripts:speakers", kwargs=kwargs(interview, team)),
        {f"speaker-{ana.pk}": "other", f"name-{ana.pk}": "  Ana   from Finance "},
    )
    second = imported_transcript(interview, team.owner, None, "interview.srt")
    names = speakers.names_for(interview, TranscriptSpeaker.objects.filter(interview=interview))
    document = store.document_of(second, names)
    assert document.segments[0].speaker == "Ana from Finance"


def test_observers_read_and_download_but_change_nothing(
    observer_client: Client, interview: Interview, team: Team
):
    transcript = imported_transcript(interview, team.owner)
    page = observer_client.get(reverse("interviews:detail", kwargs=kwargs(interview, team)))
    html = page.content.decode()
    assert "Import a transcript" not in html
    assert "Save who is speaking" not in html
    detail = observer_client.get(
        reverse("transcripts:detail", kwargs=kwargs(interview, team, transcript_pk=transcript.pk))
    )
    assert detail.status_code == 200
    response = post_import(observer_client, interview, team, "heard.json")
    assert response.status_code == 403
    assert Transcript.objects.count() == 1


@pytest.mark.parametrize("choice", ["keep", "delete"])
def test_deleting_a_recording_keeps_its_transcript_unless_asked(
    owner_client: Client, interview: Interview, team: Team, recording: Recording, choice
):
    transcript = imported_transcript(interview, team.owner, recording)
    url = reverse("recordings:delete", kwargs=kwargs(interview, team, recording_pk=recording.pk))
    confirm = owner_client.get(url).content.decode()
    assert "Its transcript (1)" in confirm
    assert 'value="keep" checked' in confirm
    owner_client.post(url, {"transcripts": choice})
    assert not Recording.objects.exists()
    if choice == "keep":
        transcript.refresh_from_db()
        assert transcript.recording is None
        assert transcript.segments.count() == 4
    else:
        assert not Transcript.objects.exists()
        assert not Segment.objects.exists()

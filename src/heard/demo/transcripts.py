"""The transcript of Nickole's call, as a team would import it from its video tool (WebVTT
with the speakers' names), its speakers mapped to Dana and Nickole. What the notes quote is
said word for word at the minute the note was taken; one pain is highlighted in it."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from heard.accounts.models import User
from heard.interviews.models import Interview, NoteKind, TranscriptSpeaker
from heard.interviews.transcripts import highlights, speakers
from heard.interviews.transcripts.imports import import_transcript

# (second into the call, who speaks, what they say)
TURNS = (
    (95, "Dana Lee", "Thanks for making the time, Nickole. Is it all right if we record this?"),
    (101, "Nickole Barros", "Sure, go ahead."),
    (170, "Dana Lee", "Could you tell me a little about your team and how reporting works today?"),
    (
        182,
        "Nickole Barros",
        "We're six people. Our CEO reads the weekly marketing report every Monday, first thing.",
    ),
    (410, "Dana Lee", "What does becoming more efficient mean for you?"),
    (
        425,
        "Nickole Barros",
        "We have a very small team and therefore we definitely need to become more efficient.",
    ),
    (540, "Nickole Barros", "What I'd love is for the reports to schedule themselves."),
    (552, "Dana Lee", "Why would that help? What happens today?"),
    (
        664,
        "Nickole Barros",
        "Monday mornings go to rebuilding the same six reports by hand. Every single week.",
    ),
    (850, "Dana Lee", "How do you know whether it's getting better or worse?"),
    (
        862,
        "Nickole Barros",
        "I count hours per campaign report. Today it's about three hours for each one.",
    ),
    (1330, "Dana Lee", "Have you tried anything else for this?"),
    (
        1342,
        "Nickole Barros",
        "We tried Looker Studio, but sharing with clients was clumsy, so we dropped it.",
    ),
    (2290, "Dana Lee", "Would you like to see the beta of scheduled reports when we have it?"),
    (2298, "Nickole Barros", "Yes, please send it over."),
)


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}.{int(seconds * 1000) % 1000:03d}"


def webvtt() -> str:
    cues = ["WEBVTT", ""]
    for (start, speaker, text), after in zip(TURNS, [*TURNS[1:], None], strict=True):
        # As long as the words take to say (two and a half a second), and a breath before
        # the next line.
        said = start + 1 + len(text.split()) * 0.4
        end = min(said, after[0] - 1) if after else said
        cues += [f"{_clock(start)} --> {_clock(end)}", f"<v {speaker}>{text}</v>", ""]
    return "\n".join(cues)


def imported(call: Interview, owner: User) -> None:
    """Import the call's transcript and map its speakers as the team would."""
    upload = SimpleUploadedFile(
        "nickole-barros-call.vtt", webvtt().encode(), content_type="text/vtt"
    )
    transcript = import_transcript(call, owner, upload, None)
    team = speakers.team_of(call)
    found = list(TranscriptSpeaker.objects.filter(interview=call).order_by("pk"))
    suggested = speakers.suggest(call, [speaker.label for speaker in found], team)
    answers = {speaker.pk: (suggested.get(speaker.label, ""), "") for speaker in found}
    speakers.save_mapping(call, answers, team, owner)
    # A highlight, as the team made it reading the transcript after the call.
    words = "rebuilding the same six reports by hand"
    line = transcript.segments.get(text__contains=words)
    span = highlights.locate(transcript, line.pk, None, words)
    first_point = call.study.points.order_by("position").first()
    highlights.add(transcript, span, NoteKind.PAIN, [first_point] if first_point else [], owner)

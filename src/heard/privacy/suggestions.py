"""What an interview may want redacted: email addresses, phone numbers, card numbers, and
the names of the workspace's participants and companies, found in its current transcripts'
lines and in its notes. A person ticks the ones to redact (`redaction.redact`); nothing is
redacted unasked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from heard.interviews.models import (
    Interview,
    Note,
    RedactionReason,
    Segment,
    TranscriptSpeaker,
    TranscriptStatus,
)
from heard.interviews.transcripts import speakers
from heard.interviews.transcripts.page import time_label
from heard.participants.models import Participant
from heard.participants.pseudonyms import Names
from heard.privacy.cuts import NOTE, SEGMENT, Cut
from heard.privacy.scrubbing import MIN_PHONE_DIGITS, PHONE

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Thirteen to nineteen digits, spaced or dashed in groups: a payment card's length.
CARD = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")
# How much of the text around a suggestion the page shows, each side.
CONTEXT = 60
# The most suggestions a page lists: the rest are counted.
MAX_SUGGESTIONS = 400


@dataclass(frozen=True)
class Suggestion:
    cut: Cut
    where: str
    """The line's time and speaker, or the note's kind."""
    anchor: str
    """`segment-12` or `note-<uuid>`."""
    before: str
    after: str
    transcript_pk: int | None = None

    @property
    def reason_label(self) -> str:
        return RedactionReason(self.cut.reason).label


def luhn(digits: str) -> bool:
    """Whether `digits` pass the checksum every payment card number passes."""
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def finders_for(interview: Interview) -> Names:
    """The names the workspace knows: every participant's name (and this interview's
    participant's first and last names alone), then every participant's company."""
    known = list(
        Participant.objects.filter(
            workspace_id=interview.study.workspace_id, erased_at__isnull=True
        ).values_list("name", "company")
    )
    names = Names()
    for name, _company in known:
        names.add(name, RedactionReason.NAME)
    for part in interview.participant.name.split():
        names.add(part, RedactionReason.NAME)
    for _name, company in known:
        if company:
            names.add(company, RedactionReason.COMPANY)
    return names


def found_in(text: str, finders: Names) -> Iterator[tuple[int, int, str]]:
    """Each suggestion in `text` (start, end, reason), earliest first, none overlapping
    another (the surer kind wins: an email before a card, a card before a phone number)."""
    spans: list[tuple[int, int, str]] = []

    def add(start: int, end: int, reason: str) -> None:
        if any(start < b and end > a for a, b, _r in spans):
            return
        spans.append((start, end, reason))

    for match in EMAIL.finditer(text):
        add(match.start(), match.end(), RedactionReason.EMAIL)
    for match in CARD.finditer(text):
        if luhn(re.sub(r"\D", "", match.group())):
            add(match.start(), match.end(), RedactionReason.CARD)
    for match in PHONE.finditer(text):
        if len(re.sub(r"\D", "", match.group())) >= MIN_PHONE_DIGITS:
            add(match.start(), match.end(), RedactionReason.PHONE)
    for start, end, reason in finders.spans(text):
        add(start, end, reason)
    return iter(sorted(spans))


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    return ("…" if start > CONTEXT else "") + before, after + (
        "…" if end + CONTEXT < len(text) else ""
    )


def suggest(interview: Interview) -> tuple[list[Suggestion], int]:
    """The suggestions of the interview's current ready transcripts, line by line, then of
    its notes; at most `MAX_SUGGESTIONS`, and how many there are in all."""
    finders = finders_for(interview)
    names = speakers.names_for(
        interview, TranscriptSpeaker.objects.filter(interview=interview).select_related("user")
    )
    found: list[Suggestion] = []
    total = 0
    lines = (
        Segment.objects.filter(
            transcript__interview=interview,
            transcript__status=TranscriptStatus.READY,
            transcript__superseded_at__isnull=True,
        )
        .order_by("transcript_id", "index")
        .values_list("pk", "start_ms", "speaker_id", "text", "transcript_id")
    )
    for pk, start_ms, speaker_id, text, transcript_pk in lines.iterator(500):
        for start, end, reason in found_in(text, finders):
            total += 1
            if len(found) < MAX_SUGGESTIONS:
                at = time_label(start_ms)
                where = " · ".join(p for p in (at, names.get(speaker_id, "")) if p)
                found.append(
                    Suggestion(
                        Cut(SEGMENT, str(pk), start, end, text[start:end], reason),
                        where,
                        f"segment-{pk}",
                        *_context(text, start, end),
                        transcript_pk,
                    )
                )
    notes = Note.objects.filter(interview=interview, deleted_at__isnull=True).order_by(
        "elapsed_seconds", "created_at"
    )
    for note in notes.only("pk", "kind", "text", "source"):
        for start, end, reason in found_in(note.text, finders):
            total += 1
            if len(found) < MAX_SUGGESTIONS:
                found.append(
                    Suggestion(
                        Cut(NOTE, str(note.pk), start, end, note.text[start:end], reason),
                        f"{note.get_kind_display()}: {note.get_source_display().lower()}",
                        f"note-{note.pk}",
                        *_context(note.text, start, end),
                    )
                )
    return found, total

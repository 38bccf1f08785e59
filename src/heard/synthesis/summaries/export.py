"""A summary as Markdown: a file to paste into a wiki or a doc, that reads well as plain text.

Everything people typed is escaped, so a quote with HTML or Markdown in it shows as the text
it is wherever the file is rendered.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.utils.dateformat import format as date_format

from heard.interviews.models import Interview, TeamMember
from heard.interviews.models.schedule import WallClock
from heard.interviews.recordings.moments import said_by
from heard.synthesis.models import Bearing, Quote, Summary, Voice
from heard.synthesis.summaries.services import Entry

# Characters that Markdown (and the HTML it allows) would read as markup.
MARKUP = re.compile(r"([\\`*_\[\]<>|])")
# At the start of a line: a heading, or a numbered list that was not meant.
LINE_MARKUP = re.compile(r"^(\s*)(#|\d+\.)", re.MULTILINE)

SECTIONS = (
    ("main_pains", "Main pains and how they measure them"),
    ("solution_requests", "Solution requests and their root pains"),
    ("surprises", "Surprises"),
    ("follow_ups", "Open follow-ups"),
)


def text(value: str) -> str:
    """Typed text as Markdown that renders as that very text (lists with "- " still work)."""
    escaped = MARKUP.sub(r"\\\1", value.strip())
    return LINE_MARKUP.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def inline(value: str) -> str:
    """Typed text on one line, as Markdown."""
    return text(" ".join(value.split()))


def quoted(value: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text(value).splitlines())


def when(interview: Interview) -> datetime:
    """When the call happened, on the interview's own clock."""
    if interview.started_at:
        return WallClock.of(interview.started_at, interview.zone)
    return interview.local_start


def summary_markdown(
    summary: Summary, points: list[Entry], team: list[TeamMember], wrapup_url: str
) -> str:
    interview = summary.interview
    person = interview.participant
    about = ", ".join(part for part in (person.role, person.company) if part)
    lines = [f"# Interview summary: {text(person.name)}", ""]
    if about:
        lines += [text(about), ""]
    lines += [
        f"- Study: {text(interview.study.title)}",
        f"- Interview: {date_format(when(interview), 'l j F Y, H:i')} ({interview.time_zone})",
    ]
    if team:
        names = ", ".join(f"{text(m.display_name)} ({m.get_role_display().lower()})" for m in team)
        lines.append(f"- Team: {names}")
    author = text(summary.author.name) if summary.author else "someone no longer in Heard"
    status = summary.get_status_display().lower()
    if summary.is_final and summary.finalised_at:
        final = summary.finalised_at.astimezone(interview.zone)
        status += f" since {date_format(final, 'j F Y')}"  # a month's name keeps its capital
    lines += [f"- Summary by {author}: {status}", "", "## Validation points", ""]
    for entry in points:
        lines += _point(entry, wrapup_url, interview)
    for name, title in SECTIONS:
        value = getattr(summary, name)
        lines += [f"## {title}", "", text(value) if value.strip() else "_Nothing noted._", ""]
    return "\n".join(lines).rstrip() + "\n"


def _quote(quote: Quote, wrapup_url: str, interview: Interview) -> list[str]:
    """A quote marked with whose words it shows (`Quote.voice`): their words as a block
    quote; the team's note as a plain line that says so; an edit with its source's words.
    A quote from the recording names its speaker and its time on the recording."""
    if quote.from_transcript:
        who = said_by(quote, interview)
        source = f"{text(who)}, {quote.when}" if who else quote.when
    else:
        source = f"at {quote.elapsed_label}"
    if not quote.source_is_gone and not quote.from_transcript:
        source += f" ([note]({wrapup_url}#note-{quote.note_id}))"
    if quote.bearing != Bearing.UNMARKED:
        source += f", {quote.get_bearing_display().lower()} the point"
    if quote.voice == Voice.TEAM:
        kind = f" ({quote.noted_as})" if quote.noted_as else ""
        whose = "The team's words" if quote.from_transcript else f"The team's note{kind}"
        lines = [f"_{whose}, not their words:_ {inline(quote.text)}", f"— {source}"]
    else:
        lines = [quoted(quote.text), ">", f"> — {source}"]
    if not quote.is_verbatim:
        says = f"The {'transcript' if quote.from_transcript else 'note'} says:"
        lines += ["", f"_Edited by the team. {says}_ {inline(quote.source_words)}"]
    return lines


def _point(entry: Entry, wrapup_url: str, interview: Interview) -> list[str]:
    point = entry.point
    lines = [
        f"### {point.label}{' (archived)' if point.is_archived else ''}: {text(point.statement)}",
        "",
        f"**Stance:** {entry.stance_label}",
        "",
        "**What they said**",
        "",
    ]
    for quote in entry.quotes:
        lines += [*_quote(quote, wrapup_url, interview), ""]
    if not entry.quotes:
        lines += ["_No quote picked._", ""]
    heard = text(entry.what_we_heard) if entry.what_we_heard.strip() else "_Not written yet._"
    lines += ["**What we heard**", "", heard, ""]
    return lines

"""Running a search: the entries a query finds in a workspace, grouped by kind, each with its
snippet, where it comes from and a link to the moment. The same on both databases; only
`heard.search.engines` differs."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString

from heard.accounts.models import Workspace
from heard.guides.models import Question
from heard.interviews.models import (
    Interview,
    Note,
    Segment,
    Transcript,
    TranscriptSpeaker,
    minutes_label,
)
from heard.interviews.recordings.moments import Moment, Moments
from heard.interviews.transcripts.speakers import name_of
from heard.participants.models import Participant
from heard.search.engines import engine
from heard.search.engines.base import Row
from heard.search.filters import narrowing, scope_words
from heard.search.models import Entry, Kind, scope_of
from heard.search.query import Query
from heard.search.snippets import snippet
from heard.studies.models import Study
from heard.synthesis.models import Decision, Finding, Quote

RELEVANCE = "relevance"
NEWEST = "newest"
ORDERS = {RELEVANCE: "Most relevant first", NEWEST: "Newest first"}

PER_KIND = 5  # results of each kind on the first page
PAGE_SIZE = 20  # results of one kind a page, once a kind is chosen
COUNT_CAP = 1000  # past this many of a kind, the count says "more than 1,000"
SAMPLE = 2000  # the matches read at once: all of them, for most searches; past COUNT_CAP of a
# kind, the results ranked are among them
RARE_SHARE = 10  # a kind under a tenth of the sample is rare among the matches

FIELDS = (
    "id", "kind", "object_id", "part", "tag", "study_id", "interview_id", "participant_id",
    "transcript_id", "speaker_id", "language", "at", "created", "text",
)  # fmt: skip


def count_label(count: int, over: str = "") -> str:
    """A count as the page says it: past the cap, "1,000+" (or "more than 1,000")."""
    if count > COUNT_CAP:
        return f"{over}{COUNT_CAP:,}" if over else f"{COUNT_CAP:,}+"
    return f"{count:,}"


OPEN_LABELS: dict[str, str] = {
    Kind.SEGMENT: "Open the line",
    Kind.HIGHLIGHT: "Open the highlight",
    Kind.NOTE: "Open the note",
    Kind.QUOTE: "Open the quote",
    Kind.SUMMARY: "Open the summary",
    Kind.FINDING: "Open the finding",
    Kind.DECISION: "Open the decision",
    Kind.PARTICIPANT: "Open the participant",
    Kind.QUESTION: "Open the guide",
}


@dataclass
class Hit:
    entry: Entry
    snippet: SafeString
    url: str
    title: str = ""
    """Whose or what it is, in typed words: the participant of its interview, a guide's title."""
    when: str = ""
    """The day of its interview or decision, in Heard's words (kept apart from the title, whose
    script may run the other way)."""
    details: list[str] = field(default_factory=list)
    """Where it was said: the study, the speaker, the time."""
    moment: Moment | None = None
    interview: Interview | None = None
    note_id: str = ""
    """The note or highlight it is, or was made from, for adding it to a summary."""
    quote_id: int | None = None
    is_new: bool = False
    """New since the person last opened the saved search the page shows."""

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def open_label(self) -> str:
        """What the link to it says: "Open the line"."""
        return OPEN_LABELS[self.entry.kind]

    @property
    def key(self) -> str:
        """What a form sends to say which result it means."""
        part = f":{self.entry.part}" if self.entry.part else ""
        return f"{self.entry.kind}:{self.entry.object_id}{part}"


@dataclass
class Group:
    kind: Kind
    count: int
    hits: list[Hit]
    more_url: str = ""

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def count_label(self) -> str:
        return count_label(self.count, "more than ")


@dataclass
class Results:
    query: Query
    order: str
    groups: list[Group]
    notes: list[str]
    kind: Kind | None = None
    page: int = 1
    counts: dict[str, int] = field(default_factory=dict)
    """How many of each kind the query finds, whichever kind is shown."""

    @property
    def total(self) -> int:
        return sum(min(count, COUNT_CAP) for count in self.counts.values())

    @property
    def total_label(self) -> str:
        over = any(count > COUNT_CAP for count in self.counts.values())
        return f"{self.total:,}+" if over else f"{self.total:,}"

    @property
    def is_capped(self) -> bool:
        return any(group.count > COUNT_CAP for group in self.groups)

    @property
    def pages(self) -> int:
        if self.kind is None or not self.groups:
            return 1
        count = min(self.groups[0].count, COUNT_CAP)  # past the cap, as many as are ranked
        return max(1, -(-count // PAGE_SIZE))


def languages_of(workspace: Workspace) -> set[str]:
    """The languages the workspace's entries may be in: the workspace's, its interviews' and
    its transcripts' (small tables, read instead of the index)."""
    found = {workspace.transcript_language or ""}
    interviews = Interview.objects.filter(study__workspace=workspace).order_by()
    found |= set(interviews.values_list("transcript_language", flat=True).distinct())
    found |= set(
        Transcript.objects.filter(interview__study__workspace=workspace)
        .order_by()
        .values_list("language", flat=True)
        .distinct()
    )
    return found


@dataclass
class Matching:
    """A query's search in a workspace, of one kind or of all: what the engine needs."""

    entries: QuerySet[Entry]
    """The workspace's entries the filters keep."""
    query: Query
    languages: set[str]
    scope: str

    def count(self, cap: int | None = None) -> int:
        """How many there are, counted up to one past `COUNT_CAP` (or `cap`)."""
        limit = COUNT_CAP + 1 if cap is None else cap
        return engine().count(self.entries, self.query, self.languages, self.scope, limit)

    def found(self, limit: int = 10_000) -> QuerySet[Entry]:
        """The entries found, up to `limit`, in no particular order."""
        rows = engine().ranked(
            self.entries, self.query, self.languages, self.scope, newest=False, limit=limit
        )
        return Entry.objects.filter(pk__in=[row[0] for row in rows])

    def since(self, when: Any) -> Matching:
        """The same search, of what first existed after `when`."""
        return Matching(
            self.entries.filter(created__gt=when), self.query, self.languages, self.scope
        )

    def of_kind(self, kind: Kind, *, narrowed: bool) -> Matching:
        """The same search, of one kind; `narrowed`: by the index itself too (worth it where
        the kind is rare among the matches)."""
        scope = f"{scope_of(kind)} {self.scope}".strip() if narrowed else self.scope
        return Matching(self.entries.filter(kind=kind), self.query, self.languages, scope)


def matching(workspace: Workspace, query: Query) -> tuple[Matching, list[str]]:
    """The search of the workspace's entries; and what to say about the parts of the query
    that could not be used."""
    condition, notes = narrowing(workspace, query)
    entries = Entry.objects.filter(condition, workspace=workspace)
    scope = scope_words(workspace, query)
    return Matching(entries, query, languages_of(workspace), scope), notes


def _ordered(rows: list[Row], order: str) -> list[Row]:
    if order == NEWEST:
        return sorted(rows, key=lambda row: (row[2], row[0]), reverse=True)
    return sorted(rows, key=lambda row: (row[1], row[2], row[0]), reverse=True)


def run(
    workspace: Workspace,
    query: Query,
    order: str = RELEVANCE,
    kind: Kind | None = None,
    page: int = 1,
) -> Results:
    """What the query finds: how many of each kind, and the first few of each (or, for one
    kind, a page of them).

    One query reads `SAMPLE` matches of every kind (on SQLite the newest, by when they were
    indexed; on PostgreSQL those its plan reads first, unless newest first is asked for). When
    that is all of them (nearly every search), the counts and the ranking are
    done from it. When it is not (a very common word), a kind with more than `COUNT_CAP`
    matches among them says "more than 1,000" and is ranked among them; every other kind is
    counted and ranked on its own, the index narrowed to the kind by its scope word (and, past
    `COUNT_CAP`, ranked among as many of its own as `Engine.some` chooses)."""
    notes = list(query.notes)
    if not (query.groups or query.filters):
        return Results(query, order, [], notes, kind, page)
    everything, more = matching(workspace, query)
    notes += more
    search_engine = engine()
    sampled = search_engine.sample(
        everything.entries,
        query,
        everything.languages,
        everything.scope,
        SAMPLE + 1,
        newest=order == NEWEST,
    )
    complete = len(sampled) <= SAMPLE
    by_kind: dict[str, list[Row]] = defaultdict(list)
    for pk, its_kind, score, at in sampled[:SAMPLE]:
        by_kind[its_kind].append((pk, score, at))
    wanted = [kind] if kind is not None else list(Kind)
    start, size = ((page - 1) * PAGE_SIZE, PAGE_SIZE) if kind is not None else (0, PER_KIND)
    counts: dict[str, int] = {}
    rows: list[Row] = []
    # A kind outnumbered among the sampled matches: one more of its own than the cap (all of
    # them, if that is fewer), all such kinds at once; where it is rare among them, read with
    # the index narrowed to the kind by its word. Not transcript lines: they are most of any
    # index with transcripts, and their word's list, as long as the index, costs more to read
    # than the filter on the kind does.
    outnumbered = [
        each for each in Kind if not complete and len(by_kind.get(each.value, [])) <= COUNT_CAP
    ]
    searches = []
    for each in outnumbered:
        rare = len(by_kind.get(each.value, [])) * RARE_SHARE < len(sampled)
        search = everything.of_kind(each, narrowed=rare and each != Kind.SEGMENT)
        searches.append((search.entries, search.scope))
    own_rows = search_engine.some_of_each(
        searches, query, everything.languages, COUNT_CAP + 1, newest=order == NEWEST
    )
    for each, rows_of_kind in zip(outnumbered, own_rows, strict=True):
        by_kind[each.value] = rows_of_kind
    for each in Kind:
        own = by_kind.get(each.value, [])
        counts[each.value] = len(own)
        if each in wanted and own:
            rows += _ordered(own, order)[start : start + size]
    ids = [row[0] for row in rows]
    found = {entry.pk: entry for entry in Entry.objects.filter(pk__in=ids).only(*FIELDS)}
    hits = describe(workspace, [found[pk] for pk in ids if pk in found], query)
    grouped: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        grouped[hit.kind].append(hit)
    groups = [
        Group(each, counts[each.value], grouped[each.value])
        for each in Kind
        if counts.get(each.value) and each in wanted
    ]
    return Results(query, order, groups, notes, kind, page, {k: n for k, n in counts.items() if n})


# Describing what was found: a few queries per kind, whatever the number of results.


def describe(workspace: Workspace, entries: list[Entry], query: Query) -> list[Hit]:
    ws = workspace.slug
    terms = query.terms
    interviews = {
        interview.pk: interview
        for interview in Interview.objects.filter(
            pk__in={e.interview_id for e in entries if e.interview_id}
        ).select_related("participant", "study")
    }
    studies = {
        study.pk: study
        for study in Study.objects.filter(pk__in={e.study_id for e in entries if e.study_id})
    }
    speakers = {
        speaker.pk: speaker
        for speaker in TranscriptSpeaker.objects.filter(
            pk__in={e.speaker_id for e in entries if e.speaker_id}
        ).select_related("user")
    }
    moments = Moments(ws, interviews)
    by_kind: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_kind[entry.kind].append(entry)
    extra = _Details(ws, by_kind)
    hits = []
    for entry in entries:
        interview = interviews.get(entry.interview_id or 0)
        hit = Hit(entry, snippet(entry.text, terms, entry.language), url="", interview=interview)
        if interview is not None:
            hit.title, hit.when = _interview_title(interview)
            hit.details.append(interview.study.title)
        elif entry.study_id in studies:
            hit.details.append(studies[entry.study_id].title)
        speaker = speakers.get(entry.speaker_id or 0)
        said_by = name_of(speaker, interview) if speaker and interview else ""
        extra.fill(hit, said_by, moments)
        if said_by:
            hit.details.insert(0, said_by)
        if hit.url:
            hits.append(hit)
    return hits


def _interview_title(interview: Interview) -> tuple[str, str]:
    person = interview.participant
    company = f" ({person.company})" if person.company else ""
    return f"{person.name}{company}", date_format(interview.local_start, "j M Y")


class _Details:
    """What each kind of result needs beyond its entry, read once for all of a page's."""

    def __init__(self, ws: str, by_kind: dict[str, list[Entry]]) -> None:
        self.ws = ws

        def ids(kind: Kind) -> list[str]:
            return [entry.object_id for entry in by_kind.get(kind, ())]

        def numbers(kind: Kind) -> list[int]:
            return [int(pk) for pk in ids(kind)]

        self.segments = {
            row.pk: row
            for row in Segment.objects.filter(pk__in=numbers(Kind.SEGMENT))
            .select_related("transcript")
            .only(
                "pk",
                "start_ms",
                "end_ms",
                "transcript_id",
                "transcript__recording_id",
                "transcript__interview_id",
            )
        }
        note_ids = [uuid.UUID(pk) for pk in ids(Kind.NOTE) + ids(Kind.HIGHLIGHT)]
        self.notes = {
            str(note.pk): note
            for note in Note.objects.filter(pk__in=note_ids).select_related("transcript")
        }
        self.quotes = {
            quote.pk: quote
            for quote in Quote.objects.filter(pk__in=numbers(Kind.QUOTE)).select_related(
                "point_summary__point", "note", "speaker"
            )
        }
        self.findings = {
            f.pk: f
            for f in Finding.objects.filter(pk__in=numbers(Kind.FINDING)).only("pk", "study_id")
        }
        self.decisions = {
            d.pk: d
            for d in Decision.objects.filter(pk__in=numbers(Kind.DECISION)).only("pk", "study_id")
        }
        self.participants = {
            p.pk: p
            for p in Participant.objects.filter(pk__in=numbers(Kind.PARTICIPANT)).only(
                "pk", "name", "company"
            )
        }
        self.questions = {
            q.pk: q
            for q in Question.objects.filter(pk__in=numbers(Kind.QUESTION)).select_related(
                "section__guide"
            )
        }

    def fill(self, hit: Hit, said_by: str, moments: Moments) -> None:
        entry = hit.entry
        getattr(self, f"_{entry.kind}")(hit, said_by, moments)

    def _url(self, name: str, **kwargs: Any) -> str:
        return reverse(name, kwargs={"ws": self.ws, **kwargs})

    def _segment(self, hit: Hit, said_by: str, moments: Moments) -> None:
        segment = self.segments.get(int(hit.entry.object_id))
        if segment is None:
            return
        transcript = segment.transcript
        hit.url = (
            self._url("transcripts:detail", pk=transcript.interview_id, transcript_pk=transcript.pk)
            + f"#segment-{segment.pk}"
        )
        if segment.start_ms is not None:
            hit.details.append(f"{minutes_label(segment.start_ms / 1000)} in the recording")
        hit.moment = moments.on_recording(
            transcript.recording_id, segment.start_ms, segment.end_ms, said_by
        )

    def _highlight(self, hit: Hit, said_by: str, moments: Moments) -> None:
        note: Any = self.notes.get(hit.entry.object_id)
        if note is None or note.transcript_id is None:
            return
        hit.url = (
            self._url("transcripts:detail", pk=note.interview_id, transcript_pk=note.transcript_id)
            + f"#highlight-{note.pk}"
        )
        hit.details.append(note.get_kind_display())
        if note.start_ms is not None:
            hit.details.append(f"{minutes_label(note.start_ms / 1000)} in the recording")
        note.said_by = said_by
        hit.moment = moments.of_note(note)
        hit.note_id = str(note.pk)

    def _note(self, hit: Hit, said_by: str, moments: Moments) -> None:
        note = self.notes.get(hit.entry.object_id)
        if note is None:
            return
        hit.url = self._url("interviews:wrapup", pk=note.interview_id) + f"#note-{note.pk}"
        hit.details.append(
            f"{note.get_kind_display()} noted {minutes_label(note.elapsed_seconds)} into the call"
        )
        hit.moment = moments.of_note(note)
        hit.note_id = str(note.pk)

    def _quote(self, hit: Hit, said_by: str, moments: Moments) -> None:
        quote: Any = self.quotes.get(int(hit.entry.object_id))
        if quote is None or hit.interview is None:
            return
        hit.url = self._url("summaries:detail", pk=hit.interview.pk) + f"#quote-{quote.pk}"
        hit.details.append(f"Quote for {quote.point_summary.point.label}")
        quote.said_by = said_by
        hit.moment = moments.of_quote(quote, hit.interview.pk)
        hit.quote_id = quote.pk

    def _summary(self, hit: Hit, said_by: str, moments: Moments) -> None:
        if hit.interview is None:
            return
        part = hit.entry.part
        anchor = (
            f"#point-{part.removeprefix('point')}" if part.startswith("point") else f"#text-{part}"
        )
        hit.url = self._url("summaries:detail", pk=hit.interview.pk) + anchor
        hit.details.append(_SUMMARY_PART_LABELS.get(hit.entry.tag, "Summary"))

    def _finding(self, hit: Hit, said_by: str, moments: Moments) -> None:
        finding = self.findings.get(int(hit.entry.object_id))
        if finding is not None:
            hit.url = self._url("findings:detail", study_pk=finding.study_id, pk=finding.pk)
            hit.when = "Finding"

    def _decision(self, hit: Hit, said_by: str, moments: Moments) -> None:
        decision = self.decisions.get(int(hit.entry.object_id))
        if decision is not None:
            hit.url = (
                self._url("reviews:decisions", study_pk=decision.study_id)
                + f"#decision-{decision.pk}"
            )
            hit.when = f"Decision of {date_format(timezone.localtime(hit.entry.at), 'j M Y')}"

    def _participant(self, hit: Hit, said_by: str, moments: Moments) -> None:
        person = self.participants.get(int(hit.entry.object_id))
        if person is not None:
            hit.url = self._url("participants:detail", pk=person.pk)
            hit.title = person.name + (f" ({person.company})" if person.company else "")
            hit.details.append(_PARTICIPANT_PART_LABELS.get(hit.entry.tag, "Details"))

    def _question(self, hit: Hit, said_by: str, moments: Moments) -> None:
        question = self.questions.get(int(hit.entry.object_id))
        if question is not None:
            guide = question.section.guide
            hit.url = self._url("guides:detail", pk=guide.pk) + f"#question-{question.pk}"
            hit.title = guide.title
            hit.details.append(question.section.title)


_SUMMARY_PART_LABELS = {
    "pain": "Main pains",
    "solution_request": "Solution requests",
    "surprise": "Surprises",
    "follow_up": "Open follow-ups",
    "heard": "What we heard",
}
_PARTICIPANT_PART_LABELS = {"profile": "Profile", "research": "Research note"}

"""Running a search: the entries a query finds in a workspace, grouped by kind, each with its
snippet, where it comes from and a link to the moment. The same on both databases; only
`heard.search.engines` differs."""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from heard.accounts.models import Workspace
from heard.interviews.models import (
    Interview,
    Transcript,
)
from heard.search.describe import Hit, describe
from heard.search.engines import engine
from heard.search.engines.base import Row
from heard.search.filters import narrowing, scope_words
from heard.search.models import Entry, Kind, scope_of
from heard.search.query import Query

RELEVANCE = "relevance"
NEWEST = "newest"
ORDERS = {RELEVANCE: "Most relevant first", NEWEST: "Newest first"}

PER_KIND = 5  # results of each kind on the first page
PAGE_SIZE = 20  # results of one kind a page, once a kind is chosen
# Past this many of a kind, the count says "more than 500". Each match counted is a read of
# its row (PostgreSQL's index says which rows hold a word, not which of them are of a kind or a
# workspace), and with a common word those reads are most of a search's time.
COUNT_CAP = 500
SAMPLE = 2 * COUNT_CAP  # the matches read at once: all of them, for most searches; past
# COUNT_CAP of a kind, the results ranked are among them
RARE_SHARE = 10  # a kind under a tenth of the sample is rare among the matches

FIELDS = (
    "id", "kind", "object_id", "part", "tag", "study_id", "interview_id", "participant_id",
    "transcript_id", "speaker_id", "language", "at", "created", "text",
)  # fmt: skip


def count_label(count: int, over: str = "") -> str:
    """A count as the page says it: past the cap, "500+" (or "more than 500")."""
    if count > COUNT_CAP:
        return f"{over}{COUNT_CAP:,}" if over else f"{COUNT_CAP:,}+"
    return f"{count:,}"


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

    @property
    def is_over(self) -> bool:
        """More than the cap: only some of them are ranked."""
        return self.count > COUNT_CAP


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

    def scope_of(self, kind: Kind, *, narrowed: bool) -> str:
        """The scope of the same search kept to one kind; `narrowed`: by the index itself too
        (worth it where the kind is rare among the matches, but never for transcript lines:
        they are most of any index with transcripts, and their word's list, as long as the
        index, costs more to read than the filter on the kind does)."""
        if narrowed and kind != Kind.SEGMENT:
            return f"{scope_of(kind)} {self.scope}".strip()
        return self.scope


def matching(workspace: Workspace, query: Query) -> tuple[Matching, list[str]]:
    """The search of the workspace's entries; and what to say about the parts of the query
    that could not be used."""
    condition, notes = narrowing(workspace, query)
    entries = Entry.objects.filter(condition, workspace=workspace)
    scope = scope_words(workspace, query)
    return Matching(entries, query, languages_of(workspace), scope), notes


def _first(rows: list[Row], order: str, count: int) -> list[Row]:
    """The first `count` of the rows in the order asked for (a page's worth, of hundreds)."""
    if order == NEWEST:
        return heapq.nlargest(count, rows, key=lambda row: (row[2], row[0]))
    return heapq.nlargest(count, rows, key=lambda row: (row[1], row[2], row[0]))


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
    # the index narrowed to the kind by its word.
    outnumbered = [
        each for each in Kind if not complete and len(by_kind.get(each.value, [])) <= COUNT_CAP
    ]
    searches = []
    for each in outnumbered:
        rare = len(by_kind.get(each.value, [])) * RARE_SHARE < len(sampled)
        searches.append((each.value, everything.scope_of(each, narrowed=rare)))
    own_rows = search_engine.some_of_each(
        everything.entries,
        searches,
        query,
        everything.languages,
        COUNT_CAP + 1,
        newest=order == NEWEST,
    )
    for each, rows_of_kind in zip(outnumbered, own_rows, strict=True):
        by_kind[each.value] = rows_of_kind
    for each in Kind:
        own = by_kind.get(each.value, [])
        counts[each.value] = len(own)
        if each in wanted and own:
            rows += _first(own, order, start + size)[start:]
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

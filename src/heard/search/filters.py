"""The query's filters (`study:`, `kind:pain`…) as conditions on `Entry`, the same on both
databases. Several values of one filter are alternatives (`kind:pain kind:kpi`); different
filters all apply; `-key:value` leaves out what it names."""

from __future__ import annotations

import datetime
import re
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from heard.accounts.models import Workspace
from heard.core.queries import AnyOf
from heard.interviews.models import NoteKind, SpeakerRole, TeamMember, TranscriptSpeaker
from heard.participants.models import Participant
from heard.search.models import Kind, role_word, study_word
from heard.search.query import Filter, Query
from heard.studies.models import Study, ValidationPoint


def tagged(tag: str) -> Q:
    """The entries of a note's kind or a summary's part (`Entry.tag`). Only entries of other
    kinds than a transcript's line have one, and saying so lets PostgreSQL read the index of
    those alone (the migration 0004), a twentieth of the other: `email kind:pain` reads the
    few hundred entries besides lines that say "email" rather than the thousands of lines."""
    return Q(tag=tag) & ~Q(kind=Kind.SEGMENT)


# What `kind:` accepts, beside the kinds' own names: plurals and everyday words.
KIND_WORDS: dict[str, Q] = {
    **{kind.value: Q(kind=kind) for kind in Kind},
    **{f"{kind.value}s": Q(kind=kind) for kind in Kind},
    "line": Q(kind=Kind.SEGMENT),
    "lines": Q(kind=Kind.SEGMENT),
    "transcript": Q(kind=Kind.SEGMENT),
    "transcripts": Q(kind=Kind.SEGMENT),
    "summaries": Q(kind=Kind.SUMMARY),
    "people": Q(kind=Kind.PARTICIPANT),
    "guide": Q(kind=Kind.QUESTION),
    **{kind.value: tagged(kind.value) for kind in NoteKind if kind.value not in ("note", "quote")},
    "pains": tagged(NoteKind.PAIN),
    "kpis": tagged(NoteKind.KPI),
    "request": tagged(NoteKind.SOLUTION_REQUEST),
    "requests": tagged(NoteKind.SOLUTION_REQUEST),
    "solution": tagged(NoteKind.SOLUTION_REQUEST),
    "followup": tagged(NoteKind.FOLLOW_UP),
    "follow-up": tagged(NoteKind.FOLLOW_UP),
    "surprise": tagged("surprise"),
    "surprises": tagged("surprise"),
    "heard": tagged("heard"),
    "research": tagged("research"),
    "profile": tagged("profile"),
}
# A quote note's own kind: `kind:quote` finds the summaries' quotes and the notes of the kind.
KIND_WORDS["quote"] = KIND_WORDS["quotes"] = Q(kind=Kind.QUOTE) | tagged(NoteKind.QUOTE)

CUSTOMER_WORDS = ("customer", "customers", "participant", "them", "they", "interviewee")
TEAM_WORDS = ("team", "us", "we", "interviewer", "interviewers")

POINT_LABEL = re.compile(r"vp(\d+)", re.IGNORECASE)


# Up to this many participants a filter names are looked up first and matched by id (no join
# per match); past it, the filter joins.
AS_IDS = 5000


def _among(field: str, rows: QuerySet[Any] | list[int], *, words: bool) -> Q:
    """The entries whose `field` (a nullable key) is one of `rows`. Written so that its
    negation keeps the entries without one (`NOT (f = ANY(…))` alone is unknown for them).

    With `words` (the query has words, which the full-text index finds), the key is compared
    as a value (`f + 0`), which no index of the key serves: else PostgreSQL may read the key's
    index for every entry of a filter's studies or people (half a million) to intersect it
    with the words' few thousand, where checking those few thousand rows costs far less."""
    if isinstance(rows, QuerySet):
        ids = list(rows.order_by().values_list("pk", flat=True)[: AS_IDS + 1])
        if len(ids) > AS_IDS:
            return Q(**{f"{field}__in": rows.order_by()})
    else:
        ids = rows
    column = F(field) + 0 if words else F(field)
    return Q(**{f"{field}__isnull": False}) & Q(AnyOf(column, ids))


def _of_participants(workspace: Workspace, named: Q, *, words: bool) -> Q:
    """The entries of the participants a filter names."""
    people = Participant.objects.filter(named, workspace=workspace)
    return _among("participant_id", people, words=words)


def _of_speakers(workspace: Workspace, named: Q, *, words: bool) -> Q:
    """The entries said by the speakers a filter names."""
    speakers = TranscriptSpeaker.objects.filter(named, interview__study__workspace=workspace)
    return _among("speaker_id", speakers, words=words)


def speaker_role(value: str) -> str | None:
    """The role a `speaker:` filter names by a word ("customer", "team"), if it does."""
    lowered = value.lower()
    if lowered in CUSTOMER_WORDS:
        return SpeakerRole.PARTICIPANT
    if lowered in TEAM_WORDS:
        return SpeakerRole.TEAM
    return None


def _day_start(day: datetime.date) -> datetime.datetime:
    # A day at the edge of the calendar (0001-01-01) is kept a day inside it, so that moving
    # it to the server's time zone cannot overflow.
    day = min(max(day, datetime.date.min + datetime.timedelta(days=1)), datetime.date(9999, 12, 30))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def condition(workspace: Workspace, item: Filter, notes: list[str], *, words: bool) -> Q:
    """The entries `item` keeps; `words`: the query has words too."""
    value = item.value
    key = item.key
    if key == "study":
        return _among("study_id", studies_named(workspace, value), words=words)
    if key == "kind":
        found = KIND_WORDS.get(value.lower())
        if found is None:
            notes.append(
                f"“kind:{value}” is not a kind Heard knows: try kind:pain, kind:quote, "
                "kind:segment, kind:finding or kind:participant."
            )
            return Q(pk__in=[])
        return found
    if key == "speaker":
        role = speaker_role(value)
        if role is not None:
            # The role is the last word of the entry's scope (read from the row here; the
            # index narrows by it too, see `scope_words`).
            return Q(scope__endswith=f" {role_word(role)}")
        return _of_speakers(
            workspace,
            Q(label__icontains=value)
            | Q(name__icontains=value)
            | Q(user__name__icontains=value)
            | Q(role=SpeakerRole.PARTICIPANT, interview__participant__name__icontains=value),
            words=words,
        )
    if key == "segment":
        return _of_participants(workspace, Q(segment__icontains=value), words=words)
    if key == "participant":
        named = Q(name__icontains=value) | Q(company__icontains=value)
        return _of_participants(workspace, named, words=words)
    if key == "interviewer":
        team = TeamMember.objects.filter(
            Q(user__name__icontains=value)
            | Q(user__email__icontains=value)
            | Q(guest_name__icontains=value),
            interview__study__workspace=workspace,
        )
        return Q(interview_id__in=team.values("interview_id"))
    if key in ("after", "before"):
        day = item.date
        assert day is not None  # the query keeps only dates
        # As in mail search: after: from that day on, before: up to the day before it.
        return Q(at__gte=_day_start(day)) if key == "after" else Q(at__lt=_day_start(day))
    if key == "point":
        points = ValidationPoint.objects.filter(study__workspace=workspace)
        label = POINT_LABEL.fullmatch(value.replace(" ", ""))
        points = (
            points.filter(position=int(label.group(1)) - 1)
            if label
            else points.filter(statement__icontains=value)
        )
        ids = list(points.values_list("pk", flat=True)[:200])
        if not ids:
            notes.append(f"No validation point matches “{value}”.")
            return Q(pk__in=[])
        return reduce(or_, (Q(points__contains=f",{pk},") for pk in ids))
    raise KeyError(key)


def is_number(value: str) -> bool:
    """Whether `value` is a whole number `int` reads ("²" is a digit, not a number)."""
    return value.isascii() and value.isdecimal() and len(value) < 19


def studies_named(workspace: Workspace, value: str) -> list[int]:
    """The workspace's studies a `study:` filter names: by id, or by words of the title."""
    studies = Study.objects.filter(workspace=workspace)
    named = studies.filter(pk=int(value)) if is_number(value) else studies.none()
    if not named.exists():
        named = studies.filter(title__icontains=value)
    return list(named.values_list("pk", flat=True)[:50])


# A study filter narrows the index itself when it names this many studies or fewer: the
# words of more (each as long as its study's entries) cost more to read together than
# checking the words' matches against the studies does.
STUDY_WORDS = 3


def scope_words(workspace: Workspace, query: Query) -> str:
    """The scope words of the studies and speakers' roles the query keeps to (`Entry.scope`:
    "s3|s7 rparticipant"), or "" when it keeps to none in particular. A study filter narrows
    where it names few studies (`STUDY_WORDS`); one naming none of the workspace's keeps
    nothing (the filter on `Entry.study` says so already). The speakers' filters narrow when
    each names a role."""
    groups = []
    for item in query.filter_values("study"):
        if not item.negated:
            ids = studies_named(workspace, item.value)
            if len(ids) <= STUDY_WORDS:
                groups.append("|".join(study_word(pk) for pk in ids) or "s0")
    speakers = [item for item in query.filter_values("speaker") if not item.negated]
    roles = [speaker_role(item.value) for item in speakers]
    if roles and None not in roles:
        groups.append("|".join(sorted({role_word(role) for role in roles if role})))
    return " ".join(groups)


def narrowing(workspace: Workspace, query: Query) -> tuple[Q, list[str]]:
    """The condition of every filter of the query, and what to say about those it could not
    use."""
    notes: list[str] = []
    wanted: dict[str, list[Q]] = {}
    left_out: list[Q] = []
    for item in query.filters:
        found = condition(workspace, item, notes, words=query.has_words)
        if item.negated:
            left_out.append(found)
        else:
            wanted.setdefault(item.key, []).append(found)
    result = Q()
    for alternatives in wanted.values():
        result &= reduce(or_, alternatives)
    for found in left_out:
        result &= ~found
    return result, notes
